"""Exports of the published dataset in every standard RDF syntax, and their re-import."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator, Mapping
from typing import IO

import pyoxigraph as ox
from rdflib import Dataset

from jtkg.graph.retired import RETIRED_GRAPH, published_table, same_as_quads
from jtkg.graph.store import StoreError, StoreLocation
from jtkg.ontology import INFERRED_GRAPH, PREFIXES, context_path

#: Export format name -> (pyoxigraph format, holds named graphs).
EXPORT_FORMATS: dict[str, tuple[ox.RdfFormat, bool]] = {
    "turtle": (ox.RdfFormat.TURTLE, False),
    "ntriples": (ox.RdfFormat.N_TRIPLES, False),
    "xml": (ox.RdfFormat.RDF_XML, False),
    "trig": (ox.RdfFormat.TRIG, True),
    "nquads": (ox.RdfFormat.N_QUADS, True),
    "jsonld": (ox.RdfFormat.JSON_LD, True),
}
SCOPES = ("all", "asserted")


class ExportError(Exception):
    pass


def retired_links(location: StoreLocation, generation: str | None = None) -> Mapping[str, str]:
    """The retired-IRI table of the published generation (or of ``generation``), for
    ``export(retired=...)``; empty when there is none (an external store's table lives in
    its local mirror)."""
    try:
        name = generation or location.current_generation()
    except StoreError:
        return {}
    return published_table(location.path / name) if name else {}


def export(
    store: ox.Store,
    fmt: str,
    output: IO[bytes],
    graph: str | None = None,
    scope: str = "all",
    progress: Callable[[str, int, int], None] | None = None,
    retired: Mapping[str, str] | None = None,
) -> None:
    """Writes the dataset, its asserted graphs only (``scope="asserted"``: everything but the
    inferred graph), or one named graph, to ``output``.

    Triple formats (Turtle, N-Triples, RDF/XML) get the union of the graphs, since they
    cannot name graphs; quad formats keep every graph. JSON-LD is compacted with the
    published context. ``retired`` (old IRI -> current IRI, graph/retired.py) comes out as
    ``<old> owl:sameAs <new>`` in the graph RETIRED_GRAPH: asserted, and kept out of the
    store, where owl:sameAs would merge the two IRIs' facts.
    """
    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"unknown format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    if scope not in SCOPES:
        raise ExportError(f"unknown scope {scope!r}; use one of {', '.join(SCOPES)}")
    links = same_as_quads(retired or {})
    if graph == RETIRED_GRAPH:
        if not links:
            raise ExportError(f"no retired IRIs: the graph {graph} is empty")
        quads: Iterator[ox.Quad] = iter(links)
    elif graph is not None and not store.contains_named_graph(ox.NamedNode(graph)):
        raise ExportError(f"no graph named {graph} in the store")
    else:
        quads = itertools.chain(_quads(store, graph, scope), links if graph is None else ())
    rdf_format, named = EXPORT_FORMATS[fmt]
    if progress is not None:
        quads = _counted(quads, len(store) + len(links), progress)
    if fmt == "jsonld":
        _jsonld(quads, output)
    elif named:
        ox.serialize(quads, output, rdf_format, prefixes=PREFIXES if fmt == "trig" else None)
    else:
        ox.serialize(_distinct(q.triple for q in quads), output, rdf_format, prefixes=PREFIXES)


def _quads(store: ox.Store, graph: str | None, scope: str) -> Iterator[ox.Quad]:
    if graph is not None:
        yield from store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
        return
    inferred = ox.NamedNode(str(INFERRED_GRAPH))
    for quad in store.quads_for_pattern(None, None, None, None):
        if scope == "all" or quad.graph_name != inferred:
            yield quad


def _counted(
    quads: Iterator[ox.Quad], total: int, progress: Callable[[str, int, int], None]
) -> Iterator[ox.Quad]:
    for i, quad in enumerate(quads, start=1):
        if i % 10_000 == 0:
            progress("export", i, total)
        yield quad
    progress("export", total, total)


def _distinct(triples: Iterator[ox.Triple]) -> Iterator[ox.Triple]:
    seen: set[ox.Triple] = set()
    for triple in triples:
        if triple not in seen:
            seen.add(triple)
            yield triple


def _jsonld(quads: Iterator[ox.Quad], output: IO[bytes]) -> None:
    nquads = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    dataset = Dataset()
    dataset.parse(data=nquads.decode("utf-8"), format="nquads")
    context = json.loads(context_path().read_text(encoding="utf-8"))["@context"]
    text = dataset.serialize(format="json-ld", context=context, auto_compact=True)
    output.write(text.encode("utf-8"))
