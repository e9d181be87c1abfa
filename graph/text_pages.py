"""A document's text, one page at a time, with the mentions on that page linked.

The text is cut into pages of about PAGE_CHARS characters, each ending after a line break (or
a space) when one is near, so the cut never splits a word where it can help it. Only the
page's characters leave the store (SUBSTR in the query), and only mentions inside the page
are read, so a 5 MB document costs one page of work per request. Offsets are characters
(Unicode code points), as in the annotations' TextPositionSelectors and SPARQL's SUBSTR.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import OrderedDict
from dataclasses import dataclass, field
from itertools import pairwise

import pyoxigraph as ox

from jtkg.graph.markdown_blocks import Block, blocks, looks_like_markdown
from jtkg.ontology import JT, OA

DCT_TITLE = "http://purl.org/dc/terms/title"
_UNION = {"use_default_graph_as_union": True}
#: Characters of text on one page of a document.
PAGE_CHARS = 20_000
#: How far back from a page's nominal end a line break (else a space) is looked for.
_SNAP = 200
#: Most mentions linked on one page (a page of one-letter names cannot explode the page).
PAGE_LINKS = 5_000
#: Documents whose mentions one process keeps (sorted), and the most mentions kept for one.
_CACHED_DOCUMENTS = 4
_CACHED_SPANS = 200_000
_spans_cache: OrderedDict[tuple[int, str], tuple[object, list[int], list[tuple[int, int, str]]]] = (
    OrderedDict()
)


@dataclass
class DocumentView:
    iri: str
    title: str
    #: This page's text; it starts at character ``start`` of the document.
    text: str
    segments: list[tuple[str, str | None, bool]]  # text, linked entity IRI, highlighted
    start: int = 0
    #: The page shown (from 1), and how many there are.
    page: int = 1
    pages: int = 1
    #: Characters in the whole text.
    length: int = 0
    #: Whether the highlighted passage (or part of it) is on this page.
    highlighted: bool = False
    #: The segments as Markdown blocks, when the text is Markdown (graph/markdown_blocks.py).
    blocks: list[Block] | None = None
    #: What the page says first: (field, value, IRI to link or None), e.g. ("Published by",
    #: "Stimson Center", its IRI); from the document's metadata triples.
    metadata: list[tuple[str, str, str | None]] = field(default_factory=list)


def _window(store: ox.Store, iri: str, start: int, length: int) -> tuple[str, int, str] | None:
    """Characters [start, start + length) of the text, the text's length, and the title."""
    rows = list(
        store.query(
            f"""PREFIX jt: <{JT}>
      SELECT (SUBSTR(?text, {start + 1}, {length}) AS ?part) (STRLEN(?text) AS ?n) ?title WHERE {{
        <{iri}> jt:text ?text OPTIONAL {{ <{iri}> <{DCT_TITLE}> ?title }} }} LIMIT 1""",
            **_UNION,
        )
    )
    if not rows:
        return None
    title = rows[0]["title"].value if rows[0]["title"] else iri
    return rows[0]["part"].value, int(rows[0]["n"].value), title


def _cut(window: str, window_start: int, nominal: int, length: int) -> int:
    """Where the page that nominally starts at ``nominal`` starts: just after the last line
    break (else space) in the _SNAP characters before it; ``window`` must cover them."""
    if nominal <= 0:
        return 0
    if nominal >= length:
        return length
    before = window[max(0, nominal - _SNAP - window_start) : nominal - window_start]
    for mark in ("\n", " "):
        at = before.rfind(mark)
        if at >= 0:
            return nominal - len(before) + at + 1
    return nominal


def document_view(
    store: ox.Store,
    iri: str,
    highlight: tuple[int, int] | None = None,
    page: int | None = None,
    page_chars: int = PAGE_CHARS,
) -> DocumentView | None:
    """One page of the document's text cut into segments: mentions linked to their entities,
    and the passage ``highlight`` (start, end) marked where it falls on the page. Without
    ``page``, the page holding the start of ``highlight`` (else the first). A page past the
    end gives a view with no segments (and ``page`` above ``pages``)."""
    ox.NamedNode(iri)  # refuses "<", ">" and spaces: safe to write into a query
    if page_chars <= _SNAP:
        raise ValueError("a page must be longer than the line-break search")
    index = page - 1 if page is not None else (highlight[0] // page_chars if highlight else 0)
    index = first = max(0, index)
    found = _page(store, iri, index, page_chars)
    if found is None:
        return None
    text, start, end, length, title = found
    if page is None and highlight and index and highlight[1] > length:
        highlight, index = None, 0  # a passage beyond the text (a stale link): the first page
    elif page is None and highlight and highlight[0] >= end and end < length:
        index += 1  # the passage starts after this page's (snapped) end: the next page
    if index != first:
        found = _page(store, iri, index, page_chars)
        assert found is not None
        text, start, end, length, title = found
    pages = max(1, -(-length // page_chars))
    view = DocumentView(iri, title, text, [], start, index + 1, pages, length)
    if start >= length and length:
        return view
    mark = None
    if highlight and highlight[0] < end and highlight[1] > start and highlight[1] <= length:
        mark = (max(highlight[0], start) - start, min(highlight[1], end) - start)
        view.highlighted = True
    view.segments = _segments(text, _mentions(store, iri, start, end), mark)
    if looks_like_markdown(text):
        view.blocks = blocks(text, view.segments)
    view.metadata = metadata(store, iri)
    return view


#: The metadata a document page shows first, in this order.
_METADATA = (
    ("Title", "http://purl.org/dc/terms/title"),
    ("By", "http://purl.org/dc/terms/creator"),
    ("Published by", "http://purl.org/dc/terms/publisher"),
    ("Date", "http://purl.org/dc/terms/issued"),
    ("Source", "http://purl.org/dc/terms/source"),
    ("Language", "http://purl.org/dc/terms/language"),
)


def metadata(store: ox.Store, iri: str) -> list[tuple[str, str, str | None]]:
    """The document's title, authors, publishers, date, source and language, in one query."""
    values = " ".join(f"<{p}>" for _, p in _METADATA)
    found: dict[str, list[tuple[str, str | None]]] = {}
    for row in store.query(
        f"""SELECT DISTINCT ?p ?o ?label WHERE {{ VALUES ?p {{ {values} }} <{iri}> ?p ?o
          OPTIONAL {{ ?o <http://www.w3.org/2000/01/rdf-schema#label> ?label
                     FILTER(lang(?label) = "en" || lang(?label) = "") }} }} LIMIT 100""",
        **_UNION,
    ):
        is_iri = isinstance(row["o"], ox.NamedNode)
        shown = row["label"].value if row["label"] else row["o"].value
        entries = found.setdefault(row["p"].value, [])
        if all(value != shown for value, _ in entries):
            entries.append((shown, row["o"].value if is_iri else None))
    return [(name, value, link) for name, p in _METADATA for value, link in found.get(p, [])]


def _page(store: ox.Store, iri: str, index: int, page_chars: int) -> tuple[str, int, int, int, str] | None:
    """Page ``index`` (from 0): its text, first and end character, the text length, title."""
    nominal = index * page_chars
    window_start = max(0, nominal - _SNAP)
    found = _window(store, iri, window_start, nominal + page_chars - window_start)
    if found is None:
        return None
    window, length, title = found
    start = _cut(window, window_start, nominal, length)
    end = _cut(window, window_start, nominal + page_chars, length)
    return window[start - window_start : end - window_start], start, end, length, title


def _mentions(store: ox.Store, iri: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Mentions wholly inside [start, end), as offsets into the page.

    The store has no index by offset, so finding one page's mentions reads all of the
    document's (about 60 µs each). A worker therefore reads them once and keeps them sorted
    for its next pages of the same document; a document with more than _CACHED_SPANS is
    read page by page instead.
    """
    key = (id(store), iri)
    entry = _spans_cache.get(key)
    if entry is None or entry[0] is not store:  # the identity check: ids can be reused
        spans = _spans(store, iri, f"LIMIT {_CACHED_SPANS + 1}")
        if len(spans) > _CACHED_SPANS:
            spans = _spans(store, iri, f"LIMIT {PAGE_LINKS}", f"FILTER(?start >= {start} && ?end <= {end})")
            return [(s - start, e - start, b) for s, e, b in spans]
        spans.sort()
        entry = _spans_cache[key] = (store, [s for s, _, _ in spans], spans)
        while len(_spans_cache) > _CACHED_DOCUMENTS:
            _spans_cache.popitem(last=False)
    _spans_cache.move_to_end(key)
    _, starts, spans = entry
    page = spans[bisect_left(starts, start) : bisect_left(starts, end)]
    return [(s - start, e - start, b) for s, e, b in page if e <= end][:PAGE_LINKS]


def _spans(store: ox.Store, iri: str, limit: str, condition: str = "") -> list[tuple[int, int, str]]:
    query = f"""PREFIX oa: <{OA}> SELECT DISTINCT ?b ?start ?end WHERE {{
      ?t oa:hasSource <{iri}> ; oa:hasSelector ?p . ?p oa:start ?start ; oa:end ?end . {condition}
      ?a oa:hasTarget ?t ; oa:motivatedBy oa:identifying ; oa:hasBody ?b .
    }} {limit}"""
    return [(int(r["start"].value), int(r["end"].value), r["b"].value) for r in store.query(query, **_UNION)]


def _segments(
    text: str, spans: list[tuple[int, int, str]], mark: tuple[int, int] | None
) -> list[tuple[str, str | None, bool]]:
    """The text cut at every chosen mention's ends and the mark's: longest mention first
    where mentions start together, and no mention overlapping one already chosen."""
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    chosen: list[tuple[int, int, str]] = []
    last_end = 0
    for start, end, body in spans:
        if start >= last_end and 0 <= start < end <= len(text):
            chosen.append((start, end, body))
            last_end = end
    cuts = {0, len(text)} | {p for s, e, _ in chosen for p in (s, e)}
    if mark:
        cuts |= set(mark)
    segments: list[tuple[str, str | None, bool]] = []
    at = 0  # the first chosen mention not yet passed: one sweep, not a search per segment
    points = sorted(cuts)
    for a, b in pairwise(points):
        while at < len(chosen) and chosen[at][1] <= a:
            at += 1
        body = chosen[at][2] if at < len(chosen) and chosen[at][0] <= a and b <= chosen[at][1] else None
        marked = bool(mark and mark[0] <= a and b <= mark[1])
        segments.append((text[a:b], body, marked))
    return segments
