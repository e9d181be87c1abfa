"""The registry as a gazetteer: canonical entities found by their names and aliases."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from jtkg.loaders import states as world
from jtkg.loaders.lexicon import DEMONYMS
from jtkg.loaders.state_context import CONTEXT_ONLY, demonym_names_state, name_names_state
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
    #: Names in other languages, by BCP 47 tag ("ja", "zh-Hant"): states' CLDR names.
    labels: dict[str, str] = field(default_factory=dict)

    @classmethod
    def discovered(cls, rdf_class: URIRef, label: str) -> Entity:
        return cls(rdf_class, label, entity_iri(rdf_class, label))

    @property
    def surname(self) -> str | None:
        return person_surname(self.label) if self.cls == JT.Person else None


def person_surname(name: str) -> str:
    """The family name: first in "Kao Shu-fen" (hyphenated given name last), else last."""
    parts = name.split()
    if len(parts) >= 2 and "-" in parts[-1] and "-" not in parts[0] and parts[-1][1:].islower():
        return parts[0]
    return parts[-1]


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    entity: Entity
    #: "name", or "demonym" for a state named by its adjective ("Indian officials").
    kind: str = "name"


#: What a place name that is not a state ("Hong Kong SAR China") matches: it is dropped, so
#: that the state's name inside it ("China") is not found there.
_NOT_A_STATE = Entity(JT.State, "", URIRef("urn:jtkg:not-a-state"))


class Gazetteer:
    """Finds registry entities by exact names: case-sensitive for names, not for concepts.
    With ``all_states``, every sovereign state too (loaders.states), by its names and, where
    the context says so (loaders.state_context), by its demonyms."""

    def __init__(
        self, registry: Graph | None = None, exclude: set[URIRef] | None = None, all_states: bool = True
    ) -> None:
        # The issue scheme's concepts are the topic source's (loaders.topics), not names here.
        registry = load_registry(scheme=False) if registry is None else registry
        exclude = exclude or set()
        self._registry, self._exclude, self.all_states = registry, exclude, all_states
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
            entity.aliases = {str(a) for a in registry.objects(iri, SKOS.altLabel) if isinstance(a, Literal)}
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
        #: Every sovereign state by ISO 3166 code, and by demonym (with ``all_states``).
        self.states: dict[str, Entity] = {}
        self.demonyms: dict[str, Entity] = {}
        blocked: dict[str, Entity] = {}
        if all_states:
            self._add_states(registry, names, blocked)
        self._exact = names
        self._folded = folded
        self._blocked = blocked
        self._exact_re = _alternation({**blocked, **names}, flags=0)
        self._demonym_re = _alternation(self.demonyms, flags=0)
        self._folded_re = _alternation(folded, flags=re.IGNORECASE, plural=True)

    def _add_states(self, registry: Graph, names: dict[str, Entity], blocked: dict[str, Entity]) -> None:
        """Every sovereign state: a registry state keeps its IRI and labels (found by any of
        its names, even where ``exclude`` left it out); a new one gets a label's IRI."""
        known: dict[str, URIRef] = {}
        for iri in registry.subjects(RDF.type, JT.State):
            label = registry.value(iri, RDFS.label)
            for name in (label, *registry.objects(iri, SKOS.altLabel)):
                if isinstance(name, Literal) and isinstance(iri, URIRef):
                    known.setdefault(str(name), iri)
        for state in world.sovereign_states():
            iri = next((known[n] for n in state.names if n in known), None)
            entity = self.entities.get(iri) if iri is not None else None
            if entity is None:
                label = str(registry.value(iri, RDFS.label)) if iri is not None else state.label
                entity = Entity(JT.State, label, iri or entity_iri(JT.State, label))
                entity.aliases = set(state.names) - {label}
                entity.labels = {
                    tag: name for tag, name in (("ja", state.ja), ("zh-Hant", state.zh_hant)) if name
                }
                self.by_label.setdefault(label, entity)
            self.states[state.code] = entity
            for name in state.names:
                names.setdefault(name, entity)
                if "'" in name:
                    names.setdefault(name.replace("'", "’"), entity)
        for word, code in world.demonym_codes().items():
            self.demonyms[word] = self.states[code]
        for name in world.not_state_names():
            if name not in names:
                blocked[name] = _NOT_A_STATE

    def with_states(self, on: bool) -> Gazetteer:
        """This gazetteer, or one like it with every state switched on or off (a recipe's
        ``all_states``)."""
        return self if on == self.all_states else Gazetteer(self._registry, self._exclude, on)

    def lookup(self, name: str) -> Entity | None:
        """The entity of this exact name. A state's name that is as often a person's or a US
        state's ("Jordan", "Georgia") is none here, without its context: ``find`` decides."""
        if name in CONTEXT_ONLY and self.all_states:
            return None
        return self._exact.get(name) or self._folded.get(name.lower())

    def state_for_demonym(self, word: str) -> Entity | None:
        """The state a demonym or combining form names ("Dutch", "South Korean", "Sino"),
        or a state's name used as one ("U.S."), else None. No context is checked: that is
        ``find``'s (or the caller's) job."""
        if not self.all_states:  # the registry's states only, as lexicon.DEMONYMS had them
            entity = self.by_label.get(DEMONYMS.get(word, ""))
            return entity or next((e for e in [self._exact.get(word)] if e and e.cls == JT.State), None)
        entity = self.demonyms.get(word) or self._exact.get(word)
        return entity if entity is not None and entity.cls == JT.State else None

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Match]:
        """Non-overlapping matches, longest first where two overlap. States' names and
        demonyms pass the context guards of loaders.state_context."""
        end = len(text) if end is None else end
        found: list[Match] = []
        for regex, table, fold in (
            (self._exact_re, self._exact, False),
            (self._folded_re, self._folded, True),
        ):
            if regex is None:
                continue
            for m in regex.finditer(text, start, end):
                key = m.group(1).lower() if fold else m.group(1)
                entity = table.get(key) or table.get(key + "s")
                if entity is None and not fold:
                    entity = self._blocked.get(key)
                if entity is not None:
                    found.append(Match(m.start(), m.end(), entity))
        if self.all_states:
            found = [
                m
                for m in found
                if m.entity.cls != JT.State
                or m.entity is _NOT_A_STATE
                or name_names_state(text, m.start, m.end, start, end, self._is_state_word)
            ]
            if self._demonym_re is not None:
                for m in self._demonym_re.finditer(text, start, end):
                    word = m.group(1)
                    if demonym_names_state(
                        text,
                        m.start(),
                        m.end(),
                        end,
                        self._is_state_word,
                        combining=word in world.COMBINING_FORMS,
                    ):
                        found.append(Match(m.start(), m.end(), self.demonyms[word], "demonym"))
        return [m for m in longest_first(found) if m.entity is not _NOT_A_STATE]

    def _is_state_word(self, word: str) -> bool:
        entity = self._exact.get(word) or self.demonyms.get(word)
        return entity is not None and entity.cls == JT.State

    def persons_by_surname(self) -> dict[str, list[Entity]]:
        table: dict[str, list[Entity]] = {}
        for entity in self.entities.values():
            if entity.cls == JT.Person:
                table.setdefault(person_surname(entity.label), []).append(entity)
        return table


def _alternation(names: dict[str, Entity], flags: int, plural: bool = False) -> re.Pattern[str] | None:
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
