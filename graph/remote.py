"""An external SPARQL 1.1 store (Virtuoso, Fuseki, GraphDB, Neptune) in place of the embedded one.

Writes go through a local *mirror*, an ordinary embedded store the location owns: a build,
ingest, import or removal runs there exactly as it does locally (extraction, reasoning, the
SHACL gate, the inferred-triple index), and only a generation that was published in the
mirror is pushed, graph by graph, with the Graph Store Protocol; the manifest goes last,
into its own graph. Reads (query, export, serve) go to the external store
(graph/remote_dataset.py). Both stores are a Location (graph/location.py); neither
inherits from the other.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from jtkg.graph.location import Location, Published
from jtkg.graph.remote_dataset import EMPTY_GRAPH, REMOTE_KEY, RemoteDataset, open_dataset, remote_key
from jtkg.graph.remote_http import RemoteConfig, RemoteRefused, SparqlClient, is_remote
from jtkg.graph.store import Generation, Manifest, StoreError, StoreLocation, default_store_path
from jtkg.ontology import GRAPH

__all__ = [
    "EMPTY_GRAPH",
    "REMOTE_KEY",
    "RemoteDataset",
    "RemoteLocation",
    "RemotePublished",
    "open_dataset",
    "open_location",
    "published",
]

#: Where the manifest of the pushed generation lives in the external store.
MANIFEST_GRAPH = str(GRAPH["store-manifest"])
MANIFEST_PROPERTY = "https://w3id.org/jtkg/store#manifest"
#: Seconds a server trusts the manifest it last read before asking again.
MANIFEST_TTL = 1.0


def open_location(value: str | Path | None) -> Location:
    """The store named by ``--store``: a folder, or ``sparql+http(s)://…`` for an external one."""
    if is_remote(value):
        return RemoteLocation(RemoteConfig.parse(str(value)))
    return StoreLocation(Path(value) if value else default_store_path())


def published(location: Location) -> Published:
    """The server's handle on what ``location`` has published."""
    return location.published()


class RemoteLocation:
    """An external store (a Location), written through the local mirror it owns."""

    def __init__(self, config: RemoteConfig, keep_generations: int | None = None) -> None:
        self.config = config
        self.client = SparqlClient(config)
        #: The embedded store every write happens in before it is pushed.
        self.mirror = StoreLocation(config.mirror)
        self.keep_generations = keep_generations

    @property
    def local(self) -> StoreLocation:
        return self.mirror

    def describe(self) -> str:
        return self.config.describe()

    def published(self) -> RemotePublished:
        return RemotePublished(self)

    # ------------------------------------------------------------ reading

    def manifest(self) -> Manifest | None:
        body = self.client.query(
            f"SELECT ?m WHERE {{ GRAPH <{MANIFEST_GRAPH}> "
            f"{{ <{MANIFEST_GRAPH}> <{MANIFEST_PROPERTY}> ?m }} }}",
            "application/sparql-results+json",
            [EMPTY_GRAPH],
            [MANIFEST_GRAPH],
        )
        rows = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
        for row in rows if isinstance(rows, ox.QuerySolutions) else ():
            try:
                return Manifest.from_data(json.loads(row["m"].value))
            except (ValueError, TypeError, AttributeError):
                raise StoreError(
                    f"{self.describe()}: the jtkg manifest in {MANIFEST_GRAPH} "
                    "is unreadable; run `jtkg build` again"
                ) from None
        return None

    def current_generation(self) -> str | None:
        manifest = self.manifest()
        return manifest.generation if manifest else None

    def exists(self) -> bool:
        return self.manifest() is not None

    def is_empty(self) -> bool:
        return self.manifest() is None

    def open(self) -> RemoteDataset:
        manifest = self.manifest()
        if manifest is None:
            raise StoreError(f"{self.describe()}: no graph has been built here yet (run `jtkg build`)")
        return RemoteDataset(self.client, manifest.graphs)

    # ------------------------------------------------------------ writing

    def check_writable(self) -> None:
        self.mirror.check_writable()  # the external store is proven writable by `writing`

    @contextmanager
    def writing(self, fresh: bool = False) -> Iterator[StoreLocation]:
        """The mirror, to write and publish a change in; before the block, the mirror must
        agree with the store (unless ``fresh``) and the credentials must be able to write
        (by rewriting the current manifest as it is, before the mirror moves ahead of the
        store); after it, what the mirror published is pushed. A block that raises pushes
        nothing."""
        before = self.manifest()
        if not fresh:
            self._check_mirror(before)
        self._write_manifest(before)
        self.mirror.keep_generations = self.keep_generations
        yield self.mirror
        self.push(before)

    @contextmanager
    def next_generation(
        self, fresh: bool = False, recount: bool = False, *, name: str | None = None
    ) -> Iterator[Generation]:
        with self.writing(fresh) as mirror, mirror.next_generation(fresh, recount, name=name) as generation:
            yield generation

    def push(self, before: Manifest | None, everything: bool = False) -> int:
        """Writes the mirror's graphs that changed (or all of them) to the external store,
        drops the graphs it no longer has, and then the manifest. Returns graphs written."""
        after = self.mirror.manifest()
        if after is None:
            raise StoreError(f"{self.mirror.path}: the mirror holds nothing to push (run `jtkg build`)")
        store = self.mirror.open()
        changed = set(after.graphs) if everything else set(after.changed)
        stale = set(before.graphs) - set(after.graphs) if before else set()
        try:
            for graph in sorted(changed | stale):
                if graph in after.graphs:
                    name = ox.NamedNode(graph)
                    triples = (q.triple for q in store.quads_for_pattern(None, None, None, name))
                    self.client.put_graph(graph, _ntriples(triples))
                else:
                    self.client.delete_graph(graph)
            self._write_manifest(after)
        except RemoteRefused as refused:
            raise StoreError(
                f"{refused}; the mirror is published but the external store is "
                "partly written: run `jtkg push` to finish"
            ) from None
        return len(changed)

    def _write_manifest(self, manifest: Manifest | None) -> None:
        if manifest is None:
            self.client.delete_graph(MANIFEST_GRAPH)
            return
        record = ox.Triple(
            ox.NamedNode(MANIFEST_GRAPH), ox.NamedNode(MANIFEST_PROPERTY), ox.Literal(manifest.to_json())
        )
        self.client.put_graph(MANIFEST_GRAPH, _ntriples([record]))

    def _check_mirror(self, remote: Manifest | None) -> None:
        mirrored = self.mirror.current_generation()
        remote_generation = remote.generation if remote else None
        if mirrored != remote_generation:
            raise StoreError(
                f"{self.describe()} holds {remote_generation or 'no jtkg graph'} but its local "
                f"mirror {self.mirror.path} holds {mirrored or 'nothing'}: run `jtkg build` "
                "(or `jtkg push` to send the mirror) so that they agree before writing"
            )


def _ntriples(triples: Iterable[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


class RemotePublished:
    """The server's handle on an external store (a Published): the manifest is re-read at
    most once a second, so a push is seen quickly without a round trip per request."""

    def __init__(self, location: RemoteLocation) -> None:
        self.location = location
        self._manifest: Manifest | None = None
        self._read_at = 0.0

    def _current(self) -> Manifest:
        if self._manifest is None or time.monotonic() - self._read_at > MANIFEST_TTL:
            self._manifest = self.location.manifest()
            self._read_at = time.monotonic()
        if self._manifest is None:
            raise StoreError(
                f"{self.location.describe()}: no graph has been built here yet (run `jtkg build`)"
            )
        return self._manifest

    def generation(self) -> str:
        return self._current().generation

    def generation_path(self) -> str:
        """The reader key (graph/remote_dataset.py): no credentials."""
        return remote_key(self.location.config, self._current())

    def get(self) -> RemoteDataset:
        return RemoteDataset(self.location.client, self._current().graphs)
