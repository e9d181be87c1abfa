"""Relations between mentions: positions, statements, events, agreements and disputes.

One pass over the sentences. Each relation rule is a small class over one sentence's context
(``relation_context.SentenceContext``: the sentence, its mentions, the document's earlier
facts) that returns facts; ``RelationFinder`` runs them in order and files what they return.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from jtkg.loaders.affiliation_rules import AFFILIATION_RULES, AuthorNote, MembersIncluding
from jtkg.loaders.agreements import AgreementPhrases
from jtkg.loaders.based_in import BasedInPhrases, footer_address
from jtkg.loaders.event_dates import NO_YEAR, most_common_year, with_year, years_by_day
from jtkg.loaders.event_roles import find_roles
from jtkg.loaders.events import DatedFacts, Participation, merge_heading_events
from jtkg.loaders.facts import (
    BasedInFact,
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
from jtkg.loaders.offices import resolve_offices
from jtkg.loaders.positions import POSITION_RULES
from jtkg.loaders.recipe import FULL, Recipe
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

DISPUTE_WORDS = re.compile(
    r"\b(?:disput\w*|claim\w*|sovereignty|territorial|asserted|"
    r"encroach\w*|-controlled|controlled)\b",
    re.IGNORECASE,
)


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
        return [
            Involvement(issue, state, s.span)
            for issue in dict.fromkeys(issues)
            for state in dict.fromkeys(states)
        ]


#: The sentence rules, in the order they run: a rule sees what the ones before it filed.
SENTENCE_RULES: tuple[SentenceRule, ...] = (
    AttributedStatement(),
    DatedFacts(),
    AgreementPhrases(),
    Participation(),
    DisputeInvolvement(),
    AuthorNote(),
    MembersIncluding(),
    BasedInPhrases(),
)
#: The position rules: titles and appositions, then the affiliations a reader sees at once.
ALL_POSITION_RULES: tuple[PositionRule, ...] = (*POSITION_RULES, *AFFILIATION_RULES)


class RelationFinder:
    def __init__(
        self,
        gazetteer: Gazetteer,
        recipe: Recipe = FULL,
        position_rules: Sequence[PositionRule] = ALL_POSITION_RULES,
        sentence_rules: Sequence[SentenceRule] = SENTENCE_RULES,
    ) -> None:
        self.gazetteer = gazetteer
        self.demonym_states = {w: gazetteer.by_label.get(label) for w, label in DEMONYMS.items()}
        self.recipe = recipe
        self.position_rules = tuple(position_rules)
        self.sentence_rules = tuple(sentence_rules)
        # Built on first use, so that an extractor (and its recipe) stays cheap to make.
        self._parser: Parser | bool | None = False

    @property
    def parser(self) -> Parser | None:
        """The model's one-sentence parse where the recipe has it on and the model is there."""
        if self._parser is False:
            self._parser = _model_parser() if self.recipe.parse else None
        return self._parser  # type: ignore[return-value]

    def _states_for_demonym(self) -> Callable[[str], Entity | None] | None:
        """Every state's demonym ("Ruritanian" → its state) where the recipe has all states."""
        lookup = getattr(self.gazetteer, "state_for_demonym", None)
        return lookup if self.recipe.all_states and callable(lookup) else None

    def find(
        self,
        text: str,
        sentences: list[Span],
        index: MentionIndex,
        authors: list[Entity],
        publisher: Entity | None = None,
    ) -> Relations:
        rel = Relations()
        full_dates = find_dates(text, default_year=NO_YEAR)
        doc = DocumentContext(
            text,
            sentences,
            index,
            authors,
            self.gazetteer,
            self.demonym_states,
            rel,
            years_by_day(full_dates),
            most_common_year(full_dates),
            self.parser,
            publisher,
            self._states_for_demonym(),
        )
        contexts = [
            SentenceContext(doc, number, sent, index.within(sent.start, sent.end), self._dates(doc, sent))
            for number, sent in enumerate(sentences)
        ]
        self._parse_ahead(doc, contexts)
        for s in contexts:
            sent = s.span
            for person in s.persons:
                found: list[PositionFact] = []
                for position_rule in self.position_rules:
                    found.extend(_stamped(position_rule, position_rule.positions(s, person)))
                for position in _first_per_polity(found):
                    position.start, position.end = _tenure(text, person.end, sent.end)
                    rel.positions.append(position)
            spoke = False
            for rule in self.sentence_rules:
                spoke = self._file(doc, _stamped(rule, rule.facts(s))) or spoke
            if not spoke:
                doc.last_speaker = s.persons[-1].entity if s.persons else doc.last_speaker
        rel.positions = resolve_offices(rel.positions, publisher, doc)
        rel.based_in.extend(footer_address(doc))
        find_roles(text, sentences, index, rel)  # list headings and role cues (event_roles.py)
        merged = merge_heading_events(rel, index)
        rel.index = merged if merged is not index else None
        return rel

    @staticmethod
    def _dates(doc: DocumentContext, sent: Span) -> list[DateMention]:
        """The sentence's dates, years filled in from the document, citations left out."""
        return [
            d
            for d in (
                with_year(d, doc.years, doc.default_year)
                for d in find_dates(doc.text, sent.start, sent.end, default_year=NO_YEAR)
            )
            if d is not None and not in_parentheses(doc.text, sent, d.start)
        ]

    def _parse_ahead(self, doc: DocumentContext, contexts: list[SentenceContext]) -> None:
        """The sentences a position rule will ask to parse (its ``wants_parse``), parsed in
        one batch beforehand; a parse asked for otherwise is still made when asked."""
        if doc.parser is None:
            return
        many = _model_parse_many(doc.parser)
        askers = [r for r in self.position_rules if hasattr(r, "wants_parse")]
        if many is None or not askers:
            return
        wanted = [s.span for s in contexts if any(r.wants_parse(s, p) for p in s.persons for r in askers)]
        if wanted:
            many(doc.text, wanted)

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
            elif isinstance(fact, BasedInFact):
                rel.based_in.append(fact)
        return spoke


def _first_per_polity(found: list[PositionFact]) -> list[PositionFact]:
    """One position per person and polity from one sentence: the first rule's (the rules
    run from the most specific); positions with no polity are kept once per role."""
    seen: set[object] = set()
    placed = {p.role.lower() for p in found if p.polity is not None}
    kept = []
    for p in found:
        if p.polity is None and p.role.lower() in placed:
            continue  # "Senator NAME (PARTY)": the senator's post is the party's
        key = p.polity.iri if p.polity is not None else ("role", p.role.lower())
        if key not in seen:
            seen.add(key)
            kept.append(p)
    return kept


def _stamped(rule: object, facts: list[Any]) -> list[Any]:
    """Each fact names the rule that found it (provenance), unless it names one already."""
    name = re.sub(r"(?<!^)(?=[A-Z])", "-", type(rule).__name__).lower()
    for fact in facts:
        if hasattr(fact, "rule") and not fact.rule:
            fact.rule = name
    return facts


def _model_parse_many(parser: Parser) -> Callable[[str, list[Span]], None] | None:
    """``model.parse_many`` where ``parser`` is the model's own (not a test's stand-in)."""
    try:
        from jtkg.loaders import model
    except ImportError:
        return None
    return model.parse_many if parser is model.parse else None


def _model_parser() -> Parser | None:
    """``model.parse`` when the pinned model is installed, else None (the rules still run)."""
    try:
        from jtkg.loaders import model
    except ImportError:
        return None
    return model.parse if model.check_model() is None else None


_TENURE = re.compile(
    r"\b(?:(?P<since>since|from)\s+(?P<a>[^,;.]{4,25}?)(?:\s+(?:to|until|till)\s+"
    r"(?P<b>[^,;.]{4,25}?))?|(?P<until>until|till)\s+(?P<c>[^,;.]{4,25}?))(?=[,;.)]|\s+\w+ed\b|$)"
)


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


__all__ = ["DatedFact", "Involvement", "PositionFact", "RelationFinder", "Relations", "StatementFact"]
