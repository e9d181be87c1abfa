"""Helpers the HTML templates share: short names for IRIs, safe links to local pages, and the
security headers every response carries."""

from __future__ import annotations

from flask import Flask, Response
from markupsafe import Markup, escape

from jtkg.ontology import PREFIXES

#: IRIs under this base are served by this server at the same path.
PUBLIC_BASE = "https://w3id.org/jtkg/"
_EXTRA_PREFIXES = {
    "sh": "http://www.w3.org/ns/shacl#",
    "jts": "https://w3id.org/jtkg/shapes#",
    "id": PUBLIC_BASE + "id/",
}
#: Scripts, styles and images come from this server only; no inline script or style, no
#: plugins, no framing, forms post back here only. JSON data blocks are not executed.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


def curie(iri: str) -> str:
    """``jt:Person`` for ``https://w3id.org/jtkg/ontology#Person``; other IRIs unchanged."""
    best = ""
    for prefix, namespace in {**PREFIXES, **_EXTRA_PREFIXES}.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            rest = iri[len(namespace) :]
            if rest and all(c.isalnum() or c in "-_./" for c in rest):
                best = prefix
    if not best:
        return iri
    namespace = {**PREFIXES, **_EXTRA_PREFIXES}[best]
    return f"{best}:{iri[len(namespace) :]}"


def linkable(iri: str) -> bool:
    """Only http(s) IRIs become links: ``javascript:``, ``data:`` and the rest stay text."""
    scheme, colon, rest = iri.partition(":")
    return bool(colon) and scheme.lower() in ("http", "https") and rest.startswith("//")


def local_path(iri: str) -> str | None:
    """Where a link to an IRI goes: this server's own page for jtkg IRIs, the IRI itself for
    other http(s) IRIs, and nowhere (None) for any other scheme."""
    rest = iri[len(PUBLIC_BASE) :] if iri.startswith(PUBLIC_BASE) else None
    if rest is not None and not rest.startswith(("/", "\\")):  # "//host" would leave the site
        return "/" + rest
    return iri if linkable(iri) else None


def link(text: str, iri: str, suffix: str = "", css: str = "") -> Markup:
    """``<a>`` to the IRI's page (``suffix``: a query or fragment to add), or, for an IRI that
    must not become a link, the text alone with the IRI as its tooltip."""
    classes = Markup(' class="{}"').format(css) if css else ""
    href = local_path(iri)
    if href is None:
        return Markup('<span class="iri-text" title="{}">{}</span>').format(iri, text)
    return Markup('<a href="{}{}"{}>{}</a>').format(href, suffix, classes, text)


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def install(app: Flask) -> None:
    app.jinja_env.filters["curie"] = curie
    app.jinja_env.filters["link"] = link
    app.jinja_env.globals["escape"] = escape
    app.after_request(_security_headers)
