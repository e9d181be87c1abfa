"""Report-like PDFs written from the tests' own text (reportlab), for tests and benchmarks.

Each page has a running header, a footer with the page number and two columns; the
columns' lines are drawn interleaved (left line, right line, ...) and the header last, so
content-stream order is not reading order, as in many typeset reports. Words carry
hyphenation points (U+00AD); a word that does not fit is broken at one with a "-". A
"^1" after a word is drawn as a raised, smaller footnote marker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

FONT, SIZE, LEADING = "Helvetica", 10, 12
WIDTH, HEIGHT = 420, 400
MARGIN, GUTTER = 40, 30
COLUMN = (WIDTH - 2 * MARGIN - GUTTER) / 2
TOP, BOTTOM = HEIGHT - 70, 60
HEADER = "Kuroshio Policy Review | Cross-Strait Notes"
SHY = "\u00ad"


@dataclass
class Made:
    path: Path
    pages: int
    #: Words the writer broke at a line end ("semicon-" / "ductor"), without hyphens.
    hyphenated: list[str] = field(default_factory=list)
    #: (page number, paragraph's first words) for every paragraph the writer started.
    paragraph_pages: list[tuple[int, str]] = field(default_factory=list)


def _stamp(year: int, month: int, day: int) -> object:
    from reportlab.pdfbase.pdfdoc import TimeStamp

    stamp = TimeStamp(invariant=1)
    stamp.YMDhms = (year, month, day, 12, 0, 0)
    return stamp


def _width(word: str, size: float = SIZE) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(word.replace(SHY, "").replace("^", ""), FONT, size)


def wrap(paragraph: str, width: float, hyphenated: list[str]) -> list[str]:
    """Lines of at most ``width`` points, breaking a word at a hyphenation point if needed."""
    lines: list[str] = []
    line = ""
    for word in paragraph.split():
        trial = f"{line} {word}" if line else word
        if _width(trial) <= width:
            line = trial
            continue
        parts = word.split(SHY)
        for cut in range(len(parts) - 1, 0, -1):
            head = "".join(parts[:cut]) + "-"
            if _width(f"{line} {head}" if line else head) <= width:
                lines.append(f"{line} {head}" if line else head)
                hyphenated.append(word.replace(SHY, ""))
                word = SHY.join(parts[cut:])
                break
        else:
            lines.append(line)
        line = word
    if line:
        lines.append(line)
    return lines


def _draw(canvas: object, x: float, y: float, line: str, size: float = SIZE) -> None:
    text = canvas.beginText(x, y)  # type: ignore[attr-defined]
    text.setFont(FONT, size)
    for n, piece in enumerate(line.replace(SHY, "").split("^")):
        if n:  # a footnote marker: the digits right after "^", raised and smaller
            digits = piece[: len(piece) - len(piece.lstrip("0123456789"))]
            text.setFont(FONT, size * 0.6)
            text.setRise(size * 0.4)
            text.textOut(digits)
            text.setRise(0)
            text.setFont(FONT, size)
            piece = piece[len(digits) :]
        text.textOut(piece)
    canvas.drawText(text)  # type: ignore[attr-defined]


def make_report(
    path: Path,
    front: list[str],
    paragraphs: list[str],
    *,
    title: str | None = None,
    author: str | None = None,
    subject: str | None = None,
    date: str | None = None,
    encrypt: str | None = None,
    notes: list[str] = (),
) -> Made:
    """Writes the report: ``front`` lines (the first one large, a title) above the columns
    of page 1, ``paragraphs`` in two columns, ``notes`` at the end of the last page."""
    from reportlab.pdfgen.canvas import Canvas

    made = Made(path, 0)
    canvas = Canvas(str(path), pagesize=(WIDTH, HEIGHT), invariant=1, encrypt=encrypt)
    if title:
        canvas.setTitle(title)
    if author:
        canvas.setAuthor(author)
    if subject:
        canvas.setSubject(subject)
    if date:  # "2025-03-12": the info dictionary's CreationDate (and ModDate)
        year, month, day = map(int, date.split("-"))
        canvas._doc._timeStamp = _stamp(year, month, day)  # type: ignore[attr-defined]
    # Lay out: (kind, text) lines; a blank between paragraphs.
    flow: list[tuple[str, int]] = []
    for n, para in enumerate(paragraphs):
        first = len(flow)
        flow.extend((line, n) for line in wrap(para, COLUMN, made.hyphenated))
        flow.append(("", n))
        made.paragraph_pages.append((first, " ".join(para.replace(SHY, "").split()[:4])))
    page, pos = 0, 0
    starts: dict[int, int] = {}
    while pos < len(flow):
        page += 1
        top = TOP
        if page == 1:
            y = HEIGHT - 40
            for n, line in enumerate(front):
                _draw(canvas, MARGIN, y, line, 16 if n == 0 else SIZE)
                y -= 2 * LEADING if n == 0 else 1.5 * LEADING
            top = y - LEADING
        rows = int((top - BOTTOM) / LEADING)
        left, right = flow[pos : pos + rows], flow[pos + rows : pos + 2 * rows]
        for i in range(len(flow[pos : pos + 2 * rows])):
            starts.setdefault(pos + i, page)
        for i in range(rows):  # interleaved: content order is not reading order
            for col, lines in ((0, left), (1, right)):
                if i < len(lines) and lines[i][0]:
                    _draw(canvas, MARGIN + col * (COLUMN + GUTTER), top - i * LEADING, lines[i][0])
        pos += 2 * rows
        if pos >= len(flow):
            y = BOTTOM - 5
            for note in reversed(notes):
                _draw(canvas, MARGIN, y, note, 7)
                y += 9
        canvas.setFont(FONT, 8)
        canvas.drawCentredString(WIDTH / 2, 25, f"Page {page}")
        canvas.drawString(MARGIN, HEIGHT - 20, HEADER)  # drawn last, read first
        canvas.showPage()
    canvas.save()
    made.pages = page
    made.paragraph_pages = [(starts[first], words) for first, words in made.paragraph_pages]
    return made
