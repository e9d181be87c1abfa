"""The jtkg vocabulary: namespaces, IRI minting, and the bundled ontology files.

Every layer reads this package; it imports from no other layer.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path

from rdflib import Graph, Namespace
from rdflib.namespace import SKOS

JT = Namespace("https://w3id.org/jtkg/ontology#")
JTS = Namespace("https://w3id.org/jtkg/shapes#")
ID = Namespace("https://w3id.org/jtkg/id/")
GRAPH = Namespace("https://w3id.org/jtkg/graph/")
OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("http://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")

ONTOLOGY_GRAPH = GRAPH["ontology"]
REGISTRY_GRAPH = GRAPH["registry"]
INFERRED_GRAPH = GRAPH["inferred"]
ONTOLOGY_IRI = "https://w3id.org/jtkg/ontology"
SHAPES_IRI = "https://w3id.org/jtkg/shapes"

#: The IRI path segment for each core class, e.g. ``id/person/madoka-fukuda``.
CLASS_SEGMENTS = {
    JT.Person: "person",
    JT.Institution: "institution",
    JT.State: "state",
    JT.Agreement: "agreement",
    JT.Policy: "policy",
    JT.Issue: "issue",
    JT.Event: "event",
    JT.Document: "document",
    JT.Statement: "statement",
    JT.Recommendation: "statement",
    JT.Position: "position",
}

PREFIXES = {
    "jt": str(JT),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": str(OA),
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": str(ORG),
    "schema": str(SCHEMA),
}


def slugify(name: str) -> str:
    """A stable IRI slug from a canonical name: ASCII, lowercase, hyphen-separated."""
    text = unicodedata.normalize("NFKD", name)
    text = text.replace("&", " and ").replace("’", "").replace("'", "")
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if not slug:  # a name with no Latin letters: keep it stable by its code points
        slug = "u" + "-".join(f"{ord(c):x}" for c in name if not c.isspace())
    return slug


def entity_iri(cls: object, name: str):  # -> URIRef
    """The IRI of an entity of a core class, derived from its canonical name."""
    return ID[f"{CLASS_SEGMENTS[cls]}/{slugify(name)}"]


def _path(name: str) -> Path:
    return Path(str(resources.files(__package__).joinpath(name)))


def ontology_path() -> Path:
    return _path("jtkg.ttl")


def shapes_path() -> Path:
    return _path("shapes.ttl")


def registry_path() -> Path:
    return _path("registry.ttl")


def issue_scheme_path() -> Path:
    """The SKOS scheme of issues and policies, published with the registry."""
    return _path("issues.ttl")


def registry_files() -> list[Path]:
    """Every file the registry graph is read from (what a registry hash must cover)."""
    return [registry_path(), issue_scheme_path()]


def context_path() -> Path:
    return _path("context.jsonld")


@cache
def _parsed(name: str) -> Graph:
    graph = Graph()
    graph.parse(_path(name), format="turtle")
    return graph


def load_ontology() -> Graph:
    """A fresh copy of the ontology graph (callers may modify it)."""
    return _copy(_parsed("jtkg.ttl"))


def load_shapes() -> Graph:
    return _copy(_parsed("shapes.ttl"))


def load_registry(scheme: bool = True) -> Graph:
    """The registry; with ``scheme`` also the issue scheme (issues.ttl), which extends it:
    concepts the registry names keep their IRIs there. ``scheme=False`` is the registry as
    it was without the scheme (for an extractor whose recipe has the scheme off)."""
    return _copy(_registry_with_scheme() if scheme else _parsed("registry.ttl"))


def load_issue_scheme() -> Graph:
    """The concepts of ``jt:Issues`` (the scheme's and the registry's issues and policies)
    with their labels and links, skos:narrower and top concepts included."""
    registry = _registry_with_scheme()
    concepts = set(registry.subjects(SKOS.inScheme, JT.Issues))
    scheme = Graph()
    for triple in registry:
        if triple[0] in concepts or triple[0] == JT.Issues:
            scheme.add(triple)
    return _copy(scheme)


@cache
def _registry_with_scheme() -> Graph:
    graph = Graph()
    for triple in _parsed("registry.ttl"):
        graph.add(triple)
    for triple in _parsed("issues.ttl"):
        graph.add(triple)
    # The file writes each link once, upward; SKOS readers also expect the inverse and the
    # scheme's top concepts, so derive them here rather than keep two copies in step.
    for narrower, broader in list(graph.subject_objects(SKOS.broader)):
        graph.add((broader, SKOS.narrower, narrower))
    for concept in set(graph.subjects(SKOS.inScheme, JT.Issues)):
        if graph.value(concept, SKOS.broader) is None:
            graph.add((JT.Issues, SKOS.hasTopConcept, concept))
            graph.add((concept, SKOS.topConceptOf, JT.Issues))
    return graph


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    for prefix, ns in PREFIXES.items():
        copy.bind(prefix, ns)
    for triple in graph:
        copy.add(triple)
    return copy
