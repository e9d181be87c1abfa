"""Validating what a change touched, never the whole store.

A changed graph is validated with its entailments and its neighbourhood in the new
generation: every triple (in any graph, the inferred graph included) about the nodes it
names, the triples about those nodes' values (so ``sh:class`` sees their types; the second
hop comes whole, as in ``Base.around``), and the annotations whose body they are (the
evidence shape's inverse path). The nodes it names are those of its triples before and
after the change and of the entailments it gained or lost; where a node lost a type, the
nodes that point at it are named too (their ``sh:class`` constraints may now fail). Only
violations on named nodes are reported: the rest is context, checked when it was written.
A sequence path reaching a third hop outside the change sees only what the change holds.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import RDF, Literal
from rdflib.term import Node

from jtkg.graph.store import to_ox, to_rdflib
from jtkg.graph.validate import Violation, validate
from jtkg.ontology import OA

Triple = tuple[Node, Node, Node]
_HAS_BODY = ox.NamedNode(str(OA.hasBody))


def _nodes(triples: Iterable[Triple]) -> set[Node]:
    found: set[Node] = set()
    for s, _, o in triples:
        found.add(s)
        if not isinstance(o, Literal):
            found.add(o)
    return found


def _about(store: ox.Store, node: Node) -> Iterable[tuple[Triple, str]]:
    """(triple, graph name) for every quad whose subject is ``node``."""
    for quad in store.quads_for_pattern(to_ox(node), None, None):  # type: ignore[arg-type]
        graph = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else "(default)"
        yield (node, to_rdflib(quad.predicate), to_rdflib(quad.object)), graph


def check(store: ox.Store, touched: Iterable[Triple], lost: Iterable[Triple] = ()) -> list[Violation]:
    """The violations the change makes on the nodes it names. ``touched``: the triples the
    changed graphs hold now and held before, and their entailments gained and lost;
    ``lost``: the triples (asserted or inferred) that left the store."""
    touched = set(touched)
    lost = set(lost)
    named = _nodes(touched) | _nodes(lost)
    untyped = {s for s, p, _ in lost if p == RDF.type}
    for node in untyped:  # who points at a node that lost a type: its sh:class may fail now
        for quad in store.quads_for_pattern(None, None, to_ox(node)):  # type: ignore[arg-type]
            # No shape asks an annotation's body for a class; named, an annotation would be
            # checked on its selectors, a third hop this neighbourhood does not load.
            if quad.predicate != _HAS_BODY:
                named.add(to_rdflib(quad.subject))
    data: set[Triple] = set()
    graphs: dict[Node, set[str]] = {}
    values: set[Node] = set()
    for node in named:
        for triple, graph in _about(store, node):
            data.add(triple)
            graphs.setdefault(node, set()).add(graph)
            if not isinstance(triple[2], Literal):
                values.add(triple[2])
        for quad in store.quads_for_pattern(None, _HAS_BODY, to_ox(node)):  # type: ignore[arg-type]
            data.add((to_rdflib(quad.subject), OA.hasBody, node))
            values.add(to_rdflib(quad.subject))  # the annotation's type, for sh:class
    for value in values - named:
        data.update(triple for triple, _ in _about(store, value))
    if not named:
        return []
    report = validate(data, sources_of=lambda node: sorted(graphs.get(node, ())), reported=named)
    return report.violations
