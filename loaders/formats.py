"""Readers by media type: how a document's bytes become text, metadata and pages.

Plain text and Markdown are decoded in ``reader.py``; every other format (HTML, PDF, Word)
has a reader here, registered under its media type and file suffixes. A reader returns the
text that offsets index into, so evidence quotes are always ``text[start:end]``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


class DocumentError(Exception):
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
