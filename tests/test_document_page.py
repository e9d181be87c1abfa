"""Document pages (issue 15): Markdown rendered as blocks with the marks still at their raw
offsets, HTML in the text escaped, the metadata first, and a front-matter source stored as
an IRI (dcterms:source, schema:url)."""

from __future__ import annotations

import html
import re
import shutil
from itertools import pairwise
from pathlib import Path

import pyoxigraph as ox
import pytest

from jtkg.graph.build import build
from jtkg.graph.markdown_blocks import blocks
from jtkg.graph.store import StoreLocation
from jtkg.graph.views import entity_view
from jtkg.server.app import create_app

STIMSON = "/id/document/stimson-japan-taiwan-relations-webinar"
KOSHINO = "https://w3id.org/jtkg/id/person/yuka-koshino"
NOTE = """---
title: A note on the Strait
source: https://example.org/notes/strait
date: 2024-05-01
---
# A note on the Strait

Yuka Koshino said the *Strait* matters. <script>alert(1)</script> stays text.

- Tsai Ing-wen spoke first.
- Shinzo Abe spoke second.
"""


def _text(page: str) -> str:
    inner = page.split('id="document-text">')[1].split("</div>")[0]
    return html.unescape(re.sub(r"<[^>]+>", "", inner))


def test_markdown_is_rendered_as_blocks(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get(STIMSON, headers={"Accept": "text/html"}).get_data(as_text=True)
    text = page.split('id="document-text">')[1].split("</div>")[0]
    assert re.search(r"<h1>(<a [^>]+>)?Japan", text) and "<h2>" in text and "<h3>" in text
    assert "# Japan" not in text and "*Panelists:*" not in _text(page)
    assert "Panelists:" in _text(page)


def test_a_cited_statement_is_marked_at_its_raw_offsets(client, oxstore) -> None:  # type: ignore[no-untyped-def]
    view = entity_view(oxstore, KOSHINO)
    assert view is not None
    statement = view.statements_by[0]
    page = client.get(
        f"{STIMSON}?highlight={statement['start']}-{statement['end']}", headers={"Accept": "text/html"}
    ).get_data(as_text=True)
    marked = "".join(re.findall(r"<mark[^>]*>(.*?)</mark>", page.split('id="document-text">')[1], re.S))
    marked = html.unescape(re.sub(r"<[^>]+>", "", marked))
    assert " ".join(marked.split()) == " ".join(statement["quote"].replace("*", "").split())
    assert page.count('id="passage"') == 1


def test_blocks_keep_every_mark_where_its_offsets_say() -> None:
    text = "# Title *here*\n\n- one **two**\n- three\n\n> a quote\n> goes on\n"
    cut = [0, 2, 9, 20, 38, len(text)]
    segments = [
        (text[a:b], "https://w3id.org/jtkg/id/x" if i == 1 else None, i == 2)
        for i, (a, b) in enumerate(pairwise(cut))
    ]
    found = blocks(text, segments)
    assert [b.tag for b in found] == ["h1", "p", "p", "p"] and found[1].opens == ["ul", "li"]
    assert found[-1].opens == ["blockquote"] and found[-1].closes == ["blockquote"]
    shown = "".join(piece for b in found for piece, *_ in b.segments)
    assert shown == "Title hereone twothreea quote\ngoes on"
    marked = "".join(piece for b in found for piece, _, m, _ in b.segments if m)
    assert marked == text[9:20].replace("*", "").replace("\n", "").replace("- ", "")  # "here", "one "
    linked = [piece for b in found for piece, iri, *_ in b.segments if iri]
    assert linked == ["Title "]


@pytest.fixture(scope="module")
def note_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("note")
    (folder / "strait-note.md").write_text(NOTE, encoding="utf-8")
    result = build([folder / "strait-note.md"], StoreLocation(folder / "store"))
    assert result.published, result.failures
    return folder / "store"


def test_front_matter_source_is_an_iri_and_shown_first(note_store: Path, tmp_path: Path) -> None:
    store = StoreLocation(note_store).open()
    doc = ox.NamedNode("https://w3id.org/jtkg/id/document/strait-note")
    sources = [
        q.object for q in store.quads_for_pattern(doc, ox.NamedNode("http://purl.org/dc/terms/source"), None)
    ]
    urls = [q.object for q in store.quads_for_pattern(doc, ox.NamedNode("http://schema.org/url"), None)]
    assert sources == urls == [ox.NamedNode("https://example.org/notes/strait")]
    del store
    shutil.copytree(note_store, tmp_path / "store")
    app = create_app({"STORE": tmp_path / "store", "TESTING": True})
    try:
        page = (
            app.test_client()
            .get("/id/document/strait-note", headers={"Accept": "text/html"})
            .get_data(as_text=True)
        )
    finally:
        app.extensions["jtkg.queries"].close()
    meta = page.split('id="document-metadata">')[1].split("</dl>")[0]
    assert (
        '<dt>Source</dt><dd><a href="https://example.org/notes/strait">' in meta and "<dt>Date</dt>" in meta
    )
    assert page.index('id="document-metadata"') < page.index('id="document-text"')
    text = page.split('id="document-text">')[1].split("</div>")[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>alert" not in text
    assert "<ul><li><p>" in text and "Strait</" not in text.split("<h1>")[0]
