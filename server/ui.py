"""The browser UI beyond entity pages: the query page, full-text search, the timeline, and
the assets they need (served by the app itself, so everything works offline)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from flask import Blueprint, Response, render_template, request

from jtkg.graph.facets import BROWSE_ROWS, FACETS, KINDS
from jtkg.ontology import JT
from jtkg.server.completion import completions
from jtkg.server.errors import BadRequest
from jtkg.server.pages import in_worker
from jtkg.server.query_results import run_for_page

bp = Blueprint("ui", __name__)

DEFAULT_QUERY = """PREFIX jt: <https://w3id.org/jtkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?person ?name WHERE {
  ?person a jt:Person ; rdfs:label ?name .
} ORDER BY ?name"""
#: Longest search text taken, in characters.
MAX_SEARCH_TEXT = 200
#: Search hits on one page.
SEARCH_PAGE = 50


@dataclass(frozen=True)
class Example:
    title: str
    text: str


def examples() -> list[Example]:
    """The competency questions shipped with the server, titled by their first comment."""
    found = []
    for item in sorted(resources.files("jtkg.server").joinpath("examples").iterdir(), key=lambda i: i.name):
        if item.name.endswith(".rq"):
            text = item.read_text(encoding="utf-8")
            first = text.splitlines()[0].lstrip("# ").strip() if text.startswith("#") else item.name
            found.append(Example(first, text))
    return found


@bp.route("/query")
def query_page() -> Response:
    initial = request.args.get("query") or DEFAULT_QUERY
    kind = request.args.get("class", "")
    if kind.isidentifier():
        initial = (
            f"PREFIX jt: <{JT}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            f"SELECT ?entity ?label WHERE {{\n  ?entity a jt:{kind} .\n"
            "  OPTIONAL { ?entity rdfs:label ?label\n"
            '             FILTER(lang(?label) = "en" || lang(?label) = "") }\n'
            f"}} ORDER BY ?label LIMIT 500"
        )
    results = None
    if "run" in request.args and initial.strip():  # a plain form's submit, or a shared link
        results = run_for_page(initial, _page_number())
    body = render_template(
        "query.html", examples=examples(), initial=initial, results=results, completions=completions()
    )
    return Response(body, status=results.status if results else 200, content_type="text/html; charset=utf-8")


def _page_number() -> int:
    value = request.args.get("page", "1")
    if not value.isascii() or not value.isdigit() or len(value) > 7 or int(value) < 1:
        raise BadRequest("page must be a whole number from 1, at most seven digits")
    return int(value)


@bp.route("/search")
def search_page() -> str:
    text = request.args.get("q", "")[:MAX_SEARCH_TEXT]
    page = _page_number()
    hits = []
    if text.strip():  # one hit more than shown tells whether there is a next page
        offset = (page - 1) * SEARCH_PAGE
        hits = in_worker(
            "search", module="jtkg.graph.search", text=text, limit=SEARCH_PAGE + 1, offset=offset
        )
    more, hits = len(hits) > SEARCH_PAGE, hits[:SEARCH_PAGE]
    return render_template("search.html", hits=hits, search_text=text, page=page, more=more, rows=SEARCH_PAGE)


@bp.route("/timeline")
def timeline_page() -> str:
    return render_template("timeline.html", items=in_worker("timeline", "jtkg.graph.overview"))


@bp.route("/browse")
def browse_page() -> str:
    """Entities of a class narrowed by facets (graph/facets.py), as a plain GET form."""
    kind = request.args.get("kind", "Person")
    if kind not in KINDS:
        raise BadRequest(f"kind must be one of {', '.join(KINDS)}")
    facets = FACETS.get(kind, FACETS["entity"])
    chosen = {name: request.args.get(name, "") for name in facets if request.args.get(name)}
    for value in chosen.values():
        if not value.startswith("https://w3id.org/jtkg/id/") or not value.isprintable() or " " in value:
            raise BadRequest("a facet value must be an entity IRI of this dataset")
    page = _page_number()
    view = in_worker(
        "browse",
        "jtkg.graph.facets",
        kind=kind,
        chosen=chosen,
        recommendation=request.args.get("recommendation") == "1",
        offset=(page - 1) * BROWSE_ROWS,
    )
    return render_template("browse.html", view=view, kinds=KINDS, page=page, rows=BROWSE_ROWS)
