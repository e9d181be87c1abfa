"""SELECT results written by Oxigraph's serializer (JSON, XML, TSV) keep the limits of the
row-by-row writers: the row limit exact at its boundary, also for rows that take two bytes,
and the byte limit; CSV keeps our writer, which quotes an IRI holding a comma."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from jtkg.server.results import NATIVE, count_rows
from jtkg.server.sparql import execute

EX = "http://example.org/"


@pytest.fixture
def small() -> ox.Store:
    store = ox.Store()
    store.extend(
        ox.Quad(
            ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(f"label {i}"), ox.DefaultGraph()
        )
        for i in range(50)
    )
    store.add(ox.Quad(ox.NamedNode(f"{EX}c,d"), ox.NamedNode(f"{EX}q"), ox.Literal('say "x", y')))
    return store


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv", "csv"])
def test_the_row_limit_is_exact_in_every_format(small: ox.Store, fmt: str) -> None:
    query = f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }}"  # 50 rows
    assert execute(small, query, format_param=fmt, max_result_rows=50).status == 200
    refused = execute(small, query, format_param=fmt, max_result_rows=49)
    assert refused.status == 503 and b"more than 49 rows" in refused.body


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_rows_without_bindings_are_counted_too(small: ox.Store, fmt: str) -> None:
    # Six solutions that bind nothing: `{}` in JSON, the shortest rows a result has.
    query = "SELECT ?none WHERE { VALUES ?x { 1 2 3 4 5 6 } }"
    assert execute(small, query, format_param=fmt, max_result_rows=6).status == 200
    assert execute(small, query, format_param=fmt, max_result_rows=5).status == 503
    assert execute(small, query, format_param=fmt, max_result_rows=1).status == 503


def test_count_rows_stops_past_the_limit(small: ox.Store) -> None:
    body = small.query("SELECT * WHERE { ?s ?p ?o }").serialize(format=NATIVE["json"])
    assert count_rows(body, NATIVE["json"], 1000) == 51
    assert count_rows(body, NATIVE["json"], 10) == 11


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv", "csv"])
def test_the_byte_limit_stops_the_serializer(small: ox.Store, fmt: str) -> None:
    response = execute(small, "SELECT * WHERE { ?s ?p ?o }", format_param=fmt, max_result_bytes=300)
    assert response.status == 503 and b"300-byte limit" in response.body


def test_csv_quotes_an_iri_with_a_comma(small: ox.Store) -> None:
    response = execute(small, f"SELECT ?s ?o WHERE {{ ?s <{EX}q> ?o }}", format_param="csv")
    assert response.body.decode().splitlines() == ["s,o", f'"{EX}c,d","say ""x"", y"']


def test_json_is_oxigraphs_own(small: ox.Store) -> None:
    query = f"SELECT ?s ?o WHERE {{ ?s <{EX}q> ?o }}"
    mine = execute(small, query, format_param="json").body
    assert mine == small.query(query).serialize(format=NATIVE["json"])
