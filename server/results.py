"""SELECT results: Oxigraph's own serializers where they write what the protocol asks, and
writers of our own, one row at a time, where they do not.

JSON, XML and TSV come from Oxigraph's serializer (Rust, 1-4 µs a row against the Python
writers' 10-26 µs). It has no hook per row, so the row limit is checked on what it wrote:
every row takes at least one byte, so a result of at most ``max_rows`` bytes cannot be over
it; a longer one is counted exactly by Oxigraph's own parser, which stops at ``max_rows + 1``.
CSV keeps the Python writer: Oxigraph's leaves an IRI holding a comma unquoted.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from typing import Any, Protocol
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

#: The formats Oxigraph writes for us (its CSV does not quote an IRI that holds a comma).
NATIVE = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "tsv": ox.QueryResultsFormat.TSV,
}


class TooManyRows(Exception):
    pass


class Output(Protocol):
    """Where a result is written: a bounded buffer (server/sparql.py) that raises
    OverflowError past its byte limit."""

    data: bytearray

    def write(self, chunk: bytes) -> int: ...


def write_solutions(solutions: ox.QuerySolutions, fmt: str, output: Output, max_rows: int) -> None:
    """Writes ``solutions`` in ``fmt`` (json, xml, csv, tsv); TooManyRows past ``max_rows``."""
    native = NATIVE.get(fmt)
    if native is None:
        _write_rows(solutions, fmt, output.write, max_rows)
        return
    start = len(output.data)
    solutions.serialize(output, format=native)
    if len(output.data) - start > max_rows and count_rows(output.data[start:], native, max_rows) > max_rows:
        raise TooManyRows(max_rows)


def count_rows(data: bytes | bytearray, native: ox.QueryResultsFormat, most: int) -> int:
    """The rows of a serialized result, counted up to ``most + 1`` (Oxigraph's parser)."""
    parsed = ox.parse_query_results(bytes(data), format=native)
    return sum(1 for _ in itertools.islice(parsed, most + 1))  # type: ignore[arg-type]


def _write_rows(solutions: ox.QuerySolutions, fmt: str, write: Callable[[bytes], Any], max_rows: int) -> None:
    names = [v.value for v in solutions.variables]
    head, row, tail = _WRITERS[fmt]
    write(head(names).encode())
    for count, solution in enumerate(solutions):
        if count >= max_rows:
            raise TooManyRows(max_rows)
        write(row(names, [solution[name] for name in names], count).encode())
    write(tail().encode())


def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def _json_row(names: list[str], terms: list[Any], count: int) -> str:
    binding = {n: _json_term(t) for n, t in zip(names, terms, strict=True) if t is not None}
    return ("," if count else "") + json.dumps(binding, ensure_ascii=False)


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>"
        f"{_xml_term(term.predicate)}</predicate><object>{_xml_term(term.object)}</object></triple>"
    )


def _xml_row(names: list[str], terms: list[Any], count: int) -> str:
    cells = "".join(
        f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
        for n, t in zip(names, terms, strict=True)
        if t is not None
    )
    return f"<result>{cells}</result>"


def _csv_cell(term: Any) -> str:
    if term is None:
        return ""
    text = f"_:{term.value}" if isinstance(term, ox.BlankNode) else getattr(term, "value", str(term))
    if any(c in text for c in ',"\r\n'):
        text = '"' + text.replace('"', '""') + '"'
    return text


def _tsv_cell(term: Any) -> str:
    return "" if term is None else str(term).replace("\t", "\\t")


_WRITERS: dict[str, tuple[Callable[..., str], Callable[..., str], Callable[[], str]]] = {
    "json": (
        lambda names: '{"head":{"vars":' + json.dumps(names) + '},"results":{"bindings":[',
        _json_row,
        lambda: "]}}",
    ),
    "xml": (
        lambda names: (
            '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            "<head>" + "".join(f"<variable name={quoteattr(n)}/>" for n in names) + "</head><results>"
        ),
        _xml_row,
        lambda: "</results></sparql>",
    ),
    "csv": (
        lambda names: ",".join(names) + "\r\n",
        lambda names, terms, count: ",".join(map(_csv_cell, terms)) + "\r\n",
        lambda: "",
    ),
    "tsv": (
        lambda names: "\t".join("?" + n for n in names) + "\n",
        lambda names, terms, count: "\t".join(map(_tsv_cell, terms)) + "\n",
        lambda: "",
    ),
}
