"""A document is validated with its neighbourhood of the base, not the whole base: the
reports must be exactly those of validating with the whole base, for good documents and for
documents that break shapes in the base's nodes and through them."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Literal, URIRef

from jtkg.graph.pipeline import default_base
from jtkg.graph.validate import validate
from jtkg.loaders.extract import Extraction, Extractor
from jtkg.loaders.recipe import RULES_ONLY
from jtkg.ontology import JT

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
JAPAN = URIRef("https://w3id.org/jtkg/id/state/japan")
TAIWAN = URIRef("https://w3id.org/jtkg/id/state/taiwan")


def lines(extraction: Extraction, whole: bool) -> list[str]:
    from jtkg.graph.reason import materialize_increment

    base = default_base()
    inferred = materialize_increment(base.closed, extraction.facts)
    triples = {*extraction.facts, *extraction.evidence, *inferred}
    named = {n for t in triples for n in (t[0], t[2]) if not isinstance(n, Literal)}
    if whole:
        return [v.line() for v in validate(triples | base.closed).violations]
    return [v.line() for v in validate(triples | set(base.around(named)), reported=named).violations]


@pytest.fixture(scope="module")
def extraction() -> Extraction:
    return Extractor(recipe=RULES_ONLY).extract_file(sorted(CORPUS.glob("*.txt"))[0])


def test_a_good_document_conforms_either_way(extraction: Extraction) -> None:
    assert lines(extraction, whole=True) == lines(extraction, whole=False) == []


@pytest.mark.parametrize(
    "damage",
    [
        "second-english-label-on-a-registry-state",
        "affiliation-with-a-document",
        "position-in-a-person",
        "state-based-in-an-issue",
    ],
)
def test_a_broken_document_gets_the_same_report_either_way(extraction: Extraction, damage: str) -> None:
    facts = extraction.facts
    person = next(iter(facts.subjects(RDF.type, JT.Person)))
    issue = next(iter(default_base().registry.subjects(RDF.type, JT.Issue)))
    if damage == "second-english-label-on-a-registry-state":
        facts.add((JAPAN, RDFS.label, Literal("Nippon", lang="en")))
    elif damage == "affiliation-with-a-document":
        facts.add((person, JT.affiliatedWith, extraction.doc_iri))
    elif damage == "position-in-a-person":
        position = next(iter(facts.subjects(RDF.type, JT.Position)))
        facts.add((position, JT.positionIn, person))
    else:  # a registry state (the document names it) based in a registry issue it never names
        facts.add((TAIWAN, JT.basedIn, issue))
    whole = lines(extraction, whole=True)
    assert whole, "the damage must break a shape, or this test proves nothing"
    assert lines(extraction, whole=False) == whole
