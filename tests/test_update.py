"""SPARQL Update: bearer tokens, the SHACL gate, and no outbound requests."""

from __future__ import annotations

import logging
import socket
from pathlib import Path

import pytest

from jtkg.graph.store import StoreLocation
from tests.conftest import WRITE_TOKEN as TOKEN

GOOD = (
    "PREFIX jt: <https://w3id.org/jtkg/ontology#> "
    "INSERT DATA { GRAPH <https://w3id.org/jtkg/graph/reviewed> { "
    "<https://w3id.org/jtkg/id/institution/reviewed-institute> a jt:Institution ; "
    '<http://www.w3.org/2000/01/rdf-schema#label> "Reviewed Institute"@en } }'
)
INVALID = (
    "PREFIX jt: <https://w3id.org/jtkg/ontology#> INSERT DATA { GRAPH <urn:x:g> { "
    "<https://w3id.org/jtkg/id/person/nameless> a jt:Person } }"
)


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_writes_are_off_without_a_configured_token(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/update", data={"update": GOOD}, headers=auth())
    assert response.status_code == 403 and "disabled" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "headers", [{}, auth("wrong"), {"Authorization": f"Basic {TOKEN}"}, {"Authorization": "Bearer"}]
)
def test_missing_or_wrong_tokens_get_401(writer, headers, caplog) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.DEBUG):
        response = writer.post("/update", data={"update": GOOD}, headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert TOKEN not in caplog.text and "wrong" not in caplog.text


def test_an_authorized_update_is_published(writer, store: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    before = StoreLocation(store).current_generation()
    with caplog.at_level(logging.DEBUG):
        response = writer.post(
            "/update", data=GOOD, headers={**auth(), "Content-Type": "application/sparql-update"}
        )
    assert response.status_code == 204
    assert StoreLocation(store).current_generation() != before
    answer = writer.get(
        "/sparql",
        query_string={"query": "ASK { <https://w3id.org/jtkg/id/institution/reviewed-institute> ?p ?o }"},
    )
    assert answer.get_json()["boolean"] is True
    assert TOKEN not in caplog.text


def test_the_shacl_gate_refuses_an_invalid_update(writer, store: Path) -> None:  # type: ignore[no-untyped-def]
    before = StoreLocation(store).current_generation()
    response = writer.post("/update", data={"update": INVALID}, headers=auth())
    assert response.status_code == 422
    assert "rdfs:label" in response.get_data(as_text=True)
    assert StoreLocation(store).current_generation() == before


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"update": "INSERT DATA {"}, 400),
        ({"update": ["INSERT DATA {}", "INSERT DATA {}"]}, 400),
        (
            {
                "update": "WITH <urn:x:g> INSERT { <urn:x:a> <urn:x:b> 1 } WHERE {}",
                "using-graph-uri": "urn:x:g",
            },
            400,
        ),
        ({"update": "INSERT { <urn:x:a> <urn:x:b> 1 } WHERE {}", "using-graph-uri": "not an iri"}, 400),
    ],
)
def test_protocol_errors(writer, data, status) -> None:  # type: ignore[no-untyped-def]
    response = writer.post("/update", data=data, headers=auth())
    assert response.status_code == status and response.get_data(as_text=True)[-1] == "\n"


def test_wrong_body_type_is_415(writer) -> None:  # type: ignore[no-untyped-def]
    response = writer.post("/update", data="INSERT DATA {}", headers={**auth(), "Content-Type": "text/plain"})
    assert response.status_code == 415


def test_load_and_service_make_no_outbound_connection(writer) -> None:  # type: ignore[no-untyped-def]
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(1)
    here = f"http://127.0.0.1:{listener.getsockname()[1]}/data.ttl"
    for update in (
        f"LOAD <{here}>",
        f"LOAD SILENT <{here}> INTO GRAPH <urn:x:g>",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{here}> {{ ?s ?p ?o }} }}",
    ):
        response = writer.post("/update", data={"update": update}, headers=auth())
        assert response.status_code == 400 and "outbound" in response.get_data(as_text=True)
    with pytest.raises(TimeoutError):
        listener.accept()
    listener.close()


def test_using_graph_uri_sets_the_dataset_of_the_where_clause(writer) -> None:  # type: ignore[no-untyped-def]
    """SPARQL 1.1 Protocol §2.2.3: using-graph-uri is the default graph of the WHERE; the
    registry graph holds states, the ontology graph holds none."""
    copy = (
        "PREFIX jt: <https://w3id.org/jtkg/ontology#> INSERT { GRAPH <urn:x:copy> { ?s a "
        "<urn:x:Seen> } } WHERE { ?s a jt:State } ; INSERT { GRAPH <urn:x:copy> { ?g a "
        "<urn:x:Named> } } WHERE { GRAPH ?g { ?s a jt:State } }"
    )
    for graph, expected in (
        ("https://w3id.org/jtkg/graph/ontology", False),
        ("https://w3id.org/jtkg/graph/registry", True),
    ):
        response = writer.post(
            "/update?using-graph-uri=" + graph + "&using-named-graph-uri=" + graph,
            data=copy,
            headers={**auth(), "Content-Type": "application/sparql-update"},
        )
        assert response.status_code == 204, response.get_data(as_text=True)
        seen = writer.get(
            "/sparql", query_string={"query": "ASK { GRAPH <urn:x:copy> { ?s a <urn:x:Seen> } }"}
        ).get_json()["boolean"]
        named = writer.get(
            "/sparql", query_string={"query": "SELECT ?g WHERE { GRAPH <urn:x:copy> { ?g a <urn:x:Named> } }"}
        ).get_json()
        assert seen is expected
        assert {b["g"]["value"] for b in named["results"]["bindings"]} <= {graph}
