"""One interface for a store, whichever holds the data: the embedded one (graph/store.py) or
an external SPARQL 1.1 store (graph/remote.py).

A caller opens the published data for reading (``open``), asks which generation is
published (``current_generation``, ``manifest``), begins a change (``next_generation``:
a writable copy, published atomically when the block ends without error) or, when the
change itself runs elsewhere (the server's write process), asks for the embedded store to
write in and publish there (``writing``). An external store's writes happen in its local
*mirror*, an embedded store it owns, so the two differ only in what ``open`` reads and in
what ``writing`` does around the write (check the store, prove the credentials, push).

The classes satisfy these Protocols structurally (tests/test_store_interface.py checks
both, statically with mypy and by running the same sequence of calls on each); nothing
inherits from them. No string a Location or its published handle returns carries
credentials: ``describe`` names the store, the reader key names the generation.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any, Protocol, runtime_checkable

import pyoxigraph as ox

from jtkg.graph.store import Generation, Manifest, StoreLocation

#: What a graph name may be, as pyoxigraph takes it.
GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph


@runtime_checkable
class Dataset(Protocol):
    """The published data, read: a read-only pyoxigraph Store, or an external store's
    graphs read through the SPARQL protocols (graph/remote_dataset.py)."""

    def query(
        self,
        query: str,
        /,
        *,
        base_iri: str | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: GraphName | list[GraphName] | None = None,
        named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None,
    ) -> Any:  # solutions, a boolean, or triples: pyoxigraph's own types or RemoteTriples
        ...

    def quads_for_pattern(
        self,
        subject: ox.NamedNode | ox.BlankNode | ox.Triple | None,
        predicate: ox.NamedNode | None,
        object: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None,
        graph_name: GraphName | None = None,
    ) -> Iterator[ox.Quad]: ...

    def named_graphs(self) -> Iterator[ox.NamedNode | ox.BlankNode]: ...

    def contains_named_graph(self, graph_name: GraphName) -> bool: ...

    def __len__(self) -> int: ...


@runtime_checkable
class Published(Protocol):
    """The server's handle on what a location has published, followed as it changes."""

    @property
    def location(self) -> Location: ...

    def generation(self) -> str:
        """The name of the published generation."""
        ...

    def get(self) -> Dataset:
        """The published data, reopened when a newer generation is published."""
        ...

    def generation_path(self) -> str:
        """What a query worker opens: the generation's folder, or ``remote:`` and the
        generation's graphs. Never credentials: the worker is given those at its start."""
        ...


@runtime_checkable
class Location(Protocol):
    """A store: where its data is published, and how a change is published."""

    #: Previous generations kept after a publish; None: $JTKG_KEEP_GENERATIONS or 2.
    keep_generations: int | None

    @property
    def local(self) -> StoreLocation:
        """The embedded store whose folder holds this store's local files (sources,
        retired-IRI tables, dumps): the store itself, or the external store's mirror."""
        ...

    def describe(self) -> str:
        """The store for messages: a folder, or the query URL (never the credentials)."""
        ...

    def current_generation(self) -> str | None:
        """The published generation; None when nothing was published."""
        ...

    def manifest(self) -> Manifest | None:
        """The published generation's manifest; None when nothing was published."""
        ...

    def exists(self) -> bool: ...

    def is_empty(self) -> bool:
        """Nothing here at all: only then may the bundled corpus be built unasked."""
        ...

    def open(self) -> Dataset:
        """The published data, for reading."""
        ...

    def check_writable(self) -> None:
        """StoreError (StoreFull) now, before any work, when a write could not succeed."""
        ...

    def next_generation(
        self, fresh: bool = False, recount: bool = False, *, name: str | None = None
    ) -> AbstractContextManager[Generation]:
        """Begins a change: a writable copy of the published data (empty with ``fresh``),
        published when the block ends without error, discarded otherwise. ``name`` (from
        ``new_generation_name()``) lets a caller that may kill the writer know its folder."""
        ...

    def writing(self, fresh: bool = False) -> AbstractContextManager[StoreLocation]:
        """The embedded store a change is written and published in, for a writer that
        publishes there itself (in a child process); whatever must happen before and
        after (an external store's checks and push) happens around the block."""
        ...

    def published(self) -> Published:
        """The server's handle on the published data."""
        ...
