"""An entity's description carries its evidence in one fetch (issue 15): dereferenced or
DESCRIBEd, it has each annotation's quote, position and document, its statements linked
straight to their document, and the labels of the entities it links to."""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import PROV, RDFS

OA = Namespace("http://www.w3.org/ns/oa#")
JT = Namespace("https://w3id.org/jtkg/ontology#")
KOSHINO = URIRef("https://w3id.org/jtkg/id/person/yuka-koshino")
STIMSON = URIRef("https://w3id.org/jtkg/id/document/stimson-japan-taiwan-relations-webinar")


def _graph(response) -> Graph:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return Graph().parse(data=response.get_data(as_text=True), format="nt")


def test_the_entity_url_carries_its_evidence(client) -> None:  # type: ignore[no-untyped-def]
    g = _graph(client.get("/id/person/yuka-koshino", headers={"Accept": "application/n-triples"}))
    annotations = set(g.subjects(OA.hasBody, KOSHINO))
    assert len(annotations) >= 5
    for annotation in annotations:
        target = g.value(annotation, OA.hasTarget)
        assert target is not None and g.value(target, OA.hasSource) is not None
        selectors = set(g.objects(target, OA.hasSelector))
        assert any(g.value(s, OA.exact) for s in selectors)  # the quote
        assert any(g.value(s, OA.start) is not None and g.value(s, OA.end) is not None for s in selectors)
    statements = set(g.subjects(JT.statedBy, KOSHINO))
    assert statements and all(g.value(s, PROV.wasQuotedFrom) == STIMSON for s in statements)
    assert all(g.value(s, JT.quote) for s in statements)
    linked = {o for p, o in g.predicate_objects(KOSHINO) if str(o).startswith("https://w3id.org/jtkg/id/")}
    assert linked and all(g.value(o, RDFS.label) is not None for o in linked if "/position/" not in str(o))


def test_describe_gives_the_same_description(client) -> None:  # type: ignore[no-untyped-def]
    url = _graph(client.get("/id/person/yuka-koshino", headers={"Accept": "application/n-triples"}))
    described = _graph(
        client.get(
            "/sparql",
            query_string={"query": f"DESCRIBE <{KOSHINO}>"},
            headers={"Accept": "application/n-triples"},
        )
    )
    assert len(described) > 100 and set(described) == set(url)
    # A DESCRIBE with a WHERE clause is Oxigraph's, as before.
    other = client.get(
        "/sparql",
        query_string={"query": f"DESCRIBE ?x WHERE {{ BIND(<{KOSHINO}> AS ?x) }}"},
        headers={"Accept": "application/n-triples"},
    )
    assert other.status_code == 200 and 0 < len(_graph(other)) < len(url)
