"""/update: SPARQL 1.1 Update, for holders of the bearer token, through the SHACL gate.

Writes are off unless a token is configured. Each update runs on a copy of the published
generation; the result is validated against the shapes and published only if it conforms.
Nothing leaves this machine: LOAD and SERVICE are refused.
"""

from __future__ import annotations

import hmac
import logging
import re
from urllib.parse import parse_qs

from flask import Blueprint, Response, current_app, g, request
from rdflib import Graph

from jtkg.graph.store import to_rdflib
from jtkg.graph.validate import validate
from jtkg.server.app import published_store
from jtkg.server.errors import (
    BadRequest,
    Forbidden,
    MalformedQuery,
    Unauthorized,
    UnprocessableEntity,
    UnsupportedMediaType,
)

bp = Blueprint("update", __name__)
log = logging.getLogger("jtkg.update")

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-update"
#: Operations that would make the server fetch from the network.
_OUTBOUND = re.compile(r"(?<![\w:/#<\"'])(?:LOAD|SERVICE)\b", re.IGNORECASE)
_DATASET_CLAUSE = re.compile(r"(?<![\w:/#<\"'])(?:USING|WITH)\b", re.IGNORECASE)


def require_token() -> None:
    """401 without the right bearer token; 403 when writes are off. The token is compared in
    constant time and never logged."""
    expected = current_app.config.get("UPDATE_TOKEN") or ""
    if not expected:
        raise Forbidden("writes are disabled on this server: no update token is configured")
    given = request.headers.get("Authorization", "")
    scheme, _, token = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(),
                                                             expected.encode()):
        log.info("refused write without a valid token [%s]", g.get("request_id"))
        raise Unauthorized("a valid 'Authorization: Bearer <token>' header is required to write")


@bp.route("/update", methods=["POST"])
def update() -> Response:
    require_token()
    text, using = _update_text()
    if using and _DATASET_CLAUSE.search(text):
        raise BadRequest("the update names its dataset (USING/WITH) and the request does too "
                         "(using-graph-uri/using-named-graph-uri): give one or the other")
    if using:
        raise BadRequest("using-graph-uri and using-named-graph-uri are not supported; "
                         "write USING in the update")
    if _OUTBOUND.search(text):
        raise BadRequest("LOAD and SERVICE are not allowed: this server makes no outbound requests")
    location = published_store().location
    with location.next_generation(recount=True) as generation:
        try:
            generation.store.update(text)
        except SyntaxError as exc:
            raise MalformedQuery(f"malformed update: {exc}") from None
        data = Graph()
        for quad in generation.store:
            data.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        report = validate(data)
        if not report.conforms:
            first = report.violations[0].line()
            raise UnprocessableEntity(f"the update would make the data invalid "
                                      f"({len(report.violations)} violation(s)); first: {first}")
        name = generation.name
    log.info("update published %s [%s]", name, g.get("request_id"))
    return Response(status=204)


def _update_text() -> tuple[str, list[str]]:
    content_type = (request.mimetype or "").lower()
    body = request.get_data(cache=False)
    args = parse_qs(request.query_string.decode("latin-1"), keep_blank_values=True)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the update body is not valid UTF-8") from None
    if content_type == FORM:
        params = parse_qs(text, keep_blank_values=True)
        updates = params.get("update", [])
        if len(updates) != 1:
            raise BadRequest("exactly one update parameter is required")
        using = params.get("using-graph-uri", []) + params.get("using-named-graph-uri", [])
        return updates[0], using
    if content_type == DIRECT:
        using = args.get("using-graph-uri", []) + args.get("using-named-graph-uri", [])
        return text, using
    raise UnsupportedMediaType(f"POST an update as {FORM} or {DIRECT}, not "
                               f"{content_type or 'an untyped body'}")
