"""Exports of the published dataset in every standard RDF syntax."""

from __future__ import annotations

import json
from typing import IO

import pyoxigraph as ox
from rdflib import Dataset

from jtkg.ontology import PREFIXES, context_path

#: Export format name -> (pyoxigraph format, holds named graphs).
EXPORT_FORMATS: dict[str, tuple[ox.RdfFormat, bool]] = {
    "turtle": (ox.RdfFormat.TURTLE, False),
    "ntriples": (ox.RdfFormat.N_TRIPLES, False),
    "xml": (ox.RdfFormat.RDF_XML, False),
    "trig": (ox.RdfFormat.TRIG, True),
    "nquads": (ox.RdfFormat.N_QUADS, True),
    "jsonld": (ox.RdfFormat.JSON_LD, True),
}


class ExportError(Exception):
    pass


def export(store: ox.Store, fmt: str, output: IO[bytes], graph: str | None = None) -> None:
    """Writes the dataset (or one named graph) to ``output``.

    Triple formats (Turtle, N-Triples, RDF/XML) get the union of the graphs, since they
    cannot name graphs; quad formats keep every graph. JSON-LD is compacted with the
    published context.
    """
    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"unknown format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    rdf_format, quads = EXPORT_FORMATS[fmt]
    if graph is not None and not store.contains_named_graph(ox.NamedNode(graph)):
        raise ExportError(f"no graph named {graph} in the store")
    if fmt == "jsonld":
        _jsonld(store, output, graph)
        return
    if quads:
        if graph is None:
            store.dump(output, rdf_format)
        else:
            source = store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
            ox.serialize(source, output, rdf_format)
        return
    pattern_graph = ox.NamedNode(graph) if graph else None
    triples = (q.triple for q in store.quads_for_pattern(None, None, None, pattern_graph))
    if graph is None:
        triples = _distinct(triples)
    ox.serialize(triples, output, rdf_format, prefixes=PREFIXES)


def _distinct(triples):  # type: ignore[no-untyped-def]
    seen: set[ox.Triple] = set()
    for triple in triples:
        if triple not in seen:
            seen.add(triple)
            yield triple


def _jsonld(store: ox.Store, output: IO[bytes], graph: str | None) -> None:
    nquads = ox.serialize(store.quads_for_pattern(None, None, None,
                                                  ox.NamedNode(graph) if graph else None),
                          format=ox.RdfFormat.N_QUADS)
    dataset = Dataset()
    dataset.parse(data=nquads.decode("utf-8"), format="nquads")
    context = json.loads(context_path().read_text(encoding="utf-8"))["@context"]
    text = dataset.serialize(format="json-ld", context=context, auto_compact=True)
    output.write(text.encode("utf-8"))
