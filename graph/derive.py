"""What each source entails, kept in the inferred graph with a record of who supports it.

A *source* is a document (its graph ``graph/doc/…``, key: its slug), the base (ontology and
registry, key ``""``), the links graph (key ``@links``: its rewrites of linked foreign
entities), and every other graph a user writes — an imported graph, a graph written by
SPARQL Update or the Graph Store Protocol, the default graph (key: the graph's IRI, or
``@default``). Each source is reasoned alone over the closed base
(``materialize_increment(base.closed, its triples)``), the same reasoning a document gets,
so the union of the sources' entailments is what a full build derives. The inferred index
(graph/inferred_index.py) records which source supports which inferred triple: a source's
entailments are replaced as a whole, and a triple leaves the inferred graph only when no
other source supports it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pyoxigraph as ox
from rdflib import OWL, RDFS
from rdflib.namespace import SKOS
from rdflib.term import Node

from jtkg.graph.base import Base, default_base
from jtkg.graph.inferred_index import InferredIndex
from jtkg.graph.reason import materialize_increment
from jtkg.graph.store import Generation, to_ox, to_rdflib
from jtkg.graph.translation_publish import translations
from jtkg.ontology import GRAPH, INFERRED_GRAPH

Triple = tuple[Node, Node, Node]
INFERRED = ox.NamedNode(str(INFERRED_GRAPH))
_LABEL, _ALT_LABEL = ox.NamedNode(str(RDFS.label)), ox.NamedNode(str(SKOS.altLabel))
#: The default graph, as a graph name and as its inferred-index key (never an IRI).
DEFAULT = "@default"
LINKS_GRAPH = str(GRAPH["links"])
#: The inferred-index key of the links graph's rewrites (document slugs never contain "@").
LINKS_KEY = "@links"
#: Graphs under the build's namespace that the build or the store itself writes: no user
#: write may change them. (``graph/links`` is written by `jtkg link`, and is a source.)
_BUILD_WRITES = ("doc/", "ontology", "registry", "inferred", "retired", "store-manifest", "empty")
OWNED = tuple(str(GRAPH[name]) for name in _BUILD_WRITES)


def owned(graph: str) -> bool:
    """Whether ``graph`` is written by the build (documents, base, inferred) or the store."""
    return graph.startswith(OWNED[0]) or graph in OWNED[1:]


def foreign_graphs(graphs: Iterable[str]) -> list[str]:
    """The imported graphs: every named graph outside the build's namespace."""
    return [g for g in graphs if g != DEFAULT and not g.startswith(str(GRAPH))]


def term(graph: str) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if graph == DEFAULT else ox.NamedNode(graph)


def triples_of(store: ox.Store, graph: str) -> set[Triple]:
    """The triples of one graph, as rdflib terms (what reasoning and validation take)."""
    return {
        (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))  # type: ignore[arg-type]
        for q in store.quads_for_pattern(None, None, None, term(graph))
    }


def entailments(facts: Iterable[Triple], base: Base | None = None) -> set[Triple]:
    """What one source entails over the closed base: the reasoning every document gets."""
    return materialize_increment((base or default_base()).closed, facts)


def record(
    generation: Generation,
    key: str,
    triples: Iterable[Triple],
    index: InferredIndex | None = None,
    pending: list[ox.Quad] | None = None,
) -> tuple[set[Triple], set[Triple]]:
    """Makes ``triples`` the whole of source ``key``'s entailments in the generation: adds to
    the inferred graph what is new, removes what no other source supports any more.
    Returns (added, removed). The one way anything enters or leaves the inferred graph.
    ``index``: one already open (a writer of many documents); ``pending``: where a bulk
    writer gathers the quads to add, instead of adding them now."""
    opened = index or InferredIndex(generation.path)
    try:
        added, removed = opened.replace(key, triples)
    finally:
        if index is None:
            opened.close()
    store = generation.store
    for triple in removed:
        store.remove(ox.Quad(*map(to_ox, triple), INFERRED))
    quads = [ox.Quad(*map(to_ox, t), INFERRED) for t in added]
    if pending is None:
        store.extend(quads)
    else:
        pending.extend(quads)
    if added or removed:  # else the inferred graph need not be recounted, nor pushed
        generation.changed.add(str(INFERRED_GRAPH))
    return added, removed


def link_rewrites(store: ox.Store) -> set[Triple]:
    """The links graph's entailments: each linked foreign entity's triples rewritten onto
    our IRI (as many triples as the foreign entity has, never the pairwise closure that
    owl:sameAs reasoning would materialize)."""
    pairs: dict[ox.NamedNode, ox.NamedNode] = {}
    for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(LINKS_GRAPH)):
        if quad.predicate.value in (str(OWL.sameAs), str(SKOS.exactMatch)) and isinstance(
            quad.object, ox.NamedNode
        ):
            pairs[quad.object] = quad.subject  # type: ignore[assignment]
    derived: set[Triple] = set()
    if not pairs:
        return derived
    for graph in map(ox.NamedNode, foreign_graphs(g.value for g in store.named_graphs())):
        for theirs in pairs:
            for quad in (
                *store.quads_for_pattern(theirs, None, None, graph),
                *store.quads_for_pattern(None, None, theirs, graph),
            ):
                s = pairs.get(quad.subject, quad.subject)  # type: ignore[call-overload]
                o = pairs.get(quad.object, quad.object)  # type: ignore[call-overload]
                # Our label stays the one canonical name; theirs becomes an other name (helper G).
                p = _ALT_LABEL if quad.predicate == _LABEL and s != quad.subject else quad.predicate
                derived.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    return derived


def links(store: ox.Store, changed: set[str]) -> dict[str, set[Triple]]:
    """The links' rewrites, redone when the links graph or a foreign graph changed."""
    if LINKS_GRAPH in changed or foreign_graphs(changed):
        return {LINKS_KEY: link_rewrites(store)}
    return {}


#: A derivation beyond per-graph reasoning: given the new generation's store and the graphs
#: a change changed, the entailments to record, by source key (each key's set replaces
#: what that key supported before), or {} when the change does not concern it.
Derivation = Callable[[ox.Store, set[str]], dict[str, set[Triple]]]
#: Run after every change, in order (build, ingest aside: they change documents only,
#: which no derivation reads). Another derivation (a vocabulary mapping's translations)
#: is added here with its own key, never "@links" or a graph IRI.
DERIVATIONS: tuple[Derivation, ...] = (links, translations)  # translations: helper G


def rederive(
    generation: Generation, graphs: Iterable[str], base: Base | None = None
) -> tuple[dict[str, set[Triple]], set[Triple]]:
    """Re-derives the entailments of each changed user graph (``DEFAULT`` for the default
    graph) from its triples now in the generation, then runs ``DERIVATIONS``. Returns the
    entailments by graph or derivation key, and the triples that left the inferred graph
    (both for validation)."""
    graphs = set(graphs)
    found: dict[str, set[Triple]] = {}
    lost: set[Triple] = set()
    for graph in sorted(graphs - {LINKS_GRAPH}):  # the links graph entails only its rewrites
        found[graph] = entailments(triples_of(generation.store, graph), base)
        lost |= record(generation, graph, found[graph])[1]
    for derivation in DERIVATIONS:
        for key, triples in derivation(generation.store, graphs).items():
            found[key] = triples
            lost |= record(generation, key, triples)[1]
    return found, lost
