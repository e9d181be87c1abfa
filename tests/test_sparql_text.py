"""The SPARQL text guards: SERVICE/LOAD found as Oxigraph's parser would find them (escapes,
strings, comments, IRIs, glued keywords), nesting bounded before parsing, FROM defining the
dataset. End to end: the known bypasses give 400 and nothing is contacted."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator

import pytest

from jtkg.graph.sparql_dataset import names_dataset, query_dataset, with_using
from jtkg.graph.sparql_service import service_targets
from jtkg.graph.sparql_text import (
    MAX_CHAIN,
    MAX_NESTING,
    chain_length,
    has_keyword,
    nesting_depth,
)
from tests.conftest import WRITE_TOKEN

#: Every character PN_LOCAL_ESC lets a prefixed name hold after a backslash.
LOCAL_ESCAPES = "_~.-!$&'()*+,;=/?#@%"


class Listener:
    """A TCP listener on 127.0.0.1 that records the path of each request, then hangs up."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.paths: list[str] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def url(self, path: str = "sparql") -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(0.5)
                data = b""
                try:
                    while b"\r\n" not in data and len(data) < 65536:
                        chunk = conn.recv(4096)
                        if not chunk:
                            break
                        data += chunk
                except OSError:
                    pass
                parts = data.split(b"\r\n", 1)[0].split(b" ")
                path = parts[1].decode("latin-1").split("?", 1)[0] if len(parts) > 1 else "?"
                self.paths.append(path)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


# ------------------------------------------------------------------ the lexer

BYPASS = "PREFIX ex: <http://e/> SELECT (ex:a\\#b AS ?q) ?x WHERE {{ SERVICE <{url}> {{ ?x ?y ?z }} }}"


def test_an_escaped_hash_in_a_prefixed_name_is_not_a_comment() -> None:
    query = BYPASS.format(url="http://127.0.0.1:9/sparql")
    assert has_keyword(query, "SERVICE")
    assert service_targets(query) == ["http://127.0.0.1:9/sparql"]


@pytest.mark.parametrize("char", list(LOCAL_ESCAPES))
def test_every_local_escape_keeps_the_name_whole(char: str) -> None:
    query = (
        f"PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ex:a\\{char}b ?o . "
        "SERVICE <http://h/> { ?s ?p ?o } }"
    )
    assert service_targets(query) == ["http://h/"]
    update = f"PREFIX ex: <http://e/> INSERT DATA {{ ex:s ex:a\\{char}b 1 }} ; LOAD <http://h/>"
    assert has_keyword(update, "LOAD")


@pytest.mark.parametrize(
    "literal",
    [
        '"a \\" SERVICE <http://no/> { } # "',
        "'it\\'s SERVICE <http://no/> {}'",
        '"""two\nlines "" SERVICE <http://no/> {} # """',
        "'''it''s\n''SERVICE <http://no/> {}'''",
        '"\\\\"',
        "'\\u0022 SERVICE <http://no/> {}'",
    ],
)
def test_strings_of_all_four_kinds_hide_nothing(literal: str) -> None:
    query = f"SELECT * WHERE {{ ?s ?p {literal} . SERVICE <http://yes/> {{ ?s ?p ?o }} }}"
    assert service_targets(query) == ["http://yes/"]


def test_comments_iris_and_variables_are_not_keywords() -> None:
    query = (
        "SELECT ?service WHERE { ?service <http://x/service#load> ?o # SERVICE <http://c/>\n"
        "?s <http://x/SERVICE> 'LOAD' }"
    )
    assert not has_keyword(query, "SERVICE", "LOAD")
    assert service_targets(query) == []


@pytest.mark.parametrize(
    ("query", "target"),
    [
        # A keyword is matched by its length, so it can be glued to what follows or precedes it.
        ("PREFIX ex: <http://e/> SELECT * { SERVICEex:s{ ?x ?y ?z } }", "http://e/s"),
        ("PREFIX : <http://e/> SELECT * { service:s { ?x ?y ?z } }", "http://e/s"),
        ("PREFIX ex: <http://e/> SELECT * { SERVICESILENTex:s{ ?x ?y ?z } }", "http://e/s"),
        ("SELECT * { ?s ?p trueSERVICE<http://e/t>{ ?x ?y ?z } }", "http://e/t"),
        # "<" is less-than here, so "#" starts a comment and SERVICE is outside any IRI.
        ("SELECT * { ?s ?p ?o FILTER(?o<?p)SERVICE#>\n<http://e/f>{ ?x ?y ?z } }", "http://e/f"),
        ("SELECT * { ?s ?p ?o FILTER(?o<'>')SERVICE<http://e/g>{ ?x ?y ?z } BIND('' AS ?x) }", "http://e/g"),
        # Prefixes are case-sensitive, and PREFIX may be glued to the name it declares.
        ("PREFIX ex: <http://a/> PREFIX EX: <http://b/> SELECT * { SERVICE ex:s { } }", "http://a/s"),
        ("PREFIX ex: <http://a/> PREFIXex:<http://b/> SELECT * { SERVICE ex:s { } }", "http://b/s"),
        # A long string with an escape of no code point is no string to Oxigraph: it reads ''
        # and short strings instead, and SERVICE is live.
        (
            "SELECT * { VALUES ?x { ''' ' } SERVICE <http://e/v> { ?a ?b ?c } #\\uD800\n"
            "VALUES ?y { '''' } } #'",
            "http://e/v",
        ),
        # A prefixed name whose IRI is invalid (two '#') is read as ex: and what follows.
        (
            "PREFIX ex: <http://a/#> PREFIX : <http://e/> SELECT * { ?s ?p ex:SERVICE:s\\#x { } }",
            "http://e/s#x",
        ),
        # Escapes resolve as Oxigraph resolves them.
        ("PREFIX ex: <http://e/> SELECT * { SERVICE ex:a\\-b { } }", "http://e/a-b"),
        ("SELECT * { SERVICE <http://e\\u002Fu> { } }", "http://e/u"),
        ("SELECT * { SERVIC\\u0045 <http://e/d> { } }", "http://e/d"),  # if decoded first
    ],
)
def test_service_is_found_where_oxigraph_finds_it(query: str, target: str) -> None:
    assert target in service_targets(query)
    assert has_keyword(query, "SERVICE")


def test_names_that_only_look_like_keywords_pass() -> None:
    assert not has_keyword(
        "PREFIX s: <http://schema.org/> SELECT * { ?x a s:Service ; s:load 1 }", "SERVICE", "LOAD"
    )
    assert not has_keyword(
        "PREFIX service: <http://s/> SELECT * { service:a service:b service:c }", "SERVICE"
    )
    assert not has_keyword("PREFIX download: <http://s/> INSERT DATA { download:a download:b 1 }", "LOAD")
    assert has_keyword("INSERT DATA { <a:a> <a:b> <a:c> };LOAD<http://x/>", "LOAD")
    assert has_keyword("PREFIX ex: <http://x/> LOADSILENTex:y", "LOAD")
    assert has_keyword("PREFIX ex: <http://x/> LOADex:y INTO GRAPH <http://g/> ;", "LOAD")
    assert has_keyword("PREFIX : <http://x/> load:y ; CLEAR ALL", "LOAD")
    assert not has_keyword("PREFIX loader: <http://s/> INSERT DATA { loader:a loader:b 1 }", "LOAD")


def test_text_that_cannot_be_tokenised_fails_safe() -> None:
    assert has_keyword("SELECT * { SERVICE <http://x/> { ?s ?p ?o } } \x0c", "SERVICE")
    assert service_targets("SELECT * { ?s ?p ?o } \\ SERVICE <http://x/> {}") == [None]
    assert not has_keyword("SELECT * { ?s ?p ?o } \x0c", "SERVICE")


def test_relative_and_variable_endpoints_are_unknown() -> None:
    assert service_targets("BASE <http://e/> SELECT * { SERVICE <s> { } }") == [None]
    assert service_targets("SELECT * { SERVICE ?e { } }") == [None]
    assert service_targets("SELECT * { SERVICE undeclared:s { } }") == [None]


def test_nesting_counts_every_bracket_kind_outside_strings() -> None:
    assert nesting_depth("SELECT * WHERE { { ?s ?p [ ?q ( 1 2 ) ] } }") == 4
    assert nesting_depth("SELECT * WHERE { ?s ?p '((((((((' }") == 1
    assert nesting_depth("SELECT * { FILTER(?o<((((1))))>2) }") == 6  # "<" as less-than
    assert nesting_depth("{" * 3000) == 3000


def test_chains_count_group_elements_and_operators_per_operation() -> None:
    assert chain_length("SELECT ?s { ?s ?p ?o BIND(1+2 AS ?x) } ") == 4  # AS too
    assert chain_length("SELECT ?s { ?s ?p ?o FILTER(?o = 'a||b' || ?o < 3) }") == 4  # "<" too
    assert chain_length("SELECT ?o { FILTER(?o<1+1+1>0) }") == 4  # '<' as less-than
    batch = " ; ".join(f"INSERT DATA {{ <a:s{i}> <a:p> {i} }}" for i in range(3000))
    assert chain_length(batch) == 1  # each operation of an update is its own chain


def test_from_is_found_at_the_top_level_only() -> None:
    assert query_dataset("SELECT * FROM <a:g> FROM NAMED <a:n> { }") == (True, True)
    assert query_dataset("SELECT * FROM NAMED <a:n> { }") == (False, True)
    assert query_dataset("SELECT * FROMNAMED<a:n> { }") == (False, True)
    assert query_dataset("PREFIX from: <a:> SELECT * { from:a ?p 'FROM' # FROM <a:b>\n }") == (False, False)
    assert query_dataset("SELECT * { { SELECT * FROM <a:g> { } } }") == (False, False)


def test_using_helpers_still_read_updates() -> None:
    update = (
        "PREFIX ex: <http://e/> WITH <urn:g> DELETE { ?s ex:a\\#b ?o } WHERE { ?s ?p ?o } ; "
        "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(?o<3) }"
    )
    assert names_dataset(update)
    assert with_using(update, ["urn:d"], []).count("USING <urn:d> WHERE") == 2


# ------------------------------------------------------------------ end to end


def test_the_escaped_hash_bypass_is_refused_and_nothing_is_contacted(client, listener) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/sparql", query_string={"query": BYPASS.format(url=listener.url())})
    assert response.status_code == 400
    assert "SERVICE" in response.get_data(as_text=True)
    assert listener.paths == []


def test_load_behind_an_escaped_hash_is_refused(writer, listener) -> None:  # type: ignore[no-untyped-def]
    update = (
        f"PREFIX ex: <http://e/> INSERT DATA {{ <http://e/s> ex:a\\#b 'x' }} ; LOAD <{listener.url('x')}>"
    )
    response = writer.post(
        "/update", data={"update": update}, headers={"Authorization": f"Bearer {WRITE_TOKEN}"}
    )
    assert response.status_code == 400
    assert "LOAD" in response.get_data(as_text=True)
    assert listener.paths == []


def test_a_deeply_nested_query_is_400_not_a_crashed_worker(client) -> None:  # type: ignore[no-untyped-def]
    query = "SELECT * WHERE " + "{" * 3000 + "?s ?p ?o" + "}" * 3000
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 400
    assert response.get_data(as_text=True).strip() == (
        f"the query nests 3000 levels deep; the limit is {MAX_NESTING}"
    )
    assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).status_code == 200


def test_a_deeply_nested_update_is_400_and_the_server_lives(writer) -> None:  # type: ignore[no-untyped-def]
    update = "INSERT { <a:s> <a:p> <a:o> } WHERE " + "{" * 5000 + "}" * 5000
    response = writer.post(
        "/update", data={"update": update}, headers={"Authorization": f"Bearer {WRITE_TOKEN}"}
    )
    assert response.status_code == 400
    assert "5000 levels deep" in response.get_data(as_text=True)
    assert writer.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).status_code == 200


def test_a_long_chain_of_binds_is_400_not_a_crashed_worker(client) -> None:  # type: ignore[no-untyped-def]
    query = "SELECT * WHERE { " + " ".join(f"BIND({i} AS ?x{i})" for i in range(3000)) + " }"
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 400
    assert f"the limit is {MAX_CHAIN}" in response.get_data(as_text=True)


def test_nesting_at_the_limit_still_runs(client) -> None:  # type: ignore[no-untyped-def]
    query = "SELECT * WHERE " + "{" * MAX_NESTING + "?s ?p ?o" + "}" * MAX_NESTING + " LIMIT 1"
    assert client.post("/sparql", data={"query": query}).status_code == 200


def _count(client, query: str) -> int:  # type: ignore[no-untyped-def]
    response = client.get(
        "/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return int(json.loads(response.data)["results"]["bindings"][0]["n"]["value"])


ONTOLOGY = "https://w3id.org/jtkg/graph/ontology"


def test_from_defines_the_default_graph(client) -> None:  # type: ignore[no-untyped-def]
    union = _count(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    own = _count(client, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ONTOLOGY}> {{ ?s ?p ?o }} }}")
    from_ontology = _count(client, f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY}> WHERE {{ ?s ?p ?o }}")
    assert 0 < from_ontology == own < union
    # FROM NAMED alone: the default graph is empty (SPARQL 1.1 §13.2), the named one is there.
    assert _count(client, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{ONTOLOGY}> {{ ?s ?p ?o }}") == 0
    assert (
        _count(client, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{ONTOLOGY}> {{ GRAPH ?g {{ ?s ?p ?o }} }}")
        == own
    )
    # The protocol's default-graph-uri still overrides the query's FROM.
    response = client.get(
        "/sparql",
        query_string={
            "query": f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY}> {{ ?s ?p ?o }}",
            "default-graph-uri": "https://w3id.org/jtkg/graph/nothing-here",
        },
        headers={"Accept": "application/sparql-results+json"},
    )
    assert json.loads(response.data)["results"]["bindings"][0]["n"]["value"] == "0"
