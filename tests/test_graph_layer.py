"""The graph layer: entailments, incremental ingest and remove, exports that round-trip."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import OWL, RDF, URIRef

from jtkg.graph.build import build, bundled_corpus
from jtkg.graph.export import export
from jtkg.graph.formats import TRIPLES, find
from jtkg.graph.ingest import ingest, remove
from jtkg.graph.pipeline import default_base
from jtkg.graph.reason import _is_external_identifier, _worth_keeping, materialize, owlrl_closure
from jtkg.graph.store import StoreLocation
from jtkg.loaders.extract import Extractor
from jtkg.ontology import ID, INFERRED_GRAPH, JT, OA, load_ontology, load_registry
from tests.test_build import INVALID_DOC

PROV = "http://www.w3.org/ns/prov#"


def quads(store_path: Path) -> set[ox.Quad]:
    return set(StoreLocation(store_path).open())


# ------------------------------------------------------------------ reasoning


@pytest.fixture(scope="module")
def bundled_facts() -> set:
    facts = set(load_ontology()) | set(load_registry())
    extractor = Extractor()
    for path in bundled_corpus():
        facts |= set(extractor.extract_file(path).facts)
    return facts


def test_compiled_rules_give_exactly_owlrls_entailments(bundled_facts: set) -> None:
    source = {t for t in bundled_facts if not _is_external_identifier(t)}
    reference = {t for t in set(owlrl_closure(source)) - source if _worth_keeping(t)}
    assert set(materialize(bundled_facts)) == reference


@pytest.mark.parametrize(
    ("triples", "expected"),
    [
        ([(ID["person/a"], RDF.type, JT.Person)], (ID["person/a"], RDF.type, JT.Actor)),
        (
            [(ID["s/1"], JT.statedBy, ID["person/a"])],
            (ID["s/1"], URIRef(PROV + "wasAttributedTo"), ID["person/a"]),
        ),
        ([(ID["e/1"], JT.participant, ID["person/a"])], (ID["person/a"], JT.participatedIn, ID["e/1"])),
        ([(ID["person/a"], JT.affiliatedWith, ID["state/x"])], (ID["person/a"], RDF.type, JT.Person)),
        ([(ID["institution/i"], JT.basedIn, ID["state/x"])], (ID["state/x"], RDF.type, JT.State)),
        (
            [(ID["person/a"], JT.holds, ID["p/1"]), (ID["p/1"], JT.positionIn, ID["institution/i"])],
            (ID["person/a"], JT.affiliatedWith, ID["institution/i"]),
        ),
        (
            [(ID["person/a"], OWL.sameAs, ID["person/b"]), (ID["person/a"], JT.holds, ID["p/1"])],
            (ID["person/b"], JT.holds, ID["p/1"]),
        ),
    ],
    ids=["subclass", "subproperty", "inverse", "domain", "range", "chain", "sameAs"],
)
def test_each_kind_of_entailment_arrives(triples: list, expected: tuple) -> None:
    inferred = materialize(set(load_ontology()) | set(triples))
    assert expected in inferred
    assert len(materialize(set(load_ontology()) | set(triples) | set(inferred))) == 0


def test_per_document_entailments_add_up_to_the_whole(bundled_facts: set) -> None:
    base = default_base()
    extractor = Extractor()
    union = set(base.inferred)
    from jtkg.graph.reason import materialize_increment

    for path in bundled_corpus():
        union |= materialize_increment(base.closed, extractor.extract_file(path).facts)
    assert union == set(materialize(bundled_facts))


def test_the_evidence_layer_is_not_reasoned_over(built_store: Path) -> None:
    store = StoreLocation(built_store).open()
    annotated = store.query(
        f"ASK {{ GRAPH <{INFERRED_GRAPH}> {{ ?a ?p ?o }} ?a a <{OA.Annotation}> }}",
        use_default_graph_as_union=True,
    )
    assert not bool(annotated)


# ------------------------------------------------------------------ ingest and remove


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in bundled_corpus():
        shutil.copy(path, folder)
    return folder


def test_ingest_equals_a_build_with_the_document(corpus: Path, tmp_path: Path) -> None:
    newest = corpus / "taiwan-brain-trust-security-between-japan-and-taiwan.txt"
    others = [p for p in sorted(corpus.iterdir()) if p != newest]
    assert build(others, StoreLocation(tmp_path / "incremental")).published
    result = ingest([newest], StoreLocation(tmp_path / "incremental"))
    assert result.added == [newest.stem] and result.generation
    assert build(sorted(corpus.iterdir()), StoreLocation(tmp_path / "full")).published
    assert quads(tmp_path / "incremental") == quads(tmp_path / "full")
    # The manifest's per-graph counts, kept incrementally, agree with a full count.
    assert (
        StoreLocation(tmp_path / "incremental").manifest().graphs
        == StoreLocation(tmp_path / "full").manifest().graphs
    )


def test_remove_equals_a_build_without_the_document(corpus: Path, tmp_path: Path) -> None:
    assert build(sorted(corpus.iterdir()), StoreLocation(tmp_path / "all")).published
    slugs, _ = remove(["stimson-japan-taiwan-relations-webinar"], StoreLocation(tmp_path / "all"))
    assert slugs == ["stimson-japan-taiwan-relations-webinar"]
    others = [p for p in sorted(corpus.iterdir()) if not p.name.startswith("stimson")]
    assert build(others, StoreLocation(tmp_path / "fewer")).published
    assert quads(tmp_path / "all") == quads(tmp_path / "fewer")
    manifest = StoreLocation(tmp_path / "all").manifest()
    assert "stimson-japan-taiwan-relations-webinar" not in manifest.documents
    assert manifest.graphs == StoreLocation(tmp_path / "fewer").manifest().graphs


def test_ingesting_the_same_file_twice_changes_nothing(store: Path) -> None:
    location = StoreLocation(store)
    before = location.current_generation()
    result = ingest(bundled_corpus()[:2], location)
    assert len(result.unchanged) == 2 and result.generation is None
    assert location.current_generation() == before


def test_a_changed_document_replaces_its_graph(store: Path, tmp_path: Path) -> None:
    changed = tmp_path / "newsweek-taiwan-japan-stand-together.txt"
    changed.write_text(
        "Taiwan and Japan Talk\n\nDPP legislator Jane Roe said Japan matters.\n", encoding="utf-8"
    )
    result = ingest([changed], StoreLocation(store))
    assert result.replaced == ["newsweek-taiwan-japan-stand-together"]
    store_ = StoreLocation(store).open()
    graph = "https://w3id.org/jtkg/graph/doc/newsweek-taiwan-japan-stand-together"
    assert bool(store_.query(f"ASK {{ GRAPH <{graph}> {{ <{ID['person/jane-roe']}> ?p ?o }} }}"))
    assert not bool(store_.query(f"ASK {{ GRAPH <{graph}> {{ <{ID['person/lo-chih-cheng']}> ?p ?o }} }}"))
    # Lo's affiliation was inferred only from that document: it is gone from the inferred graph.
    assert not bool(
        store_.query(f"ASK {{ GRAPH <{INFERRED_GRAPH}> {{ <{ID['person/lo-chih-cheng']}> ?p ?o }} }}")
    )


def test_the_gate_refuses_an_invalid_ingest_and_keeps_the_old_graph(store: Path, tmp_path: Path) -> None:
    location = StoreLocation(store)
    before, old = location.current_generation(), quads(store)
    bad = tmp_path / "bad-date.md"
    bad.write_text(INVALID_DOC, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = ingest([bad, empty], location)
    assert len(result.rejected) == 2 and result.generation is None
    assert "violate the shapes" in result.rejected[0] or "violate the shapes" in result.rejected[1]
    assert any("dcterms:issued" in v.line() for r in result.rejected_results for v in r.violations)
    assert location.current_generation() == before and quads(store) == old


# ------------------------------------------------------------------ exports


@pytest.mark.parametrize("fmt", ["trig", "nquads", "jsonld"])
def test_quad_exports_reimport_to_the_same_dataset(built_store: Path, fmt: str) -> None:
    store = StoreLocation(built_store).open()
    buffer = io.BytesIO()
    export(store, fmt, buffer)
    again = ox.Dataset(ox.parse(buffer.getvalue(), find(fmt, TRIPLES).rdf))
    original = ox.Dataset(store)
    assert _named(again) == _named(original)
    assert len(again) == len(original)


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "rdfxml"])
def test_triple_exports_hold_the_union(built_store: Path, fmt: str) -> None:
    store = StoreLocation(built_store).open()
    buffer = io.BytesIO()
    export(store, fmt, buffer)
    triples = {q.triple for q in ox.parse(buffer.getvalue(), find(fmt, TRIPLES).rdf)}
    union = {q.triple for q in store}
    assert {t for t in triples if _ground(t)} == {t for t in union if _ground(t)}


def test_asserted_scope_leaves_out_inferences(built_store: Path) -> None:
    store = StoreLocation(built_store).open()
    buffer = io.BytesIO()
    export(store, "nquads", buffer, scope="asserted")
    assert str(INFERRED_GRAPH).encode() not in buffer.getvalue()
    assert b"/graph/doc/stimson" in buffer.getvalue()


def _ground(term_holder) -> bool:  # type: ignore[no-untyped-def]
    return not any(isinstance(t, ox.BlankNode) for t in (term_holder.subject, term_holder.object))


def _named(dataset: ox.Dataset) -> set[ox.Quad]:
    return {q for q in dataset if _ground(q)}
