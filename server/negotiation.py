"""Content negotiation: Accept headers with q-values and wildcards, and a `format` override."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass

import pyoxigraph as ox

from jtkg.server.errors import NotAcceptable


@dataclass(frozen=True)
class MediaFormat:
    name: str
    media_type: str
    aliases: tuple[str, ...]
    results: ox.QueryResultsFormat | None = None
    rdf: ox.RdfFormat | None = None


RESULT_FORMATS = (
    MediaFormat(
        "json", "application/sparql-results+json", ("application/json",), results=ox.QueryResultsFormat.JSON
    ),
    MediaFormat(
        "xml",
        "application/sparql-results+xml",
        ("application/xml", "text/xml"),
        results=ox.QueryResultsFormat.XML,
    ),
    MediaFormat("csv", "text/csv", (), results=ox.QueryResultsFormat.CSV),
    MediaFormat("tsv", "text/tab-separated-values", (), results=ox.QueryResultsFormat.TSV),
)

GRAPH_FORMATS = (
    MediaFormat("turtle", "text/turtle", ("application/x-turtle",), rdf=ox.RdfFormat.TURTLE),
    MediaFormat("ntriples", "application/n-triples", ("text/plain",), rdf=ox.RdfFormat.N_TRIPLES),
    MediaFormat("jsonld", "application/ld+json", ("application/json",), rdf=ox.RdfFormat.JSON_LD),
    MediaFormat("rdfxml", "application/rdf+xml", ("application/xml", "text/xml"), rdf=ox.RdfFormat.RDF_XML),
    MediaFormat("trig", "application/trig", (), rdf=ox.RdfFormat.TRIG),
    MediaFormat("nquads", "application/n-quads", (), rdf=ox.RdfFormat.N_QUADS),
)

#: One graph's serializations: the quad syntaxes make no sense for a single graph.
TRIPLE_FORMATS = tuple(f for f in GRAPH_FORMATS if f.name not in ("trig", "nquads"))
#: Pages for people.
HTML = MediaFormat("html", "text/html", ("application/xhtml+xml",))

#: Short names accepted by the `format` parameter, for links from a browser.
FORMAT_ALIASES = {
    "xml": ("xml", "rdfxml"),
    "json": ("json", "jsonld"),
    "ttl": ("turtle",),
    "nt": ("ntriples",),
    "json-ld": ("jsonld",),
    "rdf": ("rdfxml",),
    "n-triples": ("ntriples",),
    "n-quads": ("nquads",),
    "rdf+xml": ("rdfxml",),
}


def add_alternates(
    headers: MutableMapping[str, str], base_url: str, formats: tuple[MediaFormat, ...]
) -> None:
    """``Vary: Accept`` and a ``Link`` to each alternate serialization of a negotiated page."""
    headers["Vary"] = "Accept"
    headers["Link"] = ", ".join(
        f'<{base_url}?format={f.name}>; rel="alternate"; type="{f.media_type}"' for f in formats
    )


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges with their q-values, best first (more specific first on ties)."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges: list[tuple[str, float, int, int]] = []
    for position, item in enumerate(header.split(",")):
        parts = [p.strip() for p in item.split(";")]
        media = parts[0].lower()
        if not media or "/" not in media:
            continue
        q = 1.0
        for param in parts[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        ranges.append((media, q, specificity, position))
    ranges.sort(key=lambda r: (-r[1], -r[2], r[3]))
    return [(media, q) for media, q, _, _ in ranges]


def choose(
    accept: str | None, formats: tuple[MediaFormat, ...], format_param: str | None = None
) -> MediaFormat:
    """The best format for an Accept header, or the one a `format` parameter names."""
    if format_param:
        wanted = format_param.strip().lower()
        names = FORMAT_ALIASES.get(wanted, (wanted,))
        for fmt in formats:
            if fmt.name in names or fmt.media_type == wanted or wanted in fmt.aliases:
                return fmt
        raise NotAcceptable(
            f"unknown format {format_param!r}; use one of {', '.join(f.name for f in formats)}"
        )
    ranges = parse_accept(accept)
    refused = {media for media, q in ranges if q == 0}
    for media, q in ranges:
        if q == 0:
            continue
        for fmt in formats:
            names = (fmt.media_type, *fmt.aliases)
            if fmt.media_type in refused:
                continue
            if (
                media == "*/*"
                or media in names
                or (media.endswith("/*") and fmt.media_type.startswith(media[:-1]))
            ):
                return fmt
    raise NotAcceptable(
        "no acceptable media type; this resource is available as " + ", ".join(f.media_type for f in formats)
    )
