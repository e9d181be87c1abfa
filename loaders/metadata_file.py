"""A folder's metadata file: ``metadata.tsv`` beside the documents, one row per document.

For documents that carry no front matter (plain text, a PDF whose info dictionary is empty)
the title, authors, publisher, date, source URL and language can be given here instead of
in the document. The precedence is: Markdown front matter > this file > what the format
embeds (PDF info, HTML meta tags, Word properties) > what the text says. A bad cell (an
impossible date, a source that is not an http(s) URL, a language that is no BCP 47 tag) is
one warning naming the file and line, and that field falls back to what the document says:
a typo in a spreadsheet never loses a document or stops a build. The whole format is in
``README`` ("Document metadata").

The file is plain IANA tab-separated values (no quoting, UTF-8 or UTF-16 with a BOM, as
spreadsheets save it): ``#`` lines are comments, the first other line is the header, and
every row names a file in the same folder.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from jtkg.loaders.language import language_tag

#: The file's name: one per folder, beside the documents it describes.
METADATA_FILE = "metadata.tsv"
#: The columns, in the order the bundled file uses; ``file`` is required.
COLUMNS = ("file", "title", "authors", "publisher", "date", "source", "language")
#: Other names a column may have (the front-matter key ``author``, a spreadsheet's "url").
_ALIASES = {"author": "authors", "url": "source"}
#: A metadata file is a few lines a document: more than this is not one.
MAX_METADATA_FILE_BYTES = 4 * 1024 * 1024
#: As the SHACL shape for dcterms:language checks it.
_BCP47 = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
_DATE = re.compile(r"^(\d{4})(?:-(\d\d)(?:-(\d\d))?)?$")
#: Characters an IRI may not hold (as the emitter checks before it makes one).
_NOT_IN_IRI = set(' <>"{}|\\^`')


class Document(Protocol):
    """What this module reads and sets of a loaders.reader.SourceDocument (not imported:
    the reader imports this module)."""

    path: Path
    media_type: str
    front_matter: dict[str, object]
    language: str
    warnings: list[str]


@dataclass
class Row:
    line: int
    cells: dict[str, str]


@dataclass
class MetadataFile:
    path: Path
    #: File name -> its row (the first, where a name is listed twice).
    rows: dict[str, Row] = field(default_factory=dict)
    #: Problems of the file as a whole (header, duplicates, rows naming no file here).
    problems: list[str] = field(default_factory=list)


_cache: dict[Path, tuple[tuple[int, int], MetadataFile]] = {}


def read_metadata_file(path: Path) -> MetadataFile:
    """The parsed file, cached per process by its size and modification time (a folder's
    documents all read the same file)."""
    stat = path.stat()
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _cache.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    parsed = parse_metadata_file(path, path.read_bytes() if stat.st_size <= MAX_METADATA_FILE_BYTES else None)
    _cache[path] = (key, parsed)
    return parsed


def parse_metadata_file(path: Path, data: bytes | None) -> MetadataFile:
    """Rows by file name; ``data`` None means the file is over the size limit."""
    meta = MetadataFile(path)
    if data is None:
        meta.problems.append(f"{path}: over the {MAX_METADATA_FILE_BYTES:,}-byte limit; the file is ignored")
        return meta
    try:  # spreadsheets save "Unicode text" as UTF-16 with a BOM, others UTF-8 (maybe with one)
        text = data.decode("utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data.decode("utf-8-sig")
    except UnicodeDecodeError:
        meta.problems.append(f"{path}: not UTF-8 (or UTF-16 with a BOM) text; the file is ignored")
        return meta
    header: list[str | None] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [_unquote(cell.strip()) for cell in line.split("\t")]
        if header is None:
            header = _header(cells, path, number, meta.problems)
            if header is None:
                return meta
            continue
        if len(cells) > len(header) and any(cells[len(header) :]):
            meta.problems.append(
                f"{path}:{number}: {len(cells)} cells but the header has {len(header)} columns "
                "(a tab inside a value?); the row is ignored"
            )
            continue
        row = Row(number, {name: cell for name, cell in zip(header, cells, strict=False) if name and cell})
        name = unicodedata.normalize("NFC", row.cells.get("file", ""))  # macOS lists names in NFD
        if not name:
            meta.problems.append(f"{path}:{number}: no file named in the 'file' column; the row is ignored")
        elif "/" in name or "\\" in name or name in (".", ".."):
            meta.problems.append(
                f"{path}:{number}: {name!r} is not a file name in this folder (each folder has its own "
                f"{METADATA_FILE}); the row is ignored"
            )
        elif name in meta.rows:
            meta.problems.append(
                f"{path}:{number}: {name!r} is listed again (first at line {meta.rows[name].line}); "
                "the row is ignored"
            )
        else:
            meta.rows[name] = row
    if header is None:
        meta.problems.append(f"{path}: no header line (file, title, ...); the file is ignored")
    return meta


def _header(cells: list[str], path: Path, number: int, problems: list[str]) -> list[str | None] | None:
    """The column each cell is (None: unknown, ignored), or None when there is no 'file' column."""
    names: list[str | None] = []
    for cell in cells:
        name = _ALIASES.get(cell.lower(), cell.lower())
        if name not in COLUMNS:
            if cell:
                problems.append(
                    f"{path}:{number}: unknown column {cell!r} (ignored); "
                    f"the columns are {', '.join(COLUMNS)}"
                )
            names.append(None)
        elif name in names:
            problems.append(f"{path}:{number}: column {cell!r} given twice; the second is ignored")
            names.append(None)
        else:
            names.append(name)
    if "file" not in names:
        problems.append(f"{path}:{number}: the header has no 'file' column; the file is ignored")
        return None
    return names


def _unquote(cell: str) -> str:
    """A cell wholly in double quotes with inner quotes doubled, as spreadsheets write one."""
    inner = cell[1:-1]
    if len(cell) >= 2 and cell[0] == cell[-1] == '"' and '"' not in inner.replace('""', ""):
        return inner.replace('""', '"')
    return cell


def given_values(row: Row, where: str) -> tuple[dict[str, object], list[str]]:
    """The row's fields as front matter gives them (authors and publishers as lists), and a
    line for each cell that is not valid (that field is left to the document)."""
    values: dict[str, object] = {}
    problems: list[str] = []
    for name, cell in row.cells.items():
        if name == "file":
            continue
        if name in ("authors", "publisher"):
            items = [" ".join(item.split()) for item in cell.split(";")]
            values[name] = [item for item in items if item]
        elif name == "date":
            if valid_date(cell):
                values[name] = cell
            else:
                problems.append(
                    f"{where}: date {cell!r} is not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD) "
                    "that exists; the date the document gives is used"
                )
        elif name == "source":
            if valid_source(cell):
                values[name] = cell
            else:
                problems.append(
                    f"{where}: source {cell!r} is not an absolute http(s) URL; the document's own "
                    "source (if any) is used"
                )
        elif name == "language":
            tag = language_tag(cell)
            if _BCP47.match(tag):
                values[name] = tag
            else:
                problems.append(
                    f"{where}: language {cell!r} is not a BCP 47 tag (such as en, ja, zh-Hant); "
                    "the language is detected"
                )
        else:
            values[name] = " ".join(cell.split())
    return values, problems


def valid_date(value: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD, and a date that exists (no 2021-02-30)."""
    m = _DATE.match(value)
    if m is None:
        return False
    year, month, day = (int(g) if g else 1 for g in m.groups())
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def valid_source(value: str) -> bool:
    """An absolute http(s) URL with a host that is also an IRI the store takes (RFC 3987):
    nothing an IRI may not hold, no control character, every ``%`` two hex digits, one ``#``
    at most, brackets only around an IPv6 host (``https://example.org/x#a#b`` or ``/%zz``
    passed the first test and then stopped a build)."""
    m = re.match(r"^https?://([^/?#]+)", value, re.IGNORECASE)
    if m is None or not m.group(1).strip("@:") or set(value) & _NOT_IN_IRI:
        return False
    if any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or 0xD800 <= ord(c) <= 0xDFFF for c in value):
        return False
    if value.count("#") > 1 or re.search(r"%(?![0-9A-Fa-f]{2})", value):
        return False
    host = m.group(1).rsplit("@", 1)[-1]
    brackets = "[" in value or "]" in value
    return not brackets or (
        re.fullmatch(r"\[[0-9A-Fa-f:.]+\](:\d*)?", host) is not None and value.count("[") == 1
    )


def apply_metadata_file(doc: Document, is_document: Callable[[Path], bool]) -> None:
    """Merges the row for ``doc`` of the metadata file beside it into its metadata, and adds
    the warnings: the row's bad cells, and (on the folder's first document, so one build
    says them once) the file's own problems. ``is_document`` says which files jtkg reads."""
    folder = doc.path.parent
    path = folder / METADATA_FILE
    try:
        meta = read_metadata_file(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        doc.warnings.append(f"{path}: cannot read: {exc.strerror or exc}; the file is ignored")
        return
    name = unicodedata.normalize("NFC", doc.path.name)
    with contextlib.suppress(OSError):  # a folder that cannot be listed: the rows still apply
        doc.warnings.extend(_folder_problems(meta, folder, name, is_document))
    row = meta.rows.get(name)
    if row is None:
        return
    values, problems = given_values(row, f"{path}:{row.line}")
    doc.warnings.extend(problems)
    # Markdown front matter is the author's own and wins; metadata a format embeds (a PDF's
    # info dictionary, HTML meta tags) is the tool's, and the metadata file corrects it.
    markdown = doc.media_type == "text/markdown"
    stronger, weaker = (doc.front_matter, values) if markdown else (values, doc.front_matter)
    merged = dict(stronger)
    taken = {_field(key) for key in stronger}
    merged.update({key: value for key, value in weaker.items() if _field(key) not in taken})
    if "language" in values and not (markdown and "language" in doc.front_matter):
        doc.language = str(values["language"])  # the reader detected one: the file's wins
    doc.front_matter = merged


def _field(key: str) -> str:
    """``author`` and ``authors`` are one field: either in the stronger source wins."""
    return "authors" if key == "author" else key


def row_digest(document: Path) -> str:
    """A short hash of the metadata file's row for ``document`` ("" when it has none): kept
    in the store's manifest, so ingest re-extracts a document whose row changed though its
    file did not. A fetched document's path (a URL's, a PurePath) has no folder here."""
    if not isinstance(document, Path):
        return ""
    try:
        rows = read_metadata_file(document.parent / METADATA_FILE).rows
        row = rows.get(unicodedata.normalize("NFC", document.name))
    except OSError:
        return ""
    if row is None:
        return ""
    joined = "\x1f".join(f"{name}={value}" for name, value in sorted(row.cells.items()))
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


def metadata_record(document: Path) -> dict[str, str]:
    """The manifest field of a document's row ({} when it has none)."""
    digest = row_digest(document)
    return {"metadata": digest} if digest else {}


def _folder_problems(
    meta: MetadataFile, folder: Path, name: str, is_document: Callable[[Path], bool]
) -> list[str]:
    """The file's own problems and its rows naming no file here, for the folder's first
    document only (by name), so that a build says each once. One listing of the folder a
    document, and the rows checked only for that first one."""
    names = [unicodedata.normalize("NFC", n) for n in os.listdir(folder)]
    first = next((n for n in sorted(names) if n != METADATA_FILE and is_document(folder / n)), None)
    if first != name:
        return []
    present = set(names)
    missing = [
        f"{meta.path}:{row.line}: no file {listed!r} in {folder}; the row is ignored"
        if listed not in present
        else f"{meta.path}:{row.line}: {listed!r} is not a document jtkg reads; the row is ignored"
        for listed, row in meta.rows.items()
        if listed not in present or not is_document(folder / listed)
    ]
    return [*meta.problems, *missing]


def preload(paths: Iterable[str | Path]) -> None:
    """Parses, here and once, the metadata file of each folder ``paths`` are in: called
    before forking a worker per document, so each inherits the parsed rows instead of
    parsing the whole file again (O(rows) a document)."""
    for folder in {Path(p).parent for p in paths if "://" not in str(p)}:
        with contextlib.suppress(OSError):
            read_metadata_file(folder / METADATA_FILE)
