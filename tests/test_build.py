"""Building: reasoning, the SHACL gate, atomic publishing, and bad documents."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import RDF, URIRef

from jtkg.graph.build import build, bundled_corpus
from jtkg.graph.reason import materialize
from jtkg.graph.store import StoreLocation
from jtkg.ontology import ID, INFERRED_GRAPH, JT, load_ontology

INVALID_DOC = """---
title: A brief with a bad date
date: 2021-13-45
---
Prime Minister Jane Roe said Japan and Taiwan should talk.
"""


def ask(store_path: Path, query: str) -> bool:
    return bool(StoreLocation(store_path).open().query(query, use_default_graph_as_union=True))


def test_build_publishes_every_graph(store: Path) -> None:
    location = StoreLocation(store)
    manifest = location.manifest()
    assert manifest is not None and len(manifest.documents) == 5
    graphs = set(manifest.graphs)
    assert {
        "https://w3id.org/jtkg/graph/ontology",
        "https://w3id.org/jtkg/graph/registry",
        "https://w3id.org/jtkg/graph/inferred",
    } <= graphs
    assert sum(1 for g in graphs if "/graph/doc/" in g) == 5
    assert all(len(doc["sha256"]) == 64 for doc in manifest.documents.values())


def test_reasoning_materializes_affiliation_from_the_property_chain(store: Path) -> None:
    assert ask(
        store,
        f"""ASK {{ GRAPH <{INFERRED_GRAPH}> {{
        <{ID["person/madoka-fukuda"]}> <{JT.affiliatedWith}> <{ID["institution/hosei-university"]}> }} }}""",
    )


def test_reasoning_adds_inverses_and_superclasses() -> None:
    facts = load_ontology()
    event, person = ID["event/x"], ID["person/y"]
    facts.add((event, RDF.type, JT.Event))
    facts.add((event, JT.participant, person))
    facts.add((person, RDF.type, JT.Person))
    inferred = materialize(facts)
    assert (person, JT.participatedIn, event) in inferred
    assert (person, RDF.type, JT.Actor) in inferred
    assert (person, RDF.type, URIRef("http://xmlns.com/foaf/0.1/Person")) in inferred
    assert len(materialize(facts + inferred)) == 0  # idempotent: a second run adds nothing


def test_reasoning_never_copies_facts_onto_wikidata() -> None:
    facts = load_ontology()
    japan = ID["state/japan"]
    facts.add((japan, RDF.type, JT.State))
    facts.add(
        (japan, URIRef("http://www.w3.org/2002/07/owl#sameAs"), URIRef("http://www.wikidata.org/entity/Q17"))
    )
    inferred = materialize(facts)
    assert not any(str(s).startswith("http://www.wikidata.org/") for s in inferred.subjects())


def test_a_violation_refuses_to_publish_and_leaves_the_old_graph(store: Path, tmp_path: Path) -> None:
    location = StoreLocation(store)
    before = location.current_generation()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bad-date.md").write_text(INVALID_DOC, encoding="utf-8")
    result = build([corpus], location)
    assert not result.published
    text = result.report()
    assert "dcterms:issued" in text and "bad-date" in text
    assert location.current_generation() == before
    assert ask(store, f"ASK {{ <{ID['person/madoka-fukuda']}> ?p ?o }}")


def test_unreadable_documents_are_skipped_and_the_rest_build(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(bundled_corpus()[0], corpus)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x00\xff\x00")
    # Latin-1 is decoded now (tests/test_encoding.py); bytes no encoding reads as text are not.
    (corpus / "undetectable.txt").write_bytes(bytes(range(0x80, 0x100)) * 4)
    result = build([corpus], StoreLocation(tmp_path / "store"))
    assert result.published
    assert len(result.failures) == 3
    assert all(len(f.splitlines()) == 1 for f in result.failures)


def test_the_published_dataset_holds_document_text_for_every_annotation(store: Path) -> None:
    rows = (
        StoreLocation(store)
        .open()
        .query(
            "SELECT (COUNT(?d) AS ?n) WHERE { ?d a <https://w3id.org/jtkg/ontology#Document> ; "
            "<https://w3id.org/jtkg/ontology#text> ?t }",
            use_default_graph_as_union=True,
        )
    )
    assert int(next(iter(rows))["n"].value) == 5


def test_rebuilding_replaces_the_generation_atomically(store: Path) -> None:
    location = StoreLocation(store)
    first = location.current_generation()
    result = build(bundled_corpus(), location)
    assert result.published and location.current_generation() != first
    assert (store / first).exists()  # kept one generation for readers still on it
    assert len(list(store.glob("gen-*"))) <= 2


def test_unwritable_store_is_refused_with_its_path(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    from jtkg.graph.store import StoreError

    with pytest.raises(StoreError, match="not writable"):
        build(bundled_corpus(), StoreLocation(blocker / "store"))


def test_labels_conflicting_across_documents_keep_one(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Dr. Jane Roe (Professor, Okinawa University) said Japan matters.\n", encoding="utf-8"
    )
    (corpus / "b.txt").write_text(
        "Dr. Jane Roe (Professor, Okinawa University) said Taiwan matters.\n", encoding="utf-8"
    )
    result = build([corpus], StoreLocation(tmp_path / "s"))
    assert result.published
    rows = (
        StoreLocation(tmp_path / "s")
        .open()
        .query(
            f"SELECT DISTINCT ?l WHERE {{ <{ID['person/jane-roe']}> "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?l }",
            use_default_graph_as_union=True,
        )
    )
    assert [r["l"].value for r in rows] == ["Jane Roe"]
