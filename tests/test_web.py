"""Web pages: main text without the page's chrome, the page's own metadata, one-line refusals
of login walls and error pages, and the same facts as the same text in Markdown."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal
from rdflib.namespace import DCTERMS

from jtkg.loaders import web
from jtkg.loaders.extract import Extraction, Extractor
from jtkg.loaders.reader import DocumentError, read_document
from jtkg.ontology import ID, JT, OA

PAGES = Path(__file__).parent / "fixtures" / "web"
ARTICLES = sorted(p.stem for p in PAGES.glob("*.html") if p.with_suffix(".main.txt").exists())

#: Text that each fixture page carries around its article and that must not be read as it.
CHROME = [
    "We use cookies",
    "Accept all",
    "Share on Facebook",
    "Subscribe",
    "Related articles",
    "You may also like",
    "Leave a reply",
    "Most read",
    "Most popular",
    "All rights reserved",
    "About time. The fishermen",
    "Margaret Lee",
    "Tamaki Denny",
    "Kim Sung-han",
    "Get the Asia Briefing",
    "Support independent research",
    "Print this page",
    "Read more:",
    "Photo: Agency staff",
    "Teuila",
    "More interviews",
    "Posted on",
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _body_paragraphs(name: str) -> list[str]:
    """The known main text's paragraphs that are sentences (headings may be left out)."""
    gold = (PAGES / f"{name}.main.txt").read_text(encoding="utf-8")
    return [p.strip() for p in gold.split("\n\n") if p.strip().endswith((".", '"', "?"))]


@pytest.mark.parametrize("name", ARTICLES)
def test_main_text_keeps_the_article_and_drops_the_chrome(name: str) -> None:
    text = read_document(PAGES / f"{name}.html").text
    for paragraph in _body_paragraphs(name):
        assert paragraph in text
    leaked = [c for c in CHROME if c in text]
    assert not leaked, f"{name}: page chrome read as text: {leaked}"


def test_the_stripper_alone_reads_the_chrome_too() -> None:
    # Why trafilatura reads pages first: the stripper keeps whatever is not in <nav>/<footer>.
    text = web.html_to_text((PAGES / "coast-guard-hotline.html").read_text(encoding="utf-8"))
    assert "We use cookies" in text and "Margaret Lee" in text


def test_metadata_from_json_ld_open_graph_and_canonical_link() -> None:
    meta = read_document(PAGES / "coast-guard-hotline.html").front_matter
    assert meta == {
        "title": "Japan and Taiwan Open a Coast Guard Hotline",
        "authors": ["Naomi Whitfield", "Daniel Cho"],
        "publisher": "Harbour Daily",
        "date": "2025-03-10",
        "source": "https://news.example.org/asia/2025/03/coast-guard-hotline",
    }


def test_metadata_from_meta_tags() -> None:
    meta = read_document(PAGES / "shuttle-diplomacy.html").front_matter
    assert meta == {
        "title": "Seoul and Tokyo Restart Shuttle Diplomacy",
        "author": "Grace Whitaker",
        "publisher": "Northeast Asia Forum",
        "date": "2024-11-18",
        "source": "https://forum.example.net/commentary/seoul-tokyo-shuttle-diplomacy",
    }


def test_metadata_from_a_json_ld_graph() -> None:
    meta = read_document(PAGES / "trilateral-summit.html").front_matter
    assert meta["author"] == "Lucas Brennan" and meta["publisher"] == "The Asia Quarterly"
    assert meta["date"] == "2025-06-02"
    assert meta["source"] == "https://asiaquarterly.example.com/features/trilateral-summit-returns"


def test_title_element_loses_the_site_suffix_and_broken_json_ld_is_ignored() -> None:
    html = (
        "<html><head><title>Tokyo Hosts Pacific Talks | Island Review</title>"
        "<meta property='og:site_name' content='Island Review'>"
        "<script type='application/ld+json'>{not json</script>"
        "<link rel='canonical' href='/relative/path'></head><body></body></html>"
    )
    meta = web.page_metadata(html)
    assert meta == {
        "page_title": "Tokyo Hosts Pacific Talks | Island Review",
        "title": "Tokyo Hosts Pacific Talks",
        "publisher": "Island Review",
    }


def test_page_metadata_reaches_the_document_facts(extractor: Extractor) -> None:
    ex = extractor.extract_file(PAGES / "coast-guard-hotline.html")
    f, d = ex.facts, ex.doc_iri
    assert set(f.objects(d, DCTERMS.creator)) == {ID["person/naomi-whitfield"], ID["person/daniel-cho"]}
    assert f.value(d, DCTERMS.title) == Literal("Japan and Taiwan Open a Coast Guard Hotline")
    assert str(f.value(d, DCTERMS.issued)) == "2025-03-10"
    assert str(f.value(d, DCTERMS.source)) == "https://news.example.org/asia/2025/03/coast-guard-hotline"
    assert f.value(d, DCTERMS.publisher) is not None


@pytest.mark.parametrize("name", ["coast-guard-hotline", "pacific-allies-interview"])
def test_every_quote_is_verbatim_in_the_extracted_text(extractor: Extractor, name: str) -> None:
    ex = extractor.extract_file(PAGES / f"{name}.html")
    text, checked = ex.document.text, 0
    for selector in ex.evidence.subjects(RDF.type, OA.TextPositionSelector):
        target = ex.evidence.value(None, OA.hasSelector, selector)
        quote = next(
            q
            for q in ex.evidence.objects(target, OA.hasSelector)
            if (q, RDF.type, OA.TextQuoteSelector) in ex.evidence
        )
        start, end = int(ex.evidence.value(selector, OA.start)), int(ex.evidence.value(selector, OA.end))
        assert text[start:end] == str(ex.evidence.value(quote, OA.exact))
        assert text[:start].endswith(str(ex.evidence.value(quote, OA.prefix)))
        checked += 1
    assert checked > 10
    for _, quote in ex.facts.subject_objects(JT.quote):
        assert str(quote) in text


def _facts(ex: Extraction) -> tuple[set[object], set[tuple[object, ...]]]:
    f: Graph = ex.facts
    mentioned = set(f.objects(ex.doc_iri, JT.mentions))
    statements = {
        (f.value(s, RDF.type), speaker, str(f.value(s, JT.quote)))
        for s, speaker in f.subject_objects(JT.statedBy)
    }
    return mentioned, statements


@pytest.mark.parametrize("name", ["coast-guard-hotline", "shuttle-diplomacy", "code-of-conduct"])
def test_a_page_and_the_same_text_in_markdown_give_the_same_facts(
    extractor: Extractor, tmp_path: Path, name: str
) -> None:
    page = extractor.extract_file(PAGES / f"{name}.html")
    meta = page.document.front_matter
    names = meta.get("authors") or [meta["author"]]
    front = (
        f'---\ntitle: "{meta["title"]}"\nauthors: [{", ".join(names)}]\n'
        f"publisher: {meta['publisher']}\ndate: {meta['date']}\nsource: {meta['source']}\n---\n"
    )
    gold = (PAGES / f"{name}.main.txt").read_text(encoding="utf-8")
    markdown = tmp_path / f"{name}.md"
    markdown.write_text(front + "# " + gold, encoding="utf-8")
    md = extractor.extract_file(markdown)
    page_mentions, page_statements = _facts(page)
    md_mentions, md_statements = _facts(md)
    assert page_statements and page_statements == md_statements
    assert page_mentions == md_mentions
    for p in (DCTERMS.creator, DCTERMS.publisher, DCTERMS.issued, DCTERMS.source, DCTERMS.title):
        assert set(page.facts.objects(page.doc_iri, p)) == set(md.facts.objects(md.doc_iri, p))


@pytest.mark.parametrize(
    ("name", "html"),
    [
        ("login-wall.html", None),
        ("not-found.html", None),
        (
            "soft-404.html",
            "<html><head><title>Error 404</title></head><body><h1>Oops!</h1>"
            "<p>We could not find that story. It may have been removed.</p></body></html>",
        ),
        ("tiny.html", "<html><body><div>Loading…</div></body></html>"),
        (
            "chrome-only.html",
            "<html><body><nav>Home | World | Asia</nav><footer>© 2025</footer></body></html>",
        ),
    ],
)
def test_pages_without_article_text_are_one_line(tmp_path: Path, name: str, html: str | None) -> None:
    path = PAGES / name
    if html is not None:
        path = tmp_path / name
        path.write_text(html, encoding="utf-8")
    with pytest.raises(DocumentError) as info:
        read_document(path)
    message = str(info.value)
    assert message.endswith(f"{name}: the page has no article text (a login or error page?)")
    assert "\n" not in message


def test_a_short_article_with_a_search_box_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "brief.html"
    path.write_text(
        "<html><head><title>Brief</title></head><body><form><input type=search></form>"
        "<p>Prime Minister Jane Roe met President Lai Ching-te in Taipei on Friday.</p>"
        "</body></html>",
        encoding="utf-8",
    )
    assert "Jane Roe met President Lai" in read_document(path).text


def test_charset_from_the_server_then_the_page_then_utf8(tmp_path: Path) -> None:
    body = "<p>The envoy met reporters at the Café Lumière in Taipei and said the talks went well.</p>"
    path = tmp_path / "cp1252.html"
    path.write_bytes(f"<html><body>{body}</body></html>".encode("cp1252"))
    declared = read_document(path, charset="windows-1252")
    assert "Café Lumière" in declared.text and not declared.warnings
    guessed = read_document(path)  # nothing declared, not UTF-8: detected, and said so
    assert "Café Lumière" in guessed.text
    assert any("no charset declared" in w and "cp1252" in w for w in guessed.warnings)
    meta = tmp_path / "meta.html"
    meta.write_bytes(
        f"<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1252'>"
        f"</head><body>{body}</body></html>".encode("cp1252")
    )
    assert "Café Lumière" in read_document(meta).text
    # The server's declaration wins over the page's own.
    utf8 = tmp_path / "utf8.html"
    utf8.write_bytes(f"<html><head><meta charset='windows-1252'></head><body>{body}</body></html>".encode())
    assert "Café Lumière" in read_document(utf8, charset="utf-8").text


def test_a_shift_jis_page_is_decoded_and_quoted_as_decoded(tmp_path: Path) -> None:
    path = tmp_path / "sjis.html"
    text = (
        "<p>Foreign Minister Aiko Morishita said on Monday that Japan and the Philippines "
        "would train together more often. 「日本とフィリピンの協力は重要だ」と述べた。</p>"
    )
    path.write_bytes(
        f"<html><head><meta charset='Shift_JIS'></head><body>{text}</body></html>".encode("shift_jis")
    )
    assert "「日本とフィリピンの協力は重要だ」" in read_document(path).text


def test_the_stripper_reads_the_page_when_trafilatura_finds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    html = (PAGES / "shuttle-diplomacy.html").read_text(encoding="utf-8")
    import trafilatura

    monkeypatch.setattr(trafilatura, "extract", lambda *a, **k: None)
    assert web.main_text(html) == (web.html_to_text(html), [])
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # not installed
    text, warnings = web.main_text(html)
    assert text == web.html_to_text(html) and "trafilatura is not installed" in warnings[0]


def test_the_old_import_path_of_the_stripper_still_works() -> None:
    from jtkg.loaders.reader import html_to_text

    assert html_to_text("<p>Taipei</p><script>x()</script>") == "Taipei\n"


def test_a_login_wall_in_a_corpus_is_one_failure_and_the_rest_build(tmp_path: Path) -> None:
    from jtkg.graph.build import build
    from jtkg.graph.store import StoreLocation

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("coast-guard-hotline.html", "login-wall.html", "not-found.html"):
        (corpus / name).write_bytes((PAGES / name).read_bytes())
    result = build([corpus], StoreLocation(tmp_path / "store"))
    assert result.published and result.documents == 1
    assert sorted(f.rsplit("/", 1)[1] for f in result.failures) == [
        "login-wall.html: the page has no article text (a login or error page?)",
        "not-found.html: the page has no article text (a login or error page?)",
    ]
