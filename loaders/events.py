"""Events and agreements: dates, parties and participants, and events named by a noun."""

from __future__ import annotations

import re
from dataclasses import replace

from jtkg.loaders.event_dates import NO_YEAR, adjacent_date, most_common_year, with_year, years_by_day
from jtkg.loaders.event_words import AFTER_HEAD, EVENT_NOUNS, NOT_MODIFIERS
from jtkg.loaders.facts import ACTORS, DatedFact, Relations
from jtkg.loaders.gazetteer import Entity
from jtkg.loaders.mentions import Mention, MentionIndex
from jtkg.loaders.relation_context import SentenceContext
from jtkg.loaders.text import DateMention, Span
from jtkg.ontology import JT


class DatedFacts:
    """Events, agreements and policies of a sentence with their dates and actors; and a
    common noun for a happening dated in the same sentence ("a webinar ... on March 17").
    Returns the dated facts (already the document's: ``doc.dated``) and new event mentions."""

    def facts(self, s: SentenceContext) -> list[DatedFact | Mention]:
        text, sent, mentions, dates, rel = s.text, s.span, s.mentions, s.dates, s.doc.rel
        facts: list[DatedFact] = []
        found: list[DatedFact | Mention] = []
        for m in mentions:
            if m.entity.cls not in (JT.Event, JT.Agreement, JT.Policy):
                continue
            fact = s.doc.dated(m.entity, sent)
            adjacent = adjacent_date(text, m, dates)
            if adjacent is not None and fact.date is None:
                fact.date, fact.span = adjacent, sent
            for actor in _actors_in_name(s, text[m.start : m.end]):
                fact.join(actor, sent, rule="actors-in-name")
            for actor in _host(text, sent, mentions, m.start):
                fact.join(actor, sent, "host", "event-host")
            facts.append(fact)
        # A common noun for a happening, dated in the same sentence: "a webinar ... on March 17".
        sentence = text[sent.start : sent.end]
        for noun in EVENT_NOUNS:
            nm = re.search(rf"\b{noun}\b", sentence)
            if not nm or not dates or any(f.entity.cls == JT.Event for f in facts):
                continue
            if any(m.start <= sent.start + nm.start() < m.end for m in mentions):
                continue
            if _modifies_a_noun(sentence, nm.end()):
                continue  # "disaster relief", "election law": the noun is not the head
            noun_at = sent.start + nm.start()
            near = [
                d
                for d in dates
                if 0 <= d.start - noun_at <= 80
                or (0 <= noun_at - d.end <= 40 and not re.search(r"[,;.]", text[d.end : noun_at]))
            ]
            if not near or (
                re.search(
                    r"(?:[’']s|\bthe|\bthese|\bthose)\s+$", text[max(sent.start, noun_at - 6) : noun_at]
                )
                and not any(0 <= d.start - noun_at <= 80 for d in near)
            ):
                continue
            date = min(near, key=lambda d: abs(d.start - noun_at))
            same_day = next(
                (
                    f
                    for f in rel.dated.values()
                    if f.entity.cls == JT.Event
                    and f.date is not None
                    and f.date.iso() == date.iso()
                    and f.date.precision == "day"
                ),
                None,
            )
            if same_day is not None:  # "the talks" and "a dialogue" on one day are one event
                entity = same_day.entity
                found.append(Mention(noun_at, noun_at + len(noun), entity, 0.6, "discovered"))
                facts.append(same_day)
                break
            label = _event_label(text, sent, nm.start(), noun, date, mentions)
            entity = Entity.discovered(JT.Event, label)
            start = sent.start + nm.start()
            found.append(Mention(start, start + len(noun), entity, 0.6, "discovered"))
            fact = s.doc.dated(entity, sent, date, confidence=0.6)
            # "talks between Japan's LDP and Taiwan's DPP": the parties named after "between"
            between = re.search(r"\bbetween\b((?:[^,;.]|,(?=[^,;.]*\band\b))*)", sentence)
            if between:
                lo, hi = sent.start + between.start(1), sent.start + between.end(1)
                named = [m for m in mentions if lo <= m.start < hi and m.entity.cls in ACTORS]
                owners = {
                    m.entity
                    for m in named
                    if m.entity.cls == JT.State and re.match(r"[’']s\b", text[m.end : m.end + 2])
                }
                for m in named:
                    if m.entity not in owners:
                        fact.join(m.entity, sent, rule="event-between")
            for actor in _host(text, sent, mentions, sent.start + nm.start()):
                fact.join(actor, sent, "host", "event-host")  # "The Norvane Institute hosted a webinar"
            facts.append(fact)
            break
        return [*found, *facts]


class Participation:
    """Persons in a sentence that says they "joined" or "attended" take part in the last
    event the document named."""

    def facts(self, s: SentenceContext) -> list[DatedFact]:
        event = s.doc.last_event
        if event is None or not PARTICIPATION.search(s.text, s.span.start, s.span.end):
            return []
        for m in s.persons:
            event.join(m.entity, s.span, rule="participation")
        return [event]


PARTICIPATION = re.compile(
    r"\b(?:joined|attended|in attendance|took part|participated|"
    r"represents?|represented|alongside)\b"
)


def _event_label(
    text: str, sent: Span, offset: int, noun: str, date: DateMention, mentions: list[Mention]
) -> str:
    before = text[sent.start : sent.start + offset]
    words = re.findall(r"[\w+’'-]+|[“”\"]", before)
    modifier: list[str] = []
    for word in reversed(words):
        if word in '“”"':
            continue
        if (
            word.lower() in NOT_MODIFIERS
            or re.fullmatch(r"\d{4}|[a-z]+ed", word)
            or word.endswith(("’s", "'s"))
            or len(modifier) == 4
        ):
            break
        modifier.insert(0, word)
    host = re.search(r"(?:^|\s)hosted\s+(?:an?|the)\s", before)
    owner = [
        m for m in mentions if host and m.end <= sent.start + host.start() + 1 and m.entity.cls in ACTORS
    ]
    if owner:
        modifier = [owner[-1].entity.label]  # "Norvane Institute webinar"
    label = " ".join([*modifier, noun]).strip()
    return f"{label[0].upper()}{label[1:]} ({date.iso()})"


def _actors_in_name(s: SentenceContext, name: str) -> list[Entity]:
    """States and parties named inside a name: "Taiwan-Japan Fisheries Agreement"."""
    first = re.split(r"\s+", name.strip())[0]
    parts = re.split(r"[-–—/]", first) if re.search(r"[-–—/]", first) else []
    actors: list[Entity] = []
    for part in parts:
        entity = s.doc.gazetteer.lookup(part) or s.doc.demonym_states.get(part)
        if entity is not None and entity.cls in ACTORS and entity not in actors:
            actors.append(entity)
    return actors if len(actors) >= 2 else []


def _modifies_a_noun(sentence: str, end: int) -> bool:
    """An event noun followed by a lowercase word that is no function word or verb is a
    modifier of that word ("disaster relief", "drill sergeant"), not an event."""
    nxt = re.match(r"[ \t]+([a-z][a-z-]*)\b", sentence[end:])
    if nxt is None:
        return False
    word = nxt.group(1)
    return word not in AFTER_HEAD and not word.endswith(("ed", "ly"))


def _host(text: str, sent: Span, mentions: list[Mention], event_start: int) -> list[Entity]:
    """The actor that hosts an event takes part in it: "The Norvane Institute holds a yearly forum"."""
    host = re.search(r"\bhost(?:s|ed)?\b", text[sent.start : event_start])
    if host is None:
        return []
    hosts = [m for m in mentions if m.end <= sent.start + host.start() and m.entity.cls in ACTORS]
    return [hosts[-1].entity] if hosts else []


def merge_heading_events(rel: Relations, index: MentionIndex) -> MentionIndex:
    """An undated event named in a heading ("Annual Outlook Briefing") is the dated event of the
    same kind that the text describes ("hosted a webinar ... on March 17, 2021")."""
    dated = [f for f in rel.dated.values() if f.entity.cls == JT.Event and f.date is not None]
    merged: dict[object, Entity] = {}
    for key, fact in list(rel.dated.items()):
        if fact.entity.cls != JT.Event or fact.date is not None or fact.actors:
            continue
        head = fact.entity.label.split()[-1].lower()
        same = [f for f in dated if re.sub(r"\s*\(.*\)$", "", f.entity.label).split()[-1].lower() == head]
        if len(same) != 1:
            continue
        target = same[0].entity
        target.aliases.add(fact.entity.label)
        merged[fact.entity.iri] = target
        del rel.dated[key]
    if not merged:
        return index
    # A new index with the merged mentions: the mention stage's index is left as it was.
    return MentionIndex.of(
        [replace(m, entity=merged[m.entity.iri]) if m.entity.iri in merged else m for m in index.mentions],
        index.based_in,
    )


#: The date helpers moved to event_dates.py, still importable from here.
__all__ = [
    "NO_YEAR",
    "DatedFacts",
    "Participation",
    "adjacent_date",
    "merge_heading_events",
    "most_common_year",
    "with_year",
    "years_by_day",
]
