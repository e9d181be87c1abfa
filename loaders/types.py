"""Plain data types that pass between the stages of extraction.

Sources find ``Candidate``s (frozen: a stage returns new ones, never edits another's); the
merge and resolution stages turn them into ``Mention``s of ``Entity``s, collected in one
``MentionIndex`` that relation rules read. ``Span``, ``Entity`` and ``Match`` live beside the
code that makes them and are re-exported here, so a stage needs this one module.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import URIRef

from jtkg.loaders.gazetteer import Entity, Match
from jtkg.loaders.text import Span

__all__ = [
    "BasedIn",
    "Candidate",
    "Context",
    "Entity",
    "Match",
    "Mention",
    "MentionIndex",
    "Span",
    "TooManyMentions",
]


@dataclass(frozen=True)
class Context:
    """What every mention source reads: one document's text and sentences, which sentences
    are headings (only registry names are trusted there), the registry's matches per
    sentence start (read once, shared by the sources), and the mention limit."""

    text: str
    body_start: int
    sentences: tuple[Span, ...]
    headings: frozenset[int]
    registry: dict[int, list[Match]]
    max_mentions: int | None = None
    #: The document's name in warnings, and where a source says what it skipped.
    where: str = ""
    warn: Callable[[str], None] | None = None


@dataclass(frozen=True)
class BasedIn:
    """Evidence that an institution is based in a state ("Japan's Norvane Institute"): the state and the
    span that says so."""

    state: Entity
    start: int
    end: int


@dataclass(frozen=True)
class Candidate:
    """A span one source proposes as a mention. ``entity`` is set where the source knows it
    (the registry, a name the rules saw before); otherwise the merge stage finds or makes
    one entity per class and label in the document."""

    start: int
    end: int
    cls: URIRef
    label: str
    #: Which source and which of its rules: "registry", "rule:title", "model:PERSON", ...
    how: str
    confidence: float
    entity: Entity | None = None
    #: Role words before a person's name ("Foreign Minister"), with their start.
    title: str = ""
    title_start: int = -1
    based_in: tuple[BasedIn, ...] = ()
    #: Other names the source knows ("MLIT" for the ministry it spells out).
    aliases: tuple[str, ...] = ()
    #: The source's name (set by the merge stage from the source that proposed it).
    source: str = ""


@dataclass
class Mention:
    start: int
    end: int
    entity: Entity
    confidence: float
    #: How it was found: "registry", "discovered" (a rule), "abbreviation", "surname", ...
    how: str
    #: Role words directly before a person's name ("DPP legislator"), with their span.
    title: str = ""
    title_start: int = -1


@dataclass
class MentionIndex:
    mentions: list[Mention] = field(default_factory=list)
    entities: dict[URIRef, Entity] = field(default_factory=dict)
    #: Institutions whose name was preceded by a state ("Japan's Norvane Institute"): evidence of basedIn.
    based_in: list[tuple[Entity, Entity, int, int]] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, repr=False)

    @classmethod
    def of(
        cls, mentions: list[Mention], based_in: list[tuple[Entity, Entity, int, int]] | None = None
    ) -> MentionIndex:
        """An index of ``mentions`` (sorted here), its entities in first-mention order."""
        ordered = sorted(mentions, key=lambda m: m.start)
        entities: dict[URIRef, Entity] = {}
        for m in ordered:
            entities.setdefault(m.entity.iri, m.entity)
        return cls(ordered, entities, list(based_in or []))

    def keeping(self, keep: Callable[[Mention], bool]) -> MentionIndex:
        """A new index of the mentions ``keep`` accepts (this one is left as it is)."""
        return MentionIndex.of([m for m in self.mentions if keep(m)], self.based_in)

    def within(self, start: int, end: int) -> list[Mention]:
        i = bisect.bisect_left(self._index(), start)
        found = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            if self.mentions[i].end <= end:
                found.append(self.mentions[i])
            i += 1
        return found

    def starting_in(self, low: int, high: int) -> list[Mention]:
        """Mentions that start at ``low`` .. ``high`` (both included), in text order."""
        starts = self._index()
        return self.mentions[bisect.bisect_left(starts, low) : bisect.bisect_right(starts, high)]

    def _index(self) -> list[int]:
        if len(self._starts) != len(self.mentions):
            self._starts = [m.start for m in self.mentions]
        return self._starts

    def of_class(self, cls: URIRef) -> list[Entity]:
        return [e for e in self.entities.values() if e.cls == cls]


class TooManyMentions(Exception):
    """More mentions than the limit: extraction stops at the first one over."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit:,} mentions")
        self.limit = limit
