"""Linked-data pages: the home page and every entity IRI under /id/, by content negotiation.

What a page shows is computed in a query worker process (memory- and time-capped, like a
query), from bounded, paged queries; only the Jinja rendering of that bounded data happens
in the server process.
"""

from __future__ import annotations

import re
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request

from jtkg.graph.retired import published_table
from jtkg.graph.views import SECTION_ROWS, SECTIONS, EntityPage
from jtkg.ontology import ID
from jtkg.server.errors import BadRequest, NotFound
from jtkg.server.html import curie, local_path
from jtkg.server.negotiation import GRAPH_FORMATS, HTML, add_alternates, choose
from jtkg.server.resources import published_store, query_pool

bp = Blueprint("pages", __name__)

#: ``?highlight=START-END``: ASCII digits only (str.isdigit() takes "²"), nine at most.
_SPAN = re.compile(r"([0-9]{1,9})-([0-9]{1,9})")
#: ``?page=`` and ``?from=``: ASCII digits, seven at most.
_NUMBER = re.compile(r"[0-9]{1,7}")


def in_worker(function: str, module: str = "jtkg.graph.views", **kwargs: Any) -> Any:
    """``<module>.<function>(store, **kwargs)`` run in a query worker on the published
    generation (or external store), under the query time and memory limits."""
    return query_pool().call(published_store().generation_path(), f"{module}:{function}", **kwargs)


@bp.route("/")
def home() -> str:
    view = in_worker("home_view", "jtkg.graph.overview")
    return render_template("home.html", counts=view.counts, documents=view.documents, triples=view.triples)


@bp.route("/id/<path:rest>")
def entity(rest: str) -> Response:
    iri = str(ID) + rest
    fmt = choose(
        request.headers.get("Accept") or "text/html", (HTML, *GRAPH_FORMATS), request.args.get("format")
    )
    try:
        node = ox.NamedNode(iri)  # refuses "<", ">" and spaces: safe to write into a query
    except ValueError:
        raise NotFound(f"not a valid entity IRI: {iri}") from None
    moved = _retired_to(iri)
    if moved is not None:
        return moved
    if fmt.name == "html":
        response = _html(iri)
    else:
        body = in_worker("entity_rdf", "jtkg.graph.describe", iri=iri, media_type=fmt.media_type)
        if body is None:
            raise NotFound(f"nothing is known about {node.value}")
        response = Response(body, content_type=fmt.media_type)
    add_alternates(response.headers, request.base_url, GRAPH_FORMATS)
    return response


def _retired_to(iri: str) -> Response | None:
    """301 to the IRI that replaced a retired one (graph/retired.py), keeping the query (a
    ``format``, a ``highlight``); the client sends its Accept again to the new address."""
    published = published_store()
    current = published_table(published.location.local.path / published.generation()).get(iri)
    href = local_path(current) if current else None
    if current is None or href is None:
        return None
    query = request.query_string.decode("latin-1")
    response = Response(f"{iri} is now {current}\n", status=301, mimetype="text/plain")
    response.headers["Location"] = href + (f"?{query}" if query else "")
    response.headers["Link"] = f'<{current}>; rel="canonical"'
    return response


def _html(iri: str) -> Response:
    highlight = _span(request.args.get("highlight", ""))
    page = _number("page", low=1)
    section = request.args.get("more") or None
    if section is not None and section not in SECTIONS:
        raise BadRequest(f"more must be one of {', '.join(SECTIONS)}")
    offset = _number("from", low=0) or 0
    found: EntityPage | None = in_worker(
        "entity_page", iri=iri, section=section, offset=offset, page=page, highlight=highlight
    )
    if found is None:
        raise NotFound(f"nothing is known about {iri}")
    view, document = found.entity, found.document
    if document is not None and document.page > document.pages:
        raise NotFound(f"no page {document.page}: the text has {document.pages}")
    named = view.predicate_labels
    neighbours = [
        {
            "label": f.label,
            "href": local_path(f.value),
            "predicate": named.get(f.predicate) or curie(f.predicate),
        }
        | {"incoming": False}
        for f in view.facts
        if f.is_iri and not f.inferred and f.value.startswith(str(ID))
    ]
    # An event's participants (by role) and an actor's events: their own sections, not facts.
    neighbours += [
        {"label": p.label, "href": local_path(p.iri), "predicate": g.singular, "incoming": False}
        for g in view.participants
        for p in g.participants
        if p.iri.startswith(str(ID))
    ]
    neighbours += [
        {"label": t.label, "href": local_path(t.event), "predicate": t.role_label, "incoming": True}
        for t in view.took_part
        if t.event.startswith(str(ID))
    ]
    neighbours += [
        {"label": label, "href": local_path(s), "predicate": named.get(p) or curie(p), "incoming": True}
        for s, p, label, _ in view.incoming
        if s.startswith(str(ID)) and "/statement/" not in s and "/position/" not in s
    ][:12]
    unique = {n["href"]: n for n in reversed(neighbours)}
    neighbours = list(reversed(unique.values()))
    body = render_template(
        "entity.html",
        view=view,
        document=document,
        highlighted=bool(document and document.highlighted),
        cited_page=found.cited_page,
        rows=SECTION_ROWS,
        neighbourhood={"label": view.label, "neighbours": neighbours},
    )
    return Response(body, content_type="text/html; charset=utf-8")


def _span(value: str) -> tuple[int, int] | None:
    """The passage to mark; a span outside the text is ignored later, a malformed one is 400."""
    if not value:
        return None
    found = _SPAN.fullmatch(value)
    if not found or int(found[1]) >= int(found[2]):
        raise BadRequest("highlight must be START-END, character offsets with START below END")
    return int(found[1]), int(found[2])


def _number(name: str, low: int) -> int | None:
    value = request.args.get(name)
    if value is None:
        return None
    if not _NUMBER.fullmatch(value) or int(value) < low:
        raise BadRequest(f"{name} must be a whole number from {low}, at most seven digits")
    return int(value)
