"""Reading RDF from outside (uploads, imports) without letting it reach out or blow up.

RDF/XML may carry a DTD whose entities expand exponentially ("billion laughs") or name
external files; JSON-LD may nest without end or name remote contexts; Turtle may hold one
enormous literal. Everything is parsed into memory first, so a failure stores nothing.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from jtkg.graph.formats import RDF_FORMATS, TRIPLES, Format, for_media_type, for_suffix
from jtkg.loaders.errors import BadInput

#: Deepest JSON-LD nesting accepted (objects and arrays).
MAX_JSONLD_DEPTH = 100
#: Longest literal accepted, in characters.
MAX_LITERAL_CHARS = 1_000_000


#: A syntax is a format of graph/formats.py's table that carries triples.
RdfSyntax = Format
SYNTAXES = RDF_FORMATS
#: The file endings an import reads, each naming its syntax (graph/formats.py).
ENDINGS = tuple(ext for f in SYNTAXES for ext in f.extensions)


class RdfInputError(BadInput, ValueError):
    """RDF that is refused: the message is one line saying why."""


def syntax_for_media_type(media_type: str) -> RdfSyntax | None:
    return for_media_type(media_type, TRIPLES)


def syntax_for_suffix(name: str) -> RdfSyntax | None:
    return for_suffix(name, TRIPLES)


def parse_rdf(
    data: bytes, syntax: RdfSyntax, base_iri: str | None = None, triples_only: bool = False
) -> list[ox.Quad]:
    """All quads of ``data``, or RdfInputError. Blank nodes are renamed so they never
    collide with stored ones; with ``triples_only``, named graphs are refused."""
    if syntax.rdf == ox.RdfFormat.RDF_XML:
        _refuse_dtd(data)
    if syntax.rdf == ox.RdfFormat.JSON_LD:
        _refuse_deep_json(data)
    if syntax.rdf == ox.RdfFormat.N3:
        _refuse_formulas(data)
    try:
        quads = list(
            ox.parse(
                data,
                format=syntax.rdf,
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


def _refuse_formulas(data: bytes) -> None:
    """N3 formulas ({ ... }, rules) are not RDF: Oxigraph would make each a blank-named graph."""
    try:
        list(ox.parse(data, format=ox.RdfFormat.N3, without_named_graphs=True))
    except SyntaxError as exc:
        if "Named graphs are not allowed" in str(exc):
            raise RdfInputError("N3 formulas ({ ... }) and rules are refused: send N3's RDF subset") from None


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
