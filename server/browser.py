"""Pages for people where a machine format is the default: the error pages and the
service description / VoID page a browser gets.

A browser is told apart by its Accept header: the best range it sends is ``text/html`` (or
XHTML). curl (``*/*``), SPARQLWrapper and rdflib name other types first, so they keep the
machine answers: RDF for /sparql and /void, one plain-text line for an error.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

import pyoxigraph as ox
from flask import Response, has_request_context, render_template, request
from werkzeug.http import HTTP_STATUS_CODES

from jtkg.server.negotiation import parse_accept

_BROWSER_TYPES = ("text/html", "application/xhtml+xml")
SD = "http://www.w3.org/ns/sparql-service-description#"
#: The machine formats of the description, linked from its page.
DESCRIPTION_FORMATS = (
    ("turtle", "Turtle"),
    ("jsonld", "JSON-LD"),
    ("ntriples", "N-Triples"),
    ("rdfxml", "RDF/XML"),
)


def wants_html(accept: str | None) -> bool:
    """Whether the best media range of an Accept header is an HTML page (a browser)."""
    ranges = [(media, q) for media, q in parse_accept(accept) if q > 0]
    return bool(ranges) and ranges[0][0] in _BROWSER_TYPES


def error_page(status: int, reason: str) -> Response | None:
    """The error in the site's layout for a browser; None for any other client (which gets
    the one plain-text line)."""
    if not has_request_context() or not wants_html(request.headers.get("Accept")):
        return None
    title = HTTP_STATUS_CODES.get(status, "Error")
    body = render_template("error.html", status=status, title=title, reason=reason)
    return Response(body, status=status, content_type="text/html; charset=utf-8")


class Figures(Protocol):
    """What the page shows of the VoID statistics (server/service.py's Statistics)."""

    triples: int
    entities: int
    graphs: Mapping[str, int]
    classes: Mapping[str, int]
    examples: list[str]


def description_page(root_url: str, figures: Figures, triples: Iterable[ox.Triple]) -> Response:
    """The service description and VoID as a readable page, with links to its RDF."""
    features, languages, result_formats, dumps = [], [], [], []
    for triple in triples:
        predicate, value = triple.predicate.value, triple.object.value
        if predicate == SD + "feature":
            features.append(value.rsplit("#", 1)[-1])
        elif predicate == SD + "supportedLanguage":
            languages.append(value.rsplit("#", 1)[-1])
        elif predicate == SD + "resultFormat":
            result_formats.append(value.rsplit("/", 1)[-1].replace("_", " "))
        elif predicate == "http://rdfs.org/ns/void#dataDump":
            dumps.append(value)
    root = root_url.rstrip("/")
    body = render_template(
        "service.html",
        endpoint=root + "/sparql",
        figures=figures,
        features=sorted(features),
        languages=languages,
        result_formats=result_formats,
        dumps=dumps,
        formats=DESCRIPTION_FORMATS,
        path=request.path,
    )
    response = Response(body, content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept"
    return response
