"""The source cache: fetched documents kept by content hash beside the store.

Layout, in the store folder (for an external store, in its local mirror)::

    STORE/sources/<sha256>      the bytes as fetched, never changed after they are written
    STORE/sources/index.json    URL -> sha256, final URL, media type, charset, fetched-at

The folder is outside every ``gen-*`` generation, so generations do not copy it and garbage
collection (which deletes only generation folders) never touches it. A rebuild reads the
cache and never fetches again; ``refetch`` asks the network anyway. Blobs are written to a
temporary file and renamed, and the index is replaced atomically under a lock, so a failed
or concurrent fetch never leaves a partial file or loses another process's entry.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from jtkg.graph.files import write_atomic
from jtkg.graph.location import Location
from jtkg.graph.store import StoreError, StoreLocation, exclusive_lock
from jtkg.loaders.extract import Extraction, Extractor
from jtkg.loaders.fetch import FetchError, fetch, read_fetched
from jtkg.loaders.formats import DocumentError
from jtkg.loaders.reader import MAX_DOCUMENT_BYTES, SourceDocument

INDEX = "index.json"


@dataclass
class CachedSource:
    """A fetched document in the cache."""

    url: str
    final_url: str
    sha256: str
    media_type: str
    charset: str | None
    fetched_at: float
    path: Path

    def read(self, max_chars: int) -> SourceDocument:
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            raise DocumentError(
                f"{self.url}: the cached copy cannot be read "
                f"({exc.strerror or exc}); fetch it again with --refetch"
            ) from None
        return read_fetched(self.url, self.final_url, data, self.media_type, self.charset, max_chars)


@dataclass
class FetchOptions:
    refetch: bool = False
    allow_private: bool = False
    max_bytes: int = MAX_DOCUMENT_BYTES
    #: Told each redirect followed (from, to), e.g. to print it.
    on_redirect: Callable[[str, str], None] | None = None


def sources_folder(location: Location) -> Path:
    """Beside the store: the store folder, or an external store's local mirror."""
    return location.local.path / "sources"


class SourceCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def index(self) -> dict[str, dict[str, object]]:
        try:
            data = json.loads((self.folder / INDEX).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            return {}  # an unreadable index only costs a fetch: the blobs are still there
        return data if isinstance(data, dict) else {}

    def cached(self, url: str) -> CachedSource | None:
        """The cached copy of ``url``, if its bytes are there and intact."""
        entry = self.index().get(url)
        if not isinstance(entry, dict):
            return None
        try:
            source = CachedSource(
                url=url,
                path=self.folder / str(entry["sha256"]),
                **{k: entry[k] for k in ("final_url", "sha256", "media_type", "charset", "fetched_at")},
            )
            intact = hashlib.sha256(source.path.read_bytes()).hexdigest() == source.sha256
        except (KeyError, TypeError, OSError):
            return None
        return source if intact else None

    def get(self, url: str, options: FetchOptions) -> CachedSource:
        """The cached copy, or (none, or ``refetch``) the document fetched and cached.
        Raises FetchError (one line) when it cannot be fetched."""
        if not options.refetch:
            hit = self.cached(url)
            if hit is not None:
                return hit
        got = fetch(
            url,
            allow_private=options.allow_private,
            max_bytes=options.max_bytes,
            on_redirect=options.on_redirect,
        )
        source = CachedSource(
            url, got.final_url, got.sha256, got.media_type, got.charset, time.time(), self.folder / got.sha256
        )
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomic(source.path, got.data)  # also over a blob damaged on disk
            with self._locked():
                index = self.index()
                entry = asdict(source)
                del entry["url"], entry["path"]
                index[url] = entry
                write_atomic(self.folder / INDEX, json.dumps(index, indent=1, sort_keys=True).encode())
        except OSError as exc:
            raise StoreError(f"{self.folder}: cannot write the source cache: {exc.strerror or exc}") from None
        return source

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with exclusive_lock(self.folder / ".lock"):
            yield


def fetch_all(
    urls: Iterable[str], location: StoreLocation, options: FetchOptions | None = None
) -> tuple[list[CachedSource], list[str]]:
    """Each URL from the cache or the network: (the sources, one line per URL that failed)."""
    cache = SourceCache(sources_folder(location))
    options = options or FetchOptions()
    sources: list[CachedSource] = []
    failures: list[str] = []
    for url in dict.fromkeys(urls):
        try:
            sources.append(cache.get(url, options))
        except FetchError as exc:
            failures.append(str(exc))
    return sources, failures


def read_url_list(path: Path) -> list[str]:
    """One URL a line; blank lines and ``#`` comments ignored. Raises OSError/ValueError."""
    text = path.read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


class SourceExtractor:
    """An extractor that reads fetched documents from the cache by their URL and files as
    usual; everything else is the wrapped extractor's (forked workers inherit it)."""

    def __init__(self, extractor: Extractor, sources: Iterable[CachedSource]) -> None:
        self.extractor = extractor
        self.sources = {source.url: source for source in sources}

    @property
    def limits(self):  # type: ignore[no-untyped-def]
        return self.extractor.limits

    @limits.setter
    def limits(self, value) -> None:  # type: ignore[no-untyped-def]
        self.extractor = copy.copy(self.extractor)
        self.extractor.limits = value

    def extract_file(self, path: str | Path) -> Extraction:
        source = self.sources.get(str(path))
        if source is None:
            return self.extractor.extract_file(path)
        return self.extractor.extract(source.read(self.limits.max_document_chars))

    def read(self, path: str | Path) -> SourceDocument:
        """The document alone (ingest compares its hash before extracting)."""
        from jtkg.loaders.reader import read_document

        source = self.sources.get(str(path))
        if source is None:
            return read_document(path, self.limits.max_document_chars)
        return source.read(self.limits.max_document_chars)

    def __getattr__(self, name: str) -> object:
        if name.startswith("__") or name == "extractor":
            raise AttributeError(name)  # copy and pickle probe before __dict__ is filled
        return getattr(self.extractor, name)


def with_sources(extractor: Extractor | None, sources: Iterable[CachedSource]) -> Extractor | None:
    """``extractor`` (or a default one) able to read ``sources`` too; as it was without."""
    sources = list(sources)
    if not sources:
        return extractor
    return SourceExtractor(extractor or Extractor(), sources)  # type: ignore[return-value]


def copy_sources(source: Path, target: Path) -> int:
    """Merges the source cache at ``source`` into ``target`` (a backup's, or a store's on
    restore): blobs ``target`` lacks are hard-linked where the file system allows (blobs are
    never written in place, only replaced by rename, so a link cannot change under the
    other side) and copied otherwise; index entries ``target`` lacks are added, its own
    kept. Returns the number of blobs added; nothing to do when ``source`` has no cache."""
    if not source.is_dir():
        return 0
    added = 0
    target.mkdir(parents=True, exist_ok=True)
    for blob in sorted(source.iterdir()):
        if len(blob.name) != 64 or not blob.is_file() or (target / blob.name).exists():
            continue  # only content-addressed blobs: not the index, lock or temporary files
        tmp = target / f".{blob.name}.{uuid.uuid4().hex}.tmp"
        try:
            try:
                os.link(blob, tmp)
            except OSError:  # another file system, or links not allowed
                shutil.copy2(blob, tmp)
            os.replace(tmp, target / blob.name)
        finally:
            tmp.unlink(missing_ok=True)
        added += 1
    theirs = SourceCache(source).index()
    if theirs:
        cache = SourceCache(target)
        with cache._locked():
            index = cache.index()
            merged = {**theirs, **index}
            if merged != index:
                write_atomic(target / INDEX, json.dumps(merged, indent=1, sort_keys=True).encode())
    return added
