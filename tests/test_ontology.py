"""The ontology, shapes, JSON-LD context and registry load and say what ONTOLOGY.md fixes."""

from __future__ import annotations

import json
import re

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, SKOS

from jtkg.ontology import (
    JT,
    context_path,
    load_ontology,
    load_registry,
    load_shapes,
    slugify,
)

from .conftest import SHARED

CORE_CLASSES = [
    "Actor",
    "Person",
    "Institution",
    "State",
    "Agreement",
    "Policy",
    "Issue",
    "Event",
    "Document",
    "Statement",
    "Recommendation",
    "Position",
]
CORE_PROPERTIES = [
    "affiliatedWith",
    "holds",
    "roleTitle",
    "positionIn",
    "startDate",
    "endDate",
    "basedIn",
    "party",
    "partyTo",
    "participant",
    "participatedIn",
    "involves",
    "date",
    "concerns",
    "statedBy",
    "addressedTo",
    "quote",
    "mentions",
    "confidence",
]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


@pytest.mark.parametrize("name", CORE_CLASSES)
def test_every_core_class_is_declared_labelled_and_commented(ontology: Graph, name: str) -> None:
    term = JT[name]
    assert (term, RDF.type, OWL.Class) in ontology
    assert ontology.value(term, RDFS.label) is not None
    assert ontology.value(term, RDFS.comment) is not None


@pytest.mark.parametrize("name", CORE_PROPERTIES)
def test_every_core_property_is_declared_labelled_and_commented(ontology: Graph, name: str) -> None:
    term = JT[name]
    kinds = set(ontology.objects(term, RDF.type))
    assert kinds & {OWL.ObjectProperty, OWL.DatatypeProperty}
    assert ontology.value(term, RDFS.label) is not None
    assert ontology.value(term, RDFS.comment) is not None


def test_person_institution_state_are_pairwise_disjoint(ontology: Graph) -> None:
    axiom = next(ontology.subjects(RDF.type, OWL.AllDisjointClasses))
    members = set(Collection(ontology, ontology.value(axiom, OWL.members)))
    assert members == {JT.Person, JT.Institution, JT.State}


def test_affiliation_is_the_chain_holds_then_position_in(ontology: Graph) -> None:
    chain = ontology.value(JT.affiliatedWith, OWL.propertyChainAxiom)
    assert list(Collection(ontology, chain)) == [JT.holds, JT.positionIn]


def test_inverses_are_declared(ontology: Graph) -> None:
    assert (JT.party, OWL.inverseOf, JT.partyTo) in ontology
    assert (JT.participant, OWL.inverseOf, JT.participatedIn) in ontology


@pytest.mark.parametrize(
    "namespace",
    [
        "http://xmlns.com/foaf/0.1/",
        "http://www.w3.org/ns/org#",
        "http://schema.org/",
        "http://www.w3.org/ns/prov#",
        "http://www.w3.org/2004/02/skos/core#",
        "http://purl.org/dc/terms/",
    ],
)
def test_alignments_reach_each_standard_vocabulary(ontology: Graph, namespace: str) -> None:
    aligned = [
        o
        for p in (RDFS.subClassOf, RDFS.subPropertyOf)
        for o in ontology.objects(None, p)
        if str(o).startswith(namespace)
    ]
    assert aligned, f"no alignment to {namespace}"


def test_shapes_cover_every_core_class() -> None:
    shapes = load_shapes()
    targets = set(shapes.objects(None, SH.targetClass))
    for name in [
        "Person",
        "Institution",
        "State",
        "Agreement",
        "Policy",
        "Issue",
        "Event",
        "Document",
        "Statement",
        "Position",
    ]:
        assert JT[name] in targets, name


def test_json_ld_context_maps_the_core_terms() -> None:
    context = json.loads(context_path().read_text(encoding="utf-8"))["@context"]
    assert context["jt"] == str(JT)
    for name in ["affiliatedWith", "statedBy", "quote", "party", "participant"]:
        assert context[name]["@id"] if isinstance(context[name], dict) else context[name]


def test_registry_entities_have_one_english_label() -> None:
    registry = load_registry()
    for entity in set(registry.subjects(RDF.type, None)):
        if (entity, RDF.type, JT.Position) in registry or "agent/" in str(entity):
            continue
        labels = [
            lbl
            for lbl in registry.objects(entity, RDFS.label)
            if isinstance(lbl, Literal) and lbl.language == "en"
        ]
        assert len(labels) == 1, entity


def test_registry_iris_are_slugs_of_their_labels() -> None:
    registry = load_registry()
    for entity, label in registry.subject_objects(RDFS.label):
        if "/agent/" in str(entity):
            continue
        assert str(entity).endswith("/" + slugify(str(label))), entity


def test_registry_issues_are_in_the_issue_scheme() -> None:
    registry = load_registry()
    for issue in registry.subjects(RDF.type, JT.Issue):
        assert (issue, SKOS.inScheme, JT.Issues) in registry


def test_registry_writes_only_verified_wikidata_identifiers() -> None:
    registry = load_registry()
    used = {
        (str(registry.value(s, RDFS.label)), str(o).rsplit("/", 1)[1])
        for s, o in registry.subject_objects(OWL.sameAs)
    }
    assert used, "the registry links no Wikidata identifier"
    verified_file = SHARED / "wikidata.tsv"
    if not verified_file.exists():
        pytest.skip(f"{verified_file} is not here to check against")
    verified = {
        tuple(line.split("\t")[:2])
        for line in verified_file.read_text(encoding="utf-8").splitlines()[1:]
        if line
    }
    assert used <= verified


def test_labels_in_other_languages_are_tagged() -> None:
    registry = load_registry()
    for label in registry.objects(None, SKOS.altLabel):
        if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", str(label)):
            assert label.language in ("ja", "zh-Hant"), label


def test_entity_slugs_are_stable_ascii() -> None:
    assert slugify("Japan-China Joint Communiqué") == "japan-china-joint-communique"
    assert slugify("King’s College London") == "kings-college-london"
    assert slugify("Tokio Marine & Nichido") == "tokio-marine-and-nichido"
    # A name with no Latin letters gets a slug of its code points: stable, ASCII, distinct.
    slug = slugify("蔡英文")
    assert slug == "u8521-82f1-6587"
    assert slug.isascii() and slug != slugify("賴清德")
    assert URIRef("https://w3id.org/jtkg/id/x/" + slug).n3().isascii()
