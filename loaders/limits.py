"""Per-document bounds on extraction, so one huge or hostile document cannot take the machine.

The characters and mentions are checked by the extractor itself (right after reading, and as
mentions are found); the time and memory by the graph layer, which runs each document in a
worker process (see ``jtkg.graph.pipeline``). Each bound is a setting: the server layer's
settings table names the command-line option and environment variable of each field, and
the one-line refusals name the option, so a user knows what to raise.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Characters of text per document: a 1,000-page PDF is about this much.
MAX_DOCUMENT_CHARS = 2_000_000
#: Entity mentions per document; extraction stops at the first one over.
MAX_DOCUMENT_MENTIONS = 20_000
#: Wall-clock seconds to extract, reason over and validate one document.
MAX_DOCUMENT_SECONDS = 60.0
#: Megabytes of memory one document's worker may allocate beyond what it starts with.
MAX_DOCUMENT_MEMORY_MB = 2048


@dataclass(frozen=True)
class Limits:
    max_document_chars: int = MAX_DOCUMENT_CHARS
    max_document_mentions: int = MAX_DOCUMENT_MENTIONS
    max_document_seconds: float = MAX_DOCUMENT_SECONDS
    max_document_memory_mb: int = MAX_DOCUMENT_MEMORY_MB


DEFAULT_LIMITS = Limits()


def option(field: str) -> str:
    """The command-line option of a Limits field, as refusals name it."""
    return "--" + field.replace("_", "-")


def refusal(where: object, amount: str, limit: str, field: str) -> str:
    """One line: "big.md: 2,345,678 characters; the limit is 2,000,000 (--max-document-chars)"."""
    return f"{where}: {amount}; the limit is {limit} ({option(field)})"
