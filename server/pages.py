"""Linked-data pages: the home page and every entity IRI under /id/, by content negotiation."""

from __future__ import annotations

import re

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request

from jtkg.graph.views import document_view, entity_view
from jtkg.ontology import ID, JT
from jtkg.server.app import published_store
from jtkg.server.errors import BadRequest, NotFound
from jtkg.server.html import curie, local_path
from jtkg.server.negotiation import GRAPH_FORMATS, HTML, add_alternates, choose

bp = Blueprint("pages", __name__)

CLASSES = ("Person", "Institution", "State", "Agreement", "Policy", "Issue", "Event",
           "Statement", "Position", "Document")


@bp.route("/")
def home() -> str:
    store = published_store().get()
    counts = {}
    for name in CLASSES:
        rows = store.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{JT[name]}> }}",
                           use_default_graph_as_union=True)
        counts[name] = int(next(iter(rows))["n"].value)
    documents = [
        {"iri": row["d"].value, "title": row["t"].value if row["t"] else row["d"].value}
        for row in store.query(
            f"SELECT ?d ?t WHERE {{ ?d a <{JT.Document}> "
            "OPTIONAL { ?d <http://purl.org/dc/terms/title> ?t } } ORDER BY ?t",
            use_default_graph_as_union=True)
    ]
    return render_template("home.html", counts=counts, documents=documents, triples=len(store))


@bp.route("/id/<path:rest>")
def entity(rest: str) -> Response:
    iri = str(ID) + rest
    fmt = choose(request.headers.get("Accept") or "text/html", (HTML, *GRAPH_FORMATS),
                 request.args.get("format"))
    store = published_store().get()
    try:
        node = ox.NamedNode(iri)  # refuses "<", ">" and spaces: safe to write into a query
    except ValueError:
        raise NotFound(f"not a valid entity IRI: {iri}") from None
    if fmt.name == "html":
        response = _html(store, iri)
    else:
        query = (f"CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} WHERE {{ {{ <{iri}> ?p ?o }} "
                 f"UNION {{ ?s ?q <{iri}> }} }}")
        triples = list(store.query(query, use_default_graph_as_union=True))
        if not triples:
            raise NotFound(f"nothing is known about {node.value}")
        response = Response(ox.serialize(triples, format=fmt.rdf), content_type=fmt.media_type)
    add_alternates(response.headers, request.base_url, GRAPH_FORMATS)
    return response


def _html(store: ox.Store, iri: str) -> Response:
    view = entity_view(store, iri)
    if view is None:
        raise NotFound(f"nothing is known about {iri}")
    highlight = _span(request.args.get("highlight", ""))
    document = document_view(store, iri, highlight) if str(JT.Document) in view.types else None
    neighbours = [{"label": f.label, "href": local_path(f.value), "predicate": curie(f.predicate),
                   "incoming": False}
                  for f in view.facts if f.is_iri and not f.inferred and f.value.startswith(str(ID))]
    neighbours += [{"label": label, "href": local_path(s), "predicate": curie(p), "incoming": True}
                   for s, p, label in view.incoming if s.startswith(str(ID))
                   and "/statement/" not in s and "/position/" not in s][:12]
    unique = {n["href"]: n for n in reversed(neighbours)}
    neighbours = list(reversed(unique.values()))
    body = render_template("entity.html", view=view, document=document,
                           highlighted=highlight is not None,
                           neighbourhood={"label": view.label, "neighbours": neighbours})
    return Response(body, content_type="text/html; charset=utf-8")


#: ``?highlight=START-END``: ASCII digits only (str.isdigit() takes "²"), nine at most.
_SPAN = re.compile(r"([0-9]{1,9})-([0-9]{1,9})")


def _span(value: str) -> tuple[int, int] | None:
    """The passage to mark; a span outside the text is ignored later, a malformed one is 400."""
    if not value:
        return None
    found = _SPAN.fullmatch(value)
    if not found or int(found[1]) >= int(found[2]):
        raise BadRequest("highlight must be START-END, character offsets with START below END")
    return int(found[1]), int(found[2])
