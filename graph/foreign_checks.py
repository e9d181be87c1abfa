"""Foreign graphs that are refused whole before anything is stored, in one line.

- A graph that redefines jtkg's vocabulary: a triple about a jt: term (``jt:Person
  rdfs:subClassOf jt:Institution``, ``jt:participant rdfs:domain …``) or one that makes a
  term equivalent to or the same as a jt: term. An import may use the vocabulary; only
  the ontology defines it.
- A graph whose identity statements (``owl:sameAs``, ``schema:sameAs``, ``skos:exactMatch``)
  join more than ``MAX_SAME`` nodes into one: real graphs say a thing is the same as its
  Wikidata and DBpedia entries, a handful; hundreds chained together would make one
  entity of them all for anyone who reasons with owl:sameAs (jtkg itself never does: links
  are rewrites, see graph/link.py).
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from jtkg.ontology import JT

#: The most nodes one chain of identity statements may join.
MAX_SAME = 50
_IDENTITY = {
    "http://www.w3.org/2002/07/owl#sameAs",
    "http://schema.org/sameAs",
    "http://www.w3.org/2004/02/skos/core#exactMatch",
}
_EQUIVALENCE = _IDENTITY | {
    "http://www.w3.org/2002/07/owl#equivalentClass",
    "http://www.w3.org/2002/07/owl#equivalentProperty",
}


def _jt(term: object) -> bool:
    return isinstance(term, ox.NamedNode) and term.value.startswith(str(JT))


def refusal(triples: Iterable[ox.Triple]) -> str | None:
    """Why the graph of ``triples`` is refused, or None."""
    parent: dict[ox.NamedNode | ox.BlankNode, ox.NamedNode | ox.BlankNode] = {}

    def root(node: ox.NamedNode | ox.BlankNode) -> ox.NamedNode | ox.BlankNode:
        while parent.get(node, node) != node:
            parent[node] = parent.get(parent[node], parent[node])  # halve the path
            node = parent[node]
        return node

    for t in triples:
        if _jt(t.subject):
            return (
                f"the graph redefines jt:{t.subject.value[len(JT) :]} "  # type: ignore[union-attr]
                f"(<{t.predicate.value}>); an import may use jtkg's vocabulary, never change it; "
                "nothing imported"
            )
        if t.predicate.value in _EQUIVALENCE and _jt(t.object):
            return (
                f"the graph makes <{t.subject.value}> equivalent to "  # type: ignore[union-attr]
                f"jt:{t.object.value[len(JT) :]}; an import may use jtkg's vocabulary, "  # type: ignore[union-attr]
                "never change it; nothing imported"
            )
        if t.predicate.value in _IDENTITY and isinstance(t.object, ox.NamedNode | ox.BlankNode):
            a, b = root(t.subject), root(t.object)  # type: ignore[arg-type]
            parent.setdefault(a, a)
            parent.setdefault(b, b)
            if a != b:
                parent[a] = b
    sizes: dict[object, int] = {}
    for node in list(parent):
        top = root(node)
        sizes[top] = sizes.get(top, 0) + 1
    if sizes:
        top, size = max(sizes.items(), key=lambda item: item[1])
        if size > MAX_SAME:
            return (
                f"its owl:sameAs statements join {size} nodes into one entity (at most {MAX_SAME}; "
                f"one of them: <{getattr(top, 'value', top)}>); nothing imported"
            )
    return None
