"""PDF reports as text: reading order, joined hyphenation, no running headers or footers.

pdfminer.six was chosen by measurement (benchmarks/pdf.py): it gives every character's
position, size and font, which reading order (columns), running headers and footnote
markers need; pypdf extracts faster but in content-stream order, which is not the reading
order of a two-column page drawn line by line. pdfminer's own box ordering is switched off
(``boxes_flow=None``): it is the slowest step, and the columns are ordered here instead.

Each page's text starts at ``Content.page_starts[n - 1]``, so evidence can cite the page.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from jtkg.loaders.formats import Content, DocumentError, register, warms
from jtkg.loaders.pdf_metadata import pdf_metadata

# pdfminer reports every oddity of a real-world PDF as a log warning: not for the user's stderr.
logging.getLogger("pdfminer").setLevel(logging.CRITICAL + 1)

#: Lines at the top and bottom of a page that may be a running header or footer.
EDGE_LINES = 2
_PAGE_NUMBER = re.compile(
    r"^\W*(?:page\s+)?(?:\d{1,4}|[ivxlcdm]{1,6})(?:\s*(?:of|/)\s*\d{1,4})?\W*$", re.IGNORECASE
)
_CID = re.compile(r"\(cid:\d+\)")
_TERMINAL = (".", "?", "!", ":", '"', "”", "’", ")")
_MARKERS = set("0123456789*†‡§¶,")


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    #: Whether the line runs to its column's right edge (a paragraph's last line seldom does).
    full: bool = False


@warms("application/pdf")
def _warm() -> None:
    import pdfminer.converter
    import pdfminer.pdfinterp  # noqa: F401


@register("application/pdf", ".pdf")
def read_pdf(path: Path, data: bytes, charset: str | None = None) -> Content:
    if b"%PDF-" not in data[:1024]:
        raise DocumentError(f"{path}: not a PDF (no %PDF- header)")
    if b"%%EOF" not in data[-2048:]:
        raise DocumentError(f"{path}: the PDF is truncated (no %%EOF at its end)")
    pages, info = _layout(path, data)
    if not any(pages):
        raise DocumentError(f"{path}: no text layer; OCR is not supported")
    empty = [str(n) for n, lines in enumerate(pages, 1) if not lines]  # before running lines go
    _drop_running_lines(pages)
    text, page_starts = _assemble([_page_paragraphs(lines) for lines in pages])
    warnings = []
    if empty:
        warnings.append(
            f"{path}: page(s) {', '.join(empty[:10])}{' ...' if len(empty) > 10 else ''} "
            "have no text layer (scanned?); OCR is not supported"
        )
    metadata = info
    if "title" not in metadata:
        title = _first_page_title(pages)
        if title:
            metadata["title"] = title
    return Content(text=text, metadata=metadata, page_starts=page_starts, warnings=warnings)


def _layout(path: Path, data: bytes) -> tuple[list[list[Line]], dict[str, object]]:
    """The text lines of every page (top to bottom as found) and the document's metadata."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams, LTPage
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    try:
        doc = PDFDocument(PDFParser(io.BytesIO(data)), password="")  # an empty owner password is common
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise DocumentError(f"{path}: encrypted; jtkg cannot read it") from None
    except Exception as exc:  # pdfminer raises many types for a broken file
        raise DocumentError(f"{path}: not a readable PDF (corrupt: {_reason(exc)})") from None
    info = pdf_metadata(doc)
    resources = PDFResourceManager(caching=True)
    device = PDFPageAggregator(resources, laparams=LAParams(boxes_flow=None, all_texts=True))
    interpreter = PDFPageInterpreter(resources, device)
    pages: list[list[Line]] = []
    try:
        for page in PDFPage.create_pages(doc):
            interpreter.process_page(page)
            layout = device.get_result()
            assert isinstance(layout, LTPage)
            pages.append(_lines(layout))
    except DocumentError:
        raise
    except Exception as exc:
        if type(exc).__name__ in ("PDFPasswordIncorrect", "PDFEncryptionError"):
            raise DocumentError(f"{path}: encrypted; jtkg cannot read it") from None
        raise DocumentError(
            f"{path}: not a readable PDF (corrupt at page {len(pages) + 1}: {_reason(exc)})"
        ) from None
    return pages, info


def _reason(exc: Exception) -> str:
    text = str(exc).splitlines()[0][:120] if str(exc) else ""
    return f"{type(exc).__name__}{': ' + text if text else ''}"


def _lines(layout: object) -> list[Line]:
    from pdfminer.layout import LTChar, LTTextLineHorizontal

    found: list[Line] = []

    def walk(obj: object) -> None:
        if isinstance(obj, LTTextLineHorizontal):
            chars = [c for c in obj if isinstance(c, LTChar)]
            if not chars:
                return
            sizes = [c.size for c in chars if c.get_text().strip()] or [chars[0].size]
            size = statistics.median(sizes)
            base = statistics.median(c.y0 for c in chars if c.size >= 0.9 * size) if sizes else 0
            text = _line_text(obj, size, base)
            if text.strip():
                found.append(Line(text.strip(), obj.x0, obj.x1, obj.y1, obj.y0, size))
            return
        for child in getattr(obj, "_objs", ()) or ():
            walk(child)

    walk(layout)
    found.sort(key=lambda ln: -ln.top)
    return found


def _line_text(line: object, size: float, base: float) -> str:
    """The line's characters without raised footnote markers: "Veld¹ said" reads "Veld said",
    so the marker never becomes part of a name ("Veld1") nor stands between a name and its
    verb. Other raised text ("1st") stays, apart from a preceding word."""
    from pdfminer.layout import LTChar

    out: list[str] = []
    marker: list[str] = []
    for obj in line:
        ch = obj.get_text()
        if isinstance(obj, LTChar) and obj.size < 0.85 * size and obj.y0 > base + 0.2 * size and ch.strip():
            marker.append(ch)
            continue
        if marker:
            out.append(_marker(marker, out))
            marker = []
        out.append(ch)
    if marker:
        out.append(_marker(marker, out))
    # "(cid:13)": a glyph the font maps to no character; nothing a reader could quote.
    return _CID.sub("", "".join(out).replace("\n", " "))


def _marker(chars: list[str], before: list[str]) -> str:
    text = "".join(chars)
    if set(text) <= _MARKERS:
        return ""  # a footnote reference: the note's own text stays where the page has it
    return text if before and before[-1][-1:].isdigit() else " " + text


def _drop_running_lines(pages: list[list[Line]]) -> None:
    """Removes page numbers, and lines repeated at the same height at the top or bottom of
    two pages or more (running headers and footers; a chapter's running title included)."""

    def key(line: Line, edge: str) -> tuple[str, str, int]:
        return edge, re.sub(r"\d+", "#", line.text.lower()).strip(), round(line.top / 4)

    def edges(lines: list[Line]) -> list[tuple[Line, tuple[str, str, int]]]:
        """The top and bottom lines that stand apart from the text block: a blank of a
        line's height or more lies between them and the body (a body line never does)."""
        found = []
        n = len(lines)
        for i in range(min(EDGE_LINES, n - 1)):
            if any(_gap(lines[j], lines[j + 1]) for j in range(i, min(EDGE_LINES, n - 1))):
                found.append((lines[i], key(lines[i], "top")))
        for i in range(max(EDGE_LINES, n - EDGE_LINES), n):
            if any(_gap(lines[j - 1], lines[j]) for j in range(max(EDGE_LINES, n - EDGE_LINES), i + 1)):
                found.append((lines[i], key(lines[i], "bottom")))
        return found

    counts: Counter[tuple[str, str, int]] = Counter()
    for lines in pages:
        counts.update({k for _, k in edges(lines)})
    for i, lines in enumerate(pages):
        drop = {id(ln) for ln, k in edges(lines) if counts[k] >= 2}
        drop |= {id(ln) for ln in lines[:EDGE_LINES] + lines[-EDGE_LINES:] if _PAGE_NUMBER.match(ln.text)}
        pages[i] = [ln for ln in lines if id(ln) not in drop]


def _gap(upper: Line, lower: Line) -> bool:
    return upper.bottom - lower.top >= min(upper.top - upper.bottom, lower.top - lower.bottom)


def _page_paragraphs(lines: list[Line]) -> list[list[Line]]:
    """The page's lines in reading order, grouped into paragraphs.

    Lines crossing the middle of the text area are full width; between them, lines that
    overlap vertically form a band, read left column first, then right."""
    if not lines:
        return []
    left, right = min(ln.x0 for ln in lines), max(ln.x1 for ln in lines)
    mid = (left + right) / 2
    pitch = statistics.median(ln.top - ln.bottom for ln in lines)
    ordered: list[Line] = []
    band: list[Line] = []
    low = None

    def flush() -> None:
        ordered.extend(sorted(band, key=lambda ln: (ln.x0 >= mid, -ln.top)))
        band.clear()

    for line in lines:  # top to bottom
        spanning = line.x0 < mid - 2 and line.x1 > mid + 2
        if spanning or (low is not None and low - line.top > 1.5 * pitch):
            flush()
            low = None
        if spanning:
            ordered.append(line)
        else:
            band.append(line)
            low = line.bottom if low is None else min(low, line.bottom)
    flush()
    for line in ordered:
        edge = max(o.x1 for o in ordered if abs(o.x0 - line.x0) < 2 and abs(o.size - line.size) < 1)
        line.full = line.x1 >= edge - 2 * line.size
    paragraphs: list[list[Line]] = []
    for line in ordered:
        prev = paragraphs[-1][-1] if paragraphs else None
        if prev is not None and (
            _continues(prev, line) or (line.top > prev.top and _goes_on_line(prev, line))
        ):
            paragraphs[-1].append(line)  # the same column, or the next column goes on with it
        else:
            paragraphs.append([line])
    return paragraphs


def goes_on(prev: Line, text: str) -> bool:
    """Whether ``text``, at the top of a column or page, goes on the paragraph that ``prev``
    ended the last one with: it starts in lower case, or ``prev`` fills its column and
    ends no sentence."""
    return text[:1].islower() or (prev.full and not prev.text.endswith(_TERMINAL))


def _goes_on_line(prev: Line, line: Line) -> bool:
    return abs(prev.size - line.size) < 1 and goes_on(prev, line.text)


def _continues(prev: Line, line: Line) -> bool:
    """Whether ``line`` goes on the paragraph ``prev`` ends: next below it in one column,
    no blank line between, same type size, no first-line indent."""
    gap = prev.bottom - line.top
    height = max(prev.top - prev.bottom, line.top - line.bottom)
    return (
        -0.5 * height < gap < 0.6 * height
        and abs(prev.size - line.size) < 1
        and abs(prev.x0 - line.x0) < 1.5 * line.size
        and line.x0 < prev.x1
    )


def _assemble(pages: list[list[list[Line]]]) -> tuple[str, list[int]]:
    """The document text (paragraphs apart by a blank line) and where each page starts.
    A paragraph broken by the page end goes on across it (see ``goes_on``)."""
    text = ""
    starts: list[int] = []
    words = _word_forms(pages)
    last: Line | None = None
    for paragraphs in pages:
        starts.append(len(text))
        for n, para in enumerate(paragraphs):
            body = _join([ln.text for ln in para], words)
            if text:
                on = n == 0 and last is not None and _goes_on_line(last, para[0])
                if on and text.endswith("-"):
                    if _join_hyphen(text, body, words):
                        text = text[:-1]
                    sep = ""
                else:
                    sep = " " if on else "\n\n"
                text += sep
            if n == 0:
                starts[-1] = len(text)
            text += body
            last = para[-1]
    text = text.rstrip() + "\n"
    return text, [min(s, len(text) - 1) for s in starts]


def _word_forms(pages: list[list[list[Line]]]) -> set[str]:
    """Every word of the document, lower-cased: a hyphenated form seen inside a line tells
    that a hyphen at a line end belongs to the word ("Japan-\\nbased" stays "Japan-based")."""
    forms: set[str] = set()
    for paragraphs in pages:
        for para in paragraphs:
            for line in para:
                forms.update(w.lower() for w in re.findall(r"\w+(?:-\w+)*", line.text))
    return forms


def _join_hyphen(before: str, after: str, words: set[str]) -> bool:
    """Whether "…pre-" + "post…" is one word split by hyphenation (the hyphen goes)."""
    pre = re.search(r"(\w+)-$", before)
    post = re.match(r"\w+", after)
    if not pre or not post or not after[:1].islower():
        return False
    compound = f"{pre.group(1)}-{post.group()}".lower()
    return compound not in words or (pre.group(1) + post.group()).lower() in words


def _join(lines: list[str], words: set[str]) -> str:
    out = lines[0].rstrip("\u00ad")
    for line in lines[1:]:
        if out.endswith("-") and _join_hyphen(out, line, words):
            out = out[:-1] + line
        elif out.endswith("-") and out[-2:-1].isalpha() and line[:1].islower():
            out += line  # a compound broken at its own hyphen: "Japan-" + "based"
        else:
            out += " " + line
    return out.replace("\u00ad", "")


def _first_page_title(pages: list[list[Line]]) -> str | None:
    """The first page's largest type, when it is larger than the body text."""
    lines = next((p for p in pages if p), [])
    if not lines:
        return None
    body = statistics.median(ln.size for ln in lines)
    biggest = max(ln.size for ln in lines)
    if biggest < body + 1:
        return None
    first = next(i for i, ln in enumerate(lines) if ln.size > biggest - 0.5)
    title = []
    for line in lines[first:]:  # the title's lines are together, in its type size
        if line.size <= biggest - 0.5:
            break
        title.append(line.text)
    return " ".join(title)[:300] or None
