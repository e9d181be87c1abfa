"""Attributed statements and recommendations: speaker, addressees, topics, exact words."""

from __future__ import annotations

import re

from jtkg.loaders.facts import ACTORS, POLITIES, TOPICS, StatementFact
from jtkg.loaders.gazetteer import Entity
from jtkg.loaders.lexicon import RECOMMENDING_VERBS, REPORTING_VERBS
from jtkg.loaders.mentions import Mention
from jtkg.loaders.relation_context import SentenceContext
from jtkg.loaders.text import Span
from jtkg.ontology import JT

#: Reporting verbs that introduce questions, agendas or narration, not positions.
NOT_STATEMENT_VERBS = {
    "asked",
    "opened",
    "discussed",
    "defined",
    "identified",
    "described",
    "lists",
    "listed",
    "found",
}
STATEMENT_VERBS = (REPORTING_VERBS - NOT_STATEMENT_VERBS) | {"offered", "pledged", "voiced"}
MODAL = re.compile(
    r"\b(?:should|must|(?<!the )needs? to|ought to|would be the best|it is hoped|"
    r"it is necessary|has to|have to)\b",
    re.IGNORECASE,
)


class AttributedStatement:
    """The statement a sentence attributes, if any: "NAME said ...", "..., he argued", and
    the sole author's "should" in an essay."""

    def facts(self, s: SentenceContext) -> list[StatementFact]:
        statement = self._statement(s.text, s.span, s.mentions, s.doc.last_speaker, s.doc.authors)
        if statement is None:
            return []
        statement.span = _whole_quotation(s.text, s.doc.sentences, s.number)
        _carried_topics(s, statement)
        return [statement]

    def _statement(
        self,
        text: str,
        sent: Span,
        mentions: list[Mention],
        last_speaker: Entity | None,
        authors: list[Entity],
    ) -> StatementFact | None:
        sentence = text[sent.start : sent.end]
        speaker: Entity | None = None
        verb = ""
        confidence = 0.75
        for vm in re.finditer(r"\b([A-Za-z]+)\b", sentence):
            if vm.group(1) not in STATEMENT_VERBS:
                continue
            if vm.group(1) in ("called", "calls") and not re.match(
                r"\s+(?:for|on|upon)\b", sentence[vm.end() :]
            ):
                continue  # "which Elbonia calls Varda Rock" names, it does not urge
            if vm.group(1) in ("wrote", "writes") and not re.match(
                r"\s+(?:that\b|[“\"])", sentence[vm.end() :]
            ):
                continue  # "He wrote the report" reports writing, not a position
            pos = sent.start + vm.start()
            before = [
                m
                for m in mentions
                if m.end <= pos and m.entity.cls in ACTORS and not _closes_parenthesis(text[m.end : pos])
            ]
            after = [m for m in mentions if m.start >= pos + len(vm.group(1)) and m.entity.cls == JT.Person]
            subject = before[-1] if before else None
            if vm.group(1).endswith("ing") and re.search(r",\s*$", text[sent.start : pos]) and before:
                # "Veld firmly put trade first ..., arguing that": the clause's subject
                speaker, verb = before[0].entity, vm.group(1).removesuffix("ing")
                break
            for person in reversed([m for m in before if m.entity.cls == JT.Person]):
                if _subject_gap(text[person.end : pos]):
                    subject = person  # "Tanabe, a senior researcher at the X Center, said"
                    break
            if subject is not None and _subject_gap(text[subject.end : pos]):
                speaker, verb = subject.entity, vm.group(1)
                break
            pronoun = re.search(
                r"(?:^|[,;“\"]\s*|\b(?:and|but)\s+)(He|She|he|she)\s+(?:\w+\s+)?$", text[sent.start : pos]
            )
            if pronoun and last_speaker is not None:
                speaker, verb, confidence = last_speaker, vm.group(1), 0.65
                break
            if (
                vm.group(1) in ("said", "added", "says")
                and after
                and len(re.findall(r"\w+", text[pos : after[0].start])) <= 4
            ):
                speaker, verb = after[0].entity, vm.group(1)
                break
        if (
            speaker is None
            and len(authors) == 1
            and MODAL.search(sentence)
            and mentions
            and not re.match(r"[“\"]", sentence)
        ):
            speaker, verb, confidence = authors[0], "should", 0.55
        if speaker is None:
            return None
        recommendation = verb in RECOMMENDING_VERBS or verb == "should" or bool(MODAL.search(sentence))
        addressees = self._addressees(text, sent, mentions, verb, speaker)
        concerns = []
        for m in mentions:
            if m.entity in concerns or m.entity == speaker or m.entity in addressees:
                continue
            if m.entity.cls in TOPICS or m.entity.cls in POLITIES:
                concerns.append(m.entity)
        return StatementFact(speaker, sent, recommendation, addressees, concerns, confidence)

    def _addressees(
        self, text: str, sent: Span, mentions: list[Mention], verb: str, speaker: Entity
    ) -> list[Entity]:
        if verb not in RECOMMENDING_VERBS:
            return []
        vm = re.search(rf"\b{verb}\b(?:\s+(?:for|on|upon))?(?:\s+that)?\s+", text[sent.start : sent.end])
        if not vm:
            return []
        pos = sent.start + vm.end()
        found: list[Entity] = []
        for m in sorted((m for m in mentions if m.start >= pos), key=lambda m: m.start):
            gap = text[pos : m.start]
            if m.entity.cls not in ACTORS or not re.fullmatch(r"(?:\s|,|and|the)*", gap):
                break
            if m.entity != speaker and m.entity not in found:
                found.append(m.entity)
            pos = m.end
        return found


def _carried_topics(s: SentenceContext, statement: StatementFact) -> None:
    """The paragraph's topic carries over: a statement that names an institution the sentence
    before (same paragraph) also named concerns that sentence's issues too ("X holds a
    yearly forum on water safety. She called for work between X and Y")."""
    if s.number == 0:
        return
    prev = s.doc.sentences[s.number - 1]
    if "\n\n" in s.text[prev.end : s.span.start]:
        return
    before = s.doc.index.within(prev.start, prev.end)
    shared = {m.entity for m in before if m.entity.cls == JT.Institution} & set(statement.concerns)
    if not shared:
        return
    for m in before:
        if m.entity.cls == JT.Issue and m.entity not in statement.concerns:
            statement.concerns.append(m.entity)


#: Words that may stand between a speaker and the verb: "Nesland also proposed".
_GAP_WORDS = {
    "also",
    "then",
    "further",
    "later",
    "again",
    "has",
    "had",
    "have",
    "was",
    "once",
    "repeatedly",
    "recently",
    "previously",
    "subsequently",
    "initially",
    "first",
}


def _subject_gap(gap: str) -> bool:
    gap = re.sub(r"^[ \t]*\([^()\n]{0,200}\)", "", gap)  # "Morimoto (Professor, ...) argued"
    if re.fullmatch(r",[ \t]+(?:an?|the)[ \t]+[^,;()]{1,150},[ \t]+", gap):
        return True  # "Tanabe, a senior researcher at the Center, said"
    if re.fullmatch(r",[ \t]+who[ \t][^;()]{1,150},[ \t]+(?:also[ \t]+)?", gap):
        return True  # "Marren, who was present with ..., hinted"
    words = gap.split()
    return not gap.strip(" \t") or (
        len(words) <= 2 and all(w in _GAP_WORDS or w.endswith("ly") for w in words) and "\n" not in gap
    )


def _closes_parenthesis(gap: str) -> bool:
    """A mention inside "(...)" before the verb is not its subject."""
    depth = 0
    for ch in gap:
        depth += ch == "("
        depth -= ch == ")"
        if depth < 0:
            return True
    return False


_OPEN_QUOTE = re.compile(r'(?:^|[\s(—-])["“]')
_CLOSE_QUOTE = re.compile(r'[^\s]["”]')


def _whole_quotation(text: str, sentences: list[Span], number: int) -> Span:
    """A quotation that opened sentences earlier ('"Prices are rising. Whether ...," she said')
    is quoted whole: the statement's words start where the quotation opens."""
    sent = sentences[number]
    here = text[sent.start : sent.end]
    if len(_CLOSE_QUOTE.findall(here)) <= len(_OPEN_QUOTE.findall(here)):
        return sent
    for back in range(number - 1, max(-1, number - 5), -1):
        earlier = text[sentences[back].start : sentences[back].end]
        if "\n\n" in text[sentences[back].end : sent.start]:
            break  # quotations do not run across paragraphs here
        if _OPEN_QUOTE.search(earlier) and len(_OPEN_QUOTE.findall(earlier)) > len(
            _CLOSE_QUOTE.findall(earlier)
        ):
            return Span(sentences[back].start, sent.end)
    return sent
