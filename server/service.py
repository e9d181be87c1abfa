"""The SPARQL 1.1 Service Description of /sparql, returned when it is called with no query."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Response

from jtkg.server.negotiation import GRAPH_FORMATS, choose

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
_FORMAT_IRIS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG",
                "N-Quads"]


def service_description(accept: str | None, root_url: str) -> Response:
    fmt = choose(accept, GRAPH_FORMATS)
    endpoint = ox.NamedNode(root_url.rstrip("/") + "/sparql")
    service = ox.BlankNode("service")
    dataset = ox.BlankNode("dataset")
    default_graph = ox.BlankNode("default")

    def sd(name: str) -> ox.NamedNode:
        return ox.NamedNode(SD + name)

    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    triples = [
        ox.Triple(service, rdf_type, sd("Service")),
        ox.Triple(service, sd("endpoint"), endpoint),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, rdf_type, sd("Graph")),
    ]
    triples += [ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMATS + name))
                for name in _FORMAT_IRIS]
    body = ox.serialize(triples, format=fmt.rdf, prefixes={"sd": SD, "formats": FORMATS})
    response = Response(body, content_type=fmt.media_type)
    response.headers["Vary"] = "Accept"
    return response
