"""A document's text shown as Markdown, with every mark still placed by raw offsets.

markdown-it-py (CommonMark) parses the page's text into blocks and gives each the lines it
came from. The blocks' HTML (headings, paragraphs, lists, quotes, code) is written from the
raw characters of those lines, cut where the mentions and the cited passage start and end
(text_pages.py's segments, by character offset): so a mark is exactly where its annotation
points, and Markdown's syntax characters (``#``, list bullets, ``>``, ``*``) are hidden, never
interpreted as HTML. Raw HTML in the text stays text (the template escapes it).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import pairwise

from markdown_it import MarkdownIt

#: A line that makes a text Markdown: an ATX heading, a list bullet or a quote.
_LOOKS_MARKDOWN = re.compile(r"^(#{1,6} \S|[-*+] \S|> )", re.M)
_CONTAINERS = {"bullet_list": "ul", "ordered_list": "ol", "list_item": "li", "blockquote": "blockquote"}
_BLOCK_PREFIX = re.compile(r"[ \t]*(?:#{1,6}[ \t]+|(?:[-*+]|[0-9]{1,9}[.)])[ \t]+|>[ \t]?)*")
_LINE_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.M)
_EMPHASIS = re.compile(r"\*+")
_parser = MarkdownIt("commonmark")


@dataclass
class Block:
    tag: str  # h1 to h6, p, pre or hr
    #: Containers opened before the block and closed after it (ul, ol, li, blockquote).
    opens: list[str] = field(default_factory=list)
    closes: list[str] = field(default_factory=list)
    #: The visible text: (text, linked entity IRI, in the cited passage, the passage starts here)
    segments: list[tuple[str, str | None, bool, bool]] = field(default_factory=list)


def looks_like_markdown(text: str) -> bool:
    return _LOOKS_MARKDOWN.search(text) is not None


def blocks(text: str, segments: list[tuple[str, str | None, bool]]) -> list[Block]:
    """The page's ``text`` as Markdown blocks, each holding its part of ``segments`` (which
    cover ``text`` in order), without the Markdown syntax characters."""
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    starts, at = [], 0
    for piece, _, _ in segments:
        starts.append(at)
        at += len(piece)
    found: list[Block] = []
    pending: list[str] = []
    for token in _parser.parse(text):
        kind = token.type.removesuffix("_open").removesuffix("_close")
        if kind in _CONTAINERS:
            if token.nesting == 1:
                pending.append(_CONTAINERS[kind])
            elif found:
                found[-1].closes.append(_CONTAINERS[kind])
            continue
        if token.nesting == -1 or token.map is None or token.type == "inline":
            continue
        tag = token.tag if token.type in ("heading_open", "paragraph_open", "hr") else "pre"
        begin = line_starts[token.map[0]]
        end = line_starts[token.map[1]] if token.map[1] < len(line_starts) else len(text)
        block = Block(tag, pending)
        pending = []
        if tag != "hr":
            block.segments = _visible(text, segments, starts, begin, end, tag != "pre")
        found.append(block)
    passage = False
    for block in found:  # the passage's anchor: its first visible piece
        for i, (piece, iri, marked, _) in enumerate(block.segments):
            if marked and not passage:
                block.segments[i] = (piece, iri, marked, True)
                passage = True
    if found and pending:  # containers left open by the page's end
        found[-1].closes.extend(reversed(pending))
    return found


def _visible(
    text: str,
    segments: list[tuple[str, str | None, bool]],
    starts: list[int],
    begin: int,
    end: int,
    markup: bool,
) -> list[tuple[str, str | None, bool, bool]]:
    """The pieces of segments within [begin, end), without the hidden syntax characters."""
    while end > begin and text[end - 1] in " \t\n":
        end -= 1
    hidden: list[tuple[int, int]] = []
    if markup:
        prefix = _BLOCK_PREFIX.match(text, begin)
        if prefix and prefix.end() > begin:
            hidden.append((begin, prefix.end()))
        body = text[begin:end]
        hidden += [(begin + m.start(), begin + m.end()) for m in _LINE_PREFIX.finditer(body) if m.start()]
        hidden += [(begin + m.start(), begin + m.end()) for m in _EMPHASIS.finditer(body)]
    cuts = sorted({begin, end} | {p for h in hidden for p in h if begin <= p <= end})
    pieces: list[tuple[str, str | None, bool, bool]] = []
    for a, b in pairwise(cuts):
        if any(h0 <= a and b <= h1 for h0, h1 in hidden):
            continue
        i = max(0, bisect_right(starts, a) - 1)
        while a < b and i < len(segments):  # the segments this visible range crosses
            seg_end = starts[i] + len(segments[i][0])
            stop = min(b, seg_end)
            if stop > a:
                _, iri, marked = segments[i]
                pieces.append((text[a:stop], iri, marked, False))
                a = stop
            i += 1
    return pieces
