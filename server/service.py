"""The SPARQL 1.1 Service Description of /sparql, with a VoID description of the dataset.

Returned when /sparql is called with no query, and at /void. The statistics (triples per
graph, entities, classes) are computed once per published generation and kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from flask import Response, current_app

from jtkg.graph.formats import DUMP_FORMATS
from jtkg.graph.formats import FORMATS as FORMATS_TABLE
from jtkg.graph.location import Published
from jtkg.ontology import ID, JT
from jtkg.server.browser import description_page, wants_html
from jtkg.server.negotiation import GRAPH_FORMATS, choose
from jtkg.server.sandbox import allowlist

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
FORMATS = "http://www.w3.org/ns/formats/"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
#: Dumps offered at /dumps/NAME (see server/publish.py), one per DUMP_FORMATS entry.
DUMPS = tuple(f"jtkg{f.extensions[0]}" for f in DUMP_FORMATS)


@dataclass(frozen=True)
class Statistics:
    generation: str
    triples: int
    entities: int
    graphs: dict[str, int]
    classes: dict[str, int]
    examples: list[str]


def statistics(published: Published) -> Statistics:
    """The dataset's VoID figures for the published generation, computed once per generation."""
    store = published.get()
    cache: dict[str, Statistics] = current_app.extensions.setdefault("jtkg.statistics", {})
    generation = published.generation()
    if generation in cache:
        return cache[generation]

    def rows(query: str) -> list[ox.QuerySolution]:
        return list(store.query(query, use_default_graph_as_union=True))

    graphs = {
        str(r["g"].value): int(r["n"].value)
        for r in store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    }
    classes = {
        str(r["c"].value): int(r["n"].value)
        for r in rows("SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c")
    }
    entities = int(
        rows(f'SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?s), "{ID}")) }}')[0][
            "n"
        ].value
    )
    examples = [
        str(r["s"].value)
        for name in ("State", "Person", "Agreement", "Event")
        for r in rows(f"SELECT ?s WHERE {{ ?s a <{JT[name]}> }} ORDER BY ?s LIMIT 1")
    ]
    result = Statistics(generation, sum(graphs.values()), entities, graphs, classes, examples)
    cache.clear()
    cache[generation] = result
    return result


def description_triples(root_url: str, stats: Statistics) -> list[ox.Triple]:
    root = root_url.rstrip("/")
    service, dataset, default_graph = (ox.BlankNode(n) for n in ("service", "dataset", "default"))

    def sd(name: str) -> ox.NamedNode:
        return ox.NamedNode(SD + name)

    def void(name: str) -> ox.NamedNode:
        return ox.NamedNode(VOID + name)

    def count(n: int) -> ox.Literal:
        return ox.Literal(str(n), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))

    endpoint = ox.NamedNode(root + "/sparql")
    triples = [
        ox.Triple(service, RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), endpoint),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(
            service, sd("defaultEntailmentRegime"), ox.NamedNode("http://www.w3.org/ns/entailment/Simple")
        ),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, RDF_TYPE, void("Dataset")),
        ox.Triple(
            dataset,
            ox.NamedNode(DCT + "title"),
            ox.Literal("jtkg: a knowledge graph of Japan–Taiwan relations", language="en"),
        ),
        ox.Triple(dataset, void("sparqlEndpoint"), endpoint),
        ox.Triple(dataset, void("uriSpace"), ox.Literal(str(ID))),
        ox.Triple(dataset, void("vocabulary"), ox.NamedNode(str(JT))),
        ox.Triple(dataset, void("triples"), count(stats.triples)),
        ox.Triple(dataset, void("entities"), count(stats.entities)),
        ox.Triple(dataset, void("classes"), count(len(stats.classes))),
        ox.Triple(dataset, ox.NamedNode(DCT + "conformsTo"), ox.NamedNode(root + "/shapes")),
        ox.Triple(dataset, sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, sd("Graph")),
        ox.Triple(default_graph, void("triples"), count(stats.triples)),
    ]
    if allowlist(current_app.config.get("SERVICE_ALLOWLIST") or ""):  # SERVICE is refused without one
        triples.append(ox.Triple(service, sd("feature"), sd("BasicFederatedQuery")))
    triples += [ox.Triple(service, sd("resultFormat"), ox.NamedNode(FORMATS + f.w3c)) for f in FORMATS_TABLE]
    triples += [ox.Triple(dataset, void("dataDump"), ox.NamedNode(f"{root}/dumps/{name}")) for name in DUMPS]
    triples += [ox.Triple(dataset, void("exampleResource"), ox.NamedNode(iri)) for iri in stats.examples]
    for i, (graph, size) in enumerate(sorted(stats.graphs.items())):
        named, described = ox.BlankNode(f"named{i}"), ox.BlankNode(f"graph{i}")
        triples += [
            ox.Triple(dataset, sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, sd("NamedGraph")),
            ox.Triple(named, sd("name"), ox.NamedNode(graph)),
            ox.Triple(named, sd("graph"), described),
            ox.Triple(described, RDF_TYPE, sd("Graph")),
            ox.Triple(described, void("triples"), count(size)),
        ]
    for i, (cls, size) in enumerate(sorted(stats.classes.items())):
        if cls.startswith(str(JT)):
            partition = ox.BlankNode(f"class{i}")
            triples += [
                ox.Triple(dataset, void("classPartition"), partition),
                ox.Triple(partition, void("class"), ox.NamedNode(cls)),
                ox.Triple(partition, void("entities"), count(size)),
            ]
    return triples


def service_description(
    accept: str | None, root_url: str, published: Published, format_param: str | None = None
) -> Response:
    if not format_param and wants_html(accept):  # a browser: the page (server/browser.py)
        stats = statistics(published)
        return description_page(root_url, stats, description_triples(root_url, stats))
    fmt = choose(accept, GRAPH_FORMATS, format_param)
    triples = description_triples(root_url, statistics(published))
    body = ox.serialize(
        triples, format=fmt.rdf, prefixes={"sd": SD, "void": VOID, "formats": FORMATS, "dct": DCT}
    )
    response = Response(body, content_type=fmt.media_type)
    response.headers["Vary"] = "Accept"
    return response
