"""The SPARQL 1.1 Graph Store HTTP Protocol: graphs read and written as whole documents.

Indirect naming: ``/rdf-graphs?graph=IRI`` or ``/rdf-graphs?default``. Direct naming: a
graph ``https://w3id.org/jtkg/graph/X`` is served at ``/graph/X``. Reads are open; PUT, POST
and DELETE need the bearer token and pass through the same SHACL gate as SPARQL Update.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from jtkg.graph.change import Change
from jtkg.graph.formats import serialize
from jtkg.graph.rdf_input import parse_rdf, syntax_for_media_type
from jtkg.ontology import GRAPH
from jtkg.server.errors import BadRequest, NotFound, PayloadTooLarge, UnsupportedMediaType
from jtkg.server.negotiation import TRIPLE_FORMATS, choose
from jtkg.server.resources import published_store
from jtkg.server.sparql import BoundedBuffer, graph_name
from jtkg.server.writes import publish_change, require_token

bp = Blueprint("graph_store", __name__)
#: The line for a write to ?default (server/graph_store.py, README "Graph Store").
DEFAULT_IS_UNION = (
    "the default graph is the union of all graphs (as for a query without FROM) and cannot be "
    "written; name a graph: ?graph=IRI"
)

METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE"]


@bp.route("/rdf-graphs", methods=METHODS)
def indirect() -> Response:
    graphs = request.args.getlist("graph")
    default = "default" in request.args
    if default == bool(graphs) or len(graphs) > 1:
        raise BadRequest("name one graph: ?graph=IRI or ?default")
    return _handle(ox.DefaultGraph() if default else graph_name(graphs[0]))


@bp.route("/graph/<path:rest>", methods=METHODS)
def direct(rest: str) -> Response:
    return _handle(graph_name(str(GRAPH) + rest))


def _handle(graph: ox.NamedNode | ox.DefaultGraph) -> Response:
    if request.method in ("GET", "HEAD"):
        return _read(graph)
    if isinstance(graph, ox.DefaultGraph):  # the union of all graphs: no one graph to write
        headers = {"Allow": "GET, HEAD"}
        return Response(DEFAULT_IS_UNION + "\n", status=405, mimetype="text/plain", headers=headers)
    require_token()
    if request.method == "DELETE":
        if not _exists(published_store().get(), graph):
            raise NotFound(f"no graph {_name(graph)}")
        publish_change(Change("drop", graph=graph), "graph delete")
        return Response(status=204)
    triples = _upload(graph)
    existed = _exists(published_store().get(), graph)
    kind = "replace" if request.method == "PUT" and existed else "add"
    publish_change(Change(kind, graph=graph, quads=triples), f"graph {request.method.lower()}")
    return Response(status=204 if existed else 201)


def _read(graph: ox.NamedNode | ox.DefaultGraph) -> Response:
    fmt = choose(request.headers.get("Accept"), TRIPLE_FORMATS, request.args.get("format"))
    store = published_store().get()
    if not _exists(store, graph):
        raise NotFound(f"no graph {_name(graph)}")
    limit = int(current_app.config["MAX_RESULT_BYTES"])
    output = BoundedBuffer(limit)
    try:
        # ?default reads the union of all graphs, as a query without FROM does
        pattern = None if isinstance(graph, ox.DefaultGraph) else graph
        quads = store.quads_for_pattern(None, None, None, pattern)
        serialize(quads, fmt, output, ordered=False, max_bytes=limit)
    except OverflowError:
        raise PayloadTooLarge(
            "the graph is larger than the result size limit; export it with `jtkg export --graph`"
        ) from None
    response = Response(bytes(output.data), content_type=f"{fmt.media_type}; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response


def _upload(graph: ox.NamedNode | ox.DefaultGraph) -> list[ox.Quad]:
    syntax = syntax_for_media_type(request.mimetype or "")
    if syntax is None or syntax.name in ("trig", "nquads"):
        raise UnsupportedMediaType("send a graph as " + ", ".join(f.media_type for f in TRIPLE_FORMATS))
    # An RdfInputError is a BadInput: app.py's handler answers 400 with its line.
    quads = parse_rdf(
        request.get_data(cache=False),
        syntax,
        base_iri=graph.value if isinstance(graph, ox.NamedNode) else None,
        triples_only=True,
    )
    return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads]


def _exists(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph) -> bool:
    if isinstance(graph, ox.DefaultGraph):
        return True  # the default graph always exists, if empty
    return store.contains_named_graph(graph)


def _name(graph: ox.NamedNode | ox.DefaultGraph) -> str:
    return f"<{graph.value}>" if isinstance(graph, ox.NamedNode) else "(default)"
