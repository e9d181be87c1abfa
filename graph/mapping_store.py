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
from jtkg.graph.link_store import store_links, stored
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
from jtkg.graph.relink import Relinked, is_linked, plan
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
    relinked: Relinked | None = None


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
    relinked = relink(location)
    if relinked is not None and relinked.generation:
        generation = relinked.generation
    return StoredSet(mapping_set.id, len(mapping_set.mappings), graph, generation, relinked)


@dataclass(frozen=True)
class RemovedSet:
    id: str
    graph: str
    generation: str
    relinked: Relinked | None = None


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
    relinked = relink(location)
    if relinked is not None and relinked.generation:
        generation = relinked.generation
    return RemovedSet(set_id, graph, generation, relinked)


def relink(location: StoreLocation) -> Relinked | None:
    """In a linked store, after a mapping set came or went: links proposed again for every
    foreign entity (a set's class rows decide which of our classes a foreign type agrees
    with), in a change of the links graph alone, made only when the links differ (as after
    an ingest, graph/relink.py). None: the store is not linked."""
    published = location.open()
    if not is_linked(published):
        return None
    graphs = [g.value for g in published.named_graphs()]
    links, rejected, threshold = plan(published, graphs, {}, everything=True)
    old = stored(published)
    added = len({x.pair for x in links} - {x.pair for x in old.links})
    dropped = len({x.pair for x in old.links} - {x.pair for x in links})
    if {(x.pair, x.confidence, x.method) for x in links} == {
        (x.pair, x.confidence, x.method) for x in old.links
    } and {x.pair for x in rejected} == {x.pair for x in old.rejected}:
        return Relinked(added, dropped, threshold)  # nothing to write: no new generation
    del published
    return Relinked(added, dropped, threshold, store_links(links, location, threshold, rejected))
