"""Search an analyst can page through (issue 15): "1 match", labels cut at a word, pages
past the first 50, and an issue's name finds the statements its page lists."""

from __future__ import annotations

import re

from jtkg.graph.search import MAX_HITS, SearchIndex
from jtkg.graph.views import entity_view

SEMICONDUCTORS = "https://w3id.org/jtkg/id/issue/semiconductors"


def test_counts_are_singular_or_plural(client, oxstore) -> None:  # type: ignore[no-untyped-def]
    index = SearchIndex(oxstore)
    label = next(
        h.label for h in index.search("university", limit=200) if h.kind and len(index.search(h.label)) == 1
    )
    page = client.get("/search", query_string={"q": label}).get_data(as_text=True)
    assert re.search(r'id="search-summary">1 match for', page)
    assert "1 best matches" not in page and "1 matches" not in page


def test_quote_labels_end_at_a_word(oxstore) -> None:  # type: ignore[no-untyped-def]
    index = SearchIndex(oxstore)
    cut = [h for h in index.search("japan", limit=1000) if h.label.endswith("…")]
    assert cut
    quotes = {
        r["s"].value: " ".join(r["q"].value.split())
        for r in oxstore.query(
            "SELECT ?s ?q WHERE { ?s <https://w3id.org/jtkg/ontology#quote> ?q }",
            use_default_graph_as_union=True,
        )
    }
    for hit in cut:
        shown = hit.label.removesuffix("…")
        quote = quotes[hit.iri]
        assert quote.startswith(shown) and (quote[len(shown)] in " ,;:" or not quote[len(shown)].isalnum())


def test_search_pages_past_the_first_fifty(client) -> None:  # type: ignore[no-untyped-def]
    first = client.get("/search", query_string={"q": "japan"}).get_data(as_text=True)
    second = client.get("/search", query_string={"q": "japan", "page": "2"}).get_data(as_text=True)
    links = [re.findall(r'<li><a href="([^"]+)"', page) for page in (first, second)]
    assert len(links[0]) == MAX_HITS and links[1] and not set(links[0]) & set(links[1])
    assert 'rel="next" href="/search?q=japan&amp;page=2"' in first and 'rel="prev"' in second
    assert 'start="51"' in second and "Matches 51–" in second
    assert client.get("/search", query_string={"q": "japan", "page": "0"}).status_code == 400


def test_an_issue_name_finds_the_statements_its_page_lists(oxstore) -> None:  # type: ignore[no-untyped-def]
    view = entity_view(oxstore, SEMICONDUCTORS, rows=1000)
    assert view is not None and view.statements_about
    found = {h.iri for h in SearchIndex(oxstore).search(view.label, limit=1000)}
    assert {s["s"] for s in view.statements_about} <= found
