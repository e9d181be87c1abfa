"""Every setting in one table: it drives the defaults, the command line and the docs.

A number's type is its default's, and its range is ``low``..``high``: a value from the
command line, the environment or a config dict outside them (or not a number) is a
SettingError with one line naming where it came from. To add a setting, add a row.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from jtkg.graph.generations import KEEP_ENV, KEEP_GENERATIONS, KEEP_RANGE
from jtkg.graph.store import STORE_ENV, default_store_path
from jtkg.loaders.errors import BadInput
from jtkg.loaders.limits import (
    MAX_DOCUMENT_CHARS,
    MAX_DOCUMENT_MEMORY_MB,
    MAX_DOCUMENT_MENTIONS,
    MAX_DOCUMENT_SECONDS,
)
from jtkg.server.sparql import MAX_QUERY_LENGTH, MAX_RESULT_BYTES, MAX_RESULT_ROWS
from jtkg.server.workers import (
    LONG_AFTER,
    QUERY_TIMEOUT,
    QUERY_WORKERS,
    QUEUE_TIMEOUT,
    RESERVE_WORKERS,
    WORKER_MEMORY_MB,
)
from jtkg.server.write_worker import UPDATE_MEMORY_MB, UPDATE_TIMEOUT


class SettingError(BadInput, ValueError):
    """A setting's value is not of its type or out of its range (the message is one line,
    naming where the value came from: ``JTKG_PORT: 'abc' is not an integer``)."""


_KIND_NAMES = {int: "an integer", float: "a number", str: "a string"}


@dataclass(frozen=True)
class Setting:
    """One row of the table. A number's type is its default's; ``low``/``high`` bound it
    (inclusive), and ``off`` is one more value accepted outside the range, meaning "off"."""

    name: str
    default: Any
    help: str
    env: str | None = None
    low: float | None = None
    high: float | None = None
    off: float | None = None

    @property
    def key(self) -> str:
        """The Flask config key."""
        return self.name.upper()

    @property
    def kind(self) -> type:
        if isinstance(self.default, bool) or not isinstance(self.default, int | float):
            return str
        return type(self.default)

    @property
    def option(self) -> str:
        return f"--{self.name.replace('_', '-')}"

    def value(self, overrides: dict[str, Any] | None = None) -> Any:
        overrides = overrides or {}
        if self.key in overrides and overrides[self.key] is not None:
            return self.check(overrides[self.key], self.option)
        if self.env and os.environ.get(self.env):
            return self.check(os.environ[self.env], self.env)
        return self.default() if callable(self.default) else self.default

    def check(self, raw: Any, source: str) -> Any:
        """``raw`` (text from the command line or environment, or a value) as this setting's
        type, within its range; SettingError otherwise."""
        kind = self.kind
        if kind is str:
            return raw  # text, or a Path for the store
        value: Any = raw
        if isinstance(raw, str):
            try:
                value = kind(raw.strip())
            except ValueError:
                raise SettingError(f"{source}: {raw!r} is not {_KIND_NAMES[kind]}") from None
        elif (
            isinstance(raw, bool)
            or not isinstance(raw, int | float)
            or (kind is int and not isinstance(raw, int))
        ):
            raise SettingError(f"{source}: {raw!r} is not {_KIND_NAMES[kind]}")
        if kind is float and value != value:  # NaN passes every comparison
            raise SettingError(f"{source}: {raw!r} is not {_KIND_NAMES[kind]}")
        if value == self.off or self.contains(value):
            return kind(value)
        raise SettingError(f"{source}: {raw!r} {self.range_text()}")

    def contains(self, value: float) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)

    def accepted(self) -> str:
        """The range for the help text: "0..65535", ">= 1", "256..1048576, or 0 (off)"."""

        def shown(bound: float) -> str:
            return f"{bound:g}" if isinstance(bound, float) else str(bound)

        if self.kind is str:
            return ""
        if self.low is not None and self.high is not None:
            text = f"{shown(self.low)}..{shown(self.high)}"
        elif self.low is not None:
            text = f">= {shown(self.low)}"
        else:
            text = f"<= {shown(self.high)}" if self.high is not None else "any"
        return text + (f", or {shown(self.off)} (off)" if self.off is not None else "")

    def range_text(self) -> str:
        def shown(bound: float) -> str:
            return f"{bound:g}" if isinstance(bound, float) else str(bound)

        if self.low is not None and self.high is not None:
            text = f"is not between {shown(self.low)} and {shown(self.high)}"
        elif self.low is not None:
            text = f"is less than {shown(self.low)}"
        else:
            text = f"is more than {shown(self.high)}"  # type: ignore[arg-type]
        return text + (f" (or {shown(self.off)}: off)" if self.off is not None else "")


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "store",
        default_store_path,
        "Folder of the on-disk store (Oxigraph), or sparql+http(s)://HOST/PATH for an external "
        "SPARQL 1.1 store (see the README). Default: $JTKG_STORE, else "
        "$XDG_DATA_HOME/jtkg/store (~/.local/share/jtkg/store).",
        env=STORE_ENV,
    ),
    Setting("host", "127.0.0.1", "Interface the server listens on.", env="JTKG_HOST"),
    Setting(
        "port",
        5000,
        "TCP port the server listens on (0: any free port, named at start-up).",
        env="JTKG_PORT",
        low=0,
        high=65535,
    ),
    Setting(
        "threads", 8, "Threads that run the app in the HTTP server.", env="JTKG_THREADS", low=1, high=1024
    ),
    Setting(
        "http_server",
        "waitress",
        "HTTP server of `jtkg serve`: waitress (the default) or granian (HTTP in Rust; "
        "faster, but no time limit on reading a request body).",
        env="JTKG_HTTP_SERVER",
    ),
    Setting(
        "max_query_length",
        MAX_QUERY_LENGTH,
        "Longest SPARQL query accepted, in characters; longer gets 413.",
        env="JTKG_MAX_QUERY_LENGTH",
        low=1,
    ),
    Setting(
        "max_body_bytes",
        1_000_000,
        "Largest request body accepted, in bytes; larger gets 413.",
        env="JTKG_MAX_BODY_BYTES",
        low=1,
    ),
    Setting(
        "max_result_bytes",
        MAX_RESULT_BYTES,
        "Largest serialized query result, in bytes; larger gets 503.",
        env="JTKG_MAX_RESULT_BYTES",
        low=1,
    ),
    Setting(
        "max_result_rows",
        MAX_RESULT_ROWS,
        "Most rows of a SELECT result; more gets 503.",
        env="JTKG_MAX_RESULT_ROWS",
        low=1,
    ),
    Setting(
        "update_token",
        "",
        "Bearer token that writes (SPARQL Update, Graph Store PUT/POST/DELETE) require; empty "
        "turns writes off. Prefer the environment variable: command lines are visible to "
        "other users.",
        env="JTKG_UPDATE_TOKEN",
    ),
    Setting(
        "query_timeout",
        QUERY_TIMEOUT,
        "Seconds a SPARQL query may run before its worker process is stopped (503).",
        env="JTKG_QUERY_TIMEOUT",
        low=0.1,
        high=86400.0,
    ),
    Setting(
        "query_workers",
        QUERY_WORKERS,
        f"Most SPARQL queries that may run longer than {LONG_AFTER:g} s at once; one more "
        "that would gets 503 (too many long-running queries).",
        env="JTKG_QUERY_WORKERS",
        low=1,
        high=64,
    ),
    Setting(
        "reserve_workers",
        RESERVE_WORKERS,
        "Query worker processes beyond query_workers, kept for queries that have run less "
        f"than {LONG_AFTER:g} s, so cheap queries are answered while long ones run.",
        env="JTKG_RESERVE_WORKERS",
        low=0,
        high=64,
    ),
    Setting(
        "worker_memory_mb",
        WORKER_MEMORY_MB,
        "Address space each query worker may use, in MB; a query that needs more is "
        "stopped (503) and its worker replaced. 0 turns the cap off.",
        env="JTKG_WORKER_MEMORY_MB",
        low=256,
        high=1_048_576,
        off=0,
    ),
    Setting(
        "service_allowlist",
        "",
        "SPARQL endpoints that SERVICE may call, separated by spaces or commas; empty "
        "(the default) refuses every SERVICE clause, so the server makes no outbound "
        "requests.",
        env="JTKG_SERVICE_ALLOWLIST",
    ),
    Setting(
        "queue_timeout",
        QUEUE_TIMEOUT,
        "Seconds a query waits for a free worker before 503.",
        env="JTKG_QUEUE_TIMEOUT",
        low=0.0,
        high=3600.0,
    ),
    Setting(
        "update_timeout",
        UPDATE_TIMEOUT,
        "Seconds a write (SPARQL Update, Graph Store PUT/POST/DELETE) may run, validation "
        "included, before its process is stopped (503, nothing changed).",
        env="JTKG_UPDATE_TIMEOUT",
        low=0.1,
        high=86400.0,
    ),
    Setting(
        "update_memory_mb",
        UPDATE_MEMORY_MB,
        "Address space a write's process may use, in MB; past it the write is stopped "
        "(503, nothing changed). 0 turns the cap off.",
        env="JTKG_UPDATE_MEMORY_MB",
        low=256,
        high=1_048_576,
        off=0,
    ),
    Setting(
        "keep_generations",
        KEEP_GENERATIONS,
        "Previous generations every publish keeps besides the published one (readers "
        "finish on them; `jtkg doctor` falls back to them). Commands other than serve "
        "read the environment variable.",
        env=KEEP_ENV,
        low=KEEP_RANGE[0],
        high=KEEP_RANGE[1],
    ),
    # Per document, for build, ingest and extract (options of those commands too): a
    # document over one is refused in one line naming the option, and the others go on.
    Setting(
        "max_document_chars",
        MAX_DOCUMENT_CHARS,
        "Most characters of text in one document; a longer one is refused before extraction.",
        env="JTKG_MAX_DOCUMENT_CHARS",
        low=1,
    ),
    Setting(
        "max_document_mentions",
        MAX_DOCUMENT_MENTIONS,
        "Most entity mentions in one document; extraction stops at the first one over.",
        env="JTKG_MAX_DOCUMENT_MENTIONS",
        low=1,
    ),
    Setting(
        "max_document_seconds",
        MAX_DOCUMENT_SECONDS,
        "Seconds one document may take to extract, reason over and validate (in a worker "
        "process, stopped when they run out).",
        env="JTKG_MAX_DOCUMENT_SECONDS",
        low=0.1,
        high=86400.0,
    ),
    Setting(
        "max_document_memory_mb",
        MAX_DOCUMENT_MEMORY_MB,
        "Memory one document's worker process may allocate, in MB (RLIMIT_AS beyond what "
        "the worker starts with).",
        env="JTKG_MAX_DOCUMENT_MEMORY_MB",
        low=16,
        high=1_048_576,
    ),
)

BY_NAME = {s.name: s for s in SETTINGS}


def resolve(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Flask config for every setting: explicit values, then environment, then defaults."""
    return {s.key: s.value(overrides) for s in SETTINGS}
