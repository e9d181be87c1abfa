"""Linked-data and UI pages through the Flask client: evidence, documents, search, timeline,
publishing URLs. The browser tests (test_browser.py) cover the same pages in Chromium."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace

from jtkg.graph import views
from jtkg.graph.build import build
from jtkg.graph.overview import home_view, timeline
from jtkg.graph.search import SearchIndex
from jtkg.graph.store import StoreLocation
from jtkg.graph.views import PAGE_CHARS, SECTION_ROWS, document_view, entity_view
from jtkg.server.app import create_app

VOID = Namespace("http://rdfs.org/ns/void#")
KOSHINO = "https://w3id.org/jtkg/id/person/yuka-koshino"
STIMSON = "https://w3id.org/jtkg/id/document/stimson-japan-taiwan-relations-webinar"
JAPAN = "https://w3id.org/jtkg/id/state/japan"
NAMES = ("Yuka Koshino", "Tsai Ing-wen", "Shinzo Abe", "Lai Ching-te", "Fumio Kishida")


def test_entity_view_carries_evidence(oxstore) -> None:  # type: ignore[no-untyped-def]
    view = entity_view(oxstore, KOSHINO)
    assert view is not None and view.label == "Yuka Koshino"
    assert any(p["orgLabel"] == "International Institute of Strategy Studies" for p in view.positions)
    assert len(view.statements_by) >= 5
    text = document_view(oxstore, STIMSON, page_chars=10_000_000)  # the whole text on one page
    assert text is not None and text.pages == 1
    for statement in view.statements_by:
        start, end = int(statement["start"]), int(statement["end"])
        assert text.text[start:end] == statement["quote"]  # the passage is the exact words
    asserted = [f for f in view.facts if not f.inferred and f.is_iri]
    assert asserted and all(p.document == STIMSON for f in asserted for p in f.passages)
    assert any(f.passages for f in asserted)
    assert entity_view(oxstore, "https://w3id.org/jtkg/id/person/nobody") is None


def test_document_view_links_mentions_and_marks_the_passage(oxstore) -> None:  # type: ignore[no-untyped-def]
    view = document_view(oxstore, STIMSON, (100, 200))
    assert view is not None
    assert "".join(text for text, _, _ in view.segments) == view.text
    assert "".join(text for text, _, marked in view.segments if marked) == view.text[100:200]
    assert sum(1 for _, iri, _ in view.segments if iri == KOSHINO) >= 5


def test_timeline_is_ordered_and_names_parties(oxstore) -> None:  # type: ignore[no-untyped-def]
    items = timeline(oxstore)
    assert [i.date for i in items] == sorted(i.date for i in items)
    fisheries = next(i for i in items if "Fisheries" in i.label)
    assert fisheries.kind == "Agreement" and {label for _, label in fisheries.with_} == {"Japan", "Taiwan"}


def test_search_ranks_names_before_quotes(oxstore) -> None:  # type: ignore[no-untyped-def]
    index = SearchIndex(oxstore)
    hits = index.search("koshino")
    assert hits[0].iri == KOSHINO and hits[0].kind == "Person"
    assert any(h.kind in ("Statement", "Recommendation") and ("Koshino", True) in h.snippet for h in hits)
    assert index.search("fisheries agreement")[0].kind == "Agreement"
    assert index.search('"); DROP TABLE entry; --') == [] and index.search("") == []


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/query",
        "/query?class=Person",
        "/timeline",
        "/search?q=Tsai",
        "/id/person/yuka-koshino",
        "/id/document/stimson-japan-taiwan-relations-webinar?highlight=10-60",
        "/ontology",
        "/shapes",
    ],
)
def test_pages_render_as_html(client, path: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "/static/app.css" in page
    assert not re.search(r"""(src|href)=["']https?://(?!w3id\.org)""", page.split("<main>")[0])


def test_entity_page_shows_quotes_and_links_to_the_passage(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/id/person/yuka-koshino", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "Statements by Yuka Koshino" in page and "Research Fellow" in page
    assert re.search(
        r'href="/id/document/stimson-japan-taiwan-relations-webinar\?highlight=\d+-\d+#passage"', page
    )
    assert 'id="neighbourhood-data"' in page


def test_ontology_and_shapes_dereference_by_content_negotiation(client) -> None:  # type: ignore[no-untyped-def]
    for path in ("/ontology", "/shapes"):
        turtle = client.get(path, headers={"Accept": "text/turtle"})
        assert turtle.mimetype == "text/turtle" and turtle.headers["Vary"] == "Accept"
        assert len(Graph().parse(data=turtle.get_data(as_text=True), format="turtle")) > 50
        assert client.get(path, headers={"Accept": "application/ld+json"}).mimetype == "application/ld+json"


def test_void_and_dumps(client) -> None:  # type: ignore[no-untyped-def]
    description = Graph().parse(
        data=client.get("/void", headers={"Accept": "text/turtle"}).get_data(as_text=True), format="turtle"
    )
    dataset = next(description.subjects(VOID.sparqlEndpoint, None))
    triples = int(description.value(dataset, VOID.triples))
    assert triples > 20_000 and int(description.value(dataset, VOID.entities)) > 100
    assert len(set(description.objects(dataset, VOID.exampleResource))) >= 3
    dumps = set(description.objects(dataset, VOID.dataDump))
    assert len(dumps) == 3
    nquads = client.get("/dumps/jtkg.nq")
    assert nquads.status_code == 200
    assert len(list(ox.parse(nquads.get_data(), format=ox.RdfFormat.N_QUADS))) == triples
    assert client.get("/dumps/other.nq").status_code == 404
    context = client.get("/context.jsonld")
    assert context.mimetype == "application/ld+json" and "@context" in context.get_json()


def test_a_dump_that_cannot_be_written_is_a_clean_503(client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def refused(*args: object, **kwargs: object) -> None:
        raise OSError(13, "Permission denied")

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("jtkg.server.publish.export", refused)
    response = client.get("/dumps/jtkg.trig")
    assert response.status_code == 503
    assert (
        response.get_data(as_text=True)
        == "the dump cannot be written in the store folder: Permission denied\n"
    )
    monkeypatch.setattr("jtkg.server.publish.export", full_disk)  # a full disk is 507 (item 6)
    response = client.get("/dumps/jtkg.trig")
    assert response.status_code == 507 and response.get_data(as_text=True).count("\n") == 1


def test_entity_sections_page_with_limits(oxstore) -> None:  # type: ignore[no-untyped-def]
    first = entity_view(oxstore, JAPAN, rows=7)
    assert first is not None and {"incoming", "mentions", "statements_about"} <= set(first.more)
    assert len(first.incoming) == len(first.mentions) == len(first.statements_about) == 7
    everything = entity_view(oxstore, JAPAN, rows=100_000)
    assert everything is not None and not everything.more
    pages, offset = [], 0
    while True:  # paging through one section meets every row once
        view = entity_view(oxstore, JAPAN, "incoming", offset, rows=7)
        assert view is not None and view.section == "incoming" and not view.facts
        pages += view.incoming
        if "incoming" not in view.more:
            break
        offset = view.more["incoming"]
    assert sorted(pages) == sorted(everything.incoming) and len(pages) > 7


def test_entity_page_links_to_more_of_each_section(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/id/state/japan", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert f'href="?more=mentions&amp;from={SECTION_ROWS}"' in page
    assert page.split('id="mentions"')[1].split("</ul>")[0].count("<li>") == SECTION_ROWS
    more = client.get(f"/id/state/japan?more=mentions&from={SECTION_ROWS}", headers={"Accept": "text/html"})
    text = more.get_data(as_text=True)
    assert (
        more.status_code == 200
        and 'id="mentions"' in text
        and 'rel="prev" href="?more=mentions&amp;from=0"' in text
    )
    assert 'id="facts"' not in text and 'id="incoming"' not in text  # that one section only
    for bad in (
        "?more=everything",
        "?more=incoming&from=-1",
        "?more=incoming&from=99999999",
        "?page=0",
        "?page=x",
    ):
        response = client.get("/id/state/japan" + bad, headers={"Accept": "*/*"})
        assert response.status_code == 400 and response.get_data(as_text=True).count("\n") == 1


def test_page_data_is_computed_in_a_worker(client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def not_here(*args: object, **kwargs: object) -> None:
        raise AssertionError("page data computed in the server process")

    from jtkg.graph import describe, overview
    from jtkg.server import pages, ui

    for module in (views, overview, describe, pages, ui):  # the server's copies too
        for name in ("entity_page", "entity_view", "document_view", "entity_rdf", "home_view", "timeline"):
            monkeypatch.setattr(module, name, not_here, raising=False)
    from jtkg.graph import search

    monkeypatch.setattr(search, "search", not_here)
    monkeypatch.setattr(search, "SearchIndex", not_here)
    monkeypatch.setattr(ui, "SearchIndex", not_here, raising=False)
    for path, accept in (
        ("/", "text/html"),
        ("/timeline", "text/html"),
        ("/search?q=koshino", "text/html"),
        ("/id/person/yuka-koshino", "text/html"),
        ("/id/person/yuka-koshino", "text/turtle"),
        ("/id/document/stimson-japan-taiwan-relations-webinar", "text/html"),
    ):
        assert client.get(path, headers={"Accept": accept}).status_code == 200


@pytest.fixture(scope="module")
def long_document(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A store holding one document of 3,000 lines of names (about 90,000 characters)."""
    folder = tmp_path_factory.mktemp("long")
    text = "# Names register\n\n" + "\n".join(f"{NAMES[i % 5]} spoke, line {i}." for i in range(3000)) + "\n"
    (folder / "names-register.txt").write_text(text, encoding="utf-8")
    result = build([folder / "names-register.txt"], StoreLocation(folder / "store"))
    assert result.published, result.failures
    return folder / "store", text


@pytest.fixture
def long_client(long_document: tuple[Path, str], tmp_path: Path):  # type: ignore[no-untyped-def]
    shutil.copytree(long_document[0], tmp_path / "store")
    app = create_app({"STORE": tmp_path / "store", "TESTING": True})
    yield app.test_client()
    app.extensions["jtkg.queries"].close()


def _document_text(page: str) -> str:
    import html

    inner = page.split('id="document-text">')[1].split("</div>")[0]
    return html.unescape(re.sub(r"<[^>]+>", "", inner))


def _letters(text: str) -> str:
    """The text without spaces, line breaks and Markdown's heading marks (a Markdown page
    shows its blocks, not the blank lines between them)."""
    return re.sub(r"[\s#]", "", text)


def test_a_long_document_is_shown_a_page_at_a_time(long_document, long_client) -> None:  # type: ignore[no-untyped-def]
    _, text = long_document
    path = "/id/document/names-register"
    first = long_client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
    shown = _document_text(first)
    assert _letters(text).startswith(_letters(shown)) and PAGE_CHARS - 400 < len(shown) <= PAGE_CHARS
    assert 'rel="next" href="?page=2"' in first and "Page 1 of 5" in first
    links = re.findall(r'<a href="/id/person/[^"]+" class="mention">', first)
    assert 0 < len(links) <= shown.count("\n")  # only this page's mentions are linked
    assert len(first) < 4 * PAGE_CHARS  # the rest of the text is not in the page
    joined, number = shown, 2
    while number <= 5:  # the pages together are the text, in order, each cut after a line
        page = long_client.get(f"{path}?page={number}", headers={"Accept": "text/html"}).get_data(
            as_text=True
        )
        assert "line 2999." not in joined
        joined += _document_text(page)
        number += 1
    assert (
        _letters(joined) == _letters(text)
        and 'rel="next"' not in page
        and 'rel="prev" href="?page=4"' in page
    )
    assert long_client.get(f"{path}?page=6", headers={"Accept": "text/html"}).status_code == 404
    # A citation link opens the page that holds the passage, with the passage marked.
    start = text.index("line 2500.")
    cited = long_client.get(f"{path}?highlight={start}-{start + 10}", headers={"Accept": "text/html"})
    marked = cited.get_data(as_text=True)
    assert '<mark id="passage">line 2500.</mark>' in marked and "Page 1 of" not in marked


class _OxigraphAsExternalStore:
    """Answers the SPARQL protocol calls RemoteDataset makes, from a local store, with the
    dataset given as the protocol's default-graph-uri and named-graph-uri."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def query(
        self,
        text: str,
        accept: str,
        default_graphs: list[str] = (),  # type: ignore[assignment]
        named_graphs: list[str] = (),
    ) -> bytes:  # type: ignore[assignment]
        result = self.store.query(
            text,
            default_graph=[ox.NamedNode(g) for g in default_graphs],
            named_graphs=[ox.NamedNode(g) for g in named_graphs],
        )
        if isinstance(result, ox.QueryTriples):
            return ox.serialize(list(result), format=ox.RdfFormat.N_TRIPLES)
        return result.serialize(format=ox.QueryResultsFormat.JSON)


def test_page_views_work_on_an_external_store(oxstore) -> None:  # type: ignore[no-untyped-def]
    from jtkg.graph.remote import RemoteDataset

    remote = RemoteDataset(
        _OxigraphAsExternalStore(oxstore),  # type: ignore[arg-type]
        {g.value: 0 for g in oxstore.named_graphs()},
    )
    for iri in (KOSHINO, JAPAN, STIMSON):
        here, there = views.entity_page(oxstore, iri), views.entity_page(remote, iri)
        assert here is not None and there is not None
        assert there.entity.label == here.entity.label and there.entity.more == here.entity.more
        facts = [{(f.predicate, f.value, f.inferred) for f in v.entity.facts} for v in (here, there)]
        if "facts" in here.entity.more:  # a first page: which rows come first is the store's order
            assert len(facts[0]) == len(facts[1]) == views.SECTION_ROWS
        else:
            assert facts[0] == facts[1]
        assert len(there.entity.statements_by) == len(here.entity.statements_by)
        assert (there.document is None) == (here.document is None)
    assert there.document is not None and here.document is not None
    assert there.document.segments == here.document.segments
    assert home_view(remote).counts == home_view(oxstore).counts
    assert views.entity_page(remote, "https://w3id.org/jtkg/id/person/nobody") is None
