"""Publishing translations: an imported graph's triples in jt terms, in the inferred graph.

For each imported (foreign) graph the change pipeline re-derives (graph/derive.py), the
graph's entailments are its own (reasoned over the closed base, as any source's) plus what
the mapping sets translate it into (graph/translation.py, linked entities on our IRI) and
what those entail: the same compiled OWL-RL rules, recorded in the inferred index under the
graph's own key, so removing or replacing the graph removes exactly its translations.

Before that, the translation is validated with the same shapes, in the same neighbourhood
the change pipeline validates a change in (every triple in the store about the nodes it
names, their values' triples, the annotations whose body they are). A translated triple
that would violate a shape is left out: where the violation's path is a translated
property of the focus node, those triples; otherwise every translated triple naming the
focus node; then reasoning and validation run again, until nothing is violated. What was
left out is reported, one line per kind with a count, in ``translation-report.json``
beside the generation; the import itself succeeds. (A violation that no translated triple
causes is the foreign graph's own, and the change pipeline refuses the graph whole.)

Translations are re-derived for every imported graph when the links or a user's mapping
set change (``retranslated``), since both decide what a translation is.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import OWL, RDF, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from jtkg.graph.base import Base, default_base
from jtkg.graph.mapping_sets import MAPPINGS_PREFIX, loaded_sets
from jtkg.graph.reason import materialize_increment
from jtkg.graph.store import Generation, to_ox, to_rdflib
from jtkg.graph.translation import translate
from jtkg.graph.validate import Violation, _short, validate
from jtkg.ontology import GRAPH, INFERRED_GRAPH, OA

Triple = tuple[Node, Node, Node]
REPORT_FILE = "translation-report.json"
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


def retranslated(store: ox.Store, graphs: Iterable[str]) -> set[str]:
    """The imported graphs to re-derive beyond ``graphs``: every one when the links or a
    mapping set changed, since both decide what a translation is."""
    graphs = set(graphs)
    if LINKS_GRAPH in graphs or any(g.startswith(MAPPINGS_PREFIX) for g in graphs):
        return {g.value for g in store.named_graphs() if is_foreign(g.value)} - graphs
    return set()


def link_pairs(store: ox.Store) -> dict[Node, Node]:
    """Their IRI → ours, from the links graph."""
    pairs: dict[Node, Node] = {}
    for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(LINKS_GRAPH)):
        if quad.predicate.value in (str(OWL.sameAs), str(SKOS.exactMatch)) and isinstance(
            quad.object, ox.NamedNode
        ):
            pairs[to_rdflib(quad.object)] = to_rdflib(quad.subject)
    return pairs


def derived(generation: Generation, graph: str, facts: set[Triple], base: Base | None = None) -> set[Triple]:
    """Source ``graph``'s entailments: its own, and for an imported graph its translation
    and what that entails (with the left-out part reported beside the generation)."""
    base = base or default_base()
    if not is_foreign(graph):
        return materialize_increment(base.closed, facts)
    published = publish(generation.store, graph, facts, base)
    write_report(generation.path, published)
    return published.kept


def publish(store: ox.Store, graph: str, facts: set[Triple], base: Base) -> Published:
    links = link_pairs(store)
    known = _types(store, set(links.values()))
    translation = translate(facts, loaded_sets(store), links, known, URIRef(graph))
    result = Published(graph, skipped=translation.skipped)
    current = translation.triples - base.closed - facts
    result.translated = len(current)
    for _ in range(MAX_ROUNDS):
        entailed = materialize_increment(base.closed, facts | current)
        violations = _violations(store, current | entailed, graph)
        drop = _culprits(violations, current, result)
        if not drop:
            break
        current -= drop
    result.kept = current | materialize_increment(base.closed, facts | current)
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


def write_report(folder: Path, published: Published) -> None:
    path = folder / REPORT_FILE
    try:
        report = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, ValueError):
        report = {}
    report[published.graph] = {
        "translated": published.translated,
        "kept": len(published.kept),
        "left_out": published.left_out,
        "skipped": dict(published.skipped),
        "lines": published.lines(),
    }
    path.write_text(json.dumps(report, indent=1, sort_keys=True), encoding="utf-8")


def read_report(folder: Path) -> dict[str, dict]:
    """The translation report of the generation in ``folder`` (empty when none ran)."""
    try:
        return json.loads((folder / REPORT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
