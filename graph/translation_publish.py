"""Publishing translations: an imported graph's triples in jt terms, in the inferred graph.

A derivation of the change pipeline (graph/derive.py ``DERIVATIONS``): for each imported
(foreign) graph a change touches, what the mapping sets translate it into
(graph/translation.py, linked entities on our IRI) and what that entails by the same
compiled OWL-RL rules, recorded in the inferred index under the key ``@translation <graph>``,
so removing or replacing the graph removes exactly its translations, and the change
pipeline validates them with everything else the change entails.

Before that, the translation is validated with the same shapes, in the same neighbourhood
the change pipeline validates a change in (every triple in the store about the nodes it
names, their values' triples, the annotations whose body they are). A translated triple
that would violate a shape is left out: where the violation's path is a translated
property of the focus node, those triples; otherwise every translated triple naming the
focus node; then reasoning and validation run again, until nothing is violated. What was
left out is reported (``latest``: one line per kind with a count, printed by the command);
the import itself succeeds. (A violation that no translated triple causes is the foreign
graph's own, and the change pipeline refuses the graph whole.)

Every imported graph is translated again when a user's mapping set changes, since it decides
what a translation is. When the links change, only the imported graphs that name a foreign
entity whose link changed are translated again, when the writer of the links says which
those are (``links_changing``: graph/link_store.py does); a links graph written any other
way (a SPARQL Update) re-translates every imported graph. A graph's translation reads only
its own triples, the links of the entities it names and those entities' types, so the
others' translations are what a full re-translation would give (tests/test_relink.py
compares the N-Quads).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import OWL, RDF, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from jtkg.graph.base import Base, default_base
from jtkg.graph.mapping_sets import MAPPINGS_PREFIX, loaded_sets
from jtkg.graph.reason import materialize_increment
from jtkg.graph.store import to_ox, to_rdflib
from jtkg.graph.translation import translate
from jtkg.graph.validate import Violation, _short, validate
from jtkg.ontology import GRAPH, INFERRED_GRAPH, OA

Triple = tuple[Node, Node, Node]
LINKS_GRAPH = str(GRAPH["links"])
#: Rounds of leaving out and validating again before the rest is left to the pipeline.
MAX_ROUNDS = 8
_INFERRED = ox.NamedNode(str(INFERRED_GRAPH))
_TYPE = ox.NamedNode(str(RDF.type))
_HAS_BODY = ox.NamedNode(str(OA.hasBody))


def is_foreign(graph: str) -> bool:
    """An imported graph: a named graph outside the build's namespace."""
    return not graph.startswith(str(GRAPH)) and not graph.startswith("@")


@dataclass
class Published:
    """What one graph's translation put into the inferred graph, and what it left out."""

    graph: str
    kept: set[Triple] = field(default_factory=set)
    translated: int = 0
    #: shape message → [triples left out, nodes]
    left_out: dict[str, list[int]] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)

    def lines(self) -> list[str]:
        out = [f"translated {self.translated} triple(s) of {self.graph} into jt terms"]
        for message, (triples, nodes) in sorted(self.left_out.items()):
            out.append(f"left out {triples} translated triple(s) about {nodes} node(s): {message}")
        for reason, count in sorted(self.skipped.items()):
            out.append(f"not translated: {count} triple(s): {reason}")
        return out


#: The inferred-index key of a graph's translation: "@translation <graph IRI>" (document
#: slugs and graph IRIs never start with "@").
KEY_PREFIX = "@translation "
#: The latest report of each graph translated in this process, for the command that made
#: the change to print (a derivation returns only triples).
latest: dict[str, list[str]] = {}


def key(graph: str) -> str:
    return KEY_PREFIX + graph


#: The foreign IRIs whose link the change being committed adds, drops or moves; None: not
#: known (every imported graph is translated again when the links change).
_links_changed: set[str] | None = None


@contextlib.contextmanager
def links_changing(theirs: set[str]) -> Iterator[None]:
    """Within the block, a change of the links graph changes the links of ``theirs`` only."""
    global _links_changed
    saved, _links_changed = _links_changed, set(theirs)
    try:
        yield
    finally:
        _links_changed = saved


def naming(store: ox.Store, graphs: Iterable[str], theirs: set[str]) -> set[str]:
    """The graphs of ``graphs`` with a triple whose subject or object is one of ``theirs``."""
    nodes = [ox.NamedNode(iri) for iri in sorted(theirs)]
    found = set()
    for graph in graphs:
        name = ox.NamedNode(graph)
        for node in nodes:
            if next(store.quads_for_pattern(node, None, None, name), None) or next(
                store.quads_for_pattern(None, None, node, name), None
            ):
                found.add(graph)
                break
    return found


def translations(store: ox.Store, changed: set[str]) -> dict[str, set[Triple]]:
    """The change pipeline's derivation (graph/derive.py ``DERIVATIONS``): the translation
    of each changed imported graph, of every one when a mapping set changed, of those naming
    a foreign entity whose link changed when the links did (see the module), and nothing
    for a graph no longer there."""
    present = {g.value for g in store.named_graphs() if is_foreign(g.value)}
    todo = {g for g in changed if is_foreign(g)}
    if any(g.startswith(MAPPINGS_PREFIX) for g in changed):
        todo |= present
    elif LINKS_GRAPH in changed:
        todo |= present if _links_changed is None else naming(store, present - todo, _links_changed)
    found: dict[str, set[Triple]] = {}
    for graph in sorted(todo):
        if graph not in present:
            found[key(graph)] = set()
            latest[graph] = [f"removed the translation of {graph}"]
            continue
        facts = {
            (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
            for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
        }
        published = publish(store, graph, facts, default_base())
        latest[graph] = published.lines()
        found[key(graph)] = published.kept
    return found


def link_pairs(store: ox.Store) -> dict[Node, Node]:
    """Their IRI → ours, from the links graph."""
    pairs: dict[Node, Node] = {}
    for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(LINKS_GRAPH)):
        if quad.predicate.value in (str(OWL.sameAs), str(SKOS.exactMatch)) and isinstance(
            quad.object, ox.NamedNode
        ):
            pairs[to_rdflib(quad.object)] = to_rdflib(quad.subject)
    return pairs


def publish(store: ox.Store, graph: str, facts: set[Triple], base: Base) -> Published:
    links = link_pairs(store)
    known = _types(store, set(links.values()))
    translation = translate(facts, loaded_sets(store), links, known, URIRef(graph))
    result = Published(graph, skipped=translation.skipped)
    current = translation.triples - base.closed - facts
    result.translated = len(current)
    entailed: set[Triple] | None = None
    for _ in range(MAX_ROUNDS):
        entailed = materialize_increment(base.closed, facts | current)
        violations = _violations(store, current | entailed, graph)
        drop = _culprits(violations, current, result)
        if not drop:
            break
        current -= drop
        entailed = None  # reasoned over what is no longer there
    if entailed is None:  # the last round left something out: reason over what is kept
        entailed = materialize_increment(base.closed, facts | current)
    result.kept = current | entailed - facts
    return result


def _types(store: ox.Store, nodes: set[Node]) -> dict[Node, set[Node]]:
    found: dict[Node, set[Node]] = {}
    for node in nodes:
        for quad in store.quads_for_pattern(to_ox(node), _TYPE, None):  # type: ignore[arg-type]
            found.setdefault(node, set()).add(to_rdflib(quad.object))
    return found


def _about(store: ox.Store, node: Node, graph: str) -> Iterable[Triple]:
    """The store's triples about ``node``, as the change pipeline will see them once this
    graph's old translation is gone: of the inferred graph only the types."""
    for quad in store.quads_for_pattern(to_ox(node), None, None):  # type: ignore[arg-type]
        if quad.graph_name == _INFERRED and quad.predicate != _TYPE:
            continue
        yield node, to_rdflib(quad.predicate), to_rdflib(quad.object)


def _violations(store: ox.Store, candidate: set[Triple], graph: str) -> list[Violation]:
    named: set[Node] = set()
    for s, _, o in candidate:
        named.add(s)
        if not isinstance(o, Literal):
            named.add(o)
    data = set(candidate)
    values: set[Node] = set()
    for node in named:
        for triple in _about(store, node, graph):
            data.add(triple)
            if not isinstance(triple[2], Literal):
                values.add(triple[2])
        for quad in store.quads_for_pattern(None, _HAS_BODY, to_ox(node)):  # type: ignore[arg-type]
            data.add((to_rdflib(quad.subject), OA.hasBody, node))
            values.add(to_rdflib(quad.subject))
    for _, _, o in candidate:
        if not isinstance(o, Literal):
            values.add(o)
    for value in values - named:
        data.update(_about(store, value, graph))
    return validate(data, reported=named).violations if named else []


def _culprits(violations: list[Violation], current: set[Triple], result: Published) -> set[Triple]:
    """The translated triples to leave out for ``violations``, counted in ``result``."""
    by_focus: dict[str, list[Triple]] = {}
    for triple in current:
        by_focus.setdefault(_short(triple[0]), []).append(triple)
        if not isinstance(triple[2], Literal):
            by_focus.setdefault(_short(triple[2]), []).append(triple)
    drop: set[Triple] = set()
    for violation in violations:
        naming = by_focus.get(violation.focus, [])
        on_path = [t for t in naming if _short(t[0]) == violation.focus and _short(t[1]) == violation.path]
        chosen = set(on_path or naming) - drop
        if not chosen:
            continue  # the foreign graph's own violation, or one already dealt with
        drop |= chosen
        counts = result.left_out.setdefault(violation.message, [0, 0])
        counts[0] += len(chosen)
        counts[1] += 1
    return drop
