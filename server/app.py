"""The Flask application factory. No module-level app or store: each app gets its own.

The blueprints import what they share from resources.py, never from here, so this
module can import them at its top: no import circle.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from jtkg.graph.remote import open_location, published
from jtkg.graph.store import StoreFull, is_storage_failure
from jtkg.loaders.errors import JtkgError, StoreUnusable
from jtkg.server import cors, html, settings
from jtkg.server.browser import error_page
from jtkg.server.endpoint import bp as endpoint_bp
from jtkg.server.errors import HTTPProblem
from jtkg.server.graph_store import bp as graph_store_bp
from jtkg.server.pages import bp as pages_bp
from jtkg.server.publish import bp as publish_bp
from jtkg.server.resources import QUERIES_KEY, STORE_KEY
from jtkg.server.ui import bp as ui_bp
from jtkg.server.update import bp as update_bp
from jtkg.server.workers import QueryPool

log = logging.getLogger("jtkg.server")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(settings.resolve(config))
    app.config.update({k: v for k, v in (config or {}).items() if k not in app.config})
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_BODY_BYTES"]
    app.extensions[STORE_KEY] = published(open_location(app.config["STORE"]))
    if app.config.get("KEEP_GENERATIONS") is not None:  # every publish of this server keeps them
        app.extensions[STORE_KEY].location.keep_generations = int(app.config["KEEP_GENERATIONS"])
    app.extensions[QUERIES_KEY] = QueryPool.from_config(app.config)

    app.register_blueprint(endpoint_bp)
    app.register_blueprint(pages_bp)
    app.register_blueprint(update_bp)
    app.register_blueprint(graph_store_bp)
    app.register_blueprint(publish_bp)
    app.register_blueprint(ui_bp)
    html.install(app)
    cors.install(app)  # reads open to other origins, writes not (server/cors.py)
    _install_error_handling(app)
    return app


def _install_error_handling(app: Flask) -> None:
    @app.before_request
    def _request_id() -> None:
        g.request_id = request.headers.get("X-Request-Id", "")[:64] or uuid.uuid4().hex[:16]

    @app.after_request
    def _tag(response: Response) -> Response:
        response.headers["X-Request-Id"] = g.get("request_id", "")
        return response

    @app.errorhandler(JtkgError)
    def _error(exc: JtkgError) -> Response:
        """Every error of the hierarchy (loaders/errors.py): its status, its one line."""
        if isinstance(exc, StoreFull):  # nothing was published; the old data is still served
            log.error("write failed [%s]: %s", g.get("request_id"), exc)
            return _plain(
                exc.http_status,
                "no space left on device: the write was not published, the store is unchanged",
            )
        if isinstance(exc, StoreUnusable) and not isinstance(exc, HTTPProblem):
            # Its line names the store's files (or an external store's address): the log gets
            # it, the client only the status's line.
            log.error("store unavailable [%s]: %s", g.get("request_id"), exc.line())
            failed = (
                "the external store failed" if exc.http_status == 502 else "the graph store is not available"
            )
            return _plain(exc.http_status, failed)
        response = _plain(exc.http_status, exc.reason if isinstance(exc, HTTPProblem) else exc.line())
        if exc.http_status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="jtkg"'
        return response

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(exc: RequestEntityTooLarge) -> Response:
        return _plain(413, f"the request body is over the {app.config['MAX_BODY_BYTES']}-byte limit")

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        return _plain(exc.code or 500, exc.description or exc.name)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        if is_storage_failure(exc):  # a damaged database file, read while answering
            log.error("store unavailable [%s]: %s", g.get("request_id"), exc)
            return _plain(503, "the graph store is not available")
        # The trace goes to the log with the request id; the client gets the id only.
        log.exception("unexpected error [%s]", g.get("request_id"))
        return _plain(500, f"internal error (request id {g.get('request_id', '')})")


def _plain(status: int, reason: str) -> Response:
    reason = " ".join(str(reason).split())
    page = error_page(status, reason)  # a browser gets the site's layout (server/browser.py)
    if page is not None:
        return page
    return Response(reason + "\n", status=status, mimetype="text/plain")
