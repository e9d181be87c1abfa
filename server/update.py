"""/update: SPARQL 1.1 Update, for holders of the bearer token, through the SHACL gate.

Writes are off unless a token is configured. Nothing leaves this machine: LOAD and SERVICE
are refused. The protocol's using-graph-uri and using-named-graph-uri become USING clauses.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from flask import Blueprint, Response, request

from jtkg.graph.change import Change
from jtkg.graph.sparql_dataset import names_dataset, with_using
from jtkg.graph.sparql_text import has_keyword, too_deep
from jtkg.server.errors import BadRequest, UnsupportedMediaType
from jtkg.server.sparql import graph_name
from jtkg.server.writes import publish_change, require_token

bp = Blueprint("update", __name__)

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-update"


@bp.route("/update", methods=["POST"])
def update() -> Response:
    require_token()
    text, using, using_named = _update_text()
    if (using or using_named) and names_dataset(text):
        raise BadRequest(
            "the update names its dataset (USING/WITH) and the request does too "
            "(using-graph-uri/using-named-graph-uri): give one or the other"
        )
    if has_keyword(text, "LOAD", "SERVICE"):
        raise BadRequest("LOAD and SERVICE are not allowed: this server makes no outbound requests")
    if problem := too_deep(text, "update"):  # a deep parse overflows the stack
        raise BadRequest(problem)
    if using or using_named:
        for iri in using + using_named:
            graph_name(iri)  # 400 unless an absolute IRI
        text = with_using(text, using, using_named)
    publish_change(Change("update", text=text, base_iri=request.base_url), "update")
    return Response(status=204)


def _update_text() -> tuple[str, list[str], list[str]]:
    content_type = (request.mimetype or "").lower()
    body = request.get_data(cache=False)
    args = parse_qs(request.query_string.decode("latin-1"), keep_blank_values=True)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the update body is not valid UTF-8") from None
    if content_type == FORM:
        if "update" in args:
            raise BadRequest("the update is given both in the URL and in the body")
        params = {**args, **parse_qs(text, keep_blank_values=True)}
        updates = params.get("update", [])
        if len(updates) != 1:
            raise BadRequest("exactly one update parameter is required")
        return updates[0], params.get("using-graph-uri", []), params.get("using-named-graph-uri", [])
    if content_type == DIRECT:
        charset = (request.mimetype_params.get("charset") or "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise UnsupportedMediaType(f"charset {charset} is not supported; send UTF-8")
        return text, args.get("using-graph-uri", []), args.get("using-named-graph-uri", [])
    raise UnsupportedMediaType(
        f"POST an update as {FORM} or {DIRECT}, not {content_type or 'an untyped body'}"
    )
