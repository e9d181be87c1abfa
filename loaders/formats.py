"""Readers by media type: how a document's bytes become text, metadata and pages.

Plain text and Markdown are decoded in ``reader.py``; every other format (HTML, PDF, Word)
has a reader here, registered under its media type and file suffixes. A reader returns the
text that offsets index into, so evidence quotes are always ``text[start:end]``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from jtkg.loaders.errors import BadInput
from jtkg.loaders.metadata_file import preload


class DocumentError(BadInput):
    """A document that cannot be read; the message is one line naming the file and why."""


@dataclass
class Content:
    """What a reader hands on: the text, and what the format itself says about it."""

    text: str
    #: Metadata from the format (title, author, authors, publisher, date, source, language).
    metadata: dict[str, object] = field(default_factory=dict)
    #: Offsets in ``text`` where each page starts (page 1 at index 0); empty when not paged.
    page_starts: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


#: A reader: (path for messages, the file's bytes, the charset a server declared) → Content.
Reader = Callable[[Path, bytes, str | None], Content]

READERS: dict[str, Reader] = {}
SUFFIXES: dict[str, str] = {}


def register(media_type: str, *suffixes: str) -> Callable[[Reader], Reader]:
    """Registers a reader for a media type and the file suffixes that mean it."""

    def add(reader: Reader) -> Reader:
        READERS[media_type] = reader
        for suffix in suffixes:
            SUFFIXES[suffix] = media_type
        return reader

    return add


#: Per media type, what imports its reader's heavy modules (see ``warm``).
WARMERS: dict[str, Callable[[], None]] = {}


def warms(media_type: str) -> Callable[[Callable[[], None]], Callable[[], None]]:
    """Registers what imports a reader's heavy modules (trafilatura, pdfminer): readers
    import them lazily so a build without that format never pays for them."""

    def add(warmer: Callable[[], None]) -> Callable[[], None]:
        WARMERS[media_type] = warmer
        return warmer

    return add


def warm(paths: Iterable[str | Path] | None = None) -> None:
    """Imports, here and once, the heavy modules of the readers ``paths`` need (all of them
    when a path is a link, whose type is known only once fetched; every reader without
    ``paths``). Called before forking per-document workers, so each child inherits the
    modules instead of importing them again (trafilatura: ~0.4 s a document); and each
    folder's metadata.tsv parsed once."""
    if paths is not None:
        paths = list(paths)
        preload(paths)
    if paths is None:
        wanted = set(WARMERS)
    else:
        wanted = set()
        for path in paths:
            name = str(path)
            if "://" in name:
                wanted = set(WARMERS)
                break
            media_type = SUFFIXES.get(Path(name).suffix.lower())
            if media_type:
                wanted.add(media_type)
    for media_type in sorted(wanted):
        warmer = WARMERS.get(media_type)
        if warmer is not None:
            with contextlib.suppress(ImportError):  # the reader says so when it runs
                warmer()
