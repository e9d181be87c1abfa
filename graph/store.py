"""The on-disk store: Oxigraph (RocksDB) databases published atomically by generation.

Layout of a store folder::

    STORE/
      CURRENT              name of the published generation (replaced atomically)
      gen-<id>/            one complete Oxigraph database, never written after publishing
      gen-<id>/manifest.json   documents (slug, path, SHA-256), triples per graph, build time

A publish writes a whole new generation, then flips CURRENT with an atomic rename: a crash
at any moment leaves either the old or the new dataset, never a mix. Readers open the
published generation read-only, so any number of processes can query while a build runs.

Damage stops writes: a CURRENT or manifest that cannot be read is StoreDamaged, never taken
for an empty store. After a publish, garbage collection keeps the ``keep_generations`` newest
previous intact generations, deletes unfinished writes only when older than the newest intact
generation, and never deletes a damaged one (see graph/generations.py).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from jtkg.graph.files import write_atomic
from jtkg.graph.generations import (
    GENERATION_NAME,
    KEEP_GENERATIONS,
    OPTIONAL_FILES,
    RECOVERY,
    SIDECAR_FILES,
    Generation,
    GenerationInfo,
    Manifest,
    StoreDamaged,
    StoreError,
    StoreFull,
    disk_full,
    exclusive_lock,
    graph_count,
    graph_counts,
    is_storage_failure,
    keep_from_env,
    new_generation_name,
    open_generation,
    read_manifest,
    removable,
    survey,
)
from jtkg.graph.retired import carry as carry_retired
from jtkg.graph.terms import quads_to_ox, to_ox, to_rdflib

__all__ = [
    "KEEP_GENERATIONS",
    "RECOVERY",
    "SIDECAR_FILES",
    "Generation",
    "GenerationInfo",
    "Manifest",
    "PublishedStore",
    "StoreDamaged",
    "StoreError",
    "StoreFull",
    "StoreLocation",
    "default_store_path",
    "exclusive_lock",
    "is_storage_failure",
    "new_generation_name",
    "quads_to_ox",
    "to_ox",
    "to_rdflib",
]

#: Where the store lives when no --store is given and JTKG_STORE is unset.
DEFAULT_STORE = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "jtkg" / "store"
STORE_ENV = "JTKG_STORE"


def default_store_path() -> Path:
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE)


class StoreLocation:
    """A store folder: which generation is published, and how to publish a new one."""

    def __init__(self, path: str | Path, keep_generations: int | None = None) -> None:
        self.path = Path(path).expanduser()
        #: Previous generations kept after a publish; None: $JTKG_KEEP_GENERATIONS or 2.
        self.keep_generations = keep_generations

    # ------------------------------------------------------------ reading

    def current_generation(self) -> str | None:
        """The published generation; None when nothing was ever published here (no
        CURRENT). A CURRENT that cannot be read or names no generation is StoreDamaged."""
        path = self.path / "CURRENT"
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read the store: {exc.strerror or exc}") from None
        try:
            name = raw.decode("ascii").strip()
        except UnicodeDecodeError:
            problem = "it holds binary junk, not a generation name"
        else:
            if not name:
                problem = "it is empty"
            elif not GENERATION_NAME.fullmatch(name):
                problem = f"{name[:60]!r} is not a generation name"
            elif not (self.path / name).is_dir():
                problem = f"it names {name}, which is not there"
            else:
                return name
        raise StoreDamaged(f"{path} is damaged ({problem}); {RECOVERY}")

    def describe(self) -> str:
        """The store for messages."""
        return str(self.path)

    @property
    def local(self) -> StoreLocation:
        """The embedded store holding the local files: this one (an external store's is its
        mirror; see graph/location.py)."""
        return self

    def published(self) -> PublishedStore:
        return PublishedStore(self)

    def exists(self) -> bool:
        return self.current_generation() is not None

    def generations(self) -> list[GenerationInfo]:
        """Every generation folder, newest first."""
        return survey(self.path)

    def is_empty(self) -> bool:
        """Nothing here at all: no CURRENT and no generation folder. Only such a folder may be
        filled with the bundled corpus unasked."""
        return not os.path.lexists(self.path / "CURRENT") and not self.generations()

    def _unpublished(self) -> None:
        """No CURRENT: either nothing was built yet, or CURRENT was lost beside generations."""
        if self.generations():
            raise StoreDamaged(f"{self.path}/CURRENT is missing but the folder holds generations; {RECOVERY}")

    def manifest(self) -> Manifest | None:
        """The published generation's manifest; None when nothing was published here. A
        manifest that cannot be read is StoreDamaged: a writer must never take it for fresh."""
        gen = self.current_generation()
        if gen is None:
            self._unpublished()
            return None
        return read_manifest(self.path / gen)

    def open(self) -> ox.Store:
        """The published dataset, opened read-only."""
        gen = self.current_generation()
        if gen is None:
            self._unpublished()
            raise StoreError(f"{self.path}: no graph has been built here yet (run `jtkg build`)")
        return open_generation(self.path / gen)

    @contextmanager
    def pinned(self) -> Iterator[None]:
        """While held, no generation is collected (a backup or check reads them): shared by
        readers, tried (never waited for) by garbage collection."""
        try:
            handle = open(self.path / ".readers-lock", "a+b")  # noqa: SIM115 - closed below
        except OSError:  # no store here, or one we may only read: nothing we could protect
            handle = None
        if handle is None:
            yield
            return
        with handle:
            fcntl.flock(handle, fcntl.LOCK_SH)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # ------------------------------------------------------------ publishing

    def check_writable(self) -> None:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            probe = self.path / f".probe-{uuid.uuid4().hex}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            full = disk_full(exc)
            if full:
                raise StoreFull(
                    f"no space left on device while writing {self.path}: {full}; nothing was written"
                ) from None
            raise StoreError(f"{self.path}: the store is not writable: {exc.strerror or exc}") from None

    @contextmanager
    def writing(self, fresh: bool = False) -> Iterator[StoreLocation]:
        """This store: a writer (the server's write process) publishes in it directly."""
        self.check_writable()
        yield self

    @contextmanager
    def next_generation(
        self,
        fresh: bool = False,
        recount: bool = False,
        source: tuple[Path, Manifest] | None = None,
        name: str | None = None,
    ) -> Iterator[Generation]:
        """A writable copy of the published dataset (or an empty store with ``fresh``, or a
        copy of another generation folder and its manifest with ``source``), made current when
        the block ends without error and discarded otherwise. Graphs the block changed must be
        listed in ``generation.changed`` (for the manifest's counts). ``name`` (from
        ``new_generation_name()``) lets a caller that may kill the writer know its folder.
        """
        if name is not None and not GENERATION_NAME.fullmatch(name):
            raise ValueError(f"not a generation name: {name!r}")
        keep = keep_from_env() if self.keep_generations is None else self.keep_generations
        self.check_writable()
        with self._write_lock():
            yield from self._next_generation(fresh, recount, source, keep, name)

    def write_lock(self) -> contextlib.AbstractContextManager[None]:
        """The lock every publish holds (for `jtkg doctor --fix`)."""
        self.check_writable()
        return self._write_lock()

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        """One writer at a time, across processes: two publishes that both started from the
        same generation would otherwise lose one's changes."""
        with exclusive_lock(self.path / ".write-lock"):
            yield

    def _next_generation(
        self,
        fresh: bool,
        recount: bool,
        source: tuple[Path, Manifest] | None,
        keep: int,
        name: str | None = None,
    ) -> Iterator[Generation]:
        name = name or new_generation_name()
        target = self.path / name
        # Read before anything is written: a damaged CURRENT or manifest stops the write here.
        if source is not None:
            origin, base = source
        elif fresh:
            origin, base = None, None
        else:
            base = self.manifest()
            origin = None if base is None else self.path / str(self.current_generation())
        try:
            if origin is not None and base is not None:
                open_generation(origin).backup(str(target))
                for extra in (*SIDECAR_FILES, *OPTIONAL_FILES):
                    if (origin / extra).exists():
                        shutil.copy2(origin / extra, target / extra)
                manifest = Manifest(
                    **{**base.__dict__, "documents": dict(base.documents), "graphs": dict(base.graphs)}
                )
            else:
                manifest = Manifest(name, time.time())
            generation = Generation(name, target, ox.Store(str(target)), manifest)
            yield generation
            if source is None:  # retired IRIs carried forward; a restore keeps the backup's
                carry_retired(
                    self.path, target, generation.store, generation.manifest.documents, generation.changed
                )
            generation.store.flush()
            if fresh:
                # Compacting a new build is cheap and makes its reads as fast as a freshly
                # loaded store; after an ingest RocksDB compacts in its own time.
                generation.store.optimize()
            if fresh or recount:
                generation.manifest.graphs = graph_counts(generation.store)
                generation.changed |= set(generation.manifest.graphs)
            else:
                for graph in generation.changed:
                    count = graph_count(generation.store, graph)
                    if count:
                        generation.manifest.graphs[graph] = count
                    else:
                        generation.manifest.graphs.pop(graph, None)
            generation.manifest.generation = name
            generation.manifest.changed = sorted(generation.changed)
            generation.manifest.built_at = time.time()
            del generation.store  # close RocksDB before the generation becomes visible
            write_atomic(target / "manifest.json", generation.manifest.to_json())
            write_atomic(self.path / "CURRENT", name + "\n")
        except BaseException as exc:
            if self._names(name):
                raise  # CURRENT already names it (only syncing the folder failed): keep it
            full = disk_full(exc, self.path)  # before the cleanup frees room
            shutil.rmtree(target, ignore_errors=True)
            if full:
                raise StoreFull(
                    f"no space left on device while writing {self.path}: {full}; "
                    "nothing was published, the store is unchanged"
                ) from None
            raise
        self._collect_garbage(name, keep)

    def _names(self, name: str) -> bool:
        try:
            return (self.path / "CURRENT").read_bytes().strip() == name.encode()
        except OSError:
            return False

    def _collect_garbage(self, published: str, keep: int) -> None:
        """Right after ``published`` became current, under the write lock (so no write is in
        progress): deletes only what `removable` allows, nothing while CURRENT does not name
        ``published``, and nothing while a backup or check holds the store pinned."""
        if not self._names(published):
            return
        try:
            with open(self.path / ".readers-lock", "a+b") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    return  # a backup is reading: the next publish collects
                try:
                    for old in removable(self.generations(), published, keep):
                        shutil.rmtree(old.path, ignore_errors=True)
                    for stray in self.path.glob(".CURRENT.*.tmp"):  # a killed writer's
                        stray.unlink(missing_ok=True)
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)
        except OSError:
            pass  # collection is housekeeping: the publish itself has succeeded


class PublishedStore:
    """A read-only handle on a store folder's published generation, reopened when a new
    generation is published (a stat and a small read per call)."""

    def __init__(self, location: StoreLocation) -> None:
        self.location = location
        self._generation: str | None = None
        self._store: ox.Store | None = None

    def generation_path(self) -> str:
        """The folder of the published generation: what query workers open."""
        self.get()
        return str(self.location.path / str(self._generation))

    def generation(self) -> str:
        """The name of the published generation."""
        self.get()
        return str(self._generation)

    def get(self) -> ox.Store:
        generation = self.location.current_generation()
        if generation is None:
            self.location.open()  # raises why: nothing built yet, or CURRENT lost
        if generation != self._generation or self._store is None:
            self._store = self.location.open()
            self._generation = generation
        return self._store
