"""`jtkg import --mapping FILE`: a user's SSSOM mapping set, checked and kept in the store.

The set is parsed and checked against the ontology and every set already in force (a
malformed row, an unknown jt term, a domain clash or a class read as two disjoint classes
is refused with its file and line, and nothing changes); then it is written through the
change pipeline, which re-derives every imported graph's translation with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from jtkg.graph.change import Change, commit
from jtkg.graph.mapping_sets import graph_of, loaded_sets, read_set, set_triples
from jtkg.graph.mappings import MappingError
from jtkg.graph.store import StoreError, StoreLocation, to_ox


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
    quads = [ox.Quad(*map(to_ox, t), target) for t in set_triples(mapping_set, text, path.name)]  # type: ignore[misc]
    generation = commit(location, Change("replace", graph=target, quads=quads))
    return StoredSet(mapping_set.id, len(mapping_set.mappings), graph, generation)
