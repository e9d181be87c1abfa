"""Agreements named other than by a capitalised title: "a memorandum of understanding on X",
"the two sides signed an arrangement", "a joint statement", "an accord on X"; later
references ("the accord", "the MOU") resolved to the one agreement introduced before.

Each is a ``jt:Agreement`` with its parties (who signed or concluded it: the subjects of
sign/conclude/ink, or "between A and B"), its date (a date in the sentence) and its topic
(``jt:concerns`` an issue the topic phrase names).
"""

from __future__ import annotations

import re
from typing import Any

from jtkg.loaders.facts import ACTORS, DatedFact
from jtkg.loaders.gazetteer import Entity
from jtkg.loaders.mentions import Mention
from jtkg.loaders.relation_context import SentenceContext
from jtkg.ontology import JT

#: The kinds of instrument, as written, and the kind a later reference names.
_KINDS = (
    (r"memorand(?:um|a)[ \t]+of[ \t]+(?:understanding|cooperation)", "memorandum"),
    (r"MOU|MoU|MOC|MoC", "memorandum"),
    (r"memorandum", "memorandum"),
    (r"joint[ \t]+(?:statement|declaration|communiqu[eé])", "joint statement"),
    (
        r"(?:trade|fisheries|security|defen[cs]e|cooperation|investment|free[ \t]+trade|"
        r"maritime|working|framework|peace)?[ \t]*(?:arrangement|accord|agreement|pact|treaty|deal)",
        "agreement",
    ),
)
_KIND = "|".join(f"(?:{pattern})" for pattern, _ in _KINDS)
_PHRASE = re.compile(
    r"\b(?:(?P<det>[Aa]n?|[Tt]he|[Ii]ts|[Tt]heir|[Tt]his|[Tt]hat)[ \t]+)?"
    r"(?P<mod>(?:(?:new|bilateral|trilateral|landmark|historic|first|second|formal|non-binding|binding|two-year|five-year|"
    r"ten-year)[ \t]+)*)"
    rf"(?P<kind>{_KIND})\b"
    r"(?:[ \t]+(?:on|for|concerning|regarding|covering|to[ \t]+(?:promote|expand|boost|deepen|"
    r"strengthen))[ \t]+(?!(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"\d)\b)(?P<topic>[^,;:.()“”\"]{3,80}))?"
)
#: Verbs of making an agreement: their subjects are its parties.
SIGNING = re.compile(
    r"\b(?:sign(?:s|ed|ing)?|conclud(?:e|es|ed|ing)|ink(?:s|ed|ing)?|"
    r"reach(?:es|ed)?|str(?:uck|ike|ikes)|issu(?:e|es|ed|ing)|"
    r"adopt(?:s|ed)?|exchang(?:e|es|ed)|renew(?:s|ed)?|finaliz(?:e|es|ed)|"
    r"agreed[ \t]+(?:on|to))\b"
)
#: Words that end a topic phrase: "on coast guard cooperation on July 18", "... in Tokyo".
_TOPIC_END = re.compile(
    r"[ \t]+(?:on|in|at|with|between|that|which|who|signed|last|this|"
    r"earlier|during|after|before|by|and[ \t]+(?:the|a|an)|to[ \t]+"
    r"(?:be|take)|was|were|is|are|will|would)\b"
)
#: "the two sides", "both governments": the subject is the pair the text has just named.
_PAIR = re.compile(
    r"\b(?:the[ \t]+two|both)[ \t]+(?:sides|countries|governments|parties|"
    r"nations|neighbou?rs|coast[ \t]+guards|agencies|organi[sz]ations)\b",
    re.I,
)
_NEGATED = re.compile(r"\b(?:no|any|without|never|not)[ \t]+(?:\w+[ \t]+)?$")


def _kind(phrase: str) -> str:
    for pattern, kind in _KINDS:
        if re.fullmatch(pattern, phrase.strip(), 0 if pattern.startswith("MOU") else re.I):
            return kind
    return "agreement"


class AgreementPhrases:
    """Agreements named by a common noun, their parties, date and topic; later references."""

    def facts(self, s: SentenceContext) -> list[DatedFact | Mention]:
        text, span = s.text, s.span
        known: list[tuple[str, Entity]] = s.doc.memory.setdefault("agreements", [])
        found: list[Any] = []
        for m in _PHRASE.finditer(text, span.start, span.end):
            start, end = m.start("kind"), m.end("kind")
            if any(x.start <= start < x.end for x in s.mentions):
                continue  # a named agreement ("the Fisheries Agreement") is the mention's
            kind = _kind(m.group("kind"))
            if m.group("det") is None and not re.search(
                r"\b(?:sign(?:s|ed)?|conclud(?:e|es|ed)|ink(?:s|ed)?|exchang(?:e|es|ed))[ \t]+$",
                text[max(span.start, m.start() - 16) : m.start()],
            ):
                continue  # no article: only right after a signing verb ("signed memoranda")
            definite = m.group("det") is not None and m.group("det").lower() not in ("a", "an")
            if _NEGATED.search(text[max(span.start, m.start() - 20) : m.start()]):
                continue  # "without an agreement", "no deal"
            signed = SIGNING.search(text, span.start, span.end)
            if definite and not m.group("topic"):
                earlier = _antecedent(known, kind, m.group("kind"))
                if earlier is not None:  # "the accord": the one introduced before
                    found.append(Mention(start, end, earlier, 0.6, "rule:agreement-reference"))
                    fact = s.doc.dated(earlier, span)
                    self._add_details(s, fact, m, signed)
                    found.append(fact)
                    continue
            if signed is None and not re.search(r"\bbetween\b", text[m.end() : span.end]):
                continue  # "an agreement would help": no instrument was made here
            parties = _parties(s, m, signed)
            label = _label(text, m, parties)
            entity = Entity.discovered(JT.Agreement, label)
            known.append((kind, entity))
            found.append(
                Mention(
                    m.start("mod") if m.group("mod") else start,
                    m.end("topic") if m.group("topic") else end,
                    entity,
                    0.6,
                    "rule:agreement-phrase",
                )
            )
            fact = s.doc.dated(entity, span, confidence=0.6)
            self._add_details(s, fact, m, signed, parties)
            found.append(fact)
        return found

    @staticmethod
    def _add_details(
        s: SentenceContext,
        fact: DatedFact,
        m: re.Match[str],
        signed: re.Match[str] | None,
        parties: list[Entity] | None = None,
    ) -> None:
        if fact.date is None and s.dates and signed is not None:
            fact.date = min(s.dates, key=lambda d: abs(d.start - m.start()))
            fact.span = s.span
        for party in parties if parties is not None else _parties(s, m, signed):
            if party not in fact.actors:
                fact.actors.append(party)
        for issue in _topics(s, m):
            if issue not in fact.concerns:
                fact.concerns.append(issue)


def _antecedent(known: list[tuple[str, Entity]], kind: str, written: str) -> Entity | None:
    """The one agreement of this kind introduced before; a general word ("the agreement",
    "the accord", "the deal") refers back only when one was introduced at all."""
    same = list(dict.fromkeys(e for k, e in known if k == kind))
    if len(same) == 1:
        return same[0]
    if kind == "agreement" and re.fullmatch(r"(?:accord|agreement|deal|pact)", written, re.I):
        every = list(dict.fromkeys(e for _, e in known))
        return every[0] if len(every) == 1 else None
    return None


def _parties(s: SentenceContext, m: re.Match[str], signed: re.Match[str] | None) -> list[Entity]:
    """Who made it: "between A and B" after the phrase, else the actors before the signing
    verb in its clause (the parse's subjects where it is on), else "the two sides" as the
    two actors the text has just named."""
    text, span = s.text, s.span
    actors = [x for x in s.mentions if x.entity.cls in (JT.State, JT.Institution)]
    between = re.match(
        r"[^,;.]{0,60}?\bbetween[ \t]+((?:[^,;.]|,(?=[^,;.]*\band\b))*)", text[m.end() : span.end]
    )
    if between:
        lo, hi = m.end() + between.start(1), m.end() + between.end(1)
        named = _distinct(x.entity for x in actors if lo <= x.start < hi)
        if len(named) >= 2:
            return named
    if signed is None:
        return []
    # The passive: "a memorandum ... was signed by A and B"
    by = re.match(r"[ \t]+by[ \t]+((?:[^,;.]|,(?=[^,;.]*\band\b))*)", text[signed.end() : span.end])
    if by:
        lo, hi = signed.end() + by.start(1), signed.end() + by.end(1)
        named = _distinct(
            x.entity
            for x in actors
            if lo <= x.start < hi and not re.match(r"[’']s\b", text[x.end : x.end + 2])
        )
        if named:
            return named
    verb_at = signed.start()
    subjects = _parsed_subjects(s, verb_at)
    if subjects is None:  # no parse: the actors of the verb's clause, before it
        clause_start = max(
            [
                span.start,
                *(
                    span.start + x.end()
                    for x in re.finditer(
                        r"[;:]|,[ \t]+(?:but|while|and)[ \t]|\b(?:after|when|as|which|that)\b",
                        text[span.start : verb_at],
                    )
                ),
            ]
        )
        subjects = _distinct(
            x.entity
            for x in actors
            if clause_start <= x.start < verb_at and not re.match(r"[’']s\b", text[x.end : x.end + 2])
        )
    if len(subjects) >= 2:
        return subjects
    if _PAIR.search(text, span.start, verb_at):
        return _last_pair(s, verb_at) or subjects
    return subjects


def _parsed_subjects(s: SentenceContext, verb_at: int) -> list[Entity] | None:
    if s.doc.parser is None:
        return None
    parse = s.parse
    if parse is None:
        return None
    verb = next((t for t in parse.doc if parse.offset(t) == verb_at), None)
    if verb is None:
        return None
    heads = [verb, *([verb.head] if verb.dep_ in ("xcomp", "conj") else [])]
    found: list[Entity] = []
    for head in heads:
        for subj in (t for t in head.children if t.dep_ in ("nsubj", "nsubjpass", "agent")):
            lo = parse.offset(subj.left_edge)
            hi = parse.offset(subj.right_edge) + len(subj.right_edge.text)
            found += [
                x.entity
                for x in s.mentions
                if x.entity.cls in (JT.State, JT.Institution)
                and lo <= x.start < hi
                and not re.match(r"[’']s\b", s.text[x.end : x.end + 2])
            ]
    return _distinct(found)


def _last_pair(s: SentenceContext, before: int) -> list[Entity]:
    """The last two distinct states (else actors) named before ``before`` in the document."""
    earlier = [
        x
        for x in s.doc.index.mentions
        if x.end <= before and x.entity.cls in ACTORS and x.entity.cls != JT.Person
    ]
    for cls in (JT.State, None):
        seen: list[Entity] = []
        for x in reversed(earlier):
            if (cls is None or x.entity.cls == cls) and x.entity not in seen:
                seen.append(x.entity)
            if len(seen) == 2:
                return list(reversed(seen))
    return []


def _distinct(entities: Any) -> list[Entity]:
    return list(dict.fromkeys(entities))


def _topic_span(s: SentenceContext, m: re.Match[str]) -> tuple[int, int] | None:
    if not m.group("topic"):
        return None
    start, end = m.start("topic"), m.end("topic")
    cut = _TOPIC_END.search(s.text, start, end)
    end = cut.start() if cut else end
    for d in s.dates:
        if start < d.start < end:
            end = d.start
    end = start + len(s.text[start:end].rstrip(" \t"))
    return (start, end) if end - start >= 3 else None


def _topics(s: SentenceContext, m: re.Match[str]) -> list[Entity]:
    """Issues the topic phrase names: a mention inside it, or an issue of the sentence whose
    label the phrase holds ("coast guard cooperation" and the issue "Coast guard cooperation")."""
    where = _topic_span(s, m)
    if where is None:
        return []
    phrase = s.text[where[0] : where[1]].lower()
    found = []
    for x in s.doc.index.mentions:
        if x.entity.cls != JT.Issue:
            continue
        inside = where[0] <= x.start and x.end <= where[1]
        if inside or (x.entity.label.lower() in phrase or phrase in x.entity.label.lower()):
            found.append(x.entity)
    return _distinct(found)


def _label(text: str, m: re.Match[str], parties: list[Entity]) -> str:
    """ "Japan-Taiwan memorandum of understanding on coast guard cooperation"."""
    kind = re.sub(r"\s+", " ", m.group("kind"))
    topic = ""
    if m.group("topic"):
        cut = _TOPIC_END.search(m.group("topic"))
        topic = m.group("topic")[: cut.start()] if cut else m.group("topic")
        topic = re.sub(r"\s+", " ", topic).strip()
        topic = re.sub(r"\s+(?:on|in)\s+\w+\s+\d{1,2}$", "", topic)
    names = "-".join(p.label for p in parties[:3]) if 2 <= len(parties) <= 3 else ""
    label = " ".join(x for x in (names, kind, f"on {topic}" if topic else "") if x)
    return label[0].upper() + label[1:]
