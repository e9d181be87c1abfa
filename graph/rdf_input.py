"""Reading RDF from outside (uploads, imports) without letting it reach out or blow up.

RDF/XML may carry a DTD whose entities expand exponentially ("billion laughs") or name
external files; JSON-LD may nest without end or name remote contexts; Turtle may hold one
enormous literal. Everything is parsed into memory first, so a failure stores nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

#: Deepest JSON-LD nesting accepted (objects and arrays).
MAX_JSONLD_DEPTH = 100
#: Longest literal accepted, in characters.
MAX_LITERAL_CHARS = 1_000_000


@dataclass(frozen=True)
class RdfSyntax:
    name: str
    media_type: str
    format: ox.RdfFormat
    suffixes: tuple[str, ...]


SYNTAXES = (
    RdfSyntax("turtle", "text/turtle", ox.RdfFormat.TURTLE, (".ttl",)),
    RdfSyntax("ntriples", "application/n-triples", ox.RdfFormat.N_TRIPLES, (".nt",)),
    RdfSyntax("rdfxml", "application/rdf+xml", ox.RdfFormat.RDF_XML, (".rdf", ".owl", ".xml")),
    RdfSyntax("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD, (".jsonld", ".json")),
    RdfSyntax("trig", "application/trig", ox.RdfFormat.TRIG, (".trig",)),
    RdfSyntax("nquads", "application/n-quads", ox.RdfFormat.N_QUADS, (".nq",)),
)
_BY_MEDIA_TYPE = {s.media_type: s for s in SYNTAXES} | {
    "application/x-turtle": SYNTAXES[0],
    "text/plain": SYNTAXES[1],
    "application/xml": SYNTAXES[2],
    "text/xml": SYNTAXES[2],
    "application/json": SYNTAXES[3],
}


class RdfInputError(ValueError):
    """RDF that is refused: the message is one line saying why."""


def syntax_for_media_type(media_type: str) -> RdfSyntax | None:
    return _BY_MEDIA_TYPE.get(media_type.split(";")[0].strip().lower())


def syntax_for_suffix(name: str) -> RdfSyntax | None:
    lowered = name.lower()
    return next((s for s in SYNTAXES if lowered.endswith(s.suffixes)), None)


def parse_rdf(
    data: bytes, syntax: RdfSyntax, base_iri: str | None = None, triples_only: bool = False
) -> list[ox.Quad]:
    """All quads of ``data``, or RdfInputError. Blank nodes are renamed so they never
    collide with stored ones; with ``triples_only``, named graphs are refused."""
    if syntax.format == ox.RdfFormat.RDF_XML:
        _refuse_dtd(data)
    if syntax.format == ox.RdfFormat.JSON_LD:
        _refuse_deep_json(data)
    try:
        quads = list(
            ox.parse(
                data,
                format=syntax.format,
                base_iri=base_iri,
                without_named_graphs=triples_only,
                rename_blank_nodes=True,
            )
        )
    except SyntaxError as exc:
        if "LoadDocumentCallback" in str(exc):
            raise RdfInputError(
                "JSON-LD with a remote @context is refused: nothing is fetched "
                "from the network; inline the context"
            ) from None
        raise RdfInputError(f"not valid {syntax.name}: {_one_line(exc)}") from None
    except (OSError, ValueError) as exc:
        # Remote JSON-LD contexts end here: the parser is given no way to fetch them.
        raise RdfInputError(f"cannot read this {syntax.name}: {_one_line(exc)}") from None
    for quad in quads:
        term = quad.object
        if isinstance(term, ox.Literal) and len(term.value) > MAX_LITERAL_CHARS:
            raise RdfInputError(
                f"a literal of {len(term.value)} characters is over the {MAX_LITERAL_CHARS}-character limit"
            )
    return quads


_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _refuse_dtd(data: bytes) -> None:
    if _DTD.search(data) or _DTD.search(data.replace(b"\x00", b"")):
        raise RdfInputError(
            "RDF/XML with a DOCTYPE or ENTITY declaration is refused: entities "
            "can expand without bound or name outside resources"
        )


_JSON_STRUCTURE = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def _refuse_deep_json(data: bytes) -> None:
    depth = 0
    for match in _JSON_STRUCTURE.finditer(data):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > MAX_JSONLD_DEPTH:
                raise RdfInputError(f"JSON-LD nested deeper than {MAX_JSONLD_DEPTH} levels is refused")
        elif token in (b"]", b"}"):
            depth -= 1


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]
