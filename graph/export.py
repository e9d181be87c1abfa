"""Exports of the published dataset in every standard RDF syntax, and their re-import."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping
from typing import IO

import pyoxigraph as ox

from jtkg.graph.formats import TRIPLES, FormatError, find, serialize
from jtkg.graph.retired import RETIRED_GRAPH, published_table, same_as_quads
from jtkg.graph.store import StoreError, StoreLocation
from jtkg.loaders.errors import NotFound
from jtkg.ontology import INFERRED_GRAPH

SCOPES = ("all", "asserted")


class ExportError(NotFound):
    pass


def retired_links(location: StoreLocation, generation: str | None = None) -> Mapping[str, str]:
    """The retired-IRI table of the published generation (or of ``generation``), for
    ``export(retired=...)``; empty when there is none (an external store's table lives in
    its local mirror)."""
    try:
        name = generation or location.current_generation()
    except StoreError:
        return {}
    return published_table(location.local.path / name) if name else {}


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

    ``fmt`` is a name of graph/formats.py's table that carries triples. Formats that cannot
    name graphs (Turtle, N-Triples, N3, RDF/XML) get the union of the graphs; TriG, N-Quads
    and JSON-LD keep every graph. JSON-LD is compacted with the published context.
    ``retired`` (old IRI -> current IRI, graph/retired.py) comes out as
    ``<old> owl:sameAs <new>`` in the graph RETIRED_GRAPH: asserted, and kept out of the
    store, where owl:sameAs would merge the two IRIs' facts.
    """
    try:
        written = find(fmt, TRIPLES)
    except FormatError as exc:
        raise ExportError(str(exc)) from None
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
    if progress is not None:
        quads = _counted(quads, len(store) + len(links), progress)
    # The store's own order is stable (the same data, the same bytes): no sort of millions.
    serialize(quads, written, output, ordered=False)


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
