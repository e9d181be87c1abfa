"""The SPARQL query handler: a plain function from (query, dataset, accept) to a response.

It knows nothing of HTTP requests, so it is tested directly; the Flask view only collects
parameters and writes the response.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from jtkg.server.errors import HTTPProblem, MalformedQuery, PayloadTooLarge
from jtkg.server.negotiation import GRAPH_FORMATS, RESULT_FORMATS, choose

#: Longest query text accepted, in characters.
MAX_QUERY_LENGTH = 100_000

log = logging.getLogger("jtkg.sparql")


@dataclass
class SparqlResponse:
    status: int
    body: bytes
    media_type: str
    headers: dict[str, str] = field(default_factory=dict)


def execute(store: ox.Store, query: str, accept: str | None = None,
            default_graph_uris: Sequence[str] = (), named_graph_uris: Sequence[str] = (),
            format_param: str | None = None,
            max_query_length: int = MAX_QUERY_LENGTH) -> SparqlResponse:
    """Runs a SPARQL query and serializes the result in the negotiated format.

    The default graph is the union of all graphs unless ``default_graph_uris`` names graphs.
    Errors come back as a response with their status and a one-line plain-text reason.
    """
    try:
        return _execute(store, query, accept, default_graph_uris, named_graph_uris,
                        format_param, max_query_length)
    except HTTPProblem as problem:
        return SparqlResponse(problem.status, (problem.reason + "\n").encode(), "text/plain")


def _execute(store: ox.Store, query: str, accept: str | None, default_graph_uris: Sequence[str],
             named_graph_uris: Sequence[str], format_param: str | None,
             max_query_length: int) -> SparqlResponse:
    if len(query) > max_query_length:
        raise PayloadTooLarge(f"the query is {len(query)} characters; the limit is "
                              f"{max_query_length}")
    kwargs: dict[str, object] = {}
    if default_graph_uris:
        kwargs["default_graph"] = [_graph_name(uri) for uri in default_graph_uris]
    else:
        kwargs["use_default_graph_as_union"] = True
    if named_graph_uris:
        kwargs["named_graphs"] = [_graph_name(uri) for uri in named_graph_uris]
    try:
        result = store.query(query, **kwargs)
    except SyntaxError as exc:
        raise MalformedQuery(f"malformed query: {exc}") from None
    if isinstance(result, ox.QueryBoolean | ox.QuerySolutions):
        fmt = choose(accept, RESULT_FORMATS, format_param)
        body = result.serialize(format=fmt.results)
    else:
        fmt = choose(accept, GRAPH_FORMATS, format_param)
        body = result.serialize(format=fmt.rdf)
    media_type = fmt.media_type
    if media_type.startswith("text/") or fmt.name in ("json", "xml", "jsonld", "rdfxml"):
        media_type += "; charset=utf-8"
    return SparqlResponse(200, body or b"", media_type)


def _graph_name(uri: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(uri)
    except ValueError:
        raise MalformedQuery(f"not an absolute IRI: {uri!r}") from None
