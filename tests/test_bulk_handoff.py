"""The build's hand-off (graph/handoff.py) and writer (graph/bulk_writer.py): N-Quads bytes
from the workers, bulk-loaded, publish exactly what the term-by-term writer published."""

from __future__ import annotations

import pickle
import re
import sqlite3
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from jtkg.graph.build import bundled_corpus
from jtkg.graph.bulk_writer import BulkWriter
from jtkg.graph.handoff import nquads, pack, unpack
from jtkg.graph.ingest import DocumentWriter, write_base
from jtkg.graph.pipeline import _extract_and_process, default_base, prepare, warm_up
from jtkg.graph.store import StoreLocation, to_ox
from jtkg.loaders.extract import Extractor
from jtkg.loaders.recipe import FULL

_BLANK = re.compile(r"_:[A-Za-z0-9]*?(b\d+)\b")


def canonical(store: ox.Store) -> list[str]:
    """Sorted N-Quads; the ontology's blank nodes (rdflib names them afresh in each
    process, as n<32 hex>b<N>) by their running number only."""
    lines = {_BLANK.sub(r"_:\1", ox.serialize([q], format=ox.RdfFormat.N_QUADS).decode()) for q in store}
    return sorted(lines)


def index_rows(folder: Path) -> list[tuple[str, ...]]:
    db = sqlite3.connect(folder / "inferred.sqlite")
    try:
        return sorted(db.execute("SELECT doc, s, p, o FROM inferred"))
    finally:
        db.close()


@pytest.fixture(scope="module")
def results():  # type: ignore[no-untyped-def]
    """The bundled documents processed here, in this process (never shipped)."""
    extractor = Extractor()
    prepare(FULL)
    warm_up(extractor, process_too=True)
    return [_extract_and_process(extractor, path) for path in bundled_corpus()]


def _written(folder: Path, results, writer) -> tuple[list[str], list[tuple[str, ...]]]:  # type: ignore[no-untyped-def]
    location = StoreLocation(folder)
    with location.next_generation(fresh=True) as generation:
        write_base(generation, default_base())
        with writer(generation) as w:
            for result in results:
                w.write(result)
        path = generation.path
    return canonical(location.open()), index_rows(path)


def test_the_bulk_writer_publishes_what_the_document_writer_did(results, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The same documents, written term by term (the writer builds used before) and as
    shipped N-Quads in small batches (several bulk loads): identical quads and index."""
    reference = _written(
        tmp_path / "old",
        [pickle.loads(pickle.dumps(r)) for r in results],
        lambda g: DocumentWriter(g, bulk=True),
    )
    shipped = []
    for result in results:
        copy = pickle.loads(pickle.dumps(result))
        copy.pack()
        shipped.append(pickle.loads(pickle.dumps(copy)))
    assert all("facts" not in r.__dict__ for r in shipped)  # travelled as bytes only
    bulk = _written(tmp_path / "new", shipped, lambda g: BulkWriter(g, batch=2_000))
    assert len(reference[0]) > 30_000
    assert bulk[0] == reference[0]
    assert bulk[1] == reference[1]


def test_the_bundled_build_is_the_document_writers_output(results, built_store: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`jtkg build` (forked workers, N-Quads, bulk loads) against the documents written
    term by term: the same dataset."""
    reference = _written(
        tmp_path / "old",
        [pickle.loads(pickle.dumps(r)) for r in results],
        lambda g: DocumentWriter(g, bulk=True),
    )
    built = StoreLocation(built_store)
    store = built.open()
    assert canonical(store) == reference[0]
    assert index_rows(built_store / str(built.current_generation())) == reference[1]


def test_a_shipped_result_reads_as_the_one_made(results) -> None:  # type: ignore[no-untyped-def]
    result = max(results, key=lambda r: len(r.facts))
    copy = pickle.loads(pickle.dumps(result))
    copy.pack()
    shipped = pickle.loads(pickle.dumps(copy))
    assert shipped.packed is not None and "evidence" not in shipped.__dict__
    assert set(shipped.facts) == set(result.facts)
    assert set(shipped.evidence) == set(result.evidence)
    assert shipped.inferred == result.inferred
    assert shipped.packed is None  # read: the layers are the truth now, not the bytes


def _via_ox(triples: list[tuple], graph: str) -> set[ox.Quad]:  # type: ignore[type-arg]
    name = ox.NamedNode(graph)
    return {ox.Quad(to_ox(s), to_ox(p), to_ox(o), name) for s, p, o in triples}


def test_literals_are_escaped_as_pyoxigraph_reads_them() -> None:
    s, p = URIRef("http://example.org/s"), URIRef("http://example.org/p")
    triples = [
        (s, p, Literal('a "quoted" back\\slash\nnew line\r\tand tab')),
        (s, p, Literal("台湾と日本", lang="ja")),
        (s, p, Literal("臺灣", lang="zh-Hant")),
        (s, p, Literal("0.60", datatype=XSD.decimal)),
        (s, p, Literal(7)),
        (s, p, Literal("emoji 🙂 and \x0b vertical tab")),
        (s, p, URIRef("http://example.org/é?q=1#frag")),
    ]
    graph = "http://example.org/g"
    assert set(ox.parse(nquads(triples, graph), format=ox.RdfFormat.N_QUADS)) == _via_ox(triples, graph)


def test_terms_it_does_not_write_go_through_pyoxigraph() -> None:
    """A blank node (the extractor makes none) or an IRI N-Quads must escape: the document
    is serialized by pyoxigraph instead, the same quads."""
    s, p = URIRef("http://example.org/s"), URIRef("http://example.org/p")
    triples = [(BNode("b1"), p, Literal("x")), (s, p, Literal("y"))]
    graph = "http://example.org/g"
    assert set(ox.parse(nquads(triples, graph), format=ox.RdfFormat.N_QUADS)) == _via_ox(triples, graph)


def test_pack_keeps_english_labels_apart_and_unpack_restores_them() -> None:
    from rdflib import RDFS

    facts, evidence = Graph(), Graph()
    s = URIRef("http://example.org/s")
    facts.add((s, RDFS.label, Literal("Name", lang="en")))
    facts.add((s, RDFS.label, Literal("名前", lang="ja")))
    evidence.add((s, URIRef("http://example.org/q"), Literal("quote")))
    packed = pack(URIRef("http://example.org/g"), facts, evidence, set())
    assert packed.labels == [(s, Literal("Name", lang="en"))]
    assert b"Name" not in packed.facts and "名前".encode() in packed.facts
    again = unpack(packed)
    assert set(again[0]) == set(facts) and set(again[1]) == set(evidence) and again[2] == set()


def test_ingest_writes_a_shipped_document_as_it_wrote_its_graphs(
    results, built_store: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A document written again into a copy of the published generation (its graph
    replaced, its entailments re-recorded), once with its rdflib layers and once as the
    N-Quads a worker ships (write_packed): the same store and index."""
    import shutil

    outcomes = []
    for name, shipped in (("layers", False), ("shipped", True)):
        folder = tmp_path / name
        shutil.copytree(built_store, folder, symlinks=True)
        copy = pickle.loads(pickle.dumps(results[1]))
        if shipped:
            copy.pack()
            copy = pickle.loads(pickle.dumps(copy))
        copy.facts if not shipped else None  # noqa: B018 - the layers, as ingest had them
        location = StoreLocation(folder)
        with location.next_generation() as generation:
            with DocumentWriter(generation) as writer:
                writer.write(copy)
            path = generation.path
        assert (copy.packed is not None) == shipped  # the shipped one was never unpacked
        outcomes.append((canonical(location.open()), index_rows(path)))
    assert outcomes[0] == outcomes[1]
    assert len(outcomes[0][0]) > 30_000
