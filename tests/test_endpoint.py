"""The SPARQL handler without HTTP, then the protocol through Flask's test client."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from jtkg.server.negotiation import RESULT_FORMATS, choose, parse_accept
from jtkg.server.sparql import execute

PERSONS = "PREFIX jt: <https://w3id.org/jtkg/ontology#> SELECT ?p WHERE { ?p a jt:Person }"


# ------------------------------------------------------------------ the plain handler


@pytest.mark.parametrize(
    ("accept", "media", "marker"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", b'"bindings"'),
        ("application/sparql-results+xml", "application/sparql-results+xml", b"<sparql"),
        ("text/csv", "text/csv", b"p\r\n"),
        ("text/tab-separated-values", "text/tab-separated-values", b"?p\n"),
        (None, "application/sparql-results+json", b'"bindings"'),
        ("*/*", "application/sparql-results+json", b'"bindings"'),
        ("text/*;q=0.5, application/xml;q=0.9", "application/sparql-results+xml", b"<sparql"),
    ],
)
def test_select_in_every_result_format(oxstore, accept, media, marker) -> None:  # type: ignore[no-untyped-def]
    response = execute(oxstore, PERSONS, accept)
    assert response.status == 200
    assert response.media_type.startswith(media)
    assert marker in response.body


def test_ask(oxstore) -> None:  # type: ignore[no-untyped-def]
    response = execute(oxstore, "ASK { ?s a <https://w3id.org/jtkg/ontology#State> }")
    assert json.loads(response.body)["boolean"] is True


@pytest.mark.parametrize(
    ("accept", "marker"),
    [
        ("text/turtle", b"<https://w3id.org/jtkg/id/state/japan>"),
        ("application/n-triples", b"<https://w3id.org/jtkg/id/state/japan> <"),
        ("application/ld+json", b'"@id"'),
        ("application/rdf+xml", b"<rdf:RDF"),
    ],
)
def test_construct_and_describe_in_graph_formats(oxstore, accept, marker) -> None:  # type: ignore[no-untyped-def]
    for query in (
        "CONSTRUCT WHERE { ?s a <https://w3id.org/jtkg/ontology#State> }",
        "DESCRIBE <https://w3id.org/jtkg/id/state/japan>",
    ):
        response = execute(oxstore, query, accept)
        assert response.status == 200 and marker in response.body


def test_default_graph_is_the_union_of_all_graphs(oxstore) -> None:  # type: ignore[no-untyped-def]
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    union = json.loads(execute(oxstore, query).body)
    one = json.loads(
        execute(oxstore, query, default_graph_uris=["https://w3id.org/jtkg/graph/ontology"]).body
    )
    n_union = int(union["results"]["bindings"][0]["n"]["value"])
    n_one = int(one["results"]["bindings"][0]["n"]["value"])
    assert n_union > n_one > 0


def test_malformed_query_is_400_with_the_parser_message(oxstore) -> None:  # type: ignore[no-untyped-def]
    response = execute(oxstore, "SELECT ?x WHERE { ?x ?y }")
    assert response.status == 400 and response.media_type == "text/plain"
    assert response.body.decode().startswith("malformed query: error at 1:")
    assert response.body.count(b"\n") == 1


def test_nothing_acceptable_is_406_naming_the_types(oxstore) -> None:  # type: ignore[no-untyped-def]
    response = execute(oxstore, PERSONS, "image/png")
    assert response.status == 406
    assert b"application/sparql-results+json" in response.body


def test_query_over_the_length_limit_is_413(oxstore) -> None:  # type: ignore[no-untyped-def]
    response = execute(oxstore, PERSONS + " " * 200, max_query_length=100)
    assert response.status == 413 and b"limit is 100" in response.body


def test_accept_parsing_orders_by_q_then_specificity() -> None:
    assert parse_accept("text/*;q=0.3, text/csv;q=0.3, */*;q=0.1")[0] == ("text/csv", 0.3)
    assert choose("text/csv;q=0, */*", RESULT_FORMATS).name == "json"
    assert choose(None, RESULT_FORMATS, "tsv").name == "tsv"


# ------------------------------------------------------------------ the HTTP protocol


def test_get_with_accept(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/sparql", query_string={"query": PERSONS}, headers={"Accept": "text/csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "https://w3id.org/jtkg/id/person/madoka-fukuda" in response.get_data(as_text=True)
    assert response.headers["Vary"] == "Accept" and response.headers["X-Request-Id"]


def test_post_form_and_post_direct(client) -> None:  # type: ignore[no-untyped-def]
    form = client.post("/sparql", data={"query": PERSONS})
    direct = client.post("/sparql", data=PERSONS, headers={"Content-Type": "application/sparql-query"})
    assert form.status_code == direct.status_code == 200
    assert form.get_json() == direct.get_json()


def test_format_parameter_for_browsers(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/sparql", query_string={"query": PERSONS, "format": "xml"})
    assert response.mimetype == "application/sparql-results+xml"


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"method": "GET", "query_string": "update=CLEAR%20ALL"}, 400),
        ({"method": "GET", "query_string": "query=ASK%7B%7D&query=ASK%7B%7D"}, 400),
        ({"method": "POST", "data": "ASK {}", "headers": {"Content-Type": "text/plain"}}, 415),
        (
            {
                "method": "POST",
                "data": b"ASK { ?s ?p \xff }",
                "headers": {"Content-Type": "application/sparql-query"},
            },
            400,
        ),
        ({"method": "GET", "query_string": "query=SELEC"}, 400),
        ({"method": "GET", "query_string": "query=ASK%7B%7D", "headers": {"Accept": "image/png"}}, 406),
    ],
)
def test_protocol_errors_are_one_plain_line(client, kwargs, status) -> None:  # type: ignore[no-untyped-def]
    response = client.open("/sparql", **kwargs)
    assert response.status_code == status
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True).count("\n") == 1
    assert "Traceback" not in response.get_data(as_text=True)


def test_too_large_body_is_413(store: Path) -> None:
    from jtkg.server.app import create_app

    small = create_app({"STORE": store, "MAX_BODY_BYTES": 1000}).test_client()
    response = small.post(
        "/sparql", data="ASK {}" + " " * 5000, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 413


def test_service_description_without_a_query(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "sd:Service" in body or "sparql-service-description#Service" in body
    assert "UnionDefaultGraph" in body


def test_entity_pages_negotiate(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/id/person/madoka-fukuda", headers={"Accept": "text/html"})
    assert html.status_code == 200 and "Madoka Fukuda" in html.get_data(as_text=True)
    turtle = client.get("/id/person/madoka-fukuda", headers={"Accept": "text/turtle"})
    assert turtle.mimetype == "text/turtle" and b"hosei" in turtle.data
    assert 'rel="alternate"' in turtle.headers["Link"] and turtle.headers["Vary"] == "Accept"
    assert client.get("/id/person/nobody-at-all").status_code == 404


def test_home_page_counts_classes(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/").get_data(as_text=True)
    assert "Documents" in page and "Taiwan-Japan Ties Deepen" in page


def test_missing_store_is_503_not_a_trace(tmp_path: Path) -> None:
    from jtkg.server.app import create_app

    client = create_app({"STORE": tmp_path / "none"}).test_client()
    response = client.get("/sparql", query_string={"query": "ASK {}"})
    assert response.status_code == 503 and "Traceback" not in response.get_data(as_text=True)


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture
def limited(store: Path):  # type: ignore[no-untyped-def]
    from jtkg.server.app import create_app

    app = create_app({"STORE": store, "QUERY_TIMEOUT": 1.5, "QUERY_WORKERS": 2})
    yield app
    app.extensions["jtkg.queries"].close()


def test_a_runaway_query_is_stopped_at_the_time_limit(limited) -> None:  # type: ignore[no-untyped-def]
    import time

    client = limited.test_client()
    started = time.monotonic()
    response = client.get("/sparql", query_string={"query": RUNAWAY})
    assert response.status_code == 503
    assert "time limit" in response.get_data(as_text=True)
    assert time.monotonic() - started < 10
    after = client.get("/sparql", query_string={"query": PERSONS})  # a fresh worker serves
    assert after.status_code == 200


def test_other_clients_are_served_while_a_runaway_query_runs(limited) -> None:  # type: ignore[no-untyped-def]
    import threading

    client = limited.test_client()
    outcome: dict[str, int] = {}
    slow = threading.Thread(
        target=lambda: outcome.setdefault(
            "slow", client.get("/sparql", query_string={"query": RUNAWAY}).status_code
        )
    )
    slow.start()
    fast = limited.test_client().get("/sparql", query_string={"query": PERSONS})
    assert fast.status_code == 200 and slow.is_alive()
    slow.join(timeout=20)
    assert outcome["slow"] == 503


def test_results_over_the_size_limit_are_refused(oxstore) -> None:  # type: ignore[no-untyped-def]
    response = execute(oxstore, "SELECT * WHERE { ?s ?p ?o }", max_result_bytes=10_000)
    assert response.status == 503 and b"10000-byte limit" in response.body


def test_service_is_refused_and_nothing_is_contacted(oxstore) -> None:  # type: ignore[no-untyped-def]
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    connections: list[object] = []

    def accept() -> None:
        for _ in range(4):
            with contextlib.suppress(OSError):
                connections.append(listener.accept())

    watcher = threading.Thread(target=accept)
    watcher.start()
    here = f"http://127.0.0.1:{port}/sparql"
    for query in (
        f"SELECT * WHERE {{ SERVICE <{here}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{here}> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{here}> WHERE {{ ?s ?p ?o }} LIMIT 1",
        f"SELECT * FROM NAMED <{here}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT 1",
    ):
        response = execute(oxstore, query)
        assert response.status in (200, 400)
    assert execute(oxstore, f"SELECT * WHERE {{ SERVICE <{here}> {{ ?s ?p ?o }} }}").status == 400
    watcher.join()
    listener.close()
    assert connections == []


def test_results_over_the_row_limit_are_refused(oxstore) -> None:  # type: ignore[no-untyped-def]
    response = execute(oxstore, "SELECT * WHERE { ?s ?p ?o }", max_result_rows=100)
    assert response.status == 503 and b"more than 100 rows" in response.body
    assert execute(oxstore, "SELECT * WHERE { ?s ?p ?o } LIMIT 100", max_result_rows=100).status == 200


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_select_results_match_oxigraphs_own_writers(oxstore, fmt: str) -> None:  # type: ignore[no-untyped-def]
    """Our row-by-row writers give the same solutions as Oxigraph's serializers."""
    import pyoxigraph as ox

    query = (
        "SELECT ?s ?label ?n ?missing WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label "
        "OPTIONAL { ?s <urn:x:none> ?missing } BIND(STRLEN(?label) AS ?n) } ORDER BY ?s ?label LIMIT 300"
    )
    ours = execute(oxstore, query, format_param=fmt).body
    reference = io.BytesIO()
    oxstore.query(query, use_default_graph_as_union=True).serialize(
        reference,
        format={
            "json": ox.QueryResultsFormat.JSON,
            "xml": ox.QueryResultsFormat.XML,
            "csv": ox.QueryResultsFormat.CSV,
            "tsv": ox.QueryResultsFormat.TSV,
        }[fmt],
    )
    parse_format = {
        "json": ox.QueryResultsFormat.JSON,
        "xml": ox.QueryResultsFormat.XML,
        "tsv": ox.QueryResultsFormat.TSV,
    }.get(fmt)
    if parse_format is None:  # CSV loses datatypes: compare the text
        assert ours.decode().splitlines() == reference.getvalue().decode().splitlines()
        return

    def rows(data: bytes) -> list[list[str]]:
        parsed = ox.parse_query_results(data, format=parse_format)
        return [[str(s[v.value]) for v in parsed.variables] for s in parsed]

    assert rows(ours) == rows(reference.getvalue()) and len(rows(ours)) > 50
