"""Every setting in one table: it drives the defaults, the command line and the docs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from jtkg.graph.store import STORE_ENV, default_store_path
from jtkg.loaders.limits import (
    MAX_DOCUMENT_CHARS,
    MAX_DOCUMENT_MEMORY_MB,
    MAX_DOCUMENT_MENTIONS,
    MAX_DOCUMENT_SECONDS,
)
from jtkg.server.sparql import MAX_QUERY_LENGTH, MAX_RESULT_BYTES, MAX_RESULT_ROWS
from jtkg.server.workers import QUERY_TIMEOUT, QUEUE_TIMEOUT


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    env: str | None = None

    @property
    def key(self) -> str:
        """The Flask config key."""
        return self.name.upper()

    def value(self, overrides: dict[str, Any] | None = None) -> Any:
        overrides = overrides or {}
        if self.key in overrides and overrides[self.key] is not None:
            return overrides[self.key]
        if self.env and os.environ.get(self.env):
            raw = os.environ[self.env]
            return type(self.default)(raw) if isinstance(self.default, int | float) else raw
        return self.default() if callable(self.default) else self.default


SETTINGS: tuple[Setting, ...] = (
    Setting("store", default_store_path,
            "Folder of the on-disk store (Oxigraph), or sparql+http(s)://HOST/PATH for an external "
            "SPARQL 1.1 store (see the README). Default: $JTKG_STORE, else "
            "$XDG_DATA_HOME/jtkg/store (~/.local/share/jtkg/store).", env=STORE_ENV),
    Setting("host", "127.0.0.1", "Interface the server listens on.", env="JTKG_HOST"),
    Setting("port", 5000, "TCP port the server listens on.", env="JTKG_PORT"),
    Setting("threads", 8, "Worker threads of the WSGI server (waitress).", env="JTKG_THREADS"),
    Setting("max_query_length", MAX_QUERY_LENGTH,
            "Longest SPARQL query accepted, in characters; longer gets 413.",
            env="JTKG_MAX_QUERY_LENGTH"),
    Setting("max_body_bytes", 1_000_000,
            "Largest request body accepted, in bytes; larger gets 413.",
            env="JTKG_MAX_BODY_BYTES"),
    Setting("max_result_bytes", MAX_RESULT_BYTES,
            "Largest serialized query result, in bytes; larger gets 503.",
            env="JTKG_MAX_RESULT_BYTES"),
    Setting("max_result_rows", MAX_RESULT_ROWS,
            "Most rows of a SELECT result; more gets 503.", env="JTKG_MAX_RESULT_ROWS"),
    Setting("update_token", "",
            "Bearer token that writes (SPARQL Update, Graph Store PUT/POST/DELETE) require; empty "
            "turns writes off. Prefer the environment variable: command lines are visible to "
            "other users.",
            env="JTKG_UPDATE_TOKEN"),
    Setting("query_timeout", QUERY_TIMEOUT,
            "Seconds a SPARQL query may run before its worker process is stopped (503).",
            env="JTKG_QUERY_TIMEOUT"),
    Setting("query_workers", 2,
            "Worker processes that run SPARQL queries; the most that run at once.",
            env="JTKG_QUERY_WORKERS"),
    Setting("service_allowlist", "",
            "SPARQL endpoints that SERVICE may call, separated by spaces or commas; empty "
            "(the default) refuses every SERVICE clause, so the server makes no outbound "
            "requests.", env="JTKG_SERVICE_ALLOWLIST"),
    Setting("queue_timeout", QUEUE_TIMEOUT,
            "Seconds a query waits for a free worker before 503.", env="JTKG_QUEUE_TIMEOUT"),
    # Per document, for build, ingest and extract (options of those commands too): a
    # document over one is refused in one line naming the option, and the others go on.
    Setting("max_document_chars", MAX_DOCUMENT_CHARS,
            "Most characters of text in one document; a longer one is refused before extraction.",
            env="JTKG_MAX_DOCUMENT_CHARS"),
    Setting("max_document_mentions", MAX_DOCUMENT_MENTIONS,
            "Most entity mentions in one document; extraction stops at the first one over.",
            env="JTKG_MAX_DOCUMENT_MENTIONS"),
    Setting("max_document_seconds", MAX_DOCUMENT_SECONDS,
            "Seconds one document may take to extract, reason over and validate (in a worker "
            "process, stopped when they run out).", env="JTKG_MAX_DOCUMENT_SECONDS"),
    Setting("max_document_memory_mb", MAX_DOCUMENT_MEMORY_MB,
            "Memory one document's worker process may allocate, in MB (RLIMIT_AS beyond what "
            "the worker starts with).", env="JTKG_MAX_DOCUMENT_MEMORY_MB"),
)

BY_NAME = {s.name: s for s in SETTINGS}


def allowlist(value: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The allowlist setting as a tuple of IRIs (a string is split on spaces and commas)."""
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return tuple(value)


def resolve(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Flask config for every setting: explicit values, then environment, then defaults."""
    return {s.key: s.value(overrides) for s in SETTINGS}
