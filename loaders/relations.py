"""Relations between mentions: positions, statements, events, agreements and disputes.

One pass over the sentences; the rules for each kind of relation live in their own module.
"""

from __future__ import annotations

import re

from jtkg.loaders.events import (
    NO_YEAR,
    EventRules,
    merge_heading_events,
    most_common_year,
    with_year,
    years_by_day,
)
from jtkg.loaders.facts import (
    DatedFact,
    Involvement,
    PositionFact,
    Relations,
    StatementFact,
    in_parentheses,
)
from jtkg.loaders.gazetteer import Entity, Gazetteer
from jtkg.loaders.lexicon import DEMONYMS
from jtkg.loaders.mentions import Mention, MentionIndex
from jtkg.loaders.positions import PositionRules
from jtkg.loaders.statements import StatementRules
from jtkg.loaders.text import DateMention, Span, find_dates
from jtkg.ontology import JT

DISPUTE_WORDS = re.compile(r"\b(?:disput\w*|claim\w*|sovereignty|territorial|asserted|"
                           r"encroach\w*|-controlled|controlled)\b", re.IGNORECASE)
PARTICIPATION = re.compile(r"\b(?:joined|attended|in attendance|took part|participated|"
                           r"represents?|represented|alongside)\b")


class RelationFinder(PositionRules, StatementRules, EventRules):
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.demonym_states = {w: gazetteer.by_label.get(label) for w, label in DEMONYMS.items()}

    def find(self, text: str, sentences: list[Span], index: MentionIndex,
             authors: list[Entity]) -> Relations:
        rel = Relations()
        full_dates = find_dates(text, default_year=NO_YEAR)
        default_year = most_common_year(full_dates)
        years = years_by_day(full_dates)
        last_speaker: Entity | None = None
        last_event: DatedFact | None = None
        for number, sent in enumerate(sentences):
            mentions = index.within(sent.start, sent.end)
            for person in (m for m in mentions if m.entity.cls == JT.Person):
                for position in self._positions(text, sent, person, mentions):
                    position.start, position.end = _tenure(text, person.end, sent.end)
                    rel.positions.append(position)
            statement = self._statement(text, sent, mentions, last_speaker, authors)
            if statement is not None:
                statement.span = _whole_quotation(text, sentences, number)
                rel.statements.append(statement)
                last_speaker = statement.speaker
            else:
                persons = [m.entity for m in mentions if m.entity.cls == JT.Person]
                last_speaker = persons[-1] if persons else last_speaker
            dates = [d for d in (with_year(d, years, default_year) for d in
                                 find_dates(text, sent.start, sent.end, default_year=NO_YEAR))
                     if d is not None and not in_parentheses(text, sent, d.start)]
            for fact in self._dated(text, sent, mentions, dates, rel):
                last_event = fact if fact.entity.cls == JT.Event else last_event
            if last_event is not None and PARTICIPATION.search(text, sent.start, sent.end):
                for m in mentions:
                    if m.entity.cls == JT.Person and m.entity not in last_event.actors:
                        last_event.actors.append(m.entity)
            rel.involvements.extend(self._involvements(text, sent, mentions))
        self._listed_participants(text, index, rel)
        merge_heading_events(rel, index)
        return rel

    def _involvements(self, text: str, sent: Span, mentions: list[Mention]) -> list[Involvement]:
        sentence = text[sent.start:sent.end]
        if not DISPUTE_WORDS.search(sentence):
            return []
        issues = [m.entity for m in mentions if m.entity.cls == JT.Issue]
        if not issues:
            return []
        states = [m.entity for m in mentions if m.entity.cls == JT.State]
        for word in re.findall(r"\b(" + "|".join(DEMONYMS) + r")\b", sentence):
            state = self.demonym_states.get(word)
            if state is not None:
                states.append(state)
        return [Involvement(issue, state, sent) for issue in dict.fromkeys(issues)
                for state in dict.fromkeys(states)]


_TENURE = re.compile(r"\b(?:(?P<since>since|from)\s+(?P<a>[^,;.]{4,25}?)(?:\s+(?:to|until|till)\s+"
                     r"(?P<b>[^,;.]{4,25}?))?|(?P<until>until|till)\s+(?P<c>[^,;.]{4,25}?))(?=[,;.)]|\s+\w+ed\b|$)")


def _tenure(text: str, start: int, end: int):  # type: ignore[no-untyped-def]
    """Dates of a position where the sentence gives them: "director since 2019",
    "minister from 2012 to 2020", "until March 2021"."""
    match = _TENURE.search(text, start, min(end, start + 160))
    if match is None:
        return None, None

    def date(group: str) -> DateMention | None:
        if not match.group(group):
            return None
        found = find_dates(text, match.start(group), match.end(group))
        return found[0] if found else None

    if match.group("until"):
        return None, date("c")
    return date("a"), date("b")


_OPEN_QUOTE = re.compile(r'(?:^|[\s(—-])["“]')
_CLOSE_QUOTE = re.compile(r'[^\s]["”]')


def _whole_quotation(text: str, sentences: list[Span], number: int) -> Span:
    """A quotation that opened sentences earlier ('"Times are changing. Whether ...," he said')
    is quoted whole: the statement's words start where the quotation opens."""
    sent = sentences[number]
    here = text[sent.start:sent.end]
    if len(_CLOSE_QUOTE.findall(here)) <= len(_OPEN_QUOTE.findall(here)):
        return sent
    for back in range(number - 1, max(-1, number - 5), -1):
        earlier = text[sentences[back].start:sentences[back].end]
        if "\n\n" in text[sentences[back].end:sent.start]:
            break  # quotations do not run across paragraphs here
        if _OPEN_QUOTE.search(earlier) and len(_OPEN_QUOTE.findall(earlier)) > len(
                _CLOSE_QUOTE.findall(earlier)):
            return Span(sentences[back].start, sent.end)
    return sent


__all__ = ["DatedFact", "Involvement", "PositionFact", "RelationFinder", "Relations",
           "StatementFact"]
