"""`jtkg backup DIR` and `jtkg restore DIR`: a consistent copy of the published dataset,
taken while a server runs and writers publish, and put back as a new generation.

A backup is a store folder of its own (CURRENT, one generation with its manifest and
sidecars), so `--store DIR` reads it directly. It copies the generation CURRENT named at one
moment; generations are never written after publishing, and the store is pinned while the
copy runs, so garbage collection cannot remove it underneath. On the same file system the
database files are hard links (RocksDB's checkpoint): cheap, but shared with the store, so
a backup that must outlive the disk belongs on another one. The source cache (fetched
links, STORE/sources/) goes along the same way, and restore merges back what the store lacks.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from jtkg.graph.doctor import check_generation
from jtkg.graph.files import write_atomic
from jtkg.graph.generations import (
    OPTIONAL_FILES,
    SIDECAR_FILES,
    Manifest,
    StoreDamaged,
    StoreError,
    StoreFull,
    disk_full,
    open_generation,
    read_manifest,
)
from jtkg.graph.sources import copy_sources, sources_folder
from jtkg.graph.store import StoreLocation


@dataclass(frozen=True)
class Copied:
    generation: str
    manifest: Manifest

    @property
    def triples(self) -> int:
        return sum(self.manifest.graphs.values())


def backup(location: StoreLocation, target: Path) -> Copied:
    """Copies the published generation into ``target`` (new or empty) and checks the copy
    (it opens, every graph's count matches the manifest); nothing is left on failure."""
    target = Path(target).expanduser()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise StoreError(f"{target}: back up into a new or empty folder, not over existing files")
    if target.resolve().is_relative_to(location.path.resolve()):
        raise StoreError(f"{target}: back up outside the store folder")
    created = not target.exists()
    with location.pinned():
        name = location.current_generation()
        if name is None:
            location.open()  # says why: nothing built yet, or CURRENT lost
        manifest = location.manifest()
        assert name is not None and manifest is not None
        source = location.path / name
        try:
            target.mkdir(parents=True, exist_ok=True)
            open_generation(source).backup(str(target / name))
            for extra in (*SIDECAR_FILES, *OPTIONAL_FILES):
                if (source / extra).exists():
                    shutil.copy2(source / extra, target / name / extra)
            write_atomic(target / name / "manifest.json", manifest.to_json())
            # The source cache too: a store built from links rebuilds from it, fetching nothing.
            copy_sources(sources_folder(location), target / "sources")
            problems = check_generation(target / name, manifest)
            if problems:
                raise StoreDamaged(
                    f"the copy does not check out ({problems[0]}); run `jtkg doctor` on the store"
                )
            write_atomic(target / "CURRENT", name + "\n")
        except BaseException as exc:
            full = disk_full(exc, target)
            shutil.rmtree(target / name, ignore_errors=True)
            (target / "CURRENT").unlink(missing_ok=True)
            shutil.rmtree(target / "sources", ignore_errors=True)
            if created:
                shutil.rmtree(target, ignore_errors=True)
            if full:
                raise StoreFull(
                    f"no space left on device while writing {target}: {full}; no backup was made"
                ) from None
            raise
    return Copied(name, manifest)


def read_backup(source: Path) -> tuple[Path, Manifest]:
    """A backup (or any store folder) that passes every check: its generation folder and
    manifest; otherwise StoreError saying what is wrong."""
    folder = StoreLocation(Path(source).expanduser())
    if not folder.path.is_dir():
        raise StoreError(f"{folder.path}: no such folder")
    try:
        name = folder.current_generation()
    except StoreError as exc:
        raise StoreError(f"{folder.path} is not a usable backup: {exc}") from None
    if name is None:
        raise StoreError(f"{folder.path} is not a jtkg backup or store (no CURRENT)")
    manifest = read_manifest(folder.path / name)
    problems = check_generation(folder.path / name, manifest)
    if problems:
        raise StoreDamaged(f"{folder.path} is damaged ({problems[0]}); nothing was restored")
    return folder.path / name, manifest


def restore(location: StoreLocation, source: Path) -> Copied:
    """Publishes the backup at ``source`` as a new generation of ``location`` (under the
    write lock, atomically; older generations are kept as every publish keeps them). Works
    on a store whose CURRENT or manifest is damaged: it reads neither."""
    folder, manifest = read_backup(source)
    if folder.parent.resolve() == location.path.resolve():
        raise StoreError(f"{source} is the store itself; restore from a backup folder")
    with location.next_generation(source=(folder, manifest)) as generation:
        generation.changed |= set(manifest.graphs)
        name = generation.name
        published = generation.manifest
    try:  # blobs the store lacks come back; its own cache and index entries are kept
        copy_sources(folder.parent / "sources", sources_folder(location))
    except OSError as exc:
        raise StoreError(
            f"restored {name}, but the source cache could not be copied: {exc.strerror or exc}"
        ) from None
    return Copied(name, published)
