"""What every write shares (SPARQL Update and the Graph Store Protocol): the bearer token and
the SHACL gate. A write is applied to a copy of the published generation, validated whole,
and published only if the data still conforms; otherwise nothing changes. The write runs in
a child process under the update time limit and memory cap (server/write_worker.py)."""

from __future__ import annotations

import hmac
import logging

from flask import current_app, g, request

from jtkg.graph.remote import RemoteLocation
from jtkg.server.errors import Forbidden, Unauthorized
from jtkg.server.resources import published_store
from jtkg.server.write_worker import UPDATE_MEMORY_MB, UPDATE_TIMEOUT, Change, run_write

log = logging.getLogger("jtkg.writes")


def require_token() -> None:
    """401 without the right bearer token; 403 when writes are off. The token is compared in
    constant time and never logged."""
    expected = current_app.config.get("UPDATE_TOKEN") or ""
    if not expected:
        raise Forbidden("writes are disabled on this server: no update token is configured")
    given = request.headers.get("Authorization", "")
    scheme, _, token = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected.encode()):
        log.info("refused write without a valid token [%s]", g.get("request_id"))
        raise Unauthorized("a valid 'Authorization: Bearer <token>' header is required to write")


def publish_change(change: Change, what: str) -> str:
    """Applies ``change`` to a copy of the published data and publishes it if the whole
    dataset still conforms to the shapes (422 otherwise, nothing published). Returns the new
    generation's name."""
    location = published_store().location
    timeout = float(current_app.config.get("UPDATE_TIMEOUT", UPDATE_TIMEOUT))
    memory_mb = int(current_app.config.get("UPDATE_MEMORY_MB", UPDATE_MEMORY_MB))
    if isinstance(location, RemoteLocation):
        name = _publish_remote(location, change, what, timeout, memory_mb)
    else:
        name = run_write(location, change, what, timeout, memory_mb)
    log.info("%s published %s [%s]", what, name, g.get("request_id"))
    return name


def _publish_remote(
    location: RemoteLocation, change: Change, what: str, timeout: float, memory_mb: int
) -> str:
    """An external store: the write runs in the mirror, in the child (which has no network);
    `RemoteLocation.writing` checks the store and pushes from here, around it."""
    with location.writing() as mirror:
        return run_write(mirror, change, what, timeout, memory_mb)
