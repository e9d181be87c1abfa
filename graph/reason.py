"""OWL 2 RL reasoning with owlrl, over the fact layer only.

The evidence layer (annotations, selectors, document text) is most of the triples and
entails nothing useful, so it is never given to the reasoner. Inferred triples are kept
apart, in their own graph, and trivial ones (reflexive sameAs, owl:Thing typing, axioms about
the built-in vocabularies) are dropped so the inferred graph holds what users query.
"""

from __future__ import annotations

from collections.abc import Iterable

import owlrl
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.term import Node

from jtkg.ontology import WD

_BUILTIN = ("http://www.w3.org/2002/07/owl#", "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
            "http://www.w3.org/2000/01/rdf-schema#", "http://www.w3.org/2001/XMLSchema#")
_TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual, RDFS.Class, OWL.Class,
                  RDF.Property, OWL.ObjectProperty, OWL.DatatypeProperty, RDFS.Datatype,
                  OWL.AnnotationProperty}


def _is_external_identifier(triple: tuple[Node, Node, Node]) -> bool:
    # owl:sameAs to Wikidata is a link, not an identity to reason with: reasoning over it
    # would copy every fact onto the Wikidata IRI.
    _, p, o = triple
    return p == OWL.sameAs and isinstance(o, URIRef) and str(o).startswith(str(WD))


def materialize(facts: Iterable[tuple[Node, Node, Node]]) -> Graph:
    """The OWL-RL entailments of ``facts`` (ontology included) that are not already in it."""
    source = Graph()
    for triple in facts:
        if not _is_external_identifier(triple):
            source.add(triple)
    closure = Graph()
    for triple in source:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(closure)
    inferred = Graph()
    for triple in closure:
        if triple not in source and _worth_keeping(triple):
            inferred.add(triple)
    return inferred


def _worth_keeping(triple: tuple[Node, Node, Node]) -> bool:
    s, p, o = triple
    if isinstance(s, Literal) or (p == OWL.sameAs and s == o):
        return False
    if p == RDF.type and o in _TRIVIAL_TYPES:
        return False
    if isinstance(s, URIRef) and str(s).startswith(_BUILTIN):
        return False
    # Schema-level closure (subclass and subproperty transitivity of the vocabulary itself)
    # stays out: the ontology graph states the vocabulary; the inferred graph describes data.
    return p not in (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass,
                     OWL.equivalentProperty, RDFS.domain, RDFS.range, OWL.inverseOf,
                     OWL.disjointWith)
