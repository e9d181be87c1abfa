"""What a store folder holds, generation by generation, and how its failures read.

A generation folder is *intact* when its ``manifest.json`` reads (the writer writes it last,
after the database is flushed and closed), *incomplete* when it has no manifest at all (a
writer stopped before it finished: killed, or out of disk), and *damaged* when a manifest is
there but cannot be read. Garbage collection and ``jtkg doctor`` decide from this survey.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import resource
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from jtkg.loaders.errors import StoreUnusable

#: Previous generations kept after a publish: readers still on one finish cleanly, and
#: `jtkg doctor` can fall back to one. The keep_generations setting.
KEEP_GENERATIONS = 2
KEEP_ENV = "JTKG_KEEP_GENERATIONS"
KEEP_RANGE = (1, 1000)
#: What `CURRENT` may name: our own folder names, never a path elsewhere.
GENERATION_NAME = re.compile(r"gen-[A-Za-z0-9][A-Za-z0-9_.-]{0,100}")
MANIFEST_FILE = "manifest.json"
#: Files kept beside a generation's database and copied with it.
SIDECAR_FILES = ("inferred.sqlite",)
#: The retired-IRI table (graph/retired.py): copied with a generation when it has one.
RETIRED_FILE = "retired.json"
OPTIONAL_FILES = (RETIRED_FILE,)
#: How to get a damaged store back, for every message that reports damage.
RECOVERY = (
    "run `jtkg doctor` to find the newest intact generation and point CURRENT at it, "
    "or `jtkg build` to rebuild"
)


class StoreError(StoreUnusable):
    """The store cannot be used: a one-line reason naming the path."""


class StoreDamaged(StoreError):
    """A file of the store cannot be read: the line names it and the way back."""


class StoreFull(StoreError):
    """The disk, a file-size limit or a quota ran out during a write; nothing was published."""

    http_status = 507  # Insufficient Storage: the old data is still served


def keep_from_env() -> int:
    """The keep_generations setting from the environment (or its default)."""
    raw = os.environ.get(KEEP_ENV, "").strip()
    if not raw:
        return KEEP_GENERATIONS
    low, high = KEEP_RANGE
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise StoreError(f"{KEEP_ENV} must be a whole number from {low} to {high}, not {raw!r}")
    return int(raw)


@dataclass
class Manifest:
    generation: str
    built_at: float
    documents: dict[str, dict[str, str]] = field(default_factory=dict)
    graphs: dict[str, int] = field(default_factory=dict)
    #: Named graphs the publish of this generation wrote, replaced or removed.
    changed: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=2, sort_keys=True)

    @classmethod
    def read(cls, path: Path) -> Manifest:
        """The manifest at ``path``; ValueError (or OSError) saying what is wrong with it."""
        try:
            data = json.loads(path.read_bytes().decode("utf-8"))
        except UnicodeDecodeError:
            raise ValueError("it is not UTF-8 text") from None
        except json.JSONDecodeError as exc:
            raise ValueError(f"it is not JSON: {exc.msg} at line {exc.lineno}") from None
        return cls.from_data(data)

    @classmethod
    def from_data(cls, data: object) -> Manifest:
        """Checks every field's type: a manifest that parses but lies would be taken at its word."""
        if not isinstance(data, dict):
            raise ValueError("it is not a JSON object")
        generation, built_at = data.get("generation"), data.get("built_at")
        documents, graphs = data.get("documents", {}), data.get("graphs", {})
        changed = data.get("changed", [])
        if not isinstance(generation, str) or not generation:
            raise ValueError("it names no generation")
        if isinstance(built_at, bool) or not isinstance(built_at, int | float):
            raise ValueError("it has no build time")
        if not isinstance(documents, dict) or not all(
            isinstance(k, str) and isinstance(v, dict) and all(isinstance(x, str) for x in v.values())
            for k, v in documents.items()
        ):
            raise ValueError("its documents are not a table of names to records")
        if not isinstance(graphs, dict) or not all(
            isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and v >= 0
            for k, v in graphs.items()
        ):
            raise ValueError("its graphs are not a table of IRIs to triple counts")
        if not isinstance(changed, list) or not all(isinstance(g, str) for g in changed):
            raise ValueError("its changed graphs are not a list of IRIs")
        return cls(generation, float(built_at), documents, graphs, changed)


def read_manifest(folder: Path) -> Manifest:
    """The manifest of a generation folder, or StoreDamaged naming the file and the way back."""
    path = folder / MANIFEST_FILE
    try:
        return Manifest.read(path)
    except FileNotFoundError:
        problem = "it is missing"
    except OSError as exc:
        problem = f"it cannot be read: {exc.strerror or exc}"
    except ValueError as exc:
        problem = str(exc)
    raise StoreDamaged(f"{path} is damaged ({problem}); writes are refused until it is repaired: {RECOVERY}")


@contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on the file at ``path`` across processes, released even when the
    holder is killed (the kernel drops a dead process's flock)."""
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def new_generation_name() -> str:
    """A fresh generation folder name: sortable by time, unique by a random suffix."""
    return f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"


@dataclass
class Generation:
    """A store generation being written."""

    name: str
    path: Path
    store: ox.Store
    manifest: Manifest
    #: Named graphs written, replaced or removed (their triple counts are refreshed).
    changed: set[str] = field(default_factory=set)


def graph_counts(store: ox.Store) -> dict[str, int]:
    """Triples per named graph."""
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert isinstance(rows, ox.QuerySolutions)
    return {row["g"].value: int(row["n"].value) for row in rows}


def graph_count(store: ox.Store, graph: str) -> int:
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert isinstance(rows, ox.QuerySolutions)
    return int(next(iter(rows))["n"].value)


@dataclass(frozen=True)
class GenerationInfo:
    name: str
    path: Path
    #: "intact", "incomplete" (no manifest: an unfinished write) or "damaged".
    state: str
    #: The manifest's build time, or (without one) the folder's modification time.
    built_at: float
    problem: str = ""
    manifest: Manifest | None = None


def survey(folder: Path) -> list[GenerationInfo]:
    """Every generation folder of a store, newest first."""
    found: list[GenerationInfo] = []
    try:
        entries = [p for p in folder.iterdir() if GENERATION_NAME.fullmatch(p.name) and p.is_dir()]
    except OSError:
        return []
    for path in entries:
        manifest_path = path / MANIFEST_FILE
        if not manifest_path.exists():
            found.append(
                GenerationInfo(
                    path.name,
                    path,
                    "incomplete",
                    _mtime(path),
                    "no manifest.json: a write that did not finish",
                )
            )
            continue
        try:
            manifest = Manifest.read(manifest_path)
        except (OSError, ValueError) as exc:
            found.append(
                GenerationInfo(path.name, path, "damaged", _mtime(path), f"manifest.json is damaged ({exc})")
            )
            continue
        found.append(GenerationInfo(path.name, path, "intact", manifest.built_at, "", manifest))
    return sorted(found, key=lambda g: (g.built_at, g.name), reverse=True)


def removable(generations: list[GenerationInfo], current: str, keep: int) -> list[GenerationInfo]:
    """What garbage collection may delete once ``current`` is published: intact generations
    beyond the ``keep`` newest previous ones, and unfinished writes older than the newest
    intact generation. Damaged ones are never deleted (`jtkg doctor` lists them)."""
    intact = [g for g in generations if g.state == "intact" or g.name == current]
    if not intact:
        return []
    newest = max(g.built_at for g in intact)
    previous = [g for g in intact if g.name != current]
    old_writes = [
        g for g in generations if g.state == "incomplete" and g.name != current and g.built_at < newest
    ]
    return previous[keep:] + old_writes


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


# ------------------------------------------------------------ reading failures

#: How RocksDB's own errors begin (pyoxigraph raises them as RuntimeError or OSError),
#: perhaps after the exception's name (an error passed back from a worker process as text).
_ROCKSDB_STATUS = re.compile(r"(?:\w+: )?(?:Corruption|IO error):")
_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
_FULL_TEXT = ("No space left on device", "File too large", "Disk quota exceeded", "database or disk is full")


def is_storage_failure(exc: BaseException) -> bool:
    """A database file could not be read (or written): damage, not a bug in the caller."""
    if isinstance(exc, StoreError):
        return True
    return isinstance(exc, RuntimeError | OSError) and bool(_ROCKSDB_STATUS.match(str(exc)))


def disk_full(exc: BaseException | None, folder: Path | None = None) -> str | None:
    """The OS's reason when ``exc`` (or what caused it) is a full disk, a file-size limit or a
    quota; RocksDB and SQLite report them as text, so the text counts too. SQLite often says
    only "disk I/O error": with ``folder`` (checked before anything is cleaned up), that
    counts when its file system is nearly full or a file-size limit is set."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS:
            return exc.strerror or os.strerror(exc.errno)
        text = str(exc)
        for marker in _FULL_TEXT:
            if marker in text:
                return marker
        if (
            folder is not None
            and isinstance(exc, sqlite3.Error)
            and str(getattr(exc, "sqlite_errorname", "")).startswith("SQLITE_IOERR")
        ):
            return _space_left(folder)
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return None


def _space_left(folder: Path) -> str | None:
    """Why a write in ``folder`` may have failed for want of room, if it may have."""
    try:
        stats = os.statvfs(folder)
        if stats.f_bavail * stats.f_frsize < 4 * 1024 * 1024:
            return os.strerror(errno.ENOSPC)
    except OSError:
        pass
    soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    return os.strerror(errno.EFBIG) if soft != resource.RLIM_INFINITY else None


def open_generation(folder: Path) -> ox.Store:
    """A generation's database, read-only; a damaged one is StoreDamaged in one line."""
    try:
        return ox.Store.read_only(str(folder))
    except (OSError, RuntimeError) as exc:
        detail = " ".join(str(exc).split())[:300]
        raise StoreDamaged(f"{folder}: the database cannot be opened ({detail}); {RECOVERY}") from None
