"""One change pipeline: every write of a user graph goes through ``commit``.

SPARQL Update, Graph Store PUT/POST/DELETE, `jtkg import`, `jtkg import --remove` and
`jtkg link` all make a ``Change`` and commit it:

1. open the next generation (a cheap RocksDB checkpoint of the published one);
2. find the graphs the change touches (``touched``) and refuse, in one line, a change
   that would write a graph the build owns (graph/derive.py ``OWNED``);
3. apply it;
4. re-derive exactly the changed graphs' entailments, each graph a source reasoned alone
   over the closed base like a document, and record them in the inferred index, so that
   the inferred graph gains what is new and loses only what no other source supports;
5. validate the changed graphs with their entailments in their neighbourhood
   (graph/neighbourhood.py), reporting only violations on the nodes they name;
6. publish the generation atomically, or throw it away and raise ``DoesNotConform`` with
   the SHACL report, leaving everything as it was.

A write costs what it changes: the graphs it touches and their neighbourhood, never a copy
or a validation of the whole store. How the touched graphs of a SPARQL Update are found:
rdflib's update parser names the graph of every INSERT DATA / DELETE DATA / DELETE WHERE
quad and of every template (``WITH`` for templates outside ``GRAPH``, the default graph
without it), and the target of CLEAR / DROP / CREATE / ADD / COPY (MOVE: source and
target); ``NAMED`` and ``ALL`` mean every named graph there is. Where a template says
``GRAPH ?var`` (or rdflib cannot read what Oxigraph can), the new generation is compared
with the published one graph by graph: slower, never wrong.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import URIRef, Variable
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.term import Node

from jtkg.graph.base import Base
from jtkg.graph.derive import DEFAULT, owned, rederive, term, triples_of
from jtkg.graph.neighbourhood import check
from jtkg.graph.store import Generation, StoreLocation
from jtkg.graph.validate import Violation
from jtkg.loaders import errors
from jtkg.loaders.errors import BadInput, Refused

Triple = tuple[Node, Node, Node]
#: How pyoxigraph reports a socket() that the network filter refused (EPERM).
NETWORK_REFUSED = "Operation not permitted (os error 1)"
KINDS = ("update", "add", "replace", "drop")


class ChangeRefused(Refused):
    """A change that was not made: one line saying why; nothing changed."""


class MalformedChange(BadInput, ChangeRefused):
    """The update text does not parse."""


class OutboundRefused(BadInput, ChangeRefused):  # 400, as update.py's own LOAD/SERVICE check
    """A LOAD or SERVICE reached the store: this server makes no outbound requests."""


class OwnedGraph(ChangeRefused):
    """The change would write a graph the build writes."""


class DoesNotConform(errors.DoesNotConform, ChangeRefused):
    """The change would make the data violate the shapes; ``violations`` says how."""

    def __init__(self, message: str, violations: list[Violation]) -> None:
        super().__init__(message)
        self.violations = violations


@dataclass(frozen=True)
class Change:
    """A write, as data that crosses the process boundary (pyoxigraph terms pickle)."""

    #: "update" (SPARQL Update ``text``), "add" (``quads``), "replace" (clear ``graph``,
    #: then add ``quads``) or "drop" (``graph``).
    kind: str
    text: str = ""
    base_iri: str | None = None
    graph: ox.NamedNode | ox.DefaultGraph | None = None
    quads: list[ox.Quad] = field(default_factory=list)
    #: Other graphs cleared before ``quads`` are added, in the same change (an import that
    #: also rewrites the links graph: graph/relink.py).
    clear: tuple[ox.NamedNode, ...] = ()


def apply(store: ox.Store, change: Change) -> None:
    """Applies ``change`` to a writable store."""
    if change.kind not in KINDS:
        raise ValueError(f"unknown kind of change: {change.kind!r}")
    if change.kind == "update":
        try:
            store.update(change.text, base_iri=change.base_iri)
        except SyntaxError as exc:
            raise MalformedChange(f"malformed update: {exc}") from None
        except PermissionError as exc:
            if str(exc) != NETWORK_REFUSED:
                raise
            # The network filter refused a socket: a LOAD or SERVICE got past the guard.
            raise OutboundRefused(
                "LOAD and SERVICE are not allowed: this server makes no outbound requests"
            ) from None
    elif change.kind in ("replace", "drop"):
        if isinstance(change.graph, ox.DefaultGraph) or change.kind == "replace":
            store.clear_graph(change.graph)
        else:
            store.remove_graph(change.graph)
    for graph in change.clear:
        store.clear_graph(graph)
    if change.kind in ("add", "replace") or change.clear:
        store.extend(change.quads)


def _name(graph: object) -> str:
    if isinstance(graph, ox.NamedNode):
        return graph.value
    if graph is None or isinstance(graph, ox.DefaultGraph) or graph == "DEFAULT":
        return DEFAULT
    return str(graph)


def touched(change: Change, store: ox.Store) -> set[str] | None:
    """The graphs ``change`` may write (``DEFAULT``: the default graph), found without
    running it; None when only a comparison can tell (see the module's rule). (rdflib's
    CompValue.get returns the key itself for a missing part: hence ``in`` tests.)"""
    if change.kind != "update":
        return {_name(g) for g in (change.graph, *change.clear)} | {_name(q.graph_name) for q in change.quads}
    try:
        operations = translateUpdate(parseUpdate(change.text), base=change.base_iri).algebra
    except Exception:  # rdflib reads less than Oxigraph: compare instead
        return None
    found: set[str] = set()
    for op in operations:
        if op.name in ("InsertData", "DeleteData", "DeleteWhere"):
            clauses, default = [op], DEFAULT
        elif op.name == "Modify":
            clauses = [op[part] for part in ("delete", "insert") if part in op]
            default = _name(op["withClause"] if "withClause" in op else None)  # noqa: SIM401
        elif op.name in ("Clear", "Drop", "Create"):
            target = op.graphiri
            if target in ("NAMED", "ALL"):
                found |= {g.value for g in store.named_graphs()}
            if target in ("DEFAULT", "ALL"):
                found.add(DEFAULT)
            if isinstance(target, URIRef):
                found.add(str(target))
            continue
        elif op.name in ("Add", "Copy", "Move"):
            source, target = op.graph
            found |= {_name(target)} | ({_name(source)} if op.name == "Move" else set())
            continue
        else:
            return None
        for clause in map(dict, clauses):  # plain dicts: CompValue.get returns a missing key
            if clause.get("triples"):
                found.add(default)
            for graph in clause.get("quads") or {}:
                if isinstance(graph, Variable):
                    return None
                found.add(str(graph))
    return found


def differing(before: ox.Store, after: ox.Store) -> set[str]:
    """The graphs whose triples differ between two stores (the comparison fallback).
    Both iterate a graph in the order of their shared index, so a streaming comparison
    suffices; were the orders ever to differ, a graph would be re-derived for nothing."""
    graphs = {g.value for g in before.named_graphs()} | {g.value for g in after.named_graphs()} | {DEFAULT}
    differ = set()
    for graph in graphs:
        pattern = (None, None, None, term(graph))
        pairs = itertools.zip_longest(before.quads_for_pattern(*pattern), after.quads_for_pattern(*pattern))
        if any(a != b for a, b in pairs):
            differ.add(graph)
    return differ


def refuse_owned(graphs: Iterable[str]) -> None:
    for graph in sorted(graphs):
        if graph != DEFAULT and owned(graph):
            raise OwnedGraph(f"graph <{graph}> is written by the build; write into a graph of your own")


def settle(
    generation: Generation, before: dict[str, set[Triple]], base: Base | None = None
) -> list[Violation]:
    """After graphs ``before`` names changed in ``generation`` (``before``: what they held
    until then): re-derives their entailments into the inferred graph and validates them in
    their neighbourhood. Returns the violations (none: the generation may be published)."""
    after = {graph: triples_of(generation.store, graph) for graph in before}
    changed = {graph for graph in before if before[graph] != after[graph]}
    generation.changed |= changed - {DEFAULT}
    entailed, dropped = rederive(generation, changed, base)
    touched_triples: set[Triple] = set(dropped)
    lost: set[Triple] = set(dropped)
    for graph in changed:
        touched_triples |= before[graph] | after[graph]
        lost |= before[graph] - after[graph]
    for triples in entailed.values():  # each changed graph's, and the derivations' (links)
        touched_triples |= triples
    return check(generation.store, touched_triples, lost) if changed else []


def commit(location: StoreLocation, change: Change, name: str | None = None, base: Base | None = None) -> str:
    """Steps 1-6 of the module's pipeline; returns the published generation's name."""
    opened = location.next_generation(name=name) if name else location.next_generation()
    with opened as generation:
        store = generation.store
        graphs = touched(change, store)
        if graphs is not None:
            refuse_owned(graphs)
            before = {graph: triples_of(store, graph) for graph in graphs}
            apply(store, change)
        else:
            apply(store, change)
            published = location.open()
            graphs = differing(published, store)
            refuse_owned(graphs)
            before = {graph: triples_of(published, graph) for graph in graphs}
        violations = settle(generation, before, base)
        if violations:
            raise DoesNotConform(f"{len(violations)} violation(s); first: {violations[0].line()}", violations)
        # The block's end closes the database before publishing it (graph/store.py); a
        # reference kept here would leave it open, read-write, while readers open it.
        del store
        return generation.name
