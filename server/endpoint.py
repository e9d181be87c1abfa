"""/sparql: the SPARQL 1.1 Query protocol (GET, POST form, POST direct) over the store."""

from __future__ import annotations

from urllib.parse import parse_qs

from flask import Blueprint, Response, current_app, request

from jtkg.server.errors import BadRequest, MethodNotAllowed, UnsupportedMediaType
from jtkg.server.request_path import FollowedGeneration, base_url
from jtkg.server.resources import published_store, query_pool
from jtkg.server.sandbox import allowlist
from jtkg.server.service import service_description

bp = Blueprint("endpoint", __name__)

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
GENERATION_KEY = "jtkg.generation"


@bp.route("/sparql", methods=["GET", "POST", "HEAD"])
def sparql() -> Response:
    args = _query_string()
    if request.method in ("GET", "HEAD"):
        params = args
    elif request.method == "POST":
        params = _post_params(args)
    else:  # pragma: no cover - Flask answers 405 before this
        raise MethodNotAllowed("use GET or POST")
    if "update" in params:
        raise BadRequest("updates are not accepted at /sparql; send them to /update with POST")
    queries = params.get("query", [])
    if len(queries) > 1:
        raise BadRequest("more than one query parameter")
    if not queries:
        formats = params.get("format", [])
        return service_description(
            request.headers.get("Accept"),
            request.url_root,
            published_store(),
            formats[0] if formats else None,
        )
    formats = params.get("format", [])
    config = current_app.config
    result = query_pool().run(
        _generation_path(),
        query=queries[0],
        accept=request.headers.get("Accept"),
        default_graph_uris=params.get("default-graph-uri", []),
        named_graph_uris=params.get("named-graph-uri", []),
        format_param=formats[0] if formats else None,
        max_query_length=config["MAX_QUERY_LENGTH"],
        max_result_bytes=config["MAX_RESULT_BYTES"],
        service_allowlist=allowlist(config["SERVICE_ALLOWLIST"]),
        max_result_rows=int(config["MAX_RESULT_ROWS"]),
        base_iri=base_url(request),
    )
    headers = {"Vary": "Accept", **result.headers}
    return Response(result.body, status=result.status, content_type=result.media_type, headers=headers)


def _generation_path() -> str:
    """The published generation's folder, followed by a stat of CURRENT (request_path.py)."""
    published = published_store()
    follower = current_app.extensions.get(GENERATION_KEY)
    if follower is None or follower.published is not published:
        follower = current_app.extensions[GENERATION_KEY] = FollowedGeneration(published)
    return str(follower.path())


def _query_string() -> dict[str, list[str]]:
    raw = request.query_string.decode("latin-1")
    try:
        return parse_qs(raw, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise BadRequest("the query string is not valid UTF-8") from None


def _post_params(args: dict[str, list[str]]) -> dict[str, list[str]]:
    content_type = (request.mimetype or "").lower()
    body = request.get_data(cache=False)
    if content_type == FORM:
        try:
            form = parse_qs(body.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict")
        except UnicodeDecodeError:
            raise BadRequest("the form body is not valid UTF-8") from None
        if "query" in args:
            raise BadRequest("the query is given both in the URL and in the body")
        return {**args, **form}
    if content_type == DIRECT:
        if "query" in args:
            raise BadRequest("the query is given both in the URL and in the body")
        charset = (request.mimetype_params.get("charset") or "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise UnsupportedMediaType(f"charset {charset} is not supported; send UTF-8")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise BadRequest("the query body is not valid UTF-8") from None
        return {**args, "query": [text]}
    raise UnsupportedMediaType(f"POST a query as {FORM} or {DIRECT}, not {content_type or 'an untyped body'}")
