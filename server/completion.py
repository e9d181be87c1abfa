"""What the query editor completes with (Ctrl+Space): the prefixes the project uses and the
ontology's classes and properties as prefixed names, read once from ontology/jtkg.ttl."""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox

from jtkg.ontology import JT, PREFIXES, ontology_path

#: A few terms of other vocabularies that queries of this graph use all the time.
_COMMON = ("rdf:type", "rdfs:label", "rdfs:comment", "skos:altLabel", "dcterms:title", "dcterms:issued")
_KINDS = {
    "http://www.w3.org/2002/07/owl#Class",
    "http://www.w3.org/2002/07/owl#ObjectProperty",
    "http://www.w3.org/2002/07/owl#DatatypeProperty",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property",
}


@cache
def completions() -> dict[str, object]:
    """``{"prefixes": {name: namespace}, "terms": ["jt:Person", …]}`` for the page's JSON."""
    terms = set(_COMMON)
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    for triple in ox.parse(path=str(ontology_path()), format=ox.RdfFormat.TURTLE):
        subject = triple.subject
        if (
            triple.predicate == rdf_type
            and triple.object.value in _KINDS
            and isinstance(subject, ox.NamedNode)
            and subject.value.startswith(str(JT))
        ):
            terms.add("jt:" + subject.value[len(str(JT)) :])
    return {"prefixes": dict(PREFIXES), "terms": sorted(terms, key=str.lower)}
