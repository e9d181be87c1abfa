"""Human pages: the home page and dereferenceable entity IRIs under /id/."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request

from jtkg.ontology import ID, JT
from jtkg.server.app import published_store
from jtkg.server.errors import NotFound
from jtkg.server.negotiation import GRAPH_FORMATS, MediaFormat, choose

bp = Blueprint("pages", __name__)

HTML = MediaFormat("html", "text/html", ("application/xhtml+xml",))
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
    return render_template("home.html", counts=counts, documents=documents,
                           triples=len(store))


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
    query = (f"CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} WHERE {{ {{ <{iri}> ?p ?o }} "
             f"UNION {{ ?s ?q <{iri}> }} }}")
    triples = list(store.query(query, use_default_graph_as_union=True))
    if not triples:
        raise NotFound(f"nothing is known about {iri}")
    if fmt.name == "html":
        outgoing = [(t.predicate.value, t.object) for t in triples if t.subject == node]
        incoming = [(t.subject.value, t.predicate.value) for t in triples
                    if t.object == node and t.subject != node]
        label = next((o.value for p, o in outgoing
                      if p == "http://www.w3.org/2000/01/rdf-schema#label"), rest)
        body = render_template("entity.html", iri=iri, label=label, outgoing=outgoing,
                               incoming=incoming, id_base=str(ID))
        response = Response(body, content_type="text/html; charset=utf-8")
    else:
        body = ox.serialize(triples, format=fmt.rdf)
        response = Response(body, content_type=fmt.media_type)
    response.headers["Vary"] = "Accept"
    response.headers["Link"] = ", ".join(
        f'<{request.base_url}?format={f.name}>; rel="alternate"; type="{f.media_type}"'
        for f in GRAPH_FORMATS)
    return response
