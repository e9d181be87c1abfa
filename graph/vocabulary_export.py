"""`jtkg export --vocabulary schema|org|wikidata`: the dataset in another vocabulary.

Through the same mapping sets the translation reads (ontology/mappings): every jt term in
a quad is written as the other vocabulary's term a row maps it onto outward (an exact
match, or a broader term of theirs; where several rows map one term, the first in the
set's file wins); ``rdf:type`` becomes the set's typing property where it has one
(Wikidata's ``wdt:P31``). A row that reads a value through a node (ORG's ``org:role`` label
and ``org:memberDuring`` interval, Wikidata's ``ps:P39`` value) writes the node
(graph/vocabulary_qualified.py: ``jt:roleTitle`` becomes an ``org:Role``, ``jt:startDate``
an ``org:memberDuring`` interval's beginning). A quad with a jt term no row maps is left
out (the consumer does not know jt); every other quad is kept as it is: names
(``rdfs:label``, ``skos:altLabel``), ``owl:sameAs`` to Wikidata, the evidence as Web
Annotations (``oa:``), provenance, and what reasoning already wrote in aligned
vocabularies (``org:memberOf``, ``schema:attendee``…).
The ontology graph and the imported graphs are left out; graph names are kept (TriG,
N-Quads, JSON-LD).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

import pyoxigraph as ox
from rdflib import RDF

from jtkg.graph.formats import TRIPLES, FormatError, find, serialize
from jtkg.graph.mapping_sets import bundled_sets
from jtkg.graph.mappings import Mapping, MappingSet
from jtkg.graph.vocabulary_qualified import Qualified
from jtkg.loaders.errors import BadInput
from jtkg.ontology import GRAPH, JT, ONTOLOGY_GRAPH

#: --vocabulary → the bundled sets it writes through.
VOCABULARIES = {
    "schema": ("schema-org",),
    "org": ("w3c-org", "foaf"),
    "wikidata": ("wikidata",),
}
_JT = str(JT)
_TYPE = ox.NamedNode(str(RDF.type))


class VocabularyError(BadInput):
    pass


@dataclass
class Rewrites:
    terms: dict[str, ox.NamedNode] = field(default_factory=dict)
    typing: ox.NamedNode | None = None
    left_out: Counter[str] = field(default_factory=Counter)
    qualified: Qualified = field(default_factory=Qualified)

    @classmethod
    def of(cls, sets: list[MappingSet]) -> Rewrites:
        rewrites = cls(qualified=Qualified.of(sets))
        for mapping_set in sets:
            for m in mapping_set.mappings:
                if m.kind == "type" and m.relation == "exact":
                    rewrites.typing = ox.NamedNode(str(m.theirs))
                elif _outward(m) and str(m.ours) not in rewrites.terms:
                    rewrites.terms[str(m.ours)] = ox.NamedNode(str(m.theirs))
        return rewrites

    def term(self, node: ox.NamedNode) -> ox.NamedNode | None:
        """Theirs for a jt term, the node itself for any other, None for an unmapped jt term."""
        if not node.value.startswith(_JT):
            return node
        return self.terms.get(node.value)

    def quad(self, quad: ox.Quad) -> ox.Quad | None:
        predicate = self.term(quad.predicate)  # type: ignore[arg-type]
        obj = quad.object
        if isinstance(obj, ox.NamedNode):
            obj = self.term(obj)  # type: ignore[assignment]
        if predicate is None and quad.predicate.value in self.qualified:
            return None  # written through a node (vocabulary_quads)
        if predicate is None or obj is None:
            unmapped = quad.predicate if predicate is None else quad.object
            self.left_out[unmapped.value] += 1  # type: ignore[union-attr]
            return None
        if predicate == _TYPE and self.typing is not None and quad.object.value.startswith(_JT):  # type: ignore[union-attr]
            predicate = self.typing  # a jt class of theirs: Wikidata's instance of
        subject = quad.subject
        if isinstance(subject, ox.NamedNode) and subject.value.startswith(_JT):
            return None  # a statement about the vocabulary itself
        return ox.Quad(subject, predicate, obj, quad.graph_name)


def _outward(m: Mapping) -> bool:
    return m.outward and m.kind in ("class", "object", "datatype")


def sets_for(vocabulary: str) -> list[MappingSet]:
    if vocabulary not in VOCABULARIES:
        raise VocabularyError(f"unknown vocabulary {vocabulary!r}; use one of {', '.join(VOCABULARIES)}")
    names = VOCABULARIES[vocabulary]
    return [s for name in names for s in bundled_sets() if s.id.rsplit("/", 1)[-1] == name]


def vocabulary_quads(store: ox.Store, vocabulary: str, rewrites: Rewrites | None = None) -> Iterator[ox.Quad]:
    """The store's quads (the ontology graph left out) in ``vocabulary``'s terms."""
    rewrites = rewrites or Rewrites.of(sets_for(vocabulary))
    ontology = ox.NamedNode(str(ONTOLOGY_GRAPH))
    seen: set[ox.Quad] = set()
    for quad in store.quads_for_pattern(None, None, None, None):
        name = quad.graph_name
        if name == ontology or not (isinstance(name, ox.NamedNode) and name.value.startswith(str(GRAPH))):
            continue  # the vocabulary itself, and imported graphs (theirs already)
        out = [rewrites.quad(quad), *rewrites.qualified.quads(quad)]
        for written in out:
            if written is not None and written not in seen:  # two jt terms may map onto one of theirs
                seen.add(written)
                yield written


def export_vocabulary(store: ox.Store, fmt: str, output: IO[bytes], vocabulary: str) -> Counter[str]:
    """Writes the dataset in ``vocabulary`` to ``output``; returns the jt terms left out
    (term → quads), for the command to report."""
    try:
        written = find(fmt, TRIPLES)
    except FormatError as exc:
        raise VocabularyError(str(exc)) from None
    rewrites = Rewrites.of(sets_for(vocabulary))
    serialize(vocabulary_quads(store, vocabulary, rewrites), written, output, ordered=False)
    return rewrites.left_out
