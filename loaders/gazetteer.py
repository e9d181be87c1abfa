"""The registry as a gazetteer: canonical entities found by their names and aliases."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from jtkg.ontology import CLASS_SEGMENTS, JT, entity_iri, load_registry


class _Span(Protocol):
    start: int
    end: int


T = TypeVar("T", bound=_Span)


@dataclass(eq=False)
class Entity:
    """An entity of a core class, from the registry or discovered in a document."""

    cls: URIRef
    label: str
    iri: URIRef
    registry: bool = False
    aliases: set[str] = field(default_factory=set)

    @classmethod
    def discovered(cls, rdf_class: URIRef, label: str) -> Entity:
        return cls(rdf_class, label, entity_iri(rdf_class, label))

    @property
    def surname(self) -> str | None:
        return person_surname(self.label) if self.cls == JT.Person else None


def person_surname(name: str) -> str:
    """The family name: first in "Lo Chih-cheng" (hyphenated given name last), else last."""
    parts = name.split()
    if len(parts) >= 2 and "-" in parts[-1] and "-" not in parts[0] and parts[-1][1:].islower():
        return parts[0]
    return parts[-1]


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    entity: Entity


class Gazetteer:
    """Finds registry entities by exact names: case-sensitive for names, not for concepts."""

    def __init__(self, registry: Graph | None = None, exclude: set[URIRef] | None = None) -> None:
        registry = load_registry() if registry is None else registry
        exclude = exclude or set()
        self.entities: dict[URIRef, Entity] = {}
        self.by_label: dict[str, Entity] = {}
        names: dict[str, Entity] = {}
        folded: dict[str, Entity] = {}
        for iri, cls in registry.subject_objects(RDF.type):
            if cls not in CLASS_SEGMENTS or iri in exclude or not isinstance(iri, URIRef):
                continue
            label = registry.value(iri, RDFS.label)
            if label is None:
                continue
            entity = Entity(cls, str(label), iri, registry=True)
            entity.aliases = {str(a) for a in registry.objects(iri, SKOS.altLabel)
                              if isinstance(a, Literal)}
            self.entities[iri] = entity
            self.by_label[str(label)] = entity
            variants = {str(label), *entity.aliases}
            variants |= {v.replace("'", "’") for v in variants}  # typographic apostrophes
            for name in variants:
                if cls == JT.Issue and name.isascii() and name != name.upper():
                    folded.setdefault(name.lower(), entity)  # concepts: "economic security"
                elif any(ch.isupper() for ch in name) or not name.isascii():
                    names.setdefault(name, entity)
                else:
                    folded.setdefault(name.lower(), entity)
        #: Reviewed offices of registry persons: (role title, institution or state).
        self.offices: dict[URIRef, list[tuple[str, Entity]]] = {}
        for person, position in registry.subject_objects(JT.holds):
            role = registry.value(position, JT.roleTitle)
            polity = self.entities.get(registry.value(position, JT.positionIn))
            if person in self.entities and role is not None and polity is not None:
                self.offices.setdefault(person, []).append((str(role), polity))
        self._exact = names
        self._folded = folded
        self._exact_re = _alternation(names, flags=0)
        self._folded_re = _alternation(folded, flags=re.IGNORECASE, plural=True)

    def lookup(self, name: str) -> Entity | None:
        return self._exact.get(name) or self._folded.get(name.lower())

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Match]:
        """Non-overlapping matches, longest first where two overlap."""
        end = len(text) if end is None else end
        found: list[Match] = []
        for regex, table, fold in ((self._exact_re, self._exact, False),
                                   (self._folded_re, self._folded, True)):
            if regex is None:
                continue
            for m in regex.finditer(text, start, end):
                key = m.group(1).lower() if fold else m.group(1)
                entity = table.get(key) or table.get(key + "s")
                if entity is not None:
                    found.append(Match(m.start(), m.end(), entity))
        return longest_first(found)

    def persons_by_surname(self) -> dict[str, list[Entity]]:
        table: dict[str, list[Entity]] = {}
        for entity in self.entities.values():
            if entity.cls == JT.Person:
                table.setdefault(person_surname(entity.label), []).append(entity)
        return table


def _alternation(names: dict[str, Entity], flags: int,
                 plural: bool = False) -> re.Pattern[str] | None:
    if not names:
        return None
    ordered = sorted(names, key=len, reverse=True)
    body = "|".join(re.escape(n.removesuffix("s") if plural else n) for n in ordered)
    # Concepts match in singular or plural ("semiconductor", "semiconductors").
    suffix = "s?" if plural else ""
    # Boundaries: not inside a word; hyphens separate ("Japan-Taiwan" names both states), and
    # so do kana, Han and Hangul, which put no space around a Latin name ("Japanとの").
    word = r"[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
    return re.compile(rf"(?<!{word})({body}){suffix}(?!{word})", flags)


def longest_first(spans: list[T]) -> list[T]:
    """Non-overlapping spans, longer ones winning, in text order. O(n log n)."""
    starts: list[int] = []
    chosen: list[T] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        i = bisect.bisect_right(starts, span.start)
        if i > 0 and chosen[i - 1].end > span.start:
            continue  # overlaps the chosen span that starts before it
        if i < len(chosen) and chosen[i].start < span.end:
            continue  # overlaps the chosen span that starts after it
        starts.insert(i, span.start)
        chosen.insert(i, span)
    return chosen
