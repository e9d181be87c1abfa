"""OWL 2 RL reasoning: owlrl closes the ontology; its entailments drive the instance rules.

owlrl materializes the schema (class and property hierarchies, domains and ranges carried
up the hierarchies, inverses, property chains, unions). Applying those schema facts to the
instance data is then a handful of rules (cax-sco, prp-dom, prp-rng, prp-spo1, prp-inv,
prp-spo2, prp-symp, prp-trp, eq-*) run to a fixpoint over plain sets, which is hundreds of
times faster than owlrl's generic forward chaining over the whole graph and gives the same
triples (a test checks it against owlrl on the bundled corpus). An ontology that uses a
construct outside that set (restrictions, keys, ...) is reasoned by owlrl itself.

Only the fact layer is reasoned over; the evidence layer entails nothing of interest.
Trivial entailments (owl:Thing typing, reflexive sameAs, axioms about the built-in
vocabularies) are dropped, so the inferred graph holds what users query.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import owlrl
import rdflib
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from jtkg.ontology import WD, load_ontology, ontology_path

Triple = tuple[Node, Node, Node]
#: Looked up once: a namespace attribute makes a new URIRef on every access (hot loops).
_TYPE, _SAME_AS, _WD = RDF.type, OWL.sameAs, str(WD)

_BUILTIN = (
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2001/XMLSchema#",
)
_TRIVIAL_TYPES = {
    OWL.Thing,
    RDFS.Resource,
    OWL.NamedIndividual,
    RDFS.Class,
    OWL.Class,
    RDF.Property,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    RDFS.Datatype,
    OWL.AnnotationProperty,
}
_SCHEMA_PREDICATES = {
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    OWL.equivalentClass,
    OWL.equivalentProperty,
    RDFS.domain,
    RDFS.range,
    OWL.inverseOf,
    OWL.disjointWith,
    OWL.propertyChainAxiom,
    OWL.unionOf,
    OWL.members,
}
#: Schema constructs the compiled rules cover; any other makes reasoning fall back to owlrl.
_UNSUPPORTED = {
    OWL.hasValue,
    OWL.someValuesFrom,
    OWL.allValuesFrom,
    OWL.hasKey,
    OWL.intersectionOf,
    OWL.maxCardinality,
    OWL.maxQualifiedCardinality,
    OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty,
    OWL.oneOf,
}


def owlrl_closure(triples: Iterable[Triple]) -> Graph:
    """The full OWL-RL closure by owlrl (the reference the compiled rules are checked on)."""
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(
        graph
    )
    return graph


@dataclass
class Schema:
    """What the ontology's owlrl closure says about classes and properties."""

    superclasses: dict[Node, set[Node]] = field(default_factory=dict)
    superproperties: dict[Node, set[Node]] = field(default_factory=dict)
    domains: dict[Node, set[Node]] = field(default_factory=dict)
    ranges: dict[Node, set[Node]] = field(default_factory=dict)
    inverses: dict[Node, set[Node]] = field(default_factory=dict)
    chains: list[tuple[Node, list[Node]]] = field(default_factory=list)
    symmetric: set[Node] = field(default_factory=set)
    transitive: set[Node] = field(default_factory=set)
    supported: bool = True

    @classmethod
    def from_ontology(cls, ontology: Graph) -> Schema:
        closed = owlrl_closure(ontology)
        schema = cls(
            supported=not any((None, p, None) in ontology for p in _UNSUPPORTED)
            and not any((None, RDF.type, c) in ontology for c in _UNSUPPORTED)
        )

        def collect(predicate: Node) -> dict[Node, set[Node]]:
            table: dict[Node, set[Node]] = defaultdict(set)
            for s, o in closed.subject_objects(predicate):
                if s != o:
                    table[s].add(o)
            return dict(table)

        schema.superclasses = collect(RDFS.subClassOf)
        schema.superproperties = collect(RDFS.subPropertyOf)
        schema.domains = collect(RDFS.domain)
        schema.ranges = collect(RDFS.range)
        inverses: dict[Node, set[Node]] = defaultdict(set)
        for p, q in closed.subject_objects(OWL.inverseOf):
            inverses[p].add(q)
            inverses[q].add(p)
        schema.inverses = dict(inverses)
        for prop, chain in closed.subject_objects(OWL.propertyChainAxiom):
            schema.chains.append((prop, list(Collection(closed, chain))))
        schema.symmetric = set(closed.subjects(RDF.type, OWL.SymmetricProperty))
        schema.transitive = set(closed.subjects(RDF.type, OWL.TransitiveProperty))
        return schema


@cache
def default_schema() -> Schema:
    """The default ontology's schema, kept on disk (``$XDG_CACHE_HOME/jtkg``) under the
    hash of the ontology file, this module and owlrl's and rdflib's versions: owlrl's
    closure of the ontology is half a CPU second of every process that reasons (a build,
    an ingest). It is kept as JSON of IRIs, never a pickle (a file put there must not run
    code), and only a schema of IRIs alone (another process's parse names blank nodes
    differently); a cache that cannot be found, read or written is ignored."""
    folder = _cache_dir()
    path = None if folder is None else folder / f"schema-{_schema_key()}.json"
    if path is not None:
        with contextlib.suppress(Exception):  # absent, or damaged: made again below
            return _schema_from_json(json.loads(path.read_text(encoding="utf-8")))
    schema = Schema.from_ontology(load_ontology())
    kept = _schema_to_json(schema)
    if path is not None and kept is not None:
        partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial.write_text(json.dumps(kept), encoding="utf-8")
            os.replace(partial, path)  # atomic: a reader sees the whole file or none
        except OSError:
            with contextlib.suppress(OSError):
                partial.unlink()
    return schema


_TABLES = ("superclasses", "superproperties", "domains", "ranges", "inverses")


def _schema_to_json(schema: Schema) -> dict[str, object] | None:
    """The schema as JSON of IRIs; None when it names anything but IRIs (not kept)."""
    nodes = [n for name in _TABLES for k, vs in getattr(schema, name).items() for n in (k, *vs)]
    nodes += [n for p, chain in schema.chains for n in (p, *chain)] + [*schema.symmetric, *schema.transitive]
    if not all(type(n) is URIRef for n in nodes):
        return None
    data: dict[str, object] = {
        name: {str(k): sorted(map(str, vs)) for k, vs in getattr(schema, name).items()} for name in _TABLES
    }
    data["chains"] = [[str(p), [str(n) for n in chain]] for p, chain in schema.chains]
    data["symmetric"], data["transitive"] = (
        sorted(map(str, schema.symmetric)),
        sorted(map(str, schema.transitive)),
    )
    data["supported"] = schema.supported
    return data


def _schema_from_json(data: dict[str, Any]) -> Schema:
    tables = {name: {URIRef(k): {URIRef(v) for v in vs} for k, vs in data[name].items()} for name in _TABLES}
    return Schema(
        **tables,
        chains=[(URIRef(p), [URIRef(n) for n in chain]) for p, chain in data["chains"]],
        symmetric={URIRef(n) for n in data["symmetric"]},
        transitive={URIRef(n) for n in data["transitive"]},
        supported=bool(data["supported"]),
    )


def _cache_dir() -> Path | None:
    """None when there is no place for it (no HOME and no passwd entry: a container user)."""
    try:
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "jtkg"
    except (RuntimeError, KeyError, OSError):
        return None


def _schema_key() -> str:
    digest = hashlib.sha256(ontology_path().read_bytes())
    digest.update(Path(__file__).read_bytes())
    digest.update(f"{owlrl.__version__} {rdflib.__version__} {sys.version_info[:2]}".encode())
    return digest.hexdigest()[:24]


def _is_external_identifier(triple: Triple) -> bool:
    # owl:sameAs to Wikidata is a link, not an identity to reason with: reasoning over it
    # would copy every fact onto the Wikidata IRI.
    _, p, o = triple
    return p == _SAME_AS and isinstance(o, URIRef) and str(o).startswith(_WD)


def materialize_increment(
    base: set[Triple], facts: Iterable[Triple], schema: Schema | None = None
) -> set[Triple]:
    """Entailments that ``facts`` add to an already closed ``base`` (base's own closure
    included in it), for reasoning one document at a time. ``base`` is indexed once and
    looked up, never copied: it is ~4,500 triples, a document's facts a few hundred."""
    schema = schema or default_schema()
    added = {t for t in facts if not _is_external_identifier(t) and t not in base}
    derived = _apply(added, schema, closed=base)
    return {t for t in derived if t not in added and _worth_keeping(t)}


def materialize(facts: Iterable[Triple], schema: Schema | None = None) -> Graph:
    """The OWL-RL entailments of ``facts`` that are not already in them (trivial ones left out).

    ``facts`` should include the ontology when it is not the default one, so that owlrl can
    be used when the compiled rules do not cover it.
    """
    source = {t for t in facts if not _is_external_identifier(t)}
    schema = schema or default_schema()
    derived = _apply(source, schema) if schema.supported else set(owlrl_closure(source)) - source
    inferred = Graph()
    for triple in derived:
        if triple not in source and _worth_keeping(triple):
            inferred.add(triple)
    return inferred


class _Layered:
    """Pairs by predicate of a closed base (indexed once) and of the triples added over it."""

    def __init__(self, base: _Pairs) -> None:
        self.base = base
        self.own: _Pairs = defaultdict(lambda: defaultdict(set))

    def get(self, p: Node, node: Node) -> Iterable[Node]:
        below, own = self.base.get(p), self.own.get(p)
        first = below.get(node, ()) if below else ()
        second = own.get(node, ()) if own else ()
        return (*first, *second) if first and second else (first or second)  # disjoint


@dataclass
class _BaseIndex:
    triples: set[Triple]
    size: int
    forward: _Pairs
    backward: _Pairs


#: The closed base last indexed (a process reasons over one base): kept with the very set
#: it indexes, so an index is never taken for another set's.
_INDEXED: list[_BaseIndex] = []


def _index(closed: set[Triple]) -> _BaseIndex:
    for index in _INDEXED:
        if index.triples is closed and index.size == len(closed):
            return index
    forward: _Pairs = defaultdict(lambda: defaultdict(set))
    backward: _Pairs = defaultdict(lambda: defaultdict(set))
    for s, p, o in closed:
        forward[p][s].add(o)
        backward[p][o].add(s)
    index = _BaseIndex(closed, len(closed), forward, backward)
    _INDEXED[:] = [index]
    return index


def _apply(source: set[Triple], schema: Schema, closed: set[Triple] | None = None) -> set[Triple]:
    """Instance rules to a fixpoint; returns the new triples. With ``closed``, the rules run
    over ``closed`` and ``source`` together, seeking only consequences of ``source`` (the
    rest is already closed; ``source`` holds nothing of it)."""
    below = _index(closed) if closed else None
    base: set[Triple] = closed if closed else set()
    known = set(source)
    # By predicate, both ways: a chain or transitive step looks its neighbours up instead of
    # scanning every pair of the predicate (which was quadratic in a large imported graph).
    forward = _Layered(below.forward if below else {})
    backward = _Layered(below.backward if below else {})
    for s, p, o in known:
        forward.own[p][s].add(o)
        backward.own[p][o].add(s)
    chain_heads = {chain[0] for _, chain in schema.chains if chain}
    chain_tails = {step for _, chain in schema.chains for step in chain[1:]}
    new: set[Triple] = set()
    pending = list(known)
    while pending:
        produced: list[Triple] = []
        for s, p, o in pending:
            produced.extend(_consequences(s, p, o, schema))
            if p in chain_heads or p in chain_tails:
                produced.extend(_chain_consequences(s, p, o, schema, forward, backward))
            if p in schema.transitive:
                produced += [(s, p, z) for z in forward.get(p, o)]
                produced += [(x, p, o) for x in backward.get(p, s)]
            if p == _SAME_AS and s != o:
                produced.extend(_same_as(s, o, base, known))
        pending = []
        for triple in produced:
            if triple not in known and triple not in base and not isinstance(triple[0], Literal):
                known.add(triple)
                new.add(triple)
                forward.own[triple[1]][triple[0]].add(triple[2])
                backward.own[triple[1]][triple[2]].add(triple[0])
                pending.append(triple)
    return new


#: predicate → node → the nodes it reaches by that predicate (forward: subject to objects).
_Pairs = dict[Node, dict[Node, set[Node]]]


def _consequences(s: Node, p: Node, o: Node, schema: Schema) -> list[Triple]:
    out: list[Triple] = []
    if p == _TYPE:
        out += [(s, _TYPE, c) for c in schema.superclasses.get(o, ())]
        return out
    out += [(s, _TYPE, c) for c in schema.domains.get(p, ())]
    if not isinstance(o, Literal):
        out += [(o, _TYPE, c) for c in schema.ranges.get(p, ())]
        out += [(o, q, s) for q in schema.inverses.get(p, ())]
        if p in schema.symmetric:
            out.append((o, p, s))
    out += [(s, q, o) for q in schema.superproperties.get(p, ())]
    return out


def _chain_consequences(
    s: Node, p: Node, o: Node, schema: Schema, forward: _Layered, backward: _Layered
) -> list[Triple]:
    out: list[Triple] = []
    for prop, chain in schema.chains:
        if p not in chain:
            continue
        # Walk every path through this triple: left from its position, then right.
        for i, step in enumerate(chain):
            if step != p:
                continue
            starts = [s]
            for left in reversed(chain[:i]):
                starts = [x for y in set(starts) for x in backward.get(left, y)]
            ends = [o]
            for right in chain[i + 1 :]:
                ends = [z for y in set(ends) for z in forward.get(right, y)]
            out += [(x, prop, z) for x in starts for z in ends]
    return out


def _same_as(a: Node, b: Node, base: set[Triple], known: set[Triple]) -> list[Triple]:
    out: list[Triple] = [(b, _SAME_AS, a)]
    for s, p, o in [*base, *known]:
        if s == a:
            out.append((b, p, o))
        if o == a and p != _SAME_AS:
            out.append((s, p, b))
    return out


def _worth_keeping(triple: Triple) -> bool:
    s, p, o = triple
    if isinstance(s, Literal) or (p == _SAME_AS and s == o):
        return False
    if p == _TYPE and o in _TRIVIAL_TYPES:
        return False
    if isinstance(s, URIRef) and str(s).startswith(_BUILTIN):
        return False
    # Schema-level closure of the vocabulary stays out: the ontology graph states the
    # vocabulary; the inferred graph describes data.
    return p not in _SCHEMA_PREDICATES
