"""A PDF's own metadata: title, authors, publisher and date from the info dictionary, else
from its XMP packet. Placeholders that PDF writers fill in ("untitled", "anonymous") are
not metadata and are left out."""

from __future__ import annotations

import re

#: Bytes of XMP metadata read at most: a few fields, never a document.
MAX_XMP_BYTES = 256 * 1024
#: Info-dictionary values that writers fill in by default; they say nothing about the report.
_DEFAULT_VALUES = {"untitled", "anonymous", "unknown", "unspecified", "none", "author", "title"}


def pdf_metadata(doc: object) -> dict[str, object]:
    """Title, authors, publisher and date from the info dictionary, else from XMP."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    meta: dict[str, object] = {}
    info: dict[str, object] = {}
    for entry in getattr(doc, "info", []) or []:
        for k, v in (resolve1(entry) or {}).items():
            v = resolve1(v)
            if isinstance(v, bytes):
                info[k] = decode_text(v)
            elif isinstance(v, str):
                info[k] = v
    xmp = _xmp(doc)
    title = _title(info.get("Title")) or _title(xmp.get("title"))
    if title:
        meta["title"] = title
    authors = _clean(info.get("Author")) or _clean(xmp.get("creator"))
    if authors:
        meta["authors"] = _split_authors(authors)
    publisher = _clean(info.get("Publisher")) or _clean(xmp.get("publisher"))
    if publisher:
        meta["publisher"] = publisher
    date = _pdf_date(info.get("CreationDate")) or _iso_date(xmp.get("date"))
    if date:
        meta["date"] = date
    return meta


def _title(value: object) -> str | None:
    """A title, unless it is the file name a word processor put there ("Microsoft Word - x.docx")."""
    title = _clean(value)
    if title is None or re.match(r"^Microsoft \w+ - |^[\w.-]+\.(?:docx?|pptx?|indd|tex|pdf)$", title):
        return None
    return title


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.replace("\x00", "").split())
    return value if value and value.lower() not in _DEFAULT_VALUES else None


def _split_authors(value: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"\s*(?:;|&|\band\b)\s*", value) if p.strip()]
    if len(parts) == 1 and "," in value:
        commas = [p.strip() for p in value.split(",") if p.strip()]
        if all(" " in p for p in commas):  # "Sora Veld, Jane Roe", not "Veld, Sora"
            parts = commas
    return parts


def _pdf_date(value: object) -> str | None:
    match = re.match(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?", value) if isinstance(value, str) else None
    if not match:
        return None
    return "-".join(g for g in match.groups() if g)


def _iso_date(value: object) -> str | None:
    match = re.match(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", value) if isinstance(value, str) else None
    return match.group() if match else None


def _xmp(doc: object) -> dict[str, str]:
    """A few Dublin Core and XMP fields, read with patterns: no XML parser runs over
    untrusted metadata (no entity expansion)."""
    from pdfminer.pdftypes import resolve1

    try:
        stream = resolve1(getattr(doc, "catalog", {}).get("Metadata"))
        raw = stream.get_data()[:MAX_XMP_BYTES].decode("utf-8", "replace") if stream else ""
    except Exception:
        return {}
    found: dict[str, str] = {}
    for name, tag in (
        ("title", "dc:title"),
        ("creator", "dc:creator"),
        ("publisher", "dc:publisher"),
        ("date", "xmp:CreateDate"),
    ):
        m = re.search(rf"<{tag}\b[^>]*>(.*?)</{tag}>", raw, re.DOTALL)
        attr = re.search(rf'\b{tag}="([^"]*)"', raw)
        if m:
            items = re.findall(r"<rdf:li\b[^>]*>(.*?)</rdf:li>", m.group(1), re.DOTALL)
            found[name] = "; ".join(items) if items else m.group(1)
        elif attr:
            found[name] = attr.group(1)
    return {k: _unescape(v) for k, v in found.items()}


def _unescape(value: str) -> str:
    from html import unescape

    return unescape(re.sub(r"<[^>]+>", "", value)).strip()
