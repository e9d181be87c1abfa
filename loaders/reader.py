"""Reading source documents (.txt, .md with YAML front matter, .html) into text and metadata.

Offsets in the graph index into ``SourceDocument.text``: the decoded file for plain text and
Markdown (front matter included, so offsets match the file a reader opens), and the visible
text for HTML.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from jtkg.loaders.encoding import decode
from jtkg.loaders.formats import READERS, SUFFIXES, DocumentError
from jtkg.loaders.language import language_of, language_tag
from jtkg.loaders.limits import MAX_DOCUMENT_CHARS, refusal
from jtkg.loaders.metadata_file import apply_metadata_file
from jtkg.ontology import slugify

#: Documents larger than this are refused before decoding, so memory stays bounded.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
SUPPORTED_SUFFIXES = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
}
FRONT_MATTER_KEYS = ("title", "author", "authors", "publisher", "date", "source", "language")


@dataclass
class SourceDocument:
    path: Path
    slug: str
    text: str
    media_type: str
    sha256: str
    #: Metadata given by the document's front matter (title, authors, publisher, date, source).
    front_matter: dict[str, object] = field(default_factory=dict)
    #: Where the body starts: extraction skips the front matter block.
    body_start: int = 0
    warnings: list[str] = field(default_factory=list)
    #: Offsets in ``text`` where each page starts (page 1 at index 0); empty when not paged.
    page_starts: list[int] = field(default_factory=list)
    #: The URL the document was fetched from, when it was.
    source_url: str | None = None
    #: BCP 47 code of the document's language: as its metadata says, else detected.
    language: str = "en"


def read_document(
    path: str | Path,
    max_chars: int = MAX_DOCUMENT_CHARS,
    media_type: str | None = None,
    charset: str | None = None,
) -> SourceDocument:
    """Reads a file; ``media_type`` and ``charset`` (as a server declared them) override what
    the file name suggests."""
    path = Path(path)
    media_type = media_type or media_type_of(path)
    if media_type is None:
        raise DocumentError(
            f"{path}: unsupported file type {path.suffix or '(none)'!r}; "
            f"expected one of {', '.join(sorted(SUPPORTED_SUFFIXES))}"
        )
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise DocumentError(f"{path}: {size} bytes is over the {MAX_DOCUMENT_BYTES}-byte limit")
        data = path.read_bytes()
    except DocumentError:
        raise
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read: {exc.strerror or exc}") from None
    doc = parse_document(path, data, media_type, max_chars, charset)
    apply_metadata_file(doc, lambda p: media_type_of(p) is not None)  # the folder's metadata.tsv
    return doc


def media_type_of(path: Path) -> str | None:
    """The media type a file's suffix means, or None when jtkg cannot read it."""
    suffix = path.suffix.lower()
    return SUPPORTED_SUFFIXES.get(suffix) or SUFFIXES.get(suffix)


def parse_document(
    path: Path, data: bytes, media_type: str, max_chars: int = MAX_DOCUMENT_CHARS, charset: str | None = None
) -> SourceDocument:
    if not data.strip():
        raise DocumentError(f"{path}: the document is empty")
    reader = READERS.get(media_type)
    if reader is not None:
        content = reader(path, data, charset)
        doc = SourceDocument(
            path=path,
            slug=slugify(path.stem),
            text=content.text,
            media_type=media_type,
            sha256=hashlib.sha256(data).hexdigest(),
            front_matter=content.metadata,
            warnings=content.warnings,
            page_starts=content.page_starts,
        )
        return _checked(doc, path, max_chars)
    text, encoding = decode(data, charset, path)  # BOM, declared charset, UTF-8, detection
    doc = SourceDocument(
        path=path,
        slug=slugify(path.stem),
        text=text,
        media_type=media_type,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    if not charset and not encoding.startswith("utf"):  # a guess: say which, in case it is wrong
        doc.warnings.append(f"{path}: not UTF-8; read as {encoding} (detected)")
    if media_type == "text/markdown":
        doc.front_matter, doc.body_start = _front_matter(text, doc.warnings, path)
    return _checked(doc, path, max_chars)


def _checked(doc: SourceDocument, path: Path, max_chars: int) -> SourceDocument:
    """Refuses text that is too long or is not text, whatever format it came from."""
    if not doc.text.strip():
        raise DocumentError(f"{path}: no text in the document")
    if len(doc.text) > max_chars:  # before any extraction: its cost grows with the text
        raise DocumentError(
            refusal(path, f"{len(doc.text):,} characters", f"{max_chars:,}", "max_document_chars")
        )
    printable = sum(1 for ch in doc.text[:10000] if ch.isprintable() or ch in "\n\r\t")
    if printable < 0.9 * min(len(doc.text), 10000):
        raise DocumentError(f"{path}: mostly control characters, not a text document")
    given = str(doc.front_matter.get("language") or "").strip()
    doc.language = language_tag(given) if given else language_of(doc.text[doc.body_start :])
    return doc


class _FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML that keeps dates as the text wrote them: an impossible date must reach the
    SHACL gate as written, not crash the reader."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(\r?\n|\Z)", re.DOTALL)


#: Front matter is a handful of fields: more than this is not metadata.
MAX_FRONT_MATTER_BYTES = 64 * 1024
#: Deepest nesting of mappings and sequences accepted in front matter.
MAX_FRONT_MATTER_DEPTH = 10


def check_front_matter(source: str) -> str | None:
    """Why this YAML may not be loaded (aliases or anchors, too deep, too large), or None.

    Runs on the parser's event stream, which builds no objects: an alias bomb ("billion
    laughs") expands only when the composer builds nodes, so it is refused here in
    microseconds instead of taking gigabytes. A syntax error is left to the loader."""
    size = len(source.encode("utf-8"))
    if size > MAX_FRONT_MATTER_BYTES:
        return f"front matter is {size:,} bytes; the limit is {MAX_FRONT_MATTER_BYTES:,}"
    depth = 0
    try:
        for event in yaml.parse(source, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return "front matter uses YAML aliases/anchors, which are not allowed"
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_FRONT_MATTER_DEPTH:
                    return (
                        f"front matter nests deeper than {MAX_FRONT_MATTER_DEPTH} levels, "
                        "which is not allowed"
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None  # invalid YAML: the loader reports it as a warning
    return None


def _front_matter(text: str, warnings: list[str], path: Path | None = None) -> tuple[dict[str, object], int]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, 0
    refusal = check_front_matter(match.group(1))
    if refusal is not None:
        raise DocumentError(f"{path}: {refusal}")
    try:
        data = yaml.load(match.group(1), Loader=_FrontMatterLoader)
    except (yaml.YAMLError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else "syntax error"
        warnings.append(f"front matter ignored: invalid YAML ({first})")
        return {}, match.end()
    if not isinstance(data, dict):
        warnings.append("front matter ignored: not a mapping")
        return {}, match.end()
    meta = {k: data[k] for k in FRONT_MATTER_KEYS if data.get(k) not in (None, "")}
    return meta, match.end()


# Readers of other formats register themselves in jtkg.loaders.formats when imported; one
# import line each below (kept last: they import formats, never this module).
from jtkg.loaders import docx, pdf  # noqa: F401, E402
from jtkg.loaders.web import html_to_text  # noqa: F401, E402 (the HTML reader; old import path)
