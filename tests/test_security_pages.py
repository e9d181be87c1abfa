"""The HTML pages against hostile data and hostile links: only http(s) IRIs become links,
every response carries the security headers, search snippets stay well-formed markup, and a
malformed ?highlight= is one line of 400, never 500. (Issue 12, items 2 and 3.)"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from jtkg.graph.search import SearchIndex
from jtkg.graph.store import StoreLocation
from jtkg.server.app import create_app

KOSHINO = "https://w3id.org/jtkg/id/person/yuka-koshino"
STIMSON = "/id/document/stimson-japan-taiwan-relations-webinar"
EVIL = "javascript:alert(document.domain)"
SEE_ALSO = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")
QUOTE = ox.NamedNode("https://w3id.org/jtkg/ontology#quote")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
GRAPH = ox.NamedNode("https://w3id.org/jtkg/graph/test-hostile")


def add_quads(store: Path, quads: list[ox.Quad]) -> None:
    """Writes straight into the published generation of a test's own store copy."""
    location = StoreLocation(store)
    writable = ox.Store(str(location.path / str(location.current_generation())))
    writable.extend(quads)
    writable.flush()
    del writable  # releases the lock before the app opens it


@pytest.fixture
def hostile(store: Path):  # type: ignore[no-untyped-def]
    """An app over a store holding javascript: IRIs as objects and subjects of facts, and a
    quote with literal square brackets."""
    koshino = ox.NamedNode(KOSHINO)
    evil = ox.NamedNode(EVIL)
    add_quads(
        store,
        [
            ox.Quad(koshino, SEE_ALSO, evil, GRAPH),
            ox.Quad(ox.NamedNode("javascript:alert(2)"), SEE_ALSO, koshino, GRAPH),
            ox.Quad(
                ox.NamedNode("https://w3id.org/jtkg/id/statement/brackets"),
                QUOTE,
                ox.Literal("The [sic] zebraphrase said <b>bold</b> and ] closes [ opens"),
                GRAPH,
            ),
        ],
    )
    app = create_app({"STORE": store, "TESTING": True})
    yield app.test_client()
    app.extensions["jtkg.queries"].close()


def _hrefs(page: str) -> list[str]:
    return re.findall(r"""(?:href|src|action)\s*=\s*["']?([^"'\s>]*)""", page, flags=re.I)


def test_stored_javascript_iris_are_text_not_links(hostile) -> None:  # type: ignore[no-untyped-def]
    page = hostile.get("/id/person/yuka-koshino", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert EVIL in page and "javascript:alert(2)" in page  # shown ...
    assert not [h for h in _hrefs(page) if not h.startswith(("/", "#", "?", "http://", "https://"))]
    assert "javascript:" not in page.split('id="neighbourhood-data"')[-1].split("</script>")[0]


def test_query_results_link_only_http_iris() -> None:
    # The results table is drawn by query.js (the browser test runs it); here: its rule.
    script = (Path(__file__).resolve().parents[1] / "server" / "static" / "query.js").read_text()
    assert "linkable(term.value)" in script and "/^https?:\\/\\//i" in script


def test_query_page_escapes_the_query_it_is_given(client) -> None:  # type: ignore[no-untyped-def]
    query = 'SELECT ?x WHERE { BIND(IRI("javascript:alert(document.domain)") AS ?x) } </textarea><script>alert(1)</script>'
    response = client.get("/query", query_string={"run": "", "query": query})
    page = response.get_data(as_text=True)
    assert response.status_code == 400  # run by the server: malformed, and said so on the page
    assert "<script>alert(1)" not in page and "&lt;/textarea&gt;&lt;script&gt;" in page
    assert 'class="error" role="alert">400: malformed query' in page


def test_server_rendered_results_link_only_http_iris(client) -> None:  # type: ignore[no-untyped-def]
    query = 'SELECT ?x ?y WHERE { BIND(IRI("javascript:alert(document.domain)") AS ?x) BIND("<b>" AS ?y) }'
    page = client.get("/query", query_string={"run": "1", "query": query}).get_data(as_text=True)
    table = page.split('id="result-table"')[1].split("</table>")[0]
    assert '<td><span class="iri-text">javascript:alert(document.domain)</span></td>' in table
    assert "<a " not in table
    assert "<td>&lt;b&gt;</td>" in table


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/query",
        "/search?q=koshino",
        "/timeline",
        "/id/person/yuka-koshino",
        STIMSON + "?highlight=10-60",
        "/ontology",
        "/nowhere",
    ],
)
def test_every_page_sends_the_security_headers(client, path: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(path, headers={"Accept": "text/html"})
    policy = {
        d.split()[0]: d.split()[1:]
        for d in response.headers["Content-Security-Policy"].split(";")
        if d.strip()
    }
    assert policy["default-src"] == ["'self'"] and policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_other_responses_are_not_sniffed(client) -> None:  # type: ignore[no-untyped-def]
    for path in ("/sparql?query=ASK%7B%7D", "/static/query.js", "/context.jsonld"):
        assert client.get(path).headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/query",
        "/search?q=koshino",
        "/timeline",
        "/id/person/yuka-koshino",
        STIMSON + "?highlight=10-60",
    ],
)
def test_pages_need_no_inline_script_or_style(client, path: str) -> None:  # type: ignore[no-untyped-def]
    page = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
    for tag in re.findall(r"<script\b[^>]*>", page):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"<[^>]+\s(style|on[a-z]+)\s*=", page)
    assert "<style" not in page


def test_snippets_keep_literal_brackets_as_text() -> None:
    store = ox.Store()
    store.add(
        ox.Quad(
            ox.NamedNode("https://w3id.org/jtkg/id/statement/s"),
            QUOTE,
            ox.Literal("A [sic] zebraphrase ] and [ more \ue000 junk"),
            ox.DefaultGraph(),
        )
    )
    hit = SearchIndex(store).search("zebraphrase")[0]
    assert [text for text, match in hit.snippet if match] == ["zebraphrase"]
    assert "".join(text for text, _ in hit.snippet) == "A [sic] zebraphrase ] and [ more  junk"


def test_search_page_marks_only_the_match(hostile) -> None:  # type: ignore[no-untyped-def]
    page = hostile.get("/search?q=zebraphrase").get_data(as_text=True)
    results = page.split('id="search-results"')[1]
    assert results.count("<mark>") == results.count("</mark>") == 1
    assert "<mark>zebraphrase</mark>" in results and "[sic]" in results
    assert "&lt;b&gt;bold&lt;/b&gt;" in results and "<b>" not in results


@pytest.mark.parametrize(
    "value",
    [
        "²-5",
        "1-²",
        "0" * 5000 + "1-" + "9" * 5000,
        "60-10",
        "5-5",
        "-5",
        "a-b",
        "1-2-3",
        " 1-2",
        "١-٥",
        "10000000000-20000000000",
    ],
    ids=lambda v: v if len(v) < 20 else f"{len(v)}-chars",
)
def test_a_malformed_highlight_is_one_line_of_400(client, value: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(STIMSON, query_string={"highlight": value}, headers={"Accept": "*/*"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert body.count("\n") == 1 and body.startswith("highlight must be START-END")


def test_a_highlight_outside_the_text_marks_nothing(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(
        STIMSON, query_string={"highlight": "900000000-900000010"}, headers={"Accept": "text/html"}
    )
    assert response.status_code == 200 and "<mark" not in response.get_data(as_text=True)
    marked = client.get(STIMSON + "?highlight=10-60", headers={"Accept": "text/html"})
    assert 'id="passage"' in marked.get_data(as_text=True)
