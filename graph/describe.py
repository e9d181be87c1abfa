"""An entity's RDF description, as its IRI dereferences to: the triples about it and
pointing to it, with the labels of the entities it links to and the evidence for it, so one
fetch carries what the HTML page shows.

Run in a query worker, as the page views are (graph/views.py).
"""

from __future__ import annotations

import pyoxigraph as ox

from jtkg.graph.formats import described

_UNION = {"use_default_graph_as_union": True}


def entity_rdf(store: ox.Store, iri: str, media_type: str) -> bytes | None:
    """The triples about and pointing to the IRI, serialised; None when there are none."""
    ox.NamedNode(iri)
    query = (
        f"CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} WHERE {{ {{ <{iri}> ?p ?o }} "
        f"UNION {{ ?s ?q <{iri}> }} }}"
    )
    triples = list(store.query(query, **_UNION))
    if not triples:
        return None
    # graph/formats.py: prefixes, a stable order, compact JSON-LD, graph names in TriG/N-Quads
    return described(store, triples, media_type, about=iri)
