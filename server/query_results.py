"""The query page's results rendered by the server: the page works as a plain HTML form,
without JavaScript, and a shared ``/query?query=…&run=1`` link shows its answer at once.

The query runs as on /sparql (a query worker, the same limits); a SELECT result is shown
PAGE_ROWS rows a page with its total, a CONSTRUCT or DESCRIBE result as Turtle written with
the query's own prefixes. The downloads stay whole: they are /sparql links.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import current_app, request

from jtkg.server.html import curie, local_path
from jtkg.server.resources import published_store, query_pool
from jtkg.server.sandbox import allowlist

#: Rows of a SELECT result on one page (in the browser too: static/query.js).
PAGE_ROWS = 100
#: An update's first keyword after the prologue: it goes to /update, not to the query page.
_UPDATE = re.compile(
    r"(?:\s+|#[^\n]*(?:\n|$)|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)*"
    r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)
_PREFIX = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*|):\s*<([^<>\"{}|^`\\\s]*)>", re.IGNORECASE)
UPDATE_MESSAGE = (
    "this is a SPARQL update: the query page only reads; send updates to /update (POST, with a write token)"
)
RESULT_FORMATS = (("json", "JSON"), ("xml", "XML"), ("csv", "CSV"), ("tsv", "TSV"))
GRAPH_DOWNLOADS = (
    ("turtle", "Turtle"),
    ("ntriples", "N-Triples"),
    ("jsonld", "JSON-LD"),
    ("rdfxml", "RDF/XML"),
    ("trig", "TriG"),
    ("nquads", "N-Quads"),
)


@dataclass
class Cell:
    text: str
    href: str | None = None
    lang: str = ""
    #: An IRI shown as text (not http(s), so never a link).
    iri: bool = False


@dataclass
class ServerResults:
    query: str
    status: int = 200
    error: str = ""
    kind: str = ""  # "rows", "boolean" or "graph"
    columns: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1
    boolean: bool | None = None
    turtle: str = ""

    def page_link(self, page: int) -> str:
        return "/query?" + urlencode({"query": self.query, "run": "1", "page": str(page)})

    def downloads(self) -> list[tuple[str, str]]:
        formats = GRAPH_DOWNLOADS if self.kind == "graph" else RESULT_FORMATS
        return [
            (title, "/sparql?" + urlencode({"query": self.query, "format": name})) for name, title in formats
        ]


def is_update(text: str) -> bool:
    """Whether the text is a SPARQL update (its first keyword after the prologue)."""
    return _UPDATE.match(text) is not None


def query_prefixes(text: str) -> dict[str, str]:
    """The PREFIX declarations of a query, to write its CONSTRUCT result with."""
    return {name: namespace for name, namespace in _PREFIX.findall(text)}


def run_for_page(query: str, page: int) -> ServerResults:
    """Runs the query as /sparql does and shows one page of the answer."""
    results = ServerResults(query, page=page)
    if is_update(query):
        results.status, results.error = 400, UPDATE_MESSAGE
        return results
    config = current_app.config
    answer = query_pool().run(
        published_store().generation_path(),
        query=query,
        accept="application/sparql-results+json, application/n-triples;q=0.9",
        max_query_length=config["MAX_QUERY_LENGTH"],
        max_result_bytes=config["MAX_RESULT_BYTES"],
        service_allowlist=allowlist(config["SERVICE_ALLOWLIST"]),
        max_result_rows=int(config["MAX_RESULT_ROWS"]),
        base_iri=request.url_root + "sparql",
    )
    if answer.status != 200:
        results.status = answer.status
        results.error = " ".join(answer.body.decode("utf-8", "replace").split())
        return results
    if answer.media_type.startswith("application/sparql-results+json"):
        data = json.loads(answer.body)
        if "boolean" in data:
            results.kind, results.boolean = "boolean", bool(data["boolean"])
            return results
        bindings = data["results"]["bindings"]
        results.kind, results.columns, results.total = "rows", data["head"]["vars"], len(bindings)
        results.pages = max(1, -(-len(bindings) // PAGE_ROWS))
        shown = bindings[(page - 1) * PAGE_ROWS : page * PAGE_ROWS]
        results.rows = [[_cell(row.get(name)) for name in results.columns] for row in shown]
        return results
    triples = list(ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES))
    results.kind, results.total = "graph", len(triples)
    results.turtle = ox.serialize(
        triples, format=ox.RdfFormat.TURTLE, prefixes=query_prefixes(query)
    ).decode()
    return results


def _cell(term: dict[str, str] | None) -> Cell:
    if term is None:
        return Cell("")
    if term["type"] == "uri":
        href = local_path(term["value"])
        return Cell(curie(term["value"]), href, iri=href is None)
    return Cell(term["value"], None, term.get("xml:lang", ""))
