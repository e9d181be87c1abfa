"""The Graph Store HTTP Protocol: reads, token-guarded writes, and hostile uploads."""

from __future__ import annotations

import socket
import tracemalloc
from pathlib import Path

import pytest

from jtkg.graph.store import StoreLocation
from jtkg.server.app import create_app
from tests.conftest import WRITE_TOKEN as TOKEN

REGISTRY = "https://w3id.org/jtkg/graph/registry"
NEW = "https://w3id.org/jtkg/graph/reviewed"
VALID = (
    "@prefix jt: <https://w3id.org/jtkg/ontology#> . @prefix rdfs: "
    "<http://www.w3.org/2000/01/rdf-schema#> .\n<https://w3id.org/jtkg/id/institution/"
    'reviewed-institute> a jt:Institution ; rdfs:label "Reviewed Institute"@en .\n'
)
INVALID = (
    "<https://w3id.org/jtkg/id/person/nameless> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
    "<https://w3id.org/jtkg/ontology#Person> .\n"
)


def put(
    client,
    body: str | bytes,
    media_type: str = "text/turtle",
    graph: str = NEW,
    method: str = "PUT",
    token: str | None = TOKEN,
):  # type: ignore[no-untyped-def]
    headers = {"Content-Type": media_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return client.open(
        "/rdf-graphs", method=method, query_string={"graph": graph}, data=body, headers=headers
    )


def test_get_a_graph_by_indirect_and_direct_name(client) -> None:  # type: ignore[no-untyped-def]
    indirect = client.get(
        "/rdf-graphs", query_string={"graph": REGISTRY}, headers={"Accept": "application/n-triples"}
    )
    direct = client.get("/graph/registry", headers={"Accept": "application/n-triples"})
    assert indirect.status_code == direct.status_code == 200
    assert indirect.mimetype == "application/n-triples"
    assert sorted(indirect.get_data(as_text=True).splitlines()) == sorted(
        direct.get_data(as_text=True).splitlines()
    )
    assert "<https://w3id.org/jtkg/id/state/taiwan>" in indirect.get_data(as_text=True)
    assert client.head("/graph/registry").status_code == 200


def test_reads_of_missing_graphs_and_bad_names(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/graph/no-such-graph").status_code == 404
    assert client.get("/rdf-graphs").status_code == 400
    assert client.get("/rdf-graphs?default&graph=urn:x:g").status_code == 400
    assert client.get("/rdf-graphs", query_string={"graph": "not an iri"}).status_code == 400
    assert client.get("/rdf-graphs?default").status_code == 200
    refused = client.get("/graph/registry", headers={"Accept": "image/png"})
    assert refused.status_code == 406 and "text/turtle" in refused.get_data(as_text=True)


def test_writes_need_the_token(client, writer) -> None:  # type: ignore[no-untyped-def]
    assert put(client, VALID).status_code == 403  # no token configured: writes are off
    assert put(writer, VALID, token=None).status_code == 401
    assert put(writer, VALID, token="wrong").status_code == 401
    assert writer.delete("/graph/registry").status_code == 401


def test_put_post_delete_round_trip(writer, store: Path) -> None:  # type: ignore[no-untyped-def]
    assert put(writer, VALID).status_code == 201
    got = writer.get("/graph/reviewed", headers={"Accept": "application/n-triples"})
    assert got.get_data(as_text=True).count("\n") == 2
    more = (
        "<https://w3id.org/jtkg/id/institution/reviewed-institute> "
        '<http://www.w3.org/2004/02/skos/core#altLabel> "RI"@en .'
    )
    assert put(writer, more, "application/n-triples", method="POST").status_code == 204
    assert (
        writer.get("/graph/reviewed", headers={"Accept": "application/n-triples"})
        .get_data(as_text=True)
        .count("\n")
        == 3
    )
    assert put(writer, VALID).status_code == 204  # PUT replaces
    assert (
        writer.get("/graph/reviewed", headers={"Accept": "application/n-triples"})
        .get_data(as_text=True)
        .count("\n")
        == 2
    )
    deleted = writer.delete("/graph/reviewed", headers={"Authorization": f"Bearer {TOKEN}"})
    assert deleted.status_code == 204
    assert writer.get("/graph/reviewed").status_code == 404
    assert writer.delete("/graph/reviewed", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 404


def test_the_shacl_gate_refuses_an_invalid_graph(writer, store: Path) -> None:  # type: ignore[no-untyped-def]
    before = StoreLocation(store).current_generation()
    response = put(writer, INVALID, "application/n-triples")
    assert response.status_code == 422 and "violation" in response.get_data(as_text=True)
    assert StoreLocation(store).current_generation() == before


def test_a_graph_write_past_the_time_limit_is_stopped_and_changes_nothing(writer, store: Path) -> None:  # type: ignore[no-untyped-def]
    # Every write copies and validates the whole store (seconds): past a 0.1 s limit.
    before = set(store.glob("gen-*"))
    writer.application.config["UPDATE_TIMEOUT"] = 0.1
    response = put(writer, VALID)
    assert response.status_code == 503
    assert response.get_data(as_text=True) == (
        "the graph put ran past the 0.1-second time limit and was stopped; nothing was changed\n"
    )
    assert set(store.glob("gen-*")) == before
    assert writer.get("/rdf-graphs", query_string={"graph": NEW}).status_code == 404


def _listener() -> tuple[socket.socket, str]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(1)
    return listener, f"http://127.0.0.1:{listener.getsockname()[1]}"


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY a "lol">\n'
    + b"".join(b'<!ENTITY %c "%s">\n' % (98 + i, (b"&%c;" % (97 + i)) * 10) for i in range(9))
    + b']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    b'xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/s">'
    b"<ex:p>&j;</ex:p></rdf:Description></rdf:RDF>"
)


def test_hostile_uploads_are_refused_without_storing_or_fetching(writer, store: Path) -> None:  # type: ignore[no-untyped-def]
    listener, here = _listener()
    external = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY ext SYSTEM "{here}/secret">]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/s">'
        "<ex:p>&ext;</ex:p></rdf:Description></rdf:RDF>"
    ).encode()
    remote_context = f'{{"@context": "{here}/context.jsonld", "@id": "http://example.org/s"}}'
    deep = "[" * 100_000 + "]" * 100_000
    huge = '<http://example.org/s> <http://example.org/p> "' + "x" * 1_200_000 + '" .'
    before = StoreLocation(store).current_generation()
    tracemalloc.start()
    cases = [
        (BILLION_LAUGHS, "application/rdf+xml", "DOCTYPE"),
        (external, "application/rdf+xml", "DOCTYPE"),
        (remote_context, "application/ld+json", "remote @context"),
        (deep, "application/ld+json", "nested deeper"),
        ("<http://a> <http://b> .", "text/turtle", "not valid turtle"),
        ("GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> <urn:x:c> }", "application/trig", "send a graph as"),
        (b"\xff\xfe<\x00", "text/turtle", "not valid"),
    ]
    for body, media_type, reason in cases:
        response = put(writer, body, media_type)
        text = response.get_data(as_text=True)
        assert 400 <= response.status_code < 500 and reason in text, (media_type, text)
        assert text.count("\n") == 1 and "Traceback" not in text
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 50_000_000
    assert put(writer, huge, "application/n-triples").status_code == 413  # over the body limit
    assert StoreLocation(store).current_generation() == before
    with pytest.raises(TimeoutError):
        listener.accept()
    listener.close()


def test_literals_over_the_limit_are_refused(store: Path) -> None:
    app = create_app({"STORE": store, "UPDATE_TOKEN": TOKEN, "MAX_BODY_BYTES": 5_000_000})
    huge = '<http://example.org/s> <http://example.org/p> "' + "x" * 1_200_000 + '" .'
    response = put(app.test_client(), huge, "application/n-triples")
    app.extensions["jtkg.queries"].close()
    assert response.status_code == 400 and "character limit" in response.get_data(as_text=True)
