"""A processed document's triples as N-Quads bytes: what a worker sends the main process.

Pickling the rdflib graphs and sets cost the worker ~0.03 CPU s a document and the main
process far more: unpickling rebuilt every term (``Literal.__new__`` re-validates each), and
publishing converted them term by term into pyoxigraph (0.3 CPU s a document, a third of a
100-document build). N-Quads bytes cost the main process nothing until Oxigraph's bulk
loader parses them, in Rust, straight into the store (graph/bulk_writer.py).

The text is written here for the terms the extractor makes (IRIs, plain, tagged and typed
literals); a term it cannot write safely (a blank node, an IRI with a character N-Quads
would have to escape) sends the document through pyoxigraph's own serializer instead,
which is exactly what publishing did before. The English labels of the fact layer are sent
apart, as terms: the main process decides which stays rdfs:label (ingest.DocumentWriter's
rule, one label each) before they are written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import RDFS, Graph, Literal, URIRef
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

from jtkg.graph.terms import to_ox, to_rdflib
from jtkg.ontology import INFERRED_GRAPH

Triple = tuple[Node, Node, Node]
NQUADS = ox.RdfFormat.N_QUADS
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
#: What an IRIREF may not hold unescaped (N-Quads grammar): such an IRI is left to pyoxigraph.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_INFERRED = f"<{INFERRED_GRAPH}>"


class _Unwritable(Exception):
    """A term this module does not write itself."""


@dataclass
class Packed:
    """One document's layers as N-Quads (each line ending in its graph), and what the main
    process needs beside them."""

    #: The fact layer without its English rdfs:label triples, in the document's graph.
    facts: bytes
    #: The evidence layer, in the document's graph.
    evidence: bytes
    #: The document's own entailments, in the inferred graph.
    inferred: bytes
    #: (subject, label) of each English rdfs:label of the fact layer, in graph order.
    labels: list[tuple[Node, Literal]] = field(default_factory=list)
    #: The inferred triples as the inferred index keys them (``Node.n3()``), in line order.
    inferred_keys: list[tuple[str, str, str]] = field(default_factory=list)
    #: Lines in facts, evidence and inferred, and labels.
    quads: int = 0


def _term(term: Node, cache: dict[Node, str]) -> str:
    text = cache.get(term)
    if text is not None:
        return text
    # Each distinct IRI and language tag is checked here, once, as pyoxigraph's terms check
    # them (ValueError: the document fails as it did when publishing built those terms), so
    # the main process may load the lines without checking them again (``lenient``).
    if isinstance(term, URIRef):
        if _NOT_IN_IRI.search(term):
            raise _Unwritable
        ox.NamedNode(term)
        text = f"<{term}>"
    elif isinstance(term, Literal):
        body = str(term).translate(_ESCAPES)
        if term.language:
            ox.Literal("", language=term.language)
            text = f'"{body}"@{term.language}'
        elif term.datatype is not None:
            if _NOT_IN_IRI.search(term.datatype):
                raise _Unwritable
            ox.NamedNode(term.datatype)
            text = f'"{body}"^^<{term.datatype}>'
        else:
            text = f'"{body}"'
    else:
        raise _Unwritable
    cache[term] = text
    return text


def nquads(triples: Iterable[Triple], graph: str, cache: dict[Node, str] | None = None) -> bytes:
    """``triples`` in ``graph`` as N-Quads, as pyoxigraph would load them from rdflib terms
    (graph/terms.py ``to_ox``)."""
    cache = {} if cache is None else cache
    end = f" <{graph}> .\n"
    try:
        term = _term
        return "".join(
            f"{term(s, cache)} {term(p, cache)} {term(o, cache)}{end}" for s, p, o in triples
        ).encode()
    except (_Unwritable, UnicodeEncodeError):
        name = ox.NamedNode(graph)
        quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), name) for s, p, o in triples]
        return ox.serialize(quads, format=NQUADS) or b""


def pack(graph_iri: URIRef, facts: Graph, evidence: Graph, inferred: Iterable[Triple]) -> Packed:
    graph = str(graph_iri)
    cache: dict[Node, str] = {}
    labels: list[tuple[Node, Literal]] = []
    rest: list[Triple] = []
    for triple in facts:
        label = triple[2]
        if triple[1] == RDFS.label and isinstance(label, Literal) and label.language == "en":
            labels.append((triple[0], label))
        else:
            rest.append(triple)
    inferred = list(inferred)
    layers = (
        nquads(rest, graph, cache),
        nquads(evidence, graph, cache),
        nquads(inferred, str(INFERRED_GRAPH), cache),
    )
    return Packed(
        *layers,
        labels,
        [(s.n3(), p.n3(), o.n3()) for s, p, o in inferred],
        sum(layer.count(b"\n") for layer in layers) + len(labels),  # len(Graph) walks it all
    )


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """As the extractor made it: a simple literal without a datatype (pyoxigraph reads it
    as xsd:string)."""
    if isinstance(term, ox.Literal) and not term.language and term.datatype.value == _XSD_STRING:
        return Literal(term.value)
    return to_rdflib(term)


def _triples(data: bytes) -> Iterable[Triple]:
    for q in ox.parse(data, format=NQUADS):
        yield _rdflib(q.subject), _rdflib(q.predicate), _rdflib(q.object)  # type: ignore[arg-type]


def _graph(data: bytes, extra: Iterable[Triple] = ()) -> Graph:
    graph = Graph(store=SimpleMemory())
    add = graph.store.add
    for triple in _triples(data):
        add(triple, graph)
    for triple in extra:
        add(triple, graph)
    return graph


def unpack(packed: Packed) -> tuple[Graph, Graph, set[Triple]]:
    """The rdflib graphs and set again, for a caller that reads a shipped result's layers."""
    facts = _graph(packed.facts, ((s, RDFS.label, label) for s, label in packed.labels))
    return facts, _graph(packed.evidence), inferred_triples(packed)


def inferred_triples(packed: Packed) -> set[Triple]:
    return set(_triples(packed.inferred))


def label_line(subject: Node, label: Literal, graph: str, cache: dict[Node, str]) -> str:
    return f"{_term(subject, cache)} <{RDFS.label}> {_term(label, cache)} <{graph}> .\n"
