"""A build's writer: every document's N-Quads into a fresh generation in bounded bulk loads.

What ingest.DocumentWriter does for a document (its graph, one English label per entity,
its entailments recorded in the inferred index and the inferred graph), done on the bytes a
worker shipped (graph/handoff.py): the main process never makes an rdflib or pyoxigraph
term of a document's layers. Oxigraph's bulk loader parses them, in Rust, in batches of
``BULK_QUADS`` lines: the main process holds one batch of bytes (~270 bytes a quad), not
half a million pyoxigraph quads (~1 GB at 100 documents before).

Only for a fresh generation, as `build` writes: there, each document is a new source of
the inferred index (a repeated name is skipped before it is written), so its entailments
are all new rows and all go to the inferred graph (the store keeps one copy of each).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox
from rdflib import Literal
from rdflib.namespace import RDFS, SKOS
from rdflib.term import Node

from jtkg.graph.derive import record
from jtkg.graph.handoff import NQUADS, inferred_triples, nquads
from jtkg.graph.inferred_index import InferredIndex
from jtkg.graph.store import Generation
from jtkg.graph.terms import to_ox
from jtkg.ontology import INFERRED_GRAPH

if TYPE_CHECKING:
    from jtkg.graph.pipeline import DocumentResult

#: N-Quads lines gathered before one bulk load: each load makes its own files on disk (the
#: build compacts them at the end), and the main process holds the batch's bytes meanwhile.
BULK_QUADS = int(os.environ.get("JTKG_BULK_QUADS") or 100_000)


class BulkWriter:
    """Writes processed documents into a fresh generation. Use as a context manager."""

    def __init__(self, generation: Generation, batch: int = BULK_QUADS) -> None:
        self.generation = generation
        self.batch = max(1, batch)
        self.index = InferredIndex(generation.path)
        self.chunks: list[bytes] = []
        self.lines = 0
        self.rows: list[tuple[str, str, str, str]] = []
        #: The English label each entity has so far (ingest.DocumentWriter's rule).
        self.labels: dict[Node, Literal] = {}

    def __enter__(self) -> BulkWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None:
                self.flush()
        finally:
            self.index.close()

    def write(self, result: DocumentResult) -> None:
        if result.packed is None:  # processed here (no fork), or its layers were read
            result.pack()
        packed = result.packed
        assert packed is not None
        graph = str(result.graph_iri)
        self.chunks += [packed.facts, self._labels(packed.labels, graph), packed.evidence, packed.inferred]
        self.lines += packed.quads
        self.rows += [(result.slug, *key) for key in dict.fromkeys(packed.inferred_keys)]
        self.generation.manifest.documents[result.slug] = {
            "path": result.path,
            "sha256": result.sha256,
            "graph": graph,
            **result.stamp,
        }  # what extracted it: ingest re-extracts when it is out of date
        self.generation.changed |= {graph, str(INFERRED_GRAPH)}
        if self.lines >= self.batch:
            self.flush()

    def flush(self) -> None:
        if self.chunks:
            data = b"".join(self.chunks)
            self.chunks, self.lines = [], 0
            # lenient: every IRI and language tag was checked where the lines were written
            # (graph/handoff.py); checking them again is a fifth of the load.
            self.generation.store.bulk_load(data, format=NQUADS, lenient=True)
        if self.rows:
            self.index.db.executemany("INSERT INTO inferred VALUES (?, ?, ?, ?)", self.rows)
            self.index.db.commit()
            self.rows = []

    def _labels(self, labels: list[tuple[Node, Literal]], graph: str) -> bytes:
        return one_label_each(labels, graph, self.labels, self.generation.store)


def one_label_each(
    labels: list[tuple[Node, Literal]], graph: str, known: dict[Node, Literal], store: ox.Store
) -> bytes:
    """Where a document names an entity differently from the store (or from a document
    written before it: ``known``), the earlier label stays rdfs:label; this one becomes an
    skos:altLabel (ingest.DocumentWriter._one_label_each, on a shipped document's labels)."""
    kept = []
    for subject, label in labels:
        keep = known.get(subject) or _stored_label(store, subject, graph)
        if keep is None:
            known[subject] = label
            kept.append((subject, RDFS.label, label))
        elif keep != label:
            kept.append((subject, SKOS.altLabel, Literal(str(label))))
            known.setdefault(subject, keep)
        else:
            kept.append((subject, RDFS.label, label))
    return nquads(kept, graph) if kept else b""


class _Writer(Protocol):
    generation: Generation
    index: InferredIndex
    labels: dict[Node, Literal]


def write_packed(writer: _Writer, result: DocumentResult) -> None:
    """ingest.DocumentWriter.write (not bulk) for a result shipped as N-Quads: the document's
    graph replaced by its lines, loaded by Oxigraph; its entailments recorded as always
    (graph/derive.py ``record``), without rebuilding its layers as rdflib graphs."""
    packed = result.packed
    assert packed is not None
    generation, graph = writer.generation, str(result.graph_iri)
    labels = one_label_each(packed.labels, graph, writer.labels, generation.store)
    name = ox.NamedNode(graph)
    if generation.store.contains_named_graph(name):
        generation.store.clear_graph(name)
    generation.store.load(packed.facts + labels + packed.evidence, format=NQUADS, lenient=True)
    record(generation, result.slug, inferred_triples(packed), writer.index)
    generation.manifest.documents[result.slug] = {
        "path": result.path,
        "sha256": result.sha256,
        "graph": graph,
        **result.stamp,
    }
    generation.changed |= {graph, str(INFERRED_GRAPH)}


def _stored_label(store: ox.Store, subject: Node, own_graph: str) -> Literal | None:
    """The English label another graph of the store gives ``subject`` (as ingest's)."""
    node = to_ox(subject)
    for quad in store.quads_for_pattern(node, _LABEL, None):
        graph = quad.graph_name
        if isinstance(graph, ox.NamedNode) and graph.value != own_graph and quad.object.language == "en":
            return Literal(quad.object.value, lang="en")
    return None


_LABEL = ox.NamedNode(str(RDFS.label))
