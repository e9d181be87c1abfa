"""What every write shares (SPARQL Update and the Graph Store Protocol): the bearer token and
the SHACL gate. A write is applied to a copy of the published generation, validated whole,
and published only if the data still conforms; otherwise nothing changes."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable

import pyoxigraph as ox
from flask import current_app, g, request
from rdflib import Graph

from jtkg.graph.store import to_rdflib
from jtkg.graph.validate import validate
from jtkg.server.app import published_store
from jtkg.server.errors import Forbidden, Unauthorized, UnprocessableEntity

log = logging.getLogger("jtkg.writes")


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


def publish_change(change: Callable[[ox.Store], None], what: str) -> str:
    """Applies ``change`` to a copy of the published data and publishes it if the whole
    dataset still conforms to the shapes (422 otherwise, nothing published). Returns the new
    generation's name."""
    location = published_store().location
    with location.next_generation(recount=True) as generation:
        change(generation.store)
        data = Graph()
        for quad in generation.store:
            data.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        report = validate(data)
        if not report.conforms:
            first = report.violations[0].line()
            raise UnprocessableEntity(f"the {what} would make the data invalid "
                                      f"({len(report.violations)} violation(s)); first: {first}")
        name = generation.name
    log.info("%s published %s [%s]", what, name, g.get("request_id"))
    return name
