"""Linked-data and UI pages through the Flask client: evidence, documents, search, timeline,
publishing URLs. The browser tests (test_browser.py) cover the same pages in Chromium."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace

from jtkg.graph.search import SearchIndex
from jtkg.graph.views import document_view, entity_view, timeline

VOID = Namespace("http://rdfs.org/ns/void#")
KOSHINO = "https://w3id.org/jtkg/id/person/yuka-koshino"
STIMSON = "https://w3id.org/jtkg/id/document/stimson-japan-taiwan-relations-webinar"


def test_entity_view_carries_evidence(oxstore) -> None:  # type: ignore[no-untyped-def]
    view = entity_view(oxstore, KOSHINO)
    assert view is not None and view.label == "Yuka Koshino"
    assert any(p["orgLabel"] == "International Institute of Strategy Studies" for p in view.positions)
    assert len(view.statements_by) >= 5
    text = document_view(oxstore, STIMSON)
    assert text is not None
    for statement in view.statements_by:
        start, end = int(statement["start"]), int(statement["end"])
        assert text.text[start:end] == statement["quote"]  # the passage is the exact words
    asserted = [f for f in view.facts if not f.inferred and f.is_iri]
    assert asserted and all(p.document == STIMSON for f in asserted for p in f.passages)
    assert any(f.passages for f in asserted)
    assert entity_view(oxstore, "https://w3id.org/jtkg/id/person/nobody") is None


def test_document_view_links_mentions_and_marks_the_passage(oxstore) -> None:  # type: ignore[no-untyped-def]
    view = document_view(oxstore, STIMSON, (100, 200))
    assert view is not None
    assert "".join(text for text, _, _ in view.segments) == view.text
    assert "".join(text for text, _, marked in view.segments if marked) == view.text[100:200]
    assert sum(1 for _, iri, _ in view.segments if iri == KOSHINO) >= 5


def test_timeline_is_ordered_and_names_parties(oxstore) -> None:  # type: ignore[no-untyped-def]
    items = timeline(oxstore)
    assert [i.date for i in items] == sorted(i.date for i in items)
    fisheries = next(i for i in items if "Fisheries" in i.label)
    assert fisheries.kind == "Agreement" and {label for _, label in fisheries.with_} == {"Japan", "Taiwan"}


def test_search_ranks_names_before_quotes(oxstore) -> None:  # type: ignore[no-untyped-def]
    index = SearchIndex(oxstore)
    hits = index.search("koshino")
    assert hits[0].iri == KOSHINO and hits[0].kind == "Person"
    assert any(h.kind in ("Statement", "Recommendation") and ("Koshino", True) in h.snippet for h in hits)
    assert index.search("fisheries agreement")[0].kind == "Agreement"
    assert index.search("\"); DROP TABLE entry; --") == [] and index.search("") == []


@pytest.mark.parametrize("path", ["/", "/query", "/query?class=Person", "/timeline",
                                  "/search?q=Tsai", "/id/person/yuka-koshino",
                                  "/id/document/stimson-japan-taiwan-relations-webinar?highlight=10-60",
                                  "/ontology", "/shapes"])
def test_pages_render_as_html(client, path: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "/static/app.css" in page
    assert not re.search(r"""(src|href)=["']https?://(?!w3id\.org)""", page.split("<main>")[0])


def test_entity_page_shows_quotes_and_links_to_the_passage(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/id/person/yuka-koshino", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "Statements by Yuka Koshino" in page and "Research Fellow" in page
    assert re.search(r'href="/id/document/stimson-japan-taiwan-relations-webinar\?highlight=\d+-\d+#passage"', page)
    assert 'id="neighbourhood-data"' in page


def test_ontology_and_shapes_dereference_by_content_negotiation(client) -> None:  # type: ignore[no-untyped-def]
    for path in ("/ontology", "/shapes"):
        turtle = client.get(path, headers={"Accept": "text/turtle"})
        assert turtle.mimetype == "text/turtle" and turtle.headers["Vary"] == "Accept"
        assert len(Graph().parse(data=turtle.get_data(as_text=True), format="turtle")) > 50
        assert client.get(path, headers={"Accept": "application/ld+json"}).mimetype == "application/ld+json"


def test_void_and_dumps(client) -> None:  # type: ignore[no-untyped-def]
    description = Graph().parse(data=client.get("/void", headers={"Accept": "text/turtle"})
                                .get_data(as_text=True), format="turtle")
    dataset = next(description.subjects(VOID.sparqlEndpoint, None))
    triples = int(description.value(dataset, VOID.triples))
    assert triples > 20_000 and int(description.value(dataset, VOID.entities)) > 100
    assert len(set(description.objects(dataset, VOID.exampleResource))) >= 3
    dumps = set(description.objects(dataset, VOID.dataDump))
    assert len(dumps) == 3
    nquads = client.get("/dumps/jtkg.nq")
    assert nquads.status_code == 200
    assert len(list(ox.parse(nquads.get_data(), format=ox.RdfFormat.N_QUADS))) == triples
    assert client.get("/dumps/other.nq").status_code == 404
    context = client.get("/context.jsonld")
    assert context.mimetype == "application/ld+json" and "@context" in context.get_json()


def test_a_dump_that_cannot_be_written_is_a_clean_503(client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("jtkg.server.publish.export", full_disk)
    response = client.get("/dumps/jtkg.trig")
    assert response.status_code == 503
    assert response.get_data(as_text=True) == \
        "the dump cannot be written in the store folder: No space left on device\n"
