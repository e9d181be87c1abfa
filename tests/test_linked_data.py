"""Linked data as its clients take it: N3 and JSON-LD from SPARQLWrapper over a real socket,
entity descriptions in TriG with their graphs, Turtle with prefixes, the union at
/rdf-graphs?default, CORS for reads only, and an honest service description."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from SPARQLWrapper import JSONLD, N3, SPARQLWrapper

from jtkg.server.app import create_app
from tests.conftest import WRITE_TOKEN

STATES = "CONSTRUCT WHERE { ?s a <https://w3id.org/jtkg/ontology#State> }"
FUKUDA = "/id/person/madoka-fukuda"
CONTEXT = json.loads((Path(__file__).parents[1] / "ontology" / "context.jsonld").read_text())["@context"]


# ------------------------------------------------------------------ real clients, real socket


def test_sparqlwrapper_n3_construct(live_server: str) -> None:
    client = SPARQLWrapper(f"{live_server}/sparql")
    client.setQuery(STATES)
    client.setReturnFormat(N3)  # sends format=n3 and an N3/Turtle Accept list
    result = client.query()
    body = result.convert()
    assert result.info()["content-type"].startswith("text/n3")
    triples = list(ox.parse(body, format=ox.RdfFormat.N3))
    assert ox.NamedNode("https://w3id.org/jtkg/id/state/japan") in {t.subject for t in triples}
    assert b"@prefix jt: <https://w3id.org/jtkg/ontology#>" in body


def test_sparqlwrapper_jsonld_is_compacted_with_the_published_context(live_server: str) -> None:
    client = SPARQLWrapper(f"{live_server}/sparql")
    client.setQuery(STATES)
    client.setReturnFormat(JSONLD)
    raw = client.query().response.read()
    document = json.loads(raw)
    assert document["@context"] == CONTEXT
    assert "State" in raw.decode()  # a term of the context, not the full IRI
    graph = client.query().convert()  # and SPARQLWrapper (rdflib) still reads it
    assert len(graph) > 5


def test_cross_origin_page_can_query_over_a_real_socket(live_server: str) -> None:
    """What a browser does for YASGUI on another origin: a preflight, then the POST."""
    preflight = urllib.request.Request(
        f"{live_server}/sparql",
        method="OPTIONS",
        headers={
            "Origin": "https://yasgui.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    with urllib.request.urlopen(preflight, timeout=30) as answer:
        assert answer.status == 204
        assert answer.headers["Access-Control-Allow-Origin"] == "*"
        assert "POST" in answer.headers["Access-Control-Allow-Methods"]
        assert "Content-Type" in answer.headers["Access-Control-Allow-Headers"]
    post = urllib.request.Request(
        f"{live_server}/sparql",
        data=b"ASK { ?s ?p ?o }",
        headers={"Origin": "https://yasgui.example", "Content-Type": "application/sparql-query"},
    )
    with urllib.request.urlopen(post, timeout=30) as answer:
        assert answer.headers["Access-Control-Allow-Origin"] == "*"
        assert json.loads(answer.read())["boolean"] is True


# ------------------------------------------------------------------ entity descriptions


def test_entity_description_in_trig_names_the_graphs(client, oxstore) -> None:  # type: ignore[no-untyped-def]
    response = client.get(FUKUDA, headers={"Accept": "application/trig"})
    assert response.status_code == 200 and response.mimetype == "application/trig"
    quads = list(ox.parse(response.data, format=ox.RdfFormat.TRIG))
    graphs = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    assert any(g.startswith("https://w3id.org/jtkg/graph/doc/") for g in graphs)
    assert "https://w3id.org/jtkg/graph/inferred" in graphs
    # Only what the description adds (links it computes, stored in no graph) is left unnamed.
    unnamed = [q for q in quads if isinstance(q.graph_name, ox.DefaultGraph)]
    assert len(unnamed) < len(quads) / 4
    assert not any(list(oxstore.quads_for_pattern(q.subject, q.predicate, q.object, None)) for q in unnamed)


def test_entity_description_in_turtle_has_prefixes_and_a_stable_order(client) -> None:  # type: ignore[no-untyped-def]
    first = client.get(FUKUDA, headers={"Accept": "text/turtle"}).data
    assert b"@prefix jt: <https://w3id.org/jtkg/ontology#> ." in first
    body = first.decode()
    assert "jt:Person" in body and "<https://w3id.org/jtkg/ontology#Person>" not in body
    # The entity's own facts come first, then the rest sorted: the same bytes every time.
    facts = [line for line in body.splitlines() if line and not line.startswith("@prefix")]
    assert facts[0].startswith("<https://w3id.org/jtkg/id/person/madoka-fukuda> ")
    assert client.get(FUKUDA, headers={"Accept": "text/turtle"}).data == first


def test_entity_description_in_jsonld_is_compacted(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(FUKUDA, headers={"Accept": "application/ld+json"})
    document = json.loads(response.data)
    assert isinstance(document, dict) and document["@context"] == CONTEXT
    assert client.get(FUKUDA, headers={"Accept": "application/ld+json"}).data == response.data


def test_entity_description_in_n3(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(FUKUDA, headers={"Accept": "text/n3"})
    assert response.status_code == 200 and response.mimetype == "text/n3"
    assert list(ox.parse(response.data, format=ox.RdfFormat.N3))


def test_trig_dump_keeps_graph_names_and_turtle_dump_has_prefixes(client) -> None:  # type: ignore[no-untyped-def]
    trig = client.get("/dumps/jtkg.trig")
    assert trig.mimetype == "application/trig"
    named = {q.graph_name for q in ox.parse(trig.data, format=ox.RdfFormat.TRIG)}
    assert ox.NamedNode("https://w3id.org/jtkg/graph/inferred") in named and ox.DefaultGraph() not in named
    assert b"@prefix jt: <https://w3id.org/jtkg/ontology#>" in client.get("/dumps/jtkg.ttl").data


# ------------------------------------------------------------------ the Graph Store's default graph


def test_rdf_graphs_default_reads_the_union(client, oxstore) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/rdf-graphs?default", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    triples = {q.triple for q in ox.parse(response.data, format=ox.RdfFormat.N_TRIPLES)}
    union = {q.triple for q in oxstore.quads_for_pattern(None, None, None, None)}
    assert triples == union and len(union) > 1000


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_writes_to_the_default_graph_are_405_naming_a_graph(writer, method: str) -> None:  # type: ignore[no-untyped-def]
    response = writer.open(
        "/rdf-graphs?default",
        method=method,
        data="<urn:x:a> <urn:x:b> <urn:x:c> .",
        headers={"Content-Type": "application/n-triples", "Authorization": f"Bearer {WRITE_TOKEN}"},
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 405 and text.count("\n") == 1
    assert "union of all graphs" in text and "?graph=IRI" in text
    assert "GET" in response.headers["Allow"] and "PUT" not in response.headers["Allow"]


# ------------------------------------------------------------------ CORS: reads yes, writes no


@pytest.mark.parametrize(
    "path",
    ["/sparql?query=ASK%7B%7D", FUKUDA, "/dumps/jtkg.nq", "/void", "/context.jsonld", "/rdf-graphs?default"],
)
def test_reads_allow_any_origin(client, path: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(
        path, headers={"Origin": "https://notebook.example", "Accept": "text/turtle, */*;q=0.1"}
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.mark.parametrize(
    ("path", "method"),
    [("/update", "POST"), ("/rdf-graphs?graph=urn:x:g", "PUT"), ("/graph/manual", "DELETE")],
)
def test_writes_get_no_cors_and_no_preflight(writer, path: str, method: str) -> None:  # type: ignore[no-untyped-def]
    origin = {"Origin": "https://evil.example"}
    preflight = writer.options(
        path,
        headers={
            **origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert "Access-Control-Allow-Origin" not in preflight.headers
    sent = writer.open(path, method=method, headers={**origin, "Authorization": f"Bearer {WRITE_TOKEN}"})
    assert "Access-Control-Allow-Origin" not in sent.headers


def test_no_origin_no_cors_headers(client) -> None:  # type: ignore[no-untyped-def]
    assert "Access-Control-Allow-Origin" not in client.get("/sparql?query=ASK%7B%7D").headers


# ------------------------------------------------------------------ the service description


def _features(client) -> set[str]:  # type: ignore[no-untyped-def]
    body = client.get("/sparql", headers={"Accept": "application/n-triples"}).get_data(as_text=True)
    feature = "<http://www.w3.org/ns/sparql-service-description#feature>"
    return {line.split()[2] for line in body.splitlines() if feature in line}


def test_no_federation_claim_when_federation_is_off(client) -> None:  # type: ignore[no-untyped-def]
    features = _features(client)
    assert "<http://www.w3.org/ns/sparql-service-description#UnionDefaultGraph>" in features
    assert "<http://www.w3.org/ns/sparql-service-description#BasicFederatedQuery>" not in features


def test_federation_claimed_with_an_allowlist(store: Path) -> None:
    app = create_app({"STORE": store, "SERVICE_ALLOWLIST": "https://query.wikidata.org/sparql"})
    try:
        features = _features(app.test_client())
    finally:
        app.extensions["jtkg.queries"].close()
    assert "<http://www.w3.org/ns/sparql-service-description#BasicFederatedQuery>" in features
