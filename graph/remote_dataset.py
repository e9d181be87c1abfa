"""Reading an external SPARQL 1.1 store: its published graphs as a Dataset (graph/location.py),
and the key by which a query worker opens them.

Queries go with the Query protocol, the dataset named explicitly by ``default-graph-uri``/
``named-graph-uri`` (the graphs of the manifest), so the store's own system graphs never
leak into answers. The reader key names the store and the generation's graphs only: a query
worker gets the credentials once, when it starts (server/workers.py), never in a key that a
message, a log line or a trace could show.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import IO

import pyoxigraph as ox

from jtkg.graph.location import GraphName
from jtkg.graph.remote_http import RemoteConfig, SparqlClient
from jtkg.graph.sparql_dataset import query_names_dataset
from jtkg.graph.sparql_text import has_keyword
from jtkg.graph.store import Manifest, StoreError
from jtkg.ontology import GRAPH

#: A graph that is never written: the default graph of queries that ask for no union.
EMPTY_GRAPH = str(GRAPH["empty"])
REMOTE_KEY = "remote:"


class RemoteTriples:
    """A CONSTRUCT/DESCRIBE result from the external store, used like pyoxigraph's."""

    def __init__(self, triples: list[ox.Triple]) -> None:
        self.triples = triples

    def __iter__(self) -> Iterator[ox.Triple]:
        return iter(self.triples)

    def serialize(self, output: IO[bytes], format: ox.RdfFormat) -> None:
        ox.serialize(self.triples, output, format)


def _names(graphs: GraphName | list[GraphName]) -> list[str]:
    """Graph IRIs for the protocol; the default graph of the store is never ours."""
    names = []
    for graph in graphs if isinstance(graphs, list) else [graphs]:
        if isinstance(graph, ox.NamedNode):
            names.append(graph.value)
        elif isinstance(graph, ox.DefaultGraph):
            names.append(EMPTY_GRAPH)
        else:
            raise ValueError(f"an external store's graphs are named by IRIs, not {graph}")
    return names


class RemoteDataset:
    """The published graphs of an external store, read through the Query and Graph Store
    protocols: a Dataset, as a read-only pyoxigraph Store is."""

    def __init__(self, client: SparqlClient, graphs: dict[str, int]) -> None:
        self.client = client
        self.graphs = graphs

    def query(
        self,
        query: str,
        /,
        *,
        base_iri: str | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: GraphName | list[GraphName] | None = None,
        named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | RemoteTriples:
        if not has_keyword(query, "SERVICE"):
            # The same syntax errors as the embedded store. On an empty store nothing is
            # evaluated, except SERVICE, which must not be called twice: those queries go
            # to the store unparsed.
            ox.Store().query(query, base_iri=base_iri) if base_iri else ox.Store().query(query)
        text = f"BASE <{base_iri}>\n{query}" if base_iri else query
        ours = list(self.graphs)
        if default_graph is not None:
            defaults, named = _names(default_graph), ours
        elif query_names_dataset(query):
            defaults, named = [], []
        else:
            defaults, named = (ours if use_default_graph_as_union else [EMPTY_GRAPH]), ours
        if named_graphs is not None:
            named = _names(list(named_graphs))
        if not has_keyword(query, "CONSTRUCT", "DESCRIBE"):
            body = self.client.query(text, "application/sparql-results+json", defaults, named)
            return self._solutions(body)
        body = self.client.query(text, "application/n-triples", defaults, named)
        return RemoteTriples([t for t in ox.parse(body, ox.RdfFormat.N_TRIPLES)])

    def quads_for_pattern(
        self,
        subject: ox.NamedNode | ox.BlankNode | ox.Triple | None,
        predicate: ox.NamedNode | None,
        object: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None,
        graph_name: GraphName | None = None,
    ) -> Iterator[ox.Quad]:
        graphs = _names(graph_name) if graph_name is not None else list(self.graphs)
        if subject is None and predicate is None and object is None:
            for name in graphs:  # whole graphs: the Graph Store Protocol
                if name in self.graphs:
                    for triple in ox.parse(self.client.get_graph(name), ox.RdfFormat.N_TRIPLES):
                        yield ox.Quad(triple.subject, triple.predicate, triple.object, ox.NamedNode(name))
            return
        pattern = " ".join(
            str(t) if t is not None else v for t, v in ((subject, "?s"), (predicate, "?p"), (object, "?o"))
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
            yield ox.Quad(subject or row["s"], predicate or row["p"], object or row["o"], row["g"])

    def _solutions(self, body: bytes) -> ox.QuerySolutions | ox.QueryBoolean:
        try:
            return ox.parse_query_results(_blank_nodes_renamed(body), ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"{self.client.config.describe()}: unreadable results: {exc}") from None

    def contains_named_graph(self, graph_name: GraphName) -> bool:
        return isinstance(graph_name, ox.NamedNode) and graph_name.value in self.graphs

    def named_graphs(self) -> Iterator[ox.NamedNode | ox.BlankNode]:
        return (ox.NamedNode(g) for g in self.graphs)

    def __iter__(self) -> Iterator[ox.Quad]:
        return self.quads_for_pattern(None, None, None, None)

    def __len__(self) -> int:
        return sum(self.graphs.values())


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


def remote_key(config: RemoteConfig, manifest: Manifest) -> str:
    """What a query worker opens for an external store's published generation: the store's
    query URL and the generation's graphs, and no credentials."""
    return REMOTE_KEY + json.dumps(
        {"store": config.query_url, "generation": manifest.generation, "graphs": manifest.graphs}
    )


def open_dataset(key: str, remote: RemoteConfig | None = None) -> ox.Store | RemoteDataset:
    """What a query worker opens: a generation folder, or (with ``remote``, the external
    store's configuration the worker was started with) an external store's key."""
    if not key.startswith(REMOTE_KEY):
        return ox.Store.read_only(key)
    data = json.loads(key[len(REMOTE_KEY) :])
    if not isinstance(data, dict) or not isinstance(data.get("graphs"), dict):
        raise ValueError("not an external store's key")
    if remote is None or data.get("store") != remote.query_url:
        # Described by its URL alone: a worker only reaches the store it was started for.
        raise StoreError(f"this query worker was not started for the external store {data.get('store')}")
    return RemoteDataset(SparqlClient(remote), data["graphs"])
