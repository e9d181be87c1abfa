"""CORS: what anyone may read, a page on any origin may read too; writes stay same-origin.

YASGUI or a notebook served from another origin can query /sparql (GET and POST, with its
preflight), dereference entities, read the Graph Store, the dumps and /void. /update and the
Graph Store's PUT, POST and DELETE get no CORS headers and no preflight answer, so a
browser never sends them (or the bearer token) from another origin. No credentials: the
origin is ``*``, which browsers never combine with cookies or Authorization.
"""

from __future__ import annotations

from flask import Flask, Response, request

#: Paths whose GET and HEAD anyone may read (prefixes).
READ_PATHS = (
    "/sparql",
    "/id/",
    "/dumps/",
    "/void",
    "/context.jsonld",
    "/ontology",
    "/shapes",
    "/rdf-graphs",
    "/graph/",
)
#: Paths where POST is a read too: a SPARQL query (an update there is refused with 400).
POST_READS = ("/sparql",)
#: Request headers a cross-origin read may send (beyond the CORS-safelisted ones).
ALLOWED_HEADERS = "Accept, Content-Type, X-Request-Id"
#: Response headers a cross-origin page may read.
EXPOSED_HEADERS = "Link, Vary, X-Request-Id, Content-Disposition, ETag"
#: How long a browser may keep a preflight answer, in seconds.
MAX_AGE = "600"


def is_read(path: str, method: str) -> bool:
    """Whether ``method`` on ``path`` is a read that another origin may make."""
    if not path.startswith(READ_PATHS):
        return False
    return method in ("GET", "HEAD") or (method == "POST" and path.startswith(POST_READS))


def install(app: Flask) -> None:
    @app.before_request
    def _preflight() -> Response | None:
        wanted = request.headers.get("Access-Control-Request-Method", "").upper()
        if request.method != "OPTIONS" or not request.headers.get("Origin") or not wanted:
            return None  # not a preflight: Flask answers a plain OPTIONS with Allow
        if not is_read(request.path, wanted):
            return None  # a write: no CORS headers, so the browser does not send it
        response = Response(status=204)
        methods = "GET, HEAD, POST" if request.path.startswith(POST_READS) else "GET, HEAD"
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = methods
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = MAX_AGE
        return response

    @app.after_request
    def _allow_reads(response: Response) -> Response:
        if request.headers.get("Origin") and is_read(request.path, request.method):
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        return response
