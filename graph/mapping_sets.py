"""The mapping sets in force for a store: the bundled ones and those a user imported.

A user's set is kept in the store, in its own named graph ``graph/mappings/<hash of its
mapping_set_id>``, as the SSSOM TSV text it was read from (``rdf:value``) with its id,
title, license and file name: the generation carries it like any graph, a backup keeps it,
and the set is read back exactly as it was checked. Writing it goes through the change
pipeline (graph/mapping_store.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, Literal, URIRef
from rdflib.namespace import DCTERMS

from jtkg.graph.mapping_checks import check
from jtkg.graph.mappings import MappingError, MappingSet, parse_sssom
from jtkg.ontology import GRAPH

MAPPINGS_PREFIX = str(GRAPH["mappings/"])
SSSOM = "https://w3id.org/sssom/"
_VALUE = ox.NamedNode(str(RDF.value))
_SOURCE = ox.NamedNode(str(DCTERMS.source))


def graph_of(set_id: str) -> str:
    return MAPPINGS_PREFIX + hashlib.sha256(set_id.encode()).hexdigest()[:16]


def set_triples(mapping_set: MappingSet, text: str, file_name: str) -> list[tuple[URIRef, URIRef, object]]:
    node = URIRef(mapping_set.id)
    triples = [
        (node, RDF.type, URIRef(SSSOM + "MappingSet")),
        (node, RDF.value, Literal(text)),
        (node, DCTERMS.source, Literal(file_name)),
        (node, DCTERMS.license, URIRef(mapping_set.license)),
    ]
    if mapping_set.title:
        triples.append((node, DCTERMS.title, Literal(mapping_set.title)))
    return triples


def stored_sets(store: ox.Store) -> list[MappingSet]:
    """The users' sets in ``store``, in the order of their graphs."""
    found: list[MappingSet] = []
    graphs = sorted(g.value for g in store.named_graphs() if g.value.startswith(MAPPINGS_PREFIX))
    for graph in graphs:
        name = ox.NamedNode(graph)
        sources = {q.subject: q.object.value for q in store.quads_for_pattern(None, _SOURCE, None, name)}
        for quad in store.quads_for_pattern(None, _VALUE, None, name):
            source = f"{sources.get(quad.subject, graph)} (stored)"
            try:
                mapping_set = parse_sssom(quad.object.value, source)
                check(mapping_set, [*bundled_sets(), *found])
            except MappingError:
                # Checked when imported; a set the ontology has since outgrown is skipped
                # rather than stopping every write (``jtkg mappings`` shows it missing).
                continue
            found.append(mapping_set)
    return found


def loaded_sets(store: ox.Store | None = None) -> list[MappingSet]:
    """Every set in force: the bundled ones, then the store's."""
    return [*bundled_sets(), *(stored_sets(store) if store is not None else [])]


def bundled_paths() -> list[Path]:
    folder = Path(str(resources.files("jtkg.ontology").joinpath("mappings")))
    return sorted(folder.glob("*.sssom.tsv"))


@cache
def bundled_sets() -> tuple[MappingSet, ...]:
    """The sets shipped in ontology/mappings, each checked with those before it."""
    sets: list[MappingSet] = []
    for path in bundled_paths():
        mapping_set = parse_sssom(path.read_text(encoding="utf-8"), f"ontology/mappings/{path.name}")
        mapping_set.bundled = True
        check(mapping_set, sets)
        sets.append(mapping_set)
    return tuple(sets)


def read_set(path: Path, loaded: Iterable[MappingSet]) -> MappingSet:
    """A user's SSSOM file, parsed and checked against ``loaded`` (one-line MappingError)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"{path}: cannot be read ({getattr(exc, 'strerror', None) or exc})") from None
    loaded = list(loaded)
    mapping_set = parse_sssom(text, str(path))
    for other in loaded:
        if other.bundled and other.id == mapping_set.id:
            raise MappingError(f"{path}:1: mapping_set_id {other.id} is a bundled set's; choose your own")
    check(mapping_set, [s for s in loaded if s.id != mapping_set.id])
    return mapping_set
