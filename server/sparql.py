"""The SPARQL query handler: a plain function from (query, dataset, accept) to a response.

It knows nothing of HTTP requests, so it is tested directly; the Flask view only collects
parameters and writes the response.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from jtkg.graph.describe import description, simple_describe
from jtkg.graph.formats import serialize
from jtkg.graph.remote import RemoteDataset
from jtkg.graph.remote_http import RemoteRefused
from jtkg.graph.sparql_dataset import query_names_dataset
from jtkg.graph.sparql_service import service_targets
from jtkg.graph.sparql_text import too_deep, unreadable_at
from jtkg.graph.store import StoreError, is_storage_failure
from jtkg.server.errors import (
    BadGateway,
    BadRequest,
    HTTPProblem,
    MalformedQuery,
    PayloadTooLarge,
    ServiceUnavailable,
)
from jtkg.server.negotiation import GRAPH_FORMATS, RESULT_FORMATS, choose
from jtkg.server.results import TooManyRows, write_solutions

#: Longest query text accepted, in characters.
MAX_QUERY_LENGTH = 100_000
#: Largest serialized result, in bytes.
MAX_RESULT_BYTES = 50_000_000
#: Most rows of a SELECT result.
MAX_RESULT_ROWS = 1_000_000
#: A CONSTRUCT/DESCRIBE result up to this many triples is sorted (subject by subject).
SORTED_TRIPLES = 200_000


@dataclass
class SparqlResponse:
    status: int
    body: bytes
    media_type: str
    headers: dict[str, str] = field(default_factory=dict)


def execute(
    store: ox.Store | RemoteDataset,
    query: str,
    accept: str | None = None,
    default_graph_uris: Sequence[str] = (),
    named_graph_uris: Sequence[str] = (),
    format_param: str | None = None,
    max_query_length: int = MAX_QUERY_LENGTH,
    max_result_bytes: int = MAX_RESULT_BYTES,
    service_allowlist: Sequence[str] = (),
    max_result_rows: int = MAX_RESULT_ROWS,
    base_iri: str | None = None,
) -> SparqlResponse:
    """Runs a SPARQL query and serializes the result in the negotiated format.

    The default graph is the union of all graphs unless ``default_graph_uris`` names graphs
    or the query has a dataset clause (FROM / FROM NAMED, which then define the dataset as
    SPARQL 1.1 §13.2 says: FROM NAMED alone leaves the default graph empty).
    SERVICE may call only the endpoints of ``service_allowlist`` (none by default).
    Relative IRIs resolve against ``base_iri`` (the endpoint's URL, over HTTP).
    Errors come back as a response with their status and a one-line plain-text reason.
    """
    try:
        return _execute(
            store,
            query,
            accept,
            default_graph_uris,
            named_graph_uris,
            format_param,
            max_query_length,
            max_result_bytes,
            service_allowlist,
            max_result_rows,
            base_iri,
        )
    except HTTPProblem as problem:
        return SparqlResponse(problem.status, (problem.reason + "\n").encode(), "text/plain")
    except (RuntimeError, OSError) as exc:  # a damaged database file, read while answering
        if not is_storage_failure(exc):
            raise
        return SparqlResponse(503, b"the graph store is not available\n", "text/plain")


def _execute(
    store: ox.Store | RemoteDataset,
    query: str,
    accept: str | None,
    default_graph_uris: Sequence[str],
    named_graph_uris: Sequence[str],
    format_param: str | None,
    max_query_length: int,
    max_result_bytes: int,
    service_allowlist: Sequence[str],
    max_result_rows: int,
    base_iri: str | None,
) -> SparqlResponse:
    if len(query) > max_query_length:
        raise PayloadTooLarge(f"the query is {len(query)} characters; the limit is {max_query_length}")
    problem = too_deep(query)
    if problem:  # Oxigraph's recursive parser would overflow its stack and take the worker
        raise BadRequest(problem)
    kwargs: dict[str, object] = {"base_iri": base_iri} if base_iri else {}
    if default_graph_uris:  # the protocol's dataset overrides the query's (Protocol §2.1.4)
        kwargs["default_graph"] = [graph_name(uri) for uri in default_graph_uris]
    elif not query_names_dataset(query):
        kwargs["use_default_graph_as_union"] = True
    if named_graph_uris:
        kwargs["named_graphs"] = [graph_name(uri) for uri in named_graph_uris]
    _check_services(query, service_allowlist)
    try:
        result = _described(store, query, kwargs) or store.query(query, **kwargs)
    except SyntaxError as exc:
        raise MalformedQuery(f"malformed query: {exc}") from None
    except RemoteRefused as refused:  # an external store's answer, without its address
        if refused.status == 400:
            raise MalformedQuery(f"the store refused the query: {refused.detail}") from None
        raise BadGateway(f"the external store failed ({refused.status}): {refused.detail}") from None
    except StoreError:
        raise ServiceUnavailable("the graph store is not available") from None
    output = BoundedBuffer(max_result_bytes)
    try:
        if isinstance(result, ox.QuerySolutions):
            fmt = choose(accept, RESULT_FORMATS, format_param)
            write_solutions(result, fmt.name, output, max_result_rows)
        elif isinstance(result, ox.QueryBoolean):
            fmt = choose(accept, RESULT_FORMATS, format_param)
            result.serialize(output, format=fmt.results)
        else:
            fmt = choose(accept, GRAPH_FORMATS, format_param)
            # graph/formats.py: Turtle with prefixes, JSON-LD compacted with the context
            serialize(result, fmt, output, ordered=SORTED_TRIPLES, max_bytes=max_result_bytes)
    except OverflowError:
        raise ServiceUnavailable(
            f"the result is larger than the {max_result_bytes}-byte limit; narrow the query or add LIMIT"
        ) from None
    except TooManyRows:
        raise ServiceUnavailable(
            f"the result has more than {max_result_rows} rows; narrow the query or add LIMIT"
        ) from None
    body = bytes(output.data)
    media_type = fmt.media_type
    if media_type.startswith("text/") or fmt.name in ("json", "xml", "jsonld", "rdfxml"):
        media_type += "; charset=utf-8"
    return SparqlResponse(200, body or b"", media_type)


def _described(
    store: ox.Store | RemoteDataset, query: str, kwargs: dict[str, object]
) -> list[ox.Triple] | None:
    """``DESCRIBE <iri>`` over the union answered as the entity's URL is (graph/describe.py:
    its triples, its links' labels and its evidence), not with Oxigraph's few triples."""
    targets = simple_describe(query) if kwargs.get("use_default_graph_as_union") else None
    if not targets or not isinstance(store, ox.Store) or not all(":" in t for t in targets):
        return None
    try:
        return [triple for iri in targets for triple in description(store, iri)] or None
    except ValueError:  # not an IRI Oxigraph takes: its own parser says why
        return None


def _check_services(query: str, allowlist: Sequence[str]) -> None:
    """Oxigraph would call any SERVICE endpoint: only allowlisted ones get through."""
    targets = service_targets(query)
    stuck = unreadable_at(query) if targets else None
    if stuck:  # fail safe: text we cannot tokenise might hide a SERVICE
        raise MalformedQuery(f"malformed query: cannot read the text at line {stuck[0]}, column {stuck[1]}")
    for target in targets:
        if target is None:
            raise BadRequest("SERVICE needs a constant endpoint IRI on this server")
        if target not in allowlist:
            if not allowlist:
                raise BadRequest("SERVICE is not allowed on this endpoint (federation is off)")
            raise BadRequest(f"SERVICE <{target}> is not on this server's federation allowlist")


class BoundedBuffer(io.RawIOBase):
    """Collects a serialization and stops it past a size limit."""

    def __init__(self, limit: int) -> None:
        self.data = bytearray()
        self.limit = limit

    def writable(self) -> bool:
        return True

    def write(self, chunk) -> int:  # type: ignore[no-untyped-def, override]
        if len(self.data) + len(chunk) > self.limit:
            raise OverflowError("result too large")
        self.data += chunk
        return len(chunk)


def graph_name(uri: str) -> ox.NamedNode:
    """A graph IRI from a request parameter, or 400."""
    try:
        return ox.NamedNode(uri)
    except ValueError:
        raise MalformedQuery(f"not an absolute IRI: {uri!r}") from None
