"""The query page as a plain HTML form (issue 15): results rendered by the server, paged
100 rows at a time with the total, CONSTRUCT as Turtle with the query's prefixes, an update
pointed to /update; the neighbourhood picture's links as a list."""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

from jtkg.server.query_results import is_update, query_prefixes

MANY = "SELECT ?n WHERE { VALUES ?x { " + " ".join(str(i) for i in range(250)) + " } BIND(?x AS ?n) }"


def _page(client, query: str, **extra: str):  # type: ignore[no-untyped-def]
    return client.get(
        "/query?" + urlencode({"query": query, "run": "1", **extra}), headers={"Accept": "text/html"}
    )


def test_the_query_page_is_a_form_that_works_without_script(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/query").get_data(as_text=True)
    form = page.split('<form id="query-form"')[1].split("</form>")[0]
    assert 'action="/query"' in form and 'method="get"' in form
    assert 'name="query"' in form and re.search(r'<button id="run" type="submit" name="run"', form)
    assert 'id="results"></div>' in page  # nothing run yet
    # Every example is a link that runs it, script or not.
    assert len(re.findall(r'<a href="/query\?query=[^"]+run=1" data-example=', page)) >= 10


def test_a_run_shows_the_rows_rendered_by_the_server(client) -> None:  # type: ignore[no-untyped-def]
    query = 'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?p ?name WHERE { ?p rdfs:label ?name FILTER(?name = "Yuka Koshino"@en) }'
    response = _page(client, query)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    table = page.split('id="result-table"')[1].split("</table>")[0]
    assert '<a href="/id/person/yuka-koshino">' in table and "Yuka Koshino" in table
    assert re.search(r'role="status">1 row<', page)
    assert "/sparql?query=" in page.split('id="downloads"')[1].split("</span>")[0]


def test_results_are_paged_with_the_total(client) -> None:  # type: ignore[no-untyped-def]
    first = _page(client, MANY).get_data(as_text=True)
    assert first.count("<tr><td>") == 100 and "Rows 1–100 of 250" in first
    assert 'role="status">250 rows<' in first
    next_link = html.unescape(re.search(r'rel="next" href="([^"]+)"', first)[1])
    third = client.get(next_link.replace("page=2", "page=3")).get_data(as_text=True)
    assert third.count("<tr><td>") == 50 and "Rows 201–250 of 250" in third and 'rel="next"' not in third
    # The download is the whole result, not the page.
    download = html.unescape(re.search(r'<a href="(/sparql\?[^"]+format=csv)"', first)[1])
    assert client.get(download).get_data(as_text=True).count("\n") == 251
    assert _page(client, MANY, page="0").status_code == 400


def test_an_update_is_sent_to_update(client) -> None:  # type: ignore[no-untyped-def]
    response = _page(client, "PREFIX ex: <http://example.org/>\nINSERT DATA { ex:a ex:b ex:c }")
    assert response.status_code == 400
    assert "send updates to /update" in response.get_data(as_text=True)
    assert "expected CONSTRUCT" not in response.get_data(as_text=True)
    assert is_update("# a comment\nBASE <http://x/>\nDELETE WHERE { ?s ?p ?o }")
    assert not is_update("PREFIX insert: <http://x/> SELECT * WHERE { ?s insert:p ?o }")


def test_construct_is_turtle_with_the_query_prefixes(client) -> None:  # type: ignore[no-untyped-def]
    query = (
        "PREFIX jt: <https://w3id.org/jtkg/ontology#>\nPREFIX id: <https://w3id.org/jtkg/id/>\n"
        "CONSTRUCT { ?p a jt:Person } WHERE { ?p a jt:Person } LIMIT 3"
    )
    page = _page(client, query).get_data(as_text=True)
    turtle = html.unescape(page.split('<pre class="turtle">')[1].split("</pre>")[0])
    assert "@prefix jt: <https://w3id.org/jtkg/ontology#>" in turtle
    assert "jt:Person" in turtle and "<https://w3id.org/jtkg/ontology#Person>" not in turtle
    assert query_prefixes(query) == {
        "jt": "https://w3id.org/jtkg/ontology#",
        "id": "https://w3id.org/jtkg/id/",
    }


def test_a_malformed_query_is_shown_on_the_page(client) -> None:  # type: ignore[no-untyped-def]
    response = _page(client, "SELECT * WHERE { ?s ?p ")
    assert response.status_code == 400
    assert re.search(r'class="error" role="alert">400: malformed query', response.get_data(as_text=True))


def test_the_neighbourhood_is_also_a_list_of_links(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/id/person/yuka-koshino", headers={"Accept": "text/html"}).get_data(as_text=True)
    listed = page.split('id="neighbourhood-list"')[1].split("</ul>")[0]
    assert re.search(r'<li><a href="/id/[^"]+">[^<]+</a>', listed)
