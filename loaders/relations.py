"""Relations between mentions: positions, statements, events, agreements and disputes.

One pass over the sentences. Each relation rule is a small class over one sentence's context
(``relation_context.SentenceContext``: the sentence, its mentions, the document's earlier
facts) that returns facts; ``RelationFinder`` runs them in order and files what they return.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from jtkg.loaders.events import (
    NO_YEAR,
    DatedFacts,
    Participation,
    listed_participants,
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
from jtkg.loaders.positions import POSITION_RULES
from jtkg.loaders.relation_context import (
    DocumentContext,
    Parser,
    PositionRule,
    SentenceContext,
    SentenceRule,
)
from jtkg.loaders.statements import AttributedStatement
from jtkg.loaders.text import DateMention, Span, find_dates
from jtkg.ontology import JT

DISPUTE_WORDS = re.compile(r"\b(?:disput\w*|claim\w*|sovereignty|territorial|asserted|"
                           r"encroach\w*|-controlled|controlled)\b", re.IGNORECASE)


class DisputeInvolvement:
    """A sentence about a dispute with an issue in it: every state it names is involved."""

    def facts(self, s: SentenceContext) -> list[Involvement]:
        sentence = s.sentence
        if not DISPUTE_WORDS.search(sentence):
            return []
        issues = [m.entity for m in s.mentions if m.entity.cls == JT.Issue]
        if not issues:
            return []
        states = [m.entity for m in s.mentions if m.entity.cls == JT.State]
        for word in re.findall(r"\b(" + "|".join(DEMONYMS) + r")\b", sentence):
            state = s.doc.demonym_states.get(word)
            if state is not None:
                states.append(state)
        return [Involvement(issue, state, s.span) for issue in dict.fromkeys(issues)
                for state in dict.fromkeys(states)]


#: The sentence rules, in the order they run: a rule sees what the ones before it filed.
SENTENCE_RULES: tuple[SentenceRule, ...] = (AttributedStatement(), DatedFacts(),
                                            Participation(), DisputeInvolvement())


class RelationFinder:
    def __init__(self, gazetteer: Gazetteer, parser: Parser | None = None,
                 position_rules: Sequence[PositionRule] = POSITION_RULES,
                 sentence_rules: Sequence[SentenceRule] = SENTENCE_RULES) -> None:
        self.gazetteer = gazetteer
        self.demonym_states = {w: gazetteer.by_label.get(label) for w, label in DEMONYMS.items()}
        self.parser = parser
        self.position_rules = tuple(position_rules)
        self.sentence_rules = tuple(sentence_rules)

    def find(self, text: str, sentences: list[Span], index: MentionIndex,
             authors: list[Entity]) -> Relations:
        rel = Relations()
        full_dates = find_dates(text, default_year=NO_YEAR)
        doc = DocumentContext(text, sentences, index, authors, self.gazetteer,
                              self.demonym_states, rel, years_by_day(full_dates),
                              most_common_year(full_dates), self.parser)
        for number, sent in enumerate(sentences):
            dates = [d for d in (with_year(d, doc.years, doc.default_year) for d in
                                 find_dates(text, sent.start, sent.end, default_year=NO_YEAR))
                     if d is not None and not in_parentheses(text, sent, d.start)]
            s = SentenceContext(doc, number, sent, index.within(sent.start, sent.end), dates)
            for person in s.persons:
                found: list[PositionFact] = []
                for position_rule in self.position_rules:
                    found.extend(position_rule.positions(s, person))
                for position in found:
                    position.start, position.end = _tenure(text, person.end, sent.end)
                rel.positions.extend(found)
            spoke = False
            for rule in self.sentence_rules:
                spoke = self._file(doc, rule.facts(s)) or spoke
            if not spoke:
                doc.last_speaker = s.persons[-1].entity if s.persons else doc.last_speaker
        listed_participants(text, index, rel)
        merge_heading_events(rel, index)
        return rel

    @staticmethod
    def _file(doc: DocumentContext, facts: list[Any]) -> bool:
        """Files a rule's facts in the document's relations; True if one was a statement."""
        rel, spoke = doc.rel, False
        for fact in facts:
            if isinstance(fact, PositionFact):
                rel.positions.append(fact)
            elif isinstance(fact, StatementFact):
                rel.statements.append(fact)
                doc.last_speaker, spoke = fact.speaker, True
            elif isinstance(fact, DatedFact):
                rel.dated.setdefault(str(fact.entity.iri), fact)
                doc.last_event = fact if fact.entity.cls == JT.Event else doc.last_event
            elif isinstance(fact, Involvement):
                rel.involvements.append(fact)
            elif isinstance(fact, Mention):
                rel.new_entities.append(fact)
        return spoke


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


__all__ = ["DatedFact", "Involvement", "PositionFact", "RelationFinder", "Relations",
           "StatementFact"]
