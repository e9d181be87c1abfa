"""The on-disk store: Oxigraph (RocksDB) databases published atomically by generation.

Layout of a store folder::

    STORE/
      CURRENT              name of the published generation (replaced atomically)
      gen-<id>/            one complete Oxigraph database, never written after publishing
      gen-<id>/manifest.json   documents (slug, path, SHA-256), triples per graph, build time

A publish writes a whole new generation, then flips CURRENT with an atomic rename: a crash
at any moment leaves either the old or the new dataset, never a mix. Readers open the
published generation read-only, so any number of processes can query while a build runs.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

#: Where the store lives when no --store is given and JTKG_STORE is unset.
DEFAULT_STORE = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "jtkg" / "store"
STORE_ENV = "JTKG_STORE"
#: Older generations kept after a publish, so readers of the previous one finish cleanly.
KEEP_PREVIOUS = 1


class StoreError(Exception):
    """The store cannot be used: a one-line reason naming the path."""


def default_store_path() -> Path:
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE)


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
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(**data)


#: Files kept beside a generation's database and copied with it.
SIDECAR_FILES = ("inferred.sqlite",)


@dataclass
class Generation:
    """A store generation being written."""

    name: str
    path: Path
    store: ox.Store
    manifest: Manifest
    #: Named graphs written, replaced or removed (their triple counts are refreshed).
    changed: set[str] = field(default_factory=set)


def _graph_counts(store: ox.Store) -> dict[str, int]:
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"].value: int(row["n"].value) for row in rows}


def _graph_count(store: ox.Store, graph: str) -> int:
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(next(iter(rows))["n"].value)


class StoreLocation:
    """A store folder: which generation is published, and how to publish a new one."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser()

    # ------------------------------------------------------------ reading

    def current_generation(self) -> str | None:
        try:
            name = (self.path / "CURRENT").read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read the store: {exc.strerror}") from None
        return name if name and (self.path / name).is_dir() else None

    def describe(self) -> str:
        """The store for messages."""
        return str(self.path)

    def exists(self) -> bool:
        return self.current_generation() is not None

    def manifest(self) -> Manifest | None:
        gen = self.current_generation()
        if gen is None:
            return None
        try:
            return Manifest.read(self.path / gen / "manifest.json")
        except (OSError, ValueError, TypeError):
            return None

    def open(self) -> ox.Store:
        """The published dataset, opened read-only."""
        gen = self.current_generation()
        if gen is None:
            raise StoreError(f"{self.path}: no graph has been built here yet (run `jtkg build`)")
        try:
            return ox.Store.read_only(str(self.path / gen))
        except OSError as exc:
            raise StoreError(f"{self.path / gen}: cannot open the store: {exc}") from None

    # ------------------------------------------------------------ publishing

    def check_writable(self) -> None:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            probe = self.path / f".probe-{uuid.uuid4().hex}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise StoreError(f"{self.path}: the store is not writable: "
                             f"{exc.strerror or exc}") from None

    @contextmanager
    def next_generation(self, fresh: bool = False, recount: bool = False,
                        name: str | None = None) -> Iterator[Generation]:
        """A writable copy of the published dataset (or an empty store with ``fresh``), made
        current when the block ends without error and discarded otherwise. Graphs the
        block changed must be listed in ``generation.changed`` (for the manifest's counts).
        ``name`` (from ``new_generation_name()``) lets a caller that may kill the writer
        know which folder to remove.
        """
        self.check_writable()
        with self._write_lock():
            yield from self._next_generation(fresh, recount, name)

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        """One writer at a time, across processes: two publishes that both started from the
        same generation would otherwise lose one's changes."""
        with open(self.path / ".write-lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _next_generation(self, fresh: bool, recount: bool, name: str | None = None) -> Iterator[Generation]:
        name = name or new_generation_name()
        target = self.path / name
        current = None if fresh else self.current_generation()
        try:
            if current is not None:
                ox.Store.read_only(str(self.path / current)).backup(str(target))
                for extra in SIDECAR_FILES:
                    if (self.path / current / extra).exists():
                        shutil.copy2(self.path / current / extra, target / extra)
                manifest = self.manifest() or Manifest(name, time.time())
            else:
                manifest = Manifest(name, time.time())
            generation = Generation(name, target, ox.Store(str(target)), manifest)
            yield generation
            generation.store.flush()
            if fresh:
                # Compacting a new build is cheap and makes its reads as fast as a freshly
                # loaded store; after an ingest RocksDB compacts in its own time.
                generation.store.optimize()
            if fresh or recount:
                generation.manifest.graphs = _graph_counts(generation.store)
                generation.changed |= set(generation.manifest.graphs)
            else:
                for graph in generation.changed:
                    count = _graph_count(generation.store, graph)
                    if count:
                        generation.manifest.graphs[graph] = count
                    else:
                        generation.manifest.graphs.pop(graph, None)
            generation.manifest.generation = name
            generation.manifest.changed = sorted(generation.changed)
            generation.manifest.built_at = time.time()
            del generation.store  # close RocksDB before the generation becomes visible
            _write_atomic(target / "manifest.json", generation.manifest.to_json())
            _write_atomic(self.path / "CURRENT", name + "\n")
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        self._collect_garbage(keep={name})

    def _collect_garbage(self, keep: set[str]) -> None:
        generations = sorted((p for p in self.path.glob("gen-*") if p.is_dir()),
                             key=lambda p: p.stat().st_mtime, reverse=True)
        survivors = 0
        for path in generations:
            if path.name in keep:
                continue
            if survivors < KEEP_PREVIOUS:
                survivors += 1
                continue
            shutil.rmtree(path, ignore_errors=True)


def new_generation_name() -> str:
    return f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


# ------------------------------------------------------------ rdflib <-> pyoxigraph terms

def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def quads_to_ox(quads: Iterable[tuple[Node, Node, Node, URIRef]]) -> Iterator[ox.Quad]:
    for s, p, o, g in quads:
        yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(g)))


class PublishedStore:
    """A read-only handle on a store folder's published generation, reopened when a new
    generation is published (a stat and a small read per call)."""

    def __init__(self, location: StoreLocation) -> None:
        self.location = location
        self._generation: str | None = None
        self._store: ox.Store | None = None

    def generation_path(self) -> str:
        """The folder of the published generation (what query workers open)."""
        self.get()
        return str(self.location.path / str(self._generation))

    def generation(self) -> str:
        """The name of the published generation."""
        self.get()
        return str(self._generation)

    def get(self) -> ox.Store:
        generation = self.location.current_generation()
        if generation is None:
            raise StoreError(f"{self.location.path}: no graph has been built here yet "
                             "(run `jtkg build`)")
        if generation != self._generation or self._store is None:
            self._store = self.location.open()
            self._generation = generation
        return self._store
