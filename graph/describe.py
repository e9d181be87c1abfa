"""An entity's RDF description, as its IRI dereferences to and as DESCRIBE answers: the
triples about it and pointing to it, the labels of the entities it links to, and its
evidence, so one fetch carries what the HTML page shows:

- each Web Annotation whose body is the entity (mentions and the facts' "describing"
  annotations): its triples, its target's (the document, ``oa:hasSource``) and its
  selectors' (the quote, ``oa:exact``, and the position, ``oa:start`` / ``oa:end``);
- each statement by or about the entity linked straight to the document it is quoted from
  (``prov:wasQuotedFrom``, read from the statement's own annotation), with its quote;
- each participation of an event, or of the actor in events (``jt:Participation``: its
  agent and role), with its annotation, the words that name that participant there.

Run in a query worker, as the page views are (graph/views.py).
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from jtkg.graph.formats import described
from jtkg.ontology import JT, OA

_UNION = {"use_default_graph_as_union": True}
_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
#: Most triples of one description (an entity mentioned 100,000 times is cut there).
MAX_TRIPLES = 50_000
#: ``DESCRIBE <iri> …`` with no WHERE: what SPARQLWrapper and rdflib send for a resource.
_SIMPLE_DESCRIBE = re.compile(
    r"\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^<>\s]*>|BASE\s*<[^<>\s]*>|#[^\n]*\n)\s*)*"
    r"DESCRIBE((?:\s*<[^<>\"{}|^`\\\s]+>)+)\s*",
    re.IGNORECASE,
)


def description(store: ox.Store, iri: str) -> list[ox.Triple]:
    """The entity's description with its evidence (see the module docstring)."""
    ox.NamedNode(iri)  # refuses "<", ">" and spaces: safe to write into a query
    query = f"""PREFIX oa: <{OA}> PREFIX jt: <{JT}> PREFIX prov: <http://www.w3.org/ns/prov#>
    CONSTRUCT {{
      <{iri}> ?p ?o . ?o {_LABEL} ?ol . ?s ?q <{iri}> . ?s {_LABEL} ?sl .
      ?a ?ap ?ao . ?t ?tp ?to . ?sel ?sp ?so .
      ?st prov:wasQuotedFrom ?doc ; jt:quote ?quote .
    }} WHERE {{
      {{ <{iri}> ?p ?o OPTIONAL {{ ?o {_LABEL} ?ol }} }}
      UNION {{ ?s ?q <{iri}> FILTER(?q != oa:hasBody) OPTIONAL {{ ?s {_LABEL} ?sl }} }}
      UNION {{ ?a oa:hasBody <{iri}> . {{ ?a ?ap ?ao }} UNION {{ ?a oa:hasTarget ?t . ?t ?tp ?to }}
               UNION {{ ?a oa:hasTarget/oa:hasSelector ?sel . ?sel ?sp ?so }} }}
      UNION {{ ?st jt:statedBy|jt:concerns|jt:addressedTo <{iri}> .
               ?st jt:quote ?quote . ?sa oa:hasBody ?st ; oa:hasTarget/oa:hasSource ?doc }}
      UNION {{ {{ <{iri}> jt:qualifiedParticipation ?n }} UNION {{ ?n jt:agent <{iri}> }}
               {{ ?n ?ap ?ao BIND(?n AS ?a) }}
               UNION {{ ?a oa:hasBody ?n . {{ ?a ?ap ?ao }} UNION {{ ?a oa:hasTarget ?t . ?t ?tp ?to }}
                        UNION {{ ?a oa:hasTarget/oa:hasSelector ?sel . ?sel ?sp ?so }} }} }}
    }} LIMIT {MAX_TRIPLES}"""
    return list(dict.fromkeys(store.query(query, **_UNION)))


def entity_rdf(store: ox.Store, iri: str, media_type: str) -> bytes | None:
    """The entity's description serialised; None when nothing is known about it."""
    triples = description(store, iri)
    if not triples:
        return None
    # graph/formats.py: prefixes, a stable order, compact JSON-LD, graph names in TriG/N-Quads
    return described(store, triples, media_type, about=iri)


def simple_describe(query: str) -> list[str] | None:
    """The IRIs of a ``DESCRIBE <iri> …`` query without a WHERE clause, else None: such a
    query is answered with the same description as the entity's own URL."""
    found = _SIMPLE_DESCRIBE.fullmatch(query)
    return re.findall(r"<([^<>]+)>", found[1]) if found else None
