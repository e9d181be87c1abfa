"""The one table of formats: every name, media type and file extension jtkg reads or writes.

Content negotiation, `jtkg query/export/extract --format`, imports (file suffix -> syntax),
Graph Store uploads (media type -> syntax), the dumps and the service description all look
formats up here, so a name means one thing everywhere: ``xml`` is SPARQL results XML and
``rdfxml`` is RDF/XML, ``json`` is SPARQL results JSON and ``jsonld`` is JSON-LD.

A format carries query results (SELECT, ASK), RDF triples (CONSTRUCT, DESCRIBE, a graph),
or triples and quads (graph names kept). Asking a format for what it cannot carry is one
line naming the formats that can.
"""

from __future__ import annotations

import itertools
import json
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import IO, Any

import pyoxigraph as ox

from jtkg.loaders.errors import BadInput
from jtkg.ontology import PREFIXES, context_path

RESULTS = "results"
TRIPLES = "triples"
QUADS = "quads"
_WHAT = {RESULTS: "query results (SELECT, ASK)", TRIPLES: "RDF (CONSTRUCT, DESCRIBE, graphs)"}


@dataclass(frozen=True)
class Format:
    name: str
    title: str
    #: The first is the one a response is labelled with; the others are accepted.
    media_types: tuple[str, ...]
    #: File name endings, with the dot; the first is the one jtkg writes.
    extensions: tuple[str, ...]
    carries: frozenset[str]
    results: ox.QueryResultsFormat | None = None
    rdf: ox.RdfFormat | None = None
    #: Other names accepted for this format (a `format` parameter, `--format`).
    aliases: tuple[str, ...] = ()
    #: Its IRI under http://www.w3.org/ns/formats/ (the service description lists them).
    w3c: str = ""

    @property
    def media_type(self) -> str:
        return self.media_types[0]

    @property
    def keeps_graphs(self) -> bool:
        return QUADS in self.carries

    def content_type(self) -> str:
        """The Content-Type header: every format here is text in UTF-8."""
        return f"{self.media_type}; charset=utf-8"


_R, _T, _Q = frozenset({RESULTS}), frozenset({TRIPLES}), frozenset({TRIPLES, QUADS})
QRF, RF = ox.QueryResultsFormat, ox.RdfFormat

# fmt: off
FORMATS: tuple[Format, ...] = (
    Format("json", "SPARQL results JSON", ("application/sparql-results+json", "application/json"),
           (".srj",), _R, results=QRF.JSON, w3c="SPARQL_Results_JSON"),
    Format("xml", "SPARQL results XML", ("application/sparql-results+xml", "application/xml", "text/xml"),
           (".srx",), _R, results=QRF.XML, w3c="SPARQL_Results_XML"),
    Format("csv", "SPARQL results CSV", ("text/csv",), (".csv",), _R, results=QRF.CSV,
           w3c="SPARQL_Results_CSV"),
    Format("tsv", "SPARQL results TSV", ("text/tab-separated-values",), (".tsv",), _R, results=QRF.TSV,
           w3c="SPARQL_Results_TSV"),
    Format("turtle", "Turtle", ("text/turtle", "application/x-turtle", "application/turtle"), (".ttl",), _T,
           rdf=RF.TURTLE, aliases=("ttl",), w3c="Turtle"),
    Format("ntriples", "N-Triples", ("application/n-triples", "text/plain"), (".nt",), _T,
           rdf=RF.N_TRIPLES, aliases=("nt", "n-triples"), w3c="N-Triples"),
    Format("n3", "Notation3 (written as its Turtle subset)",
           ("text/n3", "text/rdf+n3", "application/n3"), (".n3",), _T, rdf=RF.N3, w3c="N3"),
    Format("rdfxml", "RDF/XML", ("application/rdf+xml", "application/xml", "text/xml"),
           (".rdf", ".owl", ".xml"), _T, rdf=RF.RDF_XML, aliases=("rdf", "rdf+xml"), w3c="RDF_XML"),
    Format("jsonld", "JSON-LD (compacted with /context.jsonld)",
           ("application/ld+json", "application/json", "application/x-json+ld"), (".jsonld", ".json"), _Q,
           rdf=RF.JSON_LD, aliases=("json-ld",), w3c="JSON-LD"),
    Format("trig", "TriG", ("application/trig", "application/x-trig"), (".trig",), _Q, rdf=RF.TRIG,
           w3c="TriG"),
    Format("nquads", "N-Quads", ("application/n-quads", "text/x-nquads"), (".nq",), _Q,
           rdf=RF.N_QUADS, aliases=("nq", "n-quads"), w3c="N-Quads"),
)
# fmt: on
BY_NAME = {f.name: f for f in FORMATS}


def carrying(what: str) -> tuple[Format, ...]:
    """The formats that can carry ``what`` (RESULTS, TRIPLES or QUADS), in table order."""
    return tuple(f for f in FORMATS if what in f.carries)


RESULT_FORMATS = carrying(RESULTS)
RDF_FORMATS = carrying(TRIPLES)
DATASET_FORMATS = carrying(QUADS)
#: One graph as a document (Graph Store Protocol, the ontology): TriG and N-Quads are
#: dataset syntaxes, so a graph is sent and served in the others.
GRAPH_DOCUMENT_FORMATS = tuple(f for f in RDF_FORMATS if f.rdf not in (RF.TRIG, RF.N_QUADS))
#: The dumps at /dumps/jtkg.EXT, by format.
DUMP_FORMATS = tuple(BY_NAME[n] for n in ("trig", "nquads", "turtle"))


class FormatError(BadInput, ValueError):
    """A format that is unknown or cannot carry what was asked: one line saying which can."""


def lookup(name: str) -> Format | None:
    """The format a name, an alias or a media type stands for (case-insensitive)."""
    wanted = name.strip().lower()
    return _by_any_name().get(wanted)


@cache
def _by_any_name() -> dict[str, Format]:
    table: dict[str, Format] = {}
    for fmt in FORMATS:
        for key in (fmt.name, *fmt.aliases):
            assert key not in table, f"the format name {key!r} is given twice"
            table[key] = fmt
    for fmt in FORMATS:
        table.setdefault(fmt.media_type, fmt)  # a canonical media type names its format
    return table


def find(name: str, what: str) -> Format:
    """The format ``name`` stands for, if it can carry ``what``; else FormatError."""
    fmt = lookup(name)
    if fmt is not None and what in fmt.carries:
        return fmt
    raise FormatError(refusal(name, carrying(what)))


def refusal(name: str, candidates: Iterable[Format]) -> str:
    """The one line for a name that is not among ``candidates``."""
    offered = tuple(candidates)
    choices = ", ".join(f.name for f in offered)
    fmt = lookup(name)
    if fmt is None:
        return f"unknown format {name!r}; use one of {choices}"
    label = fmt.name if fmt.name == name.strip().lower() else f"{name.strip()!r} ({fmt.name})"
    data = [f for f in offered if f.carries]
    needed = RESULTS if data and all(RESULTS in f.carries for f in data) else TRIPLES
    has = RESULTS if RESULTS in fmt.carries else TRIPLES
    if has == needed:
        return f"{label} is not offered here; use one of {choices}"
    return f"{label} carries only {_WHAT[has]}; this answer is {_WHAT[needed]}: use one of {choices}"


def for_media_type(media_type: str, what: str = TRIPLES) -> Format | None:
    """The format a Content-Type names (parameters ignored), among those carrying ``what``."""
    wanted = media_type.split(";")[0].strip().lower()
    return next((f for f in carrying(what) if wanted in f.media_types), None)


def for_suffix(file_name: str, what: str = TRIPLES) -> Format | None:
    """The format a file name's ending names, among those carrying ``what``."""
    lowered = file_name.lower()
    return next((f for f in carrying(what) if lowered.endswith(f.extensions)), None)


def serialize(
    items: Iterable[ox.Triple] | Iterable[ox.Quad],
    fmt: Format,
    output: IO[bytes] | None = None,
    *,
    ordered: bool | int = True,
    max_bytes: int | None = None,
) -> bytes | None:
    """Writes triples or quads in ``fmt`` to ``output`` (or returns the bytes).

    Turtle, TriG and N3 use the ontology's prefixes; ``ordered`` sorts by graph, subject,
    predicate, object, so the same data gives the same bytes and a subject's facts sit
    together (leave it off for a whole dataset, which comes in the store's stable order;
    a number sorts only a result of at most that many, so a huge one still streams).
    Formats that cannot name graphs get the distinct triples of all graphs; JSON-LD is
    compacted with the published context (/context.jsonld); it is built in memory, so
    ``max_bytes`` bounds the data read for it (OverflowError past it).
    """
    if fmt.rdf is None:
        raise FormatError(refusal(fmt.name, RDF_FORMATS))
    stream: Iterable[Any] = items if fmt.keeps_graphs else _distinct_triples(items)
    if ordered is True:
        stream = sorted(stream, key=_order)
    elif ordered:
        stream = _sorted_if_small(iter(stream), int(ordered))
    if fmt.rdf == ox.RdfFormat.JSON_LD:
        return _jsonld(stream, output, max_bytes)
    prefixes = PREFIXES if fmt.rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N3) else None
    return ox.serialize(stream, output, fmt.rdf, prefixes=prefixes)


def described(store: Any, triples: Iterable[ox.Triple], media_type: str, about: str | None = None) -> bytes:
    """A description (an entity's triples, from a CONSTRUCT) in the format of ``media_type``;
    formats that keep graphs get each triple in the named graphs that hold it. Sorted, with
    the triples about ``about`` first (in each graph)."""
    fmt = for_media_type(media_type) or BY_NAME["turtle"]
    items: list[Any] = list(triples) if fmt.keeps_graphs else list(_distinct_triples(triples))
    if fmt.keeps_graphs:
        items = with_graph_names(store, items)
    subject = f"<{about}>" if about else None
    items.sort(key=lambda item: (_order(item)[0], _order(item)[1] != subject, *_order(item)[1:]))
    return serialize(items, fmt, ordered=False) or b""


def with_graph_names(store: Any, triples: Iterable[ox.Triple]) -> list[ox.Quad]:
    """Each triple once per named graph of ``store`` that holds it; one found in none (a
    blank node of an external store, which a query cannot name) goes in the default graph."""
    triples = list(dict.fromkeys(triples))
    found: dict[ox.Triple, list[ox.Quad]] = {}
    if isinstance(store, ox.Store):
        for t in triples:
            found[t] = list(store.quads_for_pattern(t.subject, t.predicate, t.object, None))
    else:  # an external store: one query per 200 triples, not one per triple
        named = [t for t in triples if not any(isinstance(x, ox.BlankNode) for x in t)]
        for start in range(0, len(named), 200):
            rows = " ".join(f"({t.subject} {t.predicate} {t.object})" for t in named[start : start + 200])
            query = f"SELECT ?s ?p ?o ?g WHERE {{ VALUES (?s ?p ?o) {{ {rows} }} GRAPH ?g {{ ?s ?p ?o }} }}"
            for r in store.query(query):
                quad = ox.Quad(r["s"], r["p"], r["o"], r["g"])
                found.setdefault(quad.triple, []).append(quad)
    return [q for t in triples for q in (found.get(t) or [ox.Quad(*t, ox.DefaultGraph())])]


def _sorted_if_small(stream: Iterator[Any], limit: int) -> Iterator[Any]:
    head = list(itertools.islice(stream, limit + 1))
    if len(head) <= limit:
        return iter(sorted(head, key=_order))
    return itertools.chain(head, stream)  # over the limit: the evaluation's (stable) order


def _order(item: ox.Triple | ox.Quad) -> tuple[str, str, str, str]:
    graph = (
        ""
        if isinstance(item, ox.Triple) or isinstance(item.graph_name, ox.DefaultGraph)
        else str(item.graph_name)
    )
    return (graph, str(item.subject), str(item.predicate), str(item.object))


def _distinct_triples(items: Iterable[ox.Triple] | Iterable[ox.Quad]) -> Iterator[ox.Triple]:
    seen: set[ox.Triple] = set()
    for item in items:
        triple = item.triple if isinstance(item, ox.Quad) else item
        if triple not in seen:
            seen.add(triple)
            yield triple


@cache
def published_context() -> dict[str, Any]:
    """The JSON-LD context served at /context.jsonld (its "@context" member)."""
    return json.loads(context_path().read_text(encoding="utf-8"))["@context"]


def _jsonld(
    items: Iterable[ox.Triple] | Iterable[ox.Quad], output: IO[bytes] | None, max_bytes: int | None
) -> bytes | None:
    from rdflib import Dataset  # rdflib compacts JSON-LD; Oxigraph writes it expanded

    nquads = bytearray()
    for item in items:
        nquads += str(item).encode("utf-8") + b" .\n"
        if max_bytes is not None and len(nquads) > max_bytes:
            raise OverflowError("result too large")
    dataset = Dataset()
    dataset.parse(data=nquads.decode("utf-8"), format="nquads")
    with warnings.catch_warnings():  # rdflib's serializer calls its own deprecated names
        warnings.simplefilter("ignore", DeprecationWarning)
        text = dataset.serialize(format="json-ld", context=published_context(), auto_compact=True)
    data = json.dumps(_stable(json.loads(text)), indent=2, sort_keys=True, ensure_ascii=False).encode()
    if output is None:
        return data
    output.write(data)
    return None


def _stable(value: Any, ordered: bool = False) -> Any:
    """JSON-LD in one order whatever rdflib's hash order: arrays are sets in RDF (but for
    ``@list``), so they are sorted by their text."""
    if isinstance(value, dict):
        return {k: _stable(v, ordered=k == "@list") for k, v in value.items()}
    if isinstance(value, list):
        items = [_stable(v) for v in value]
        return items if ordered else sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return value


def markdown_table() -> str:
    """The table as Markdown, for the README (tests/test_formats.py checks they agree)."""
    lines = [
        "| name | format | media types (first is sent) | file endings | carries |",
        "|---|---|---|---|---|",
    ]
    for f in FORMATS:
        names = ", ".join(f"`{n}`" for n in (f.name, *f.aliases))
        carries = (
            "query results" if RESULTS in f.carries else "triples and quads" if f.keeps_graphs else "triples"
        )
        lines.append(
            f"| {names} | {f.title} | {', '.join(f'`{m}`' for m in f.media_types)} | "
            f"{' '.join(f'`{e}`' for e in f.extensions)} | {carries} |"
        )
    return "\n".join(lines) + "\n"
