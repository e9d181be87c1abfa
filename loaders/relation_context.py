"""What a relation rule sees: one sentence, its mentions, and the document's earlier facts.

Rules are small classes over a ``SentenceContext``; they return facts and keep no state of
their own between calls. What carries over from sentence to sentence (the last speaker, the
last event, the dated facts so far) lives on the ``DocumentContext``, where every rule can
read it and only the runner (``RelationFinder``) advances it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from jtkg.loaders.facts import POLITIES, DatedFact, Relations
from jtkg.loaders.gazetteer import Entity, Gazetteer
from jtkg.loaders.mentions import Mention, MentionIndex
from jtkg.loaders.text import DateMention, Span
from jtkg.ontology import JT

#: ``parse(text, start, end)``: a dependency parse of one sentence (spaCy ``Doc`` or ``Span``),
#: or None where the recipe has the parse off or the model is missing.
Parser = Callable[[str, int, int], Any]


@dataclass
class DocumentContext:
    text: str
    sentences: list[Span]
    index: MentionIndex
    authors: list[Entity]
    gazetteer: Gazetteer
    demonym_states: dict[str, Entity | None]
    #: The document's facts so far: rules read earlier ones (an agreement introduced before).
    rel: Relations
    years: dict[tuple[int | None, int | None], int]
    default_year: int | None
    parser: Parser | None = None
    #: The document's publisher (an institution), from its metadata.
    publisher: Entity | None = None
    #: ``state_for_demonym`` of every state (recipe.all_states), beyond the lexicon's demonyms.
    states_for_demonym: Callable[[str], Entity | None] | None = None
    last_speaker: Entity | None = None
    last_event: DatedFact | None = None
    #: Per-document memory of rules that resolve later references ("the accord").
    memory: dict[str, Any] = field(default_factory=dict)

    def dated(
        self, entity: Entity, span: Span, date: DateMention | None = None, confidence: float = 0.7
    ) -> DatedFact:
        """The document's one dated fact about ``entity``, made on first sight."""
        return self.rel.dated.setdefault(
            str(entity.iri), DatedFact(entity, span, date, confidence=confidence)
        )


@dataclass
class SentenceContext:
    doc: DocumentContext
    number: int
    span: Span
    mentions: list[Mention]
    #: Dates in the sentence (years filled in from the document), citations left out.
    dates: list[DateMention]
    #: Titles found before each person, by the person's start: computed once per sentence.
    titles: dict[int, tuple[str, Entity | None] | None] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.doc.text

    @property
    def sentence(self) -> str:
        return self.doc.text[self.span.start : self.span.end]

    @cached_property
    def persons(self) -> list[Mention]:
        return [m for m in self.mentions if m.entity.cls == JT.Person]

    @cached_property
    def polities(self) -> list[Mention]:
        return [m for m in self.mentions if m.entity.cls in POLITIES]

    @cached_property
    def parse(self) -> Any:
        """The sentence's dependency parse, made only when a rule asks (None when off)."""
        if self.doc.parser is None:
            return None
        try:
            return self.doc.parser(self.doc.text, self.span.start, self.span.end)
        except Exception:  # a sentence the model cannot take keeps the rules
            return None


class SentenceRule(Protocol):
    """A relation rule: the facts one sentence gives (PositionFact, StatementFact, ...)."""

    def facts(self, s: SentenceContext) -> list[Any]: ...


class PositionRule(Protocol):
    """A position rule: the positions one sentence gives one of its persons."""

    def positions(self, s: SentenceContext, person: Mention) -> list[Any]: ...
