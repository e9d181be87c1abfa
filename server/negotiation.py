"""Content negotiation: Accept headers with q-values and wildcards, and a `format` override.

The formats themselves (names, media types, what each carries) are graph/formats.py's one
table; this module only picks one of them for a request.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence

from jtkg.graph.formats import (
    DATASET_FORMATS,
    GRAPH_DOCUMENT_FORMATS,
    RDF_FORMATS,
    Format,
    lookup,
    refusal,
)
from jtkg.graph.formats import RESULT_FORMATS as RESULT_FORMATS
from jtkg.server.errors import NotAcceptable

#: What a CONSTRUCT, DESCRIBE, entity description or service description can be written as.
GRAPH_FORMATS = RDF_FORMATS
#: One graph of the Graph Store, the ontology, the shapes: graph syntaxes only.
TRIPLE_FORMATS = GRAPH_DOCUMENT_FORMATS
#: Entity descriptions and dumps, whose graph names are kept by these.
QUAD_FORMATS = DATASET_FORMATS
#: Pages for people (not in the table of data formats).
HTML = Format("html", "HTML page", ("text/html", "application/xhtml+xml"), (".html",), frozenset())

__all__ = ["GRAPH_FORMATS", "HTML", "QUAD_FORMATS", "RESULT_FORMATS", "TRIPLE_FORMATS", "choose"]


def add_alternates(headers: MutableMapping[str, str], base_url: str, formats: Sequence[Format]) -> None:
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


def choose(accept: str | None, formats: Sequence[Format], format_param: str | None = None) -> Format:
    """The format a `format` parameter names (a name, alias or media type of the table), or
    the best one for the Accept header.

    A named format that cannot carry this answer (``csv`` for a CONSTRUCT) gives way to a
    type the Accept header names explicitly (SPARQLWrapper sends ``format=xml`` with
    ``Accept: application/rdf+xml`` for a CONSTRUCT); failing that, 406 with the line
    saying which formats can.
    """
    if format_param and format_param.strip():
        wanted = format_param.strip().lower()
        named = lookup(wanted)
        for fmt in formats:
            if fmt is named or fmt.name == wanted or wanted in fmt.media_types:
                return fmt
        explicit = _best(accept, formats, wildcards=False)
        if explicit is not None:
            return explicit
        raise NotAcceptable(refusal(format_param, formats))
    best = _best(accept, formats, wildcards=True)
    if best is None:
        raise NotAcceptable(
            "no acceptable media type; this resource is available as "
            + ", ".join(f.media_type for f in formats)
        )
    return best


def _best(accept: str | None, formats: Sequence[Format], wildcards: bool) -> Format | None:
    if not wildcards and not accept:
        return None
    ranges = parse_accept(accept)
    refused = {media for media, q in ranges if q == 0}
    for media, q in ranges:
        if q == 0 or (not wildcards and media.endswith("*")):
            continue
        for fmt in formats:
            if fmt.media_type in refused:
                continue
            if (
                media == "*/*"
                or media in fmt.media_types
                or (media.endswith("/*") and fmt.media_type.startswith(media[:-1]))
            ):
                return fmt
    return None
