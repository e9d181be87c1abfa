"""`jtkg import --mapping FILE` and `jtkg remove --mapping NAME`: a user's SSSOM mapping
set, checked and kept in the store, and taken out again.

The set is parsed and checked against the ontology and every set already in force (a
malformed row, an unknown jt term, a domain clash or a class read as two disjoint classes
is refused with its file and line, and nothing changes); then it is written through the
change pipeline, which re-derives every imported graph's translation with it.

Removing drops the set's graph through the same pipeline: every imported graph is
translated again without it, so what only that set translated leaves the inferred graph
with its entailments, and what another set or another source also supports stays — the
store is then what it would be had the set never been imported (tested). A bundled set is
not the store's to remove (refused, exit 1); a name no set has is not found (exit 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF
from rdflib.namespace import DCTERMS

from jtkg.graph.change import Change, commit
from jtkg.graph.mapping_sets import (
    MAPPINGS_PREFIX,
    SSSOM,
    bundled_paths,
    bundled_sets,
    graph_of,
    loaded_sets,
    read_set,
    set_triples,
)
from jtkg.graph.mappings import MappingError
from jtkg.graph.store import StoreError, StoreLocation, to_ox
from jtkg.loaders.errors import BadInput, NotFound, Refused

_SOURCE = ox.NamedNode(str(DCTERMS.source))
_TYPE = ox.NamedNode(str(RDF.type))
_MAPPING_SET = ox.NamedNode(SSSOM + "MappingSet")


class BundledSet(Refused):
    """A bundled set cannot be removed (exit 1, 403)."""


class UnknownSet(NotFound):
    """No mapping set of that name (exit 1, 404)."""


@dataclass(frozen=True)
class StoredSet:
    id: str
    rows: int
    graph: str
    generation: str


def import_mapping(path: Path, location: StoreLocation) -> StoredSet:
    """Checks and stores the set in ``path`` (replacing one with the same mapping_set_id)."""
    if location.manifest() is None:
        raise StoreError(f"{location.describe()}: no graph has been built here yet (run `jtkg build`)")
    mapping_set = read_set(path, loaded_sets(location.open()))
    if not mapping_set.mappings:
        raise MappingError(f"{path}: the set has no rows")
    graph = graph_of(mapping_set.id)
    target = ox.NamedNode(graph)
    text = path.read_text(encoding="utf-8")
    quads = [ox.Quad(*map(to_ox, t), target) for t in set_triples(mapping_set, text, path.name)]  # type: ignore[misc,call-arg,arg-type]
    generation = commit(location, Change("replace", graph=target, quads=quads))
    return StoredSet(mapping_set.id, len(mapping_set.mappings), graph, generation)


@dataclass(frozen=True)
class RemovedSet:
    id: str
    graph: str
    generation: str


def stored_names(store: ox.Store) -> dict[str, tuple[str, str]]:
    """Each stored set's graph → (its mapping_set_id, the file it was imported from), read
    from the graph itself, so that a set the ontology has since outgrown (skipped when the
    sets are loaded) can still be named and removed."""
    found: dict[str, tuple[str, str]] = {}
    for name in store.named_graphs():
        if not name.value.startswith(MAPPINGS_PREFIX):
            continue
        for quad in store.quads_for_pattern(None, _TYPE, _MAPPING_SET, name):
            subject = quad.subject
            if not isinstance(subject, ox.NamedNode):
                continue  # a set is named by its mapping_set_id, an IRI
            files = [str(q.object.value) for q in store.quads_for_pattern(subject, _SOURCE, None, name)]  # type: ignore[union-attr]
            found[name.value] = (subject.value, files[0] if files else "")
    return found


def find_set(name: str, store: ox.Store) -> tuple[str, str]:
    """(mapping_set_id, graph) of the user's set ``name`` names: its mapping_set_id as
    `jtkg mappings` lists it, the file name it was imported from, or its graph's IRI."""
    stored = stored_names(store)
    matches = sorted(
        (set_id, graph) for graph, (set_id, file) in stored.items() if name in (set_id, file, graph)
    )
    if len(matches) == 1:
        return matches[0]
    if matches:
        ids = ", ".join(set_id for set_id, _ in matches)
        raise BadInput(f"{name} names {len(matches)} mapping sets ({ids}); give its mapping_set_id")
    bundled = {s.id for s in bundled_sets()} | {p.name for p in bundled_paths()}
    bundled |= {set_id.rsplit("/", 1)[-1] for set_id in bundled}
    if name in bundled:
        raise BundledSet(f"{name} is a bundled mapping set (ontology/mappings); it cannot be removed")
    raise UnknownSet(f"no mapping set {name} in the store (`jtkg mappings` lists them)")


def remove_mapping(name: str, location: StoreLocation) -> RemovedSet:
    """Drops the user's set ``name`` names through the change pipeline, which translates
    every imported graph again without it."""
    if location.manifest() is None:
        raise StoreError(f"{location.describe()}: no graph has been built here yet (run `jtkg build`)")
    set_id, graph = find_set(name, location.open())
    generation = commit(location, Change("drop", graph=ox.NamedNode(graph)))
    return RemovedSet(set_id, graph, generation)
