"""The browser UI beyond entity pages: the query page, full-text search, the timeline, and
the assets they need (served by the app itself, so everything works offline)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from flask import Blueprint, render_template, request

from jtkg.ontology import JT
from jtkg.server.pages import in_worker

bp = Blueprint("ui", __name__)

DEFAULT_QUERY = """PREFIX jt: <https://w3id.org/jtkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?person ?name WHERE {
  ?person a jt:Person ; rdfs:label ?name .
} ORDER BY ?name"""
#: Longest search text taken, in characters.
MAX_SEARCH_TEXT = 200


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
def query_page() -> str:
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
    return render_template("query.html", examples=examples(), initial=initial)


@bp.route("/search")
def search_page() -> str:
    text = request.args.get("q", "")[:MAX_SEARCH_TEXT]
    hits = in_worker("search", module="jtkg.graph.search", text=text) if text.strip() else []
    return render_template("search.html", hits=hits, search_text=text)


@bp.route("/timeline")
def timeline_page() -> str:
    return render_template("timeline.html", items=in_worker("timeline"))
