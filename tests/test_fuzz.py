"""Fuzzing the endpoint: random queries, content types, encodings and parameters never get a
5xx (other than the intended 503 limits) and the server answers normally afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jtkg.server.app import create_app

SPARQL_WORDS = [
    "SELECT",
    "ASK",
    "CONSTRUCT",
    "DESCRIBE",
    "WHERE",
    "{",
    "}",
    "?s",
    "?p",
    "?o",
    "FILTER",
    "(",
    ")",
    "OPTIONAL",
    "UNION",
    "GRAPH",
    "<http://x>",
    '"lit"@en',
    ".",
    ";",
    ",",
    "*",
    "LIMIT",
    "10",
    "PREFIX",
    "jt:",
    "<https://w3id.org/jtkg/",
    "REGEX",
    "COUNT",
    "GROUP BY",
    "ORDER BY",
    "VALUES",
    "BIND",
    "AS",
    "\\u0000",
    "'''",
    "#",
    "\n",
    "SERVICE",
    "LOAD",
    "INSERT DATA",
    "DROP ALL",
]
#: Header values a client can send at all (HTTP forbids line breaks in them).
HEADER_TEXT = st.text(
    alphabet=st.characters(blacklist_characters="\r\n\x00", blacklist_categories=("Cs",)), max_size=80
)


@pytest.fixture(scope="module")
def fuzz_client(built_store: Path):  # type: ignore[no-untyped-def]
    app = create_app(
        {"STORE": built_store, "QUERY_TIMEOUT": 2, "QUERY_WORKERS": 2, "MAX_BODY_BYTES": 100_000}
    )
    yield app.test_client()
    app.extensions["jtkg.queries"].close()


FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(st.one_of(st.text(max_size=300), st.lists(st.sampled_from(SPARQL_WORDS), max_size=40).map(" ".join)))
def test_random_queries_never_get_a_server_error(fuzz_client, query: str) -> None:  # type: ignore[no-untyped-def]
    for response in (
        fuzz_client.get("/sparql", query_string={"query": query}),
        fuzz_client.post("/sparql", data={"query": query}),
        fuzz_client.post(
            "/sparql",
            data=query.encode("utf-8", "surrogatepass"),
            headers={"Content-Type": "application/sparql-query"},
        ),
    ):
        assert response.status_code < 500 or response.status_code == 503, response.data[:200]
        assert b"Traceback" not in response.data


@FUZZ
@given(
    body=st.binary(max_size=500),
    content_type=st.one_of(
        st.sampled_from(
            [
                "application/sparql-query",
                "application/x-www-form-urlencoded",
                "text/plain",
                "application/json",
                "multipart/form-data; boundary=x",
                "application/sparql-query; charset=latin-1",
                "",
            ]
        ),
        HEADER_TEXT,
    ),
    accept=HEADER_TEXT,
    fmt=st.text(max_size=20),
)
def test_random_bodies_types_and_headers(
    fuzz_client,
    body: bytes,
    content_type: str,  # type: ignore[no-untyped-def]
    accept: str,
    fmt: str,
) -> None:
    headers = {"Accept": accept, "Content-Type": content_type}
    response = fuzz_client.post(f"/sparql?format={fmt}", data=body, headers=headers)
    assert response.status_code < 500, response.data[:200]
    response = fuzz_client.get(
        "/sparql", query_string={"query": "ASK {}", "format": fmt}, headers={"Accept": accept}
    )
    assert response.status_code < 500


@FUZZ
@given(
    path=st.text(max_size=80), params=st.dictionaries(st.text(max_size=20), st.text(max_size=50), max_size=5)
)
def test_random_paths_and_parameters(fuzz_client, path: str, params: dict) -> None:  # type: ignore[no-untyped-def]
    response = fuzz_client.get("/id/" + path.replace("?", "").replace("#", ""), query_string=params)
    assert response.status_code < 500
    response = fuzz_client.get("/sparql", query_string=params)
    assert response.status_code < 500


def test_huge_headers_and_parameters(fuzz_client) -> None:  # type: ignore[no-untyped-def]
    response = fuzz_client.get("/sparql", query_string={"query": "ASK {}" + " " * 200_000})
    assert response.status_code == 413
    response = fuzz_client.get(
        "/sparql", query_string={"query": "ASK {}"}, headers={"Accept": "text/csv;" * 5000}
    )
    assert response.status_code < 500
    response = fuzz_client.post(
        "/sparql", data=b"x" * 200_000, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 413


def test_the_server_is_alive_after_the_fuzzing(fuzz_client) -> None:  # type: ignore[no-untyped-def]
    response = fuzz_client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert response.status_code == 200 and response.get_json()["boolean"] is True
