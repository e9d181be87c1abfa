"""SELECT results written row by row, so the row limit can stop a result as it grows.

Oxigraph serializes a whole result at once with no hook per row; these writers produce the
same four formats (SPARQL 1.1 Query Results JSON, XML, CSV and TSV) one solution at a time.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class TooManyRows(Exception):
    pass


def write_solutions(
    solutions: ox.QuerySolutions, fmt: str, write: Callable[[bytes], Any], max_rows: int
) -> None:
    """Writes ``solutions`` in ``fmt`` (json, xml, csv, tsv); TooManyRows past ``max_rows``."""
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
