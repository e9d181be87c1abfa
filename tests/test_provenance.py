"""Provenance of extraction: which source found each mention (one literal on its annotation)
and, per document graph, the extraction run (a prov:Activity) with its versions, registry
hash and recipe. Texts are short ones of our own, with invented names."""

from __future__ import annotations

import types
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Literal
from rdflib.namespace import PROV

from jtkg.graph.pipeline import process
from jtkg.loaders import provenance
from jtkg.loaders.emit import EXTRACTOR, Emitter, recorded_stamp
from jtkg.loaders.extract import Extraction, Extractor, document_graph, document_iri
from jtkg.loaders.reader import read_document
from jtkg.loaders.recipe import FULL, RULES_ONLY, Recipe
from jtkg.loaders.text import Span
from jtkg.ontology import ID, JT, OA

TEXT = """Japan and Taiwan Talk Fisheries

By: Jane Roe

Example Policy Institute

March 3, 2025

Taiwan and Japan held fisheries talks in Taipei on March 2, 2025.

Jane Roe, a researcher at the Example Policy Institute, said the talks mattered. "Both sides gain from rules at sea," Roe said.
"""


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "fisheries-talks.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def extraction(tmp_path_factory: pytest.TempPathFactory) -> Extraction:
    path = tmp_path_factory.mktemp("prov") / "fisheries-talks.txt"
    path.write_text(TEXT, encoding="utf-8")
    return Extractor(recipe=RULES_ONLY).extract_file(path)


@pytest.fixture
def fresh_model_info() -> Iterator[None]:
    """model_info is asked once per process: forget it around a test that fakes the model."""
    provenance.model_info.cache_clear()
    yield
    provenance.model_info.cache_clear()


def _run(extraction: Extraction):  # type: ignore[no-untyped-def]
    return extraction.evidence.value(extraction.graph_iri, PROV.wasGeneratedBy)


# ------------------------------------------------------------------ the annotation's source


def test_every_annotation_names_one_source(extraction: Extraction) -> None:
    evidence = extraction.evidence
    annotations = set(evidence.subjects(RDF.type, OA.Annotation))
    assert annotations
    for ann in annotations:
        sources = list(evidence.objects(ann, JT.extractedBy))
        assert len(sources) == 1 and str(sources[0]), ann


def test_a_registry_mention_says_registry(extraction: Extraction) -> None:
    evidence = extraction.evidence
    japan = ID["state/japan"]
    found = {
        str(evidence.value(ann, JT.extractedBy))
        for ann in evidence.subjects(OA.hasBody, japan)
        if evidence.value(ann, OA.motivatedBy) == OA.identifying
    }
    assert found == {"registry"}


def test_a_fact_without_a_named_rule_says_its_kind(extraction: Extraction) -> None:
    evidence, facts = extraction.evidence, extraction.facts
    for statement in facts.subjects(JT.statedBy, None):
        sources = {str(evidence.value(a, JT.extractedBy)) for a in evidence.subjects(OA.hasBody, statement)}
        assert all(s.startswith("rule:") for s in sources), sources


def test_the_emitter_writes_the_source_it_is_given(article: Path) -> None:
    doc = read_document(article)
    out = Emitter(doc, document_iri(doc.slug), RULES_ONLY)
    out.annotate(ID["person/jane-roe"], Span(0, 5), 0.8, OA.identifying, "model:PERSON")
    out.annotate(ID["state/japan"], Span(6, 9), 0.9, OA.identifying)
    by_body = {
        out.evidence.value(a, OA.hasBody): out.evidence.value(a, JT.extractedBy)
        for a in out.evidence.subjects(RDF.type, OA.Annotation)
    }
    assert by_body == {ID["person/jane-roe"]: Literal("model:PERSON"), ID["state/japan"]: None}


def test_the_same_words_for_the_same_thing_found_twice_are_one_annotation(article: Path) -> None:
    # Two rules finding one position in one sentence gave one annotation node two
    # confidences (and two sources): a jts:confidence violation that rejected the document.
    doc = read_document(article)
    out = Emitter(doc, document_iri(doc.slug), RULES_ONLY)
    body = ID["position/x/jane-roe--researcher--unspecified"]
    out.annotate(body, Span(10, 40), 0.6, OA.describing, "rule:apposition")
    out.annotate(body, Span(10, 40), 0.8, OA.describing, "rule:role-of-org")
    out.annotate(body, Span(10, 40), 0.7, OA.describing, "rule:possessive")
    (ann,) = set(out.evidence.subjects(RDF.type, OA.Annotation))
    assert [str(c) for c in out.evidence.objects(ann, JT.confidence)] == ["0.80"]
    assert [str(h) for h in out.evidence.objects(ann, JT.extractedBy)] == ["rule:role-of-org"]


def test_an_annotation_with_two_sources_or_an_empty_one_violates(extraction: Extraction) -> None:
    ann = next(iter(extraction.evidence.subjects(RDF.type, OA.Annotation)))
    for bad in ([Literal("registry"), Literal("surname")], [Literal("")]):
        broken = _copy(extraction)
        broken.evidence.remove((ann, JT.extractedBy, None))
        for value in bad:
            broken.evidence.add((ann, JT.extractedBy, value))
        messages = {v.message for v in process(broken).violations}
        assert "jt:extractedBy (which source found it) must be one non-empty string" in messages


# ------------------------------------------------------------------ the extraction run


def test_the_graph_was_generated_by_one_extraction_run(extraction: Extraction) -> None:
    evidence = extraction.evidence
    runs = list(evidence.objects(extraction.graph_iri, PROV.wasGeneratedBy))
    assert len(runs) == 1
    run = runs[0]
    assert (run, RDF.type, PROV.Activity) in evidence
    assert evidence.value(run, PROV.wasAssociatedWith) == EXTRACTOR
    assert evidence.value(run, PROV.used) == extraction.doc_iri
    assert str(evidence.value(run, JT.extractorVersion)) == provenance.EXTRACTOR_VERSION
    assert str(evidence.value(run, JT.registryHash)) == provenance.registry_hash()
    assert str(evidence.value(run, JT.recipe)) == "rules"
    assert str(evidence.value(run, JT.jtkgVersion)) == provenance.jtkg_version()
    assert evidence.value(run, JT.modelName) is None  # the model is off in this recipe


def test_the_run_is_a_handful_of_triples(extraction: Extraction) -> None:
    run = _run(extraction)
    own = list(extraction.evidence.triples((run, None, None)))
    assert len(own) + 1 <= 10  # and the graph's prov:wasGeneratedBy


def test_the_recipe_names_the_parts_that_were_on() -> None:
    assert provenance.recipe_label(FULL) == "rules+all_states+model+parse+issue_scheme"
    assert provenance.recipe_label(RULES_ONLY) == "rules"
    assert provenance.recipe_label(FULL.without("model")) == "rules+all_states+parse+issue_scheme"


def test_the_model_and_its_version_are_named_where_the_model_is_on(
    article: Path, monkeypatch: pytest.MonkeyPatch, fresh_model_info: None
) -> None:
    fake = types.SimpleNamespace(model_info=lambda: ("core_web_test", "9.9.1"), check_model=lambda: None)
    monkeypatch.setattr(provenance, "model_module", lambda: fake)
    doc = read_document(article)
    for recipe, expected in ((Recipe(), ("core_web_test", "9.9.1")), (Recipe(model=False), (None, None))):
        out = Emitter(doc, document_iri(doc.slug), recipe)
        out.activity(document_graph(doc.slug))
        run = out.evidence.value(document_graph(doc.slug), PROV.wasGeneratedBy)
        got = (out.evidence.value(run, JT.modelName), out.evidence.value(run, JT.modelVersion))
        assert tuple(None if g is None else str(g) for g in got) == expected
    assert recorded_stamp(out.evidence, document_graph(doc.slug))["model"] == ""


def test_a_model_that_is_not_installed_is_not_named(
    monkeypatch: pytest.MonkeyPatch, fresh_model_info: None
) -> None:
    fake = types.SimpleNamespace(
        model_info=lambda: ("core_web_test", "9.9.1"), check_model=lambda: "the spaCy model is not installed"
    )
    monkeypatch.setattr(provenance, "model_module", lambda: fake)
    assert provenance.stamp(FULL).model == ""


def test_the_stamp_read_back_from_the_graph_is_the_stamp(extraction: Extraction) -> None:
    assert recorded_stamp(extraction.evidence, extraction.graph_iri) == provenance.stamp(RULES_ONLY).record()


def test_a_broken_run_violates_its_shape(extraction: Extraction) -> None:
    run = _run(extraction)
    broken = _copy(extraction)
    broken.evidence.set((run, JT.registryHash, Literal("md5:0123")))
    broken.evidence.add((run, JT.recipe, Literal("rules+model")))
    messages = {v.message for v in process(broken).violations}
    assert 'an extraction run needs one jt:registryHash "sha256:<64 hex digits>"' in messages
    assert 'an extraction run needs one jt:recipe: "rules" and the parts on, joined by +' in messages
    assert process(extraction).conforms


# ------------------------------------------------------------------ the registry's hash


def test_the_registry_hash_is_of_the_triples_not_the_file(tmp_path: Path) -> None:
    one, two, three = tmp_path / "a.ttl", tmp_path / "b.ttl", tmp_path / "c.ttl"
    one.write_text(
        '@prefix ex: <http://example.org/> .\nex:a ex:label "Alpha" ; ex:near [ ex:label "B" ] .\n',
        encoding="utf-8",
    )
    two.write_text(
        "<http://example.org/a> <http://example.org/near> _:x .\n"
        '_:x <http://example.org/label> "B" .\n'
        '<http://example.org/a> <http://example.org/label> "Alpha" .\n',
        encoding="utf-8",
    )
    three.write_text(
        '@prefix ex: <http://example.org/> .\nex:a ex:label "Alfa" ; ex:near [ ex:label "B" ] .\n',
        encoding="utf-8",
    )
    assert provenance.content_hash([one]) == provenance.content_hash([two])
    assert provenance.content_hash([one]) != provenance.content_hash([three])
    assert provenance.content_hash([one]).startswith("sha256:")


def test_the_registry_files_are_the_data_not_the_vocabulary() -> None:
    names = {p.name for p in provenance.registry_files()}
    assert "registry.ttl" in names and not names & {"jtkg.ttl", "shapes.ttl"}


# ------------------------------------------------------------------ filtering by confidence


def test_facts_can_be_filtered_by_source_and_confidence(extraction: Extraction) -> None:
    """The README's query: mentions found by the registry, at 0.9 or more."""
    store = ox.Store()
    store.extend([ox.Quad(*(_ox(t) for t in quad)) for quad in extraction.quads()])
    query = """
        PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX jt: <https://w3id.org/jtkg/ontology#>
        SELECT ?entity ?source ?confidence WHERE {
          ?annotation a oa:Annotation ; oa:hasBody ?entity ;
                      jt:extractedBy ?source ; jt:confidence ?confidence .
          FILTER (?confidence >= 0.9 && ?source = "registry")
        }"""
    rows = list(store.query(query, use_default_graph_as_union=True))
    assert rows and all(float(r["confidence"].value) >= 0.9 for r in rows)
    assert ox.NamedNode(str(ID["state/japan"])) in {r["entity"] for r in rows}


def _ox(term):  # type: ignore[no-untyped-def]
    from jtkg.graph.store import to_ox

    return to_ox(term)


def _copy(extraction: Extraction) -> Extraction:
    from rdflib import Graph

    facts, evidence = Graph(), Graph()
    for s in extraction.facts:
        facts.add(s)
    for s in extraction.evidence:
        evidence.add(s)
    return Extraction(
        extraction.document,
        extraction.doc_iri,
        extraction.graph_iri,
        facts,
        evidence,
        list(extraction.warnings),
    )
