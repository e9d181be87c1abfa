"""An external SPARQL 1.1 store (Virtuoso, Fuseki, GraphDB, Neptune) in place of the embedded one.

Writes go through a local *mirror*, an ordinary embedded store: a build, ingest, import or
removal runs there exactly as it does locally (extraction, reasoning, the SHACL gate, the
inferred-triple index), and only a generation that was published in the mirror is pushed,
graph by graph, with the Graph Store Protocol; the manifest goes last, into its own graph.
Reads (query, export, serve) go to the external store with the Query protocol, the dataset
named explicitly by ``default-graph-uri``/``named-graph-uri`` (the graphs of the manifest),
so the store's own system graphs never leak into answers.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from jtkg.graph.remote_http import RemoteConfig, RemoteRefused, SparqlClient, is_remote
from jtkg.graph.sparql_dataset import query_names_dataset
from jtkg.graph.sparql_text import has_keyword
from jtkg.graph.store import (
    Generation,
    Manifest,
    PublishedStore,
    StoreError,
    StoreLocation,
    default_store_path,
)
from jtkg.ontology import GRAPH

#: Where the manifest of the pushed generation lives in the external store.
MANIFEST_GRAPH = str(GRAPH["store-manifest"])
MANIFEST_PROPERTY = "https://w3id.org/jtkg/store#manifest"
#: A graph that is never written: the default graph of queries that ask for no union.
EMPTY_GRAPH = str(GRAPH["empty"])
#: Seconds a server trusts the manifest it last read before asking again.
MANIFEST_TTL = 1.0
REMOTE_KEY = "remote:"


def open_location(value: str | Path | None) -> StoreLocation:
    """The store named by ``--store``: a folder, or ``sparql+http(s)://…`` for an external one."""
    if is_remote(value):
        return RemoteLocation(RemoteConfig.parse(str(value)))
    return StoreLocation(Path(value) if value else default_store_path())


class RemoteTriples:
    """A CONSTRUCT/DESCRIBE result from the external store, used like pyoxigraph's."""

    def __init__(self, triples: list[ox.Triple]) -> None:
        self.triples = triples

    def __iter__(self) -> Iterator[ox.Triple]:
        return iter(self.triples)

    def serialize(self, output: IO[bytes], format: ox.RdfFormat) -> None:
        ox.serialize(self.triples, output, format)


class RemoteDataset:
    """The published graphs of an external store, read through the Query and Graph Store
    protocols; answers the calls the server and exporter make of a pyoxigraph Store."""

    def __init__(self, client: SparqlClient, graphs: dict[str, int]) -> None:
        self.client = client
        self.graphs = graphs

    def query(
        self,
        query: str,
        *,
        base_iri: str | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: list[ox.NamedNode] | None = None,
        named_graphs: list[ox.NamedNode] | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | RemoteTriples:
        if not has_keyword(query, "SERVICE"):
            # The same syntax errors as the embedded store. On an empty store nothing is
            # evaluated, except SERVICE, which must not be called twice: those queries go
            # to the store unparsed.
            ox.Store().query(query, base_iri=base_iri) if base_iri else ox.Store().query(query)
        text = f"BASE <{base_iri}>\n{query}" if base_iri else query
        ours = list(self.graphs)
        if default_graph is not None:
            defaults, named = [g.value for g in default_graph], ours
        elif query_names_dataset(query):
            defaults, named = [], []
        else:
            defaults, named = (ours if use_default_graph_as_union else [EMPTY_GRAPH]), ours
        if named_graphs is not None:
            named = [g.value for g in named_graphs]
        if not has_keyword(query, "CONSTRUCT", "DESCRIBE"):
            body = self.client.query(text, "application/sparql-results+json", defaults, named)
            return self._solutions(body)
        body = self.client.query(text, "application/n-triples", defaults, named)
        return RemoteTriples([t for t in ox.parse(body, ox.RdfFormat.N_TRIPLES)])

    def quads_for_pattern(
        self,
        subject: ox.NamedNode | None,
        predicate: ox.NamedNode | None,
        obj: ox.NamedNode | ox.Literal | None,
        graph: ox.NamedNode | None = None,
    ) -> Iterator[ox.Quad]:
        graphs = [graph.value] if graph is not None else list(self.graphs)
        if subject is None and predicate is None and obj is None:
            for name in graphs:  # whole graphs: the Graph Store Protocol
                if name in self.graphs:
                    for triple in ox.parse(self.client.get_graph(name), ox.RdfFormat.N_TRIPLES):
                        yield ox.Quad(triple.subject, triple.predicate, triple.object, ox.NamedNode(name))
            return
        pattern = " ".join(
            str(t) if t is not None else v for t, v in ((subject, "?s"), (predicate, "?p"), (obj, "?o"))
        )
        body = self.client.query(
            f"SELECT * WHERE {{ GRAPH ?g {{ {pattern} }} }}",
            "application/sparql-results+json",
            [EMPTY_GRAPH],
            graphs,
        )
        solutions = self._solutions(body)
        assert isinstance(solutions, ox.QuerySolutions)
        for row in solutions:
            yield ox.Quad(subject or row["s"], predicate or row["p"], obj or row["o"], row["g"])

    def _solutions(self, body: bytes) -> ox.QuerySolutions | ox.QueryBoolean:
        try:
            return ox.parse_query_results(_blank_nodes_renamed(body), ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"{self.client.config.describe()}: unreadable results: {exc}") from None

    def contains_named_graph(self, graph: ox.NamedNode) -> bool:
        return graph.value in self.graphs

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        return (ox.NamedNode(g) for g in self.graphs)

    def __iter__(self) -> Iterator[ox.Quad]:
        return self.quads_for_pattern(None, None, None, None)

    def __len__(self) -> int:
        return sum(self.graphs.values())


class RemoteLocation(StoreLocation):
    """An external store, written through its local mirror (``path``)."""

    def __init__(self, config: RemoteConfig) -> None:
        super().__init__(config.mirror)
        self.config = config
        self.client = SparqlClient(config)
        self.mirror = StoreLocation(config.mirror)

    def describe(self) -> str:
        return self.config.describe()

    def key(self, manifest: Manifest) -> str:
        """What query workers open: the configuration and the published graphs."""
        return REMOTE_KEY + json.dumps(
            {"config": asdict(self.config), "graphs": manifest.graphs, "generation": manifest.generation}
        )

    # ------------------------------------------------------------ reading

    def manifest(self) -> Manifest | None:
        body = self.client.query(
            f"SELECT ?m WHERE {{ GRAPH <{MANIFEST_GRAPH}> "
            f"{{ <{MANIFEST_GRAPH}> <{MANIFEST_PROPERTY}> ?m }} }}",
            "application/sparql-results+json",
            [EMPTY_GRAPH],
            [MANIFEST_GRAPH],
        )
        for row in ox.parse_query_results(body, ox.QueryResultsFormat.JSON):
            try:
                return Manifest(**json.loads(row["m"].value))  # type: ignore[index]
            except (ValueError, TypeError):
                raise StoreError(
                    f"{self.describe()}: the jtkg manifest in {MANIFEST_GRAPH} "
                    "is unreadable; run `jtkg build` again"
                ) from None
        return None

    def current_generation(self) -> str | None:
        manifest = self.manifest()
        return manifest.generation if manifest else None

    def is_empty(self) -> bool:
        return self.manifest() is None

    def open(self) -> RemoteDataset:  # type: ignore[override]
        manifest = self.manifest()
        if manifest is None:
            raise StoreError(f"{self.describe()}: no graph has been built here yet (run `jtkg build`)")
        return RemoteDataset(self.client, manifest.graphs)

    # ------------------------------------------------------------ writing

    @contextmanager
    def next_generation(self, fresh: bool = False, recount: bool = False) -> Iterator[Generation]:
        before = self.manifest()
        if not fresh:
            self._check_mirror(before)
        # Rewriting the current manifest as it is proves the credentials can write, before
        # the mirror moves ahead of the store.
        self._write_manifest(before)
        self.mirror.keep_generations = self.keep_generations
        with self.mirror.next_generation(fresh, recount) as generation:
            yield generation
        self.push(before)

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
                    self.client.put_graph(graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
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
        self.client.put_graph(MANIFEST_GRAPH, ox.serialize([record], format=ox.RdfFormat.N_TRIPLES))

    def _check_mirror(self, remote: Manifest | None) -> None:
        mirrored = self.mirror.current_generation()
        remote_generation = remote.generation if remote else None
        if mirrored != remote_generation:
            raise StoreError(
                f"{self.describe()} holds {remote_generation or 'no jtkg graph'} but its local "
                f"mirror {self.mirror.path} holds {mirrored or 'nothing'}: run `jtkg build` "
                "(or `jtkg push` to send the mirror) so that they agree before writing"
            )


class RemotePublished(PublishedStore):
    """The server's handle on an external store: the manifest is re-read at most once a
    second, so a push is seen quickly without a round trip per request."""

    def __init__(self, location: RemoteLocation) -> None:
        super().__init__(location)
        self.remote = location
        self._manifest: Manifest | None = None
        self._read_at = 0.0

    def _current(self) -> Manifest:
        if self._manifest is None or time.monotonic() - self._read_at > MANIFEST_TTL:
            self._manifest = self.remote.manifest()
            self._read_at = time.monotonic()
        if self._manifest is None:
            raise StoreError(f"{self.remote.describe()}: no graph has been built here yet (run `jtkg build`)")
        return self._manifest

    def generation(self) -> str:
        return self._current().generation

    def generation_path(self) -> str:
        return self.remote.key(self._current())

    def get(self) -> RemoteDataset:  # type: ignore[override]
        return RemoteDataset(self.remote.client, self._current().graphs)


def _blank_nodes_renamed(body: bytes) -> bytes:
    """Stores label blank nodes as they like (Virtuoso: ``nodeID://b10004``); results keep
    them as valid, distinct identifiers."""
    if b'"bnode"' not in body:
        return body
    data = json.loads(body)
    for row in data.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("type") == "bnode":
                term["value"] = "b" + hashlib.sha256(term["value"].encode()).hexdigest()[:24]
    return json.dumps(data).encode()


def published(location: StoreLocation) -> PublishedStore:
    return RemotePublished(location) if isinstance(location, RemoteLocation) else PublishedStore(location)


def open_dataset(key: str) -> ox.Store | RemoteDataset:
    """What a query worker opens: a generation folder, or an external store's key."""
    if key.startswith(REMOTE_KEY):
        data = json.loads(key[len(REMOTE_KEY) :])
        return RemoteDataset(SparqlClient(RemoteConfig(**data["config"])), data["graphs"])
    return ox.Store.read_only(key)
