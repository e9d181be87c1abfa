"""Word documents (.docx) with python-docx: paragraphs and tables in order, core properties.

The text is laid out as Markdown would write it — a blank line between blocks, headings as
``#`` lines, list items as ``- `` lines, each table row one line of cells joined by `` | `` — so
a report reads, and extracts, as the same text in Markdown does.

A .docx is a zip: its declared uncompressed sizes are checked before anything is inflated, so a
zip bomb is one line, not gigabytes (zipfile never inflates a member past its declared size).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

from jtkg.loaders.formats import Content, DocumentError, register, warms

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: The XML that becomes text may not exceed the byte cap the reader sets for any document.
MAX_XML_BYTES = 20 * 1024 * 1024
#: Images and embedded objects are loaded but never read: a looser cap for the whole package.
MAX_PACKAGE_BYTES = 10 * MAX_XML_BYTES
#: Authors that are a program's or a blank installation's, not a person's.
PLACEHOLDER_AUTHORS = frozenset(
    {
        "python-docx",
        "microsoft office user",
        "windows user",
        "user",
        "administrator",
        "admin",
        "author",
        "unknown",
    }
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _check_package(path: Path, data: bytes) -> None:
    if data.startswith(_OLE_MAGIC):
        raise DocumentError(
            f"{path}: an encrypted or legacy (.doc) Word file, not a .docx; save it as an unencrypted .docx"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DocumentError(
            f"{path}: not a readable Word document (damaged or truncated zip: {exc})"
        ) from None
    xml = sum(m.file_size for m in members if m.filename.endswith((".xml", ".rels")))
    total = sum(m.file_size for m in members)
    if xml > MAX_XML_BYTES:
        raise DocumentError(
            f"{path}: the Word document's text inflates to {xml:,} bytes, over "
            f"the {MAX_XML_BYTES:,}-byte limit (a zip bomb?)"
        )
    if total > MAX_PACKAGE_BYTES:
        raise DocumentError(
            f"{path}: the Word document inflates to {total:,} bytes, over the "
            f"{MAX_PACKAGE_BYTES:,}-byte limit for a whole package (a zip bomb?)"
        )


def _heading_level(style: str) -> int:
    if style == "Title":
        return 1
    match = re.fullmatch(r"Heading (\d)", style)
    return int(match.group(1)) if match else 0


def _paragraph_line(paragraph: object, styles: dict[str, str]) -> str:
    text = paragraph.text.strip()  # type: ignore[attr-defined]
    if not text:
        return ""
    # The style by id from a table made once: python-docx's paragraph.style searches them all.
    style_id = paragraph._p.style  # type: ignore[attr-defined]
    style = styles.get(style_id or "", "") if style_id else ""
    level = _heading_level(style)
    if level:
        return "#" * level + " " + " ".join(text.split())
    if style.startswith("List"):
        return "- " + text
    return text


def _table_lines(table: object) -> list[str]:
    lines = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells: list[str] = []
        for cell in row.cells:
            value = " ".join(cell.text.split())
            if not cells or value != cells[-1]:  # a merged cell repeats in each column it spans
                cells.append(value)
        if any(cells):
            lines.append(" | ".join(cells))
    return lines


def _metadata(core: object) -> dict[str, object]:
    meta: dict[str, object] = {}
    title = (core.title or "").strip()  # type: ignore[attr-defined]
    if title:
        meta["title"] = title
    author = (core.author or "").strip()  # type: ignore[attr-defined]
    if author and author.lower() not in PLACEHOLDER_AUTHORS:
        names = [a.strip() for a in re.split(r"\s*;\s*", author) if a.strip()]
        meta["authors" if len(names) > 1 else "author"] = names if len(names) > 1 else names[0]
    created = core.created  # type: ignore[attr-defined]
    if isinstance(created, datetime):
        meta["date"] = created.date().isoformat()
    language = (core.language or "").strip()  # type: ignore[attr-defined]
    if language:
        meta["language"] = language
    return meta


@warms(MEDIA_TYPE)
def _warm() -> None:
    import docx  # noqa: F401


@register(MEDIA_TYPE, ".docx")
def read_docx(path: Path, data: bytes, charset: str | None) -> Content:
    """Paragraphs and tables in document order; title, author(s), created date and language
    from the core properties."""
    _check_package(path, data)
    import docx  # python-docx; imported here so that a build without Word files never loads it
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        styles = {style.style_id: style.name or "" for style in document.styles}
        blocks: list[str] = []
        for item in document.iter_inner_content():
            if hasattr(item, "rows"):
                blocks.append("\n".join(_table_lines(item)))
            else:
                blocks.append(_paragraph_line(item, styles))
        metadata = _metadata(document.core_properties)
    except (
        PackageNotFoundError,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        AttributeError,
        SyntaxError,
        OSError,
    ) as exc:  # lxml's XMLSyntaxError is a SyntaxError
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DocumentError(f"{path}: not a readable Word document ({reason})") from None
    text = "\n\n".join(b for b in blocks if b)
    if not text.strip():
        raise DocumentError(f"{path}: the Word document has no text")
    return Content(text=text + "\n", metadata=metadata)
