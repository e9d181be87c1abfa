"""Web pages: the main text of an HTML page (not its menus, comments or banners) and the
metadata the page declares about itself.

The main text comes from trafilatura (measured against the plain stripper in
benchmarks/web.py); when it finds nothing, or is not installed, the stripper below reads the
page. Offsets index into the text returned here, so evidence quotes are ``text[start:end]``.
Metadata comes from the page's own markup (``<title>``, ``<meta>``, Open Graph, canonical link,
JSON-LD ``Article``/``NewsArticle``), parsed with the standard library: nothing is guessed from
the text, which the extractor reads itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

from jtkg.loaders.encoding import decode
from jtkg.loaders.formats import Content, DocumentError, register, warms

#: A page with fewer words of main text than this has no article to read.
MIN_WORDS = 5
#: A page with a password field or an error title and fewer words than this is a login wall
#: or an error page, not an article (a real article behind a sign-in box is longer).
MAX_WALL_WORDS = 150
_ERROR_TITLE = re.compile(
    r"\b(?:404|410|403|not found|page not found|no longer available|access denied|forbidden|"
    r"sign in|sign-in|log in|login|subscribers only|subscribe to (?:continue|read)|error)\b",
    re.IGNORECASE,
)
_PASSWORD = re.compile(r"<input\b[^>]*\btype\s*=\s*[\"']?password", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
#: JSON-LD types whose headline, author, date and publisher describe the page's article.
ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "BlogPosting",
        "ScholarlyArticle",
        "Report",
        "TechArticle",
    }
)


@warms("text/html")
def _warm() -> None:
    import trafilatura  # noqa: F401


@register("text/html", ".html", ".htm", ".xhtml")
def read_html(path: Path, data: bytes, charset: str | None) -> Content:
    html, guessed = decode_page(path, data, charset)
    metadata = page_metadata(html)
    text, warnings = main_text(html)
    if guessed:  # neither the server nor the page said: name the guess, in case it is wrong
        warnings.append(f"{path}: no charset declared and not UTF-8; read as {guessed} (detected)")
    words = len(re.findall(r"\w+", text))
    title = str(metadata.get("page_title") or "")
    first_line = text.strip().split("\n", 1)[0] if text.strip() else ""
    walled = _PASSWORD.search(html) or _ERROR_TITLE.search(title) or _ERROR_TITLE.search(first_line)
    if words < MIN_WORDS or (walled and words < MAX_WALL_WORDS):
        raise DocumentError(f"{path}: the page has no article text (a login or error page?)")
    metadata.pop("page_title", None)
    return Content(text=text, metadata=metadata, warnings=warnings)


# --- decoding ---------------------------------------------------------------------------


def decode_page(path: Path, data: bytes, charset: str | None) -> tuple[str, str | None]:
    """The page's text, and the encoding detection chose when nothing declared one: the
    charset the server declared, else the page's ``<meta charset>`` (or ``http-equiv``), else
    UTF-8, else detection (loaders/encoding.py)."""
    declared = charset or _meta_charset(data)
    text, encoding = decode(data, declared, path)
    return text, None if declared or encoding.startswith("utf") else encoding


def _meta_charset(data: bytes) -> str | None:
    # Browsers look for the declaration in the first 1024 bytes; pages put it later too.
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


# --- main text --------------------------------------------------------------------------


def main_text(html: str) -> tuple[str, list[str]]:
    """The article's text, one paragraph per block, blank lines between (as Markdown has)."""
    warnings: list[str] = []
    try:
        import trafilatura  # imported here: half a second, paid only by HTML documents
    except ImportError:
        trafilatura = None
        warnings.append("trafilatura is not installed: the whole visible page was read")
    found = None
    if trafilatura is not None:
        # favor_precision: menus, related links and comments cost more than a lost line;
        # no deduplication, which would drop a sentence quoted twice on purpose.
        found = trafilatura.extract(
            html,
            output_format="txt",
            include_comments=False,
            include_tables=True,
            include_links=False,
            include_images=False,
            favor_precision=True,
            deduplicate=False,
            with_metadata=False,
        )
    if found and found.strip():
        return _paragraphs(found), warnings
    return html_to_text(html), warnings


def _paragraphs(text: str) -> str:
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.splitlines()]
    return "\n\n".join(line for line in lines if line) + "\n"


class _TextExtractor(HTMLParser):
    """Visible text of an HTML page: scripts, styles and navigation chrome left out."""

    SKIP = frozenset(
        {
            "script",
            "style",
            "nav",
            "header",
            "footer",
            "aside",
            "noscript",
            "template",
            "svg",
            "form",
            "button",
            "iframe",
        }
    )
    BLOCK = frozenset(
        {
            "p",
            "div",
            "br",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "tr",
            "section",
            "article",
            "blockquote",
            "pre",
            "figcaption",
            "title",
            "dt",
            "dd",
            "table",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skip_depth += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skip_depth:
            self.skip_depth -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The stripper: every visible text of the page but scripts, styles and marked-up chrome."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


# --- metadata ---------------------------------------------------------------------------


class _HeadReader(HTMLParser):
    """Collects ``<title>``, ``<meta>``, ``<link rel=canonical>`` and JSON-LD blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.in_title = False
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.json_ld: list[str] = []
        self.in_json: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "").strip() for k, v in attrs}
        if tag == "title" and not self.title:
            self.in_title = True
        elif tag == "meta" and a.get("content"):
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key:
                self.meta.setdefault(key, a["content"])  # the first declaration wins
        elif tag == "link" and "canonical" in a.get("rel", "").lower().split() and a.get("href"):
            self.canonical = self.canonical or a["href"]
        elif tag == "script" and a.get("type", "").lower() == "application/ld+json":
            self.in_json = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif tag == "script" and self.in_json is not None:
            self.json_ld.append("".join(self.in_json))
            self.in_json = None

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif self.in_json is not None:
            self.in_json.append(data)


def page_metadata(html: str) -> dict[str, object]:
    """title, author/authors, publisher, date and source (the canonical URL) as the page
    declares them; JSON-LD first, then Open Graph and ``<meta>``, then ``<title>``."""
    head = _HeadReader()
    try:
        head.feed(html)
        head.close()
    except AssertionError:  # html.parser's rare internal asserts on broken markup
        pass
    meta = head.meta
    article = next(_articles(head.json_ld), {})
    page_title = " ".join("".join(head.title).split())
    site = _name(article.get("publisher")) or meta.get("og:site_name")
    title = (
        _text(article.get("headline"))
        or meta.get("og:title")
        or meta.get("twitter:title")
        or _without_site(page_title, site)
    )
    authors = _names(article.get("author")) or _meta_authors(meta)
    date = (
        _text(article.get("datePublished"))
        or meta.get("article:published_time")
        or meta.get("citation_publication_date")
        or meta.get("dc.date")
        or meta.get("dcterms.issued")
        or meta.get("date")
    )
    urls = (
        head.canonical,
        meta.get("og:url"),
        _url(article.get("mainEntityOfPage")),
        _text(article.get("url")),
    )
    source = next((u for u in urls if u and re.match(r"https?://", u)), None)
    found: dict[str, object] = {
        "page_title": page_title,
        "title": title,
        "publisher": site,
        "date": _day(date) if date else None,
        "source": source,
    }
    if len(authors) > 1:
        found["authors"] = authors
    elif authors:
        found["author"] = authors[0]
    return {k: v for k, v in found.items() if v}


def _articles(blocks: list[str]) -> Iterator[dict[str, object]]:
    for block in blocks:
        try:
            data = json.loads(block)
        except ValueError:
            continue  # a broken JSON-LD block is ignored, as browsers and search engines do
        yield from _article_nodes(data, 0)


def _article_nodes(node: object, depth: int) -> Iterator[dict[str, object]]:
    if depth > 5:
        return
    if isinstance(node, list):
        for item in node:
            yield from _article_nodes(item, depth + 1)
    elif isinstance(node, dict):
        kinds = node.get("@type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if any(isinstance(k, str) and k in ARTICLE_TYPES for k in kinds):
            yield node
        if "@graph" in node:
            yield from _article_nodes(node["@graph"], depth + 1)


def _text(value: object) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _name(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return _text(value)


def _names(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names = [_name(item) for item in items]
    return list(dict.fromkeys(n for n in names if n and not n.startswith("http")))


def _url(value: object) -> str | None:
    return _text(value.get("@id") or value.get("url")) if isinstance(value, dict) else _text(value)


def _meta_authors(meta: dict[str, str]) -> list[str]:
    value = meta.get("author") or meta.get("citation_author") or meta.get("dc.creator") or ""
    if not value or value.startswith("http"):  # article:author is often a profile URL
        return []
    return [n.strip() for n in re.split(r";|\band\b", value) if n.strip()]


def _without_site(title: str, site: str | None) -> str:
    """ "Headline | Site" → "Headline", when the suffix is the site's declared name."""
    if site:
        for sep in (" | ", " – ", " — ", " - ", " :: "):
            if title.endswith(sep + site):
                return title[: -len(sep + site)].strip()
    return title


def _day(value: str) -> str:
    """ "2025-03-10T08:30:00+08:00" → "2025-03-10": the day the publisher dated it."""
    match = re.match(r"(\d{4}-\d\d-\d\d)(?:[T ]|$)", value.strip())
    return match.group(1) if match else value.strip()
