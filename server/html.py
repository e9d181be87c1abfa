"""Helpers the HTML templates share: short names for IRIs and links to local pages."""

from __future__ import annotations

from flask import Flask
from markupsafe import Markup, escape

from jtkg.ontology import PREFIXES

#: IRIs under this base are served by this server at the same path.
PUBLIC_BASE = "https://w3id.org/jtkg/"
_EXTRA_PREFIXES = {"sh": "http://www.w3.org/ns/shacl#", "jts": "https://w3id.org/jtkg/shapes#",
                   "id": PUBLIC_BASE + "id/"}


def curie(iri: str) -> str:
    """``jt:Person`` for ``https://w3id.org/jtkg/ontology#Person``; other IRIs unchanged."""
    best = ""
    for prefix, namespace in {**PREFIXES, **_EXTRA_PREFIXES}.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            rest = iri[len(namespace):]
            if rest and all(c.isalnum() or c in "-_./" for c in rest):
                best = prefix
    if not best:
        return iri
    namespace = {**PREFIXES, **_EXTRA_PREFIXES}[best]
    return f"{best}:{iri[len(namespace):]}"


def local_path(iri: str) -> str:
    """Where this server shows an IRI: its own pages for jtkg IRIs, the IRI itself otherwise."""
    if iri.startswith(PUBLIC_BASE):
        return "/" + iri[len(PUBLIC_BASE):]
    return iri


def link(text: str, iri: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(local_path(iri), text)


def snippet(text: str) -> Markup:
    """A search snippet with its matches (between [ and ]) marked."""
    escaped = str(escape(text))
    return Markup(escaped.replace("[", "<mark>").replace("]", "</mark>"))


def install(app: Flask) -> None:
    app.jinja_env.filters["snippet"] = snippet
    app.jinja_env.filters["curie"] = curie
    app.jinja_env.filters["local"] = local_path
    app.jinja_env.filters["link"] = link
    app.jinja_env.globals["escape"] = escape
