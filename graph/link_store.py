"""The links graph: accepted links as ``owl:sameAs`` / ``skos:exactMatch``, each with a
reified record (confidence, method, and for a review's decisions the decision), the
threshold the user last chose, and the pairs a review rejected (records without the link),
so that automatic re-linking (graph/relink.py) keeps both decisions.

Stored through the change pipeline (graph/change.py), which re-derives what the links make
the linked entities share; only the imported graphs naming a foreign entity whose link
changed are translated again (graph/translation_publish.py ``links_changing``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import pyoxigraph as ox
from rdflib import OWL, RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from jtkg.graph.change import Change, commit
from jtkg.graph.derive import LINKS_GRAPH
from jtkg.graph.link_model import BY_THRESHOLD, DEFAULT_THRESHOLD, REJECTED, Link
from jtkg.graph.location import Dataset, Location
from jtkg.graph.store import to_ox
from jtkg.graph.translation_publish import links_changing
from jtkg.ontology import ID, JT

_GRAPH = URIRef(LINKS_GRAPH)
_LINKS = ox.NamedNode(LINKS_GRAPH)
_IDENTITY = (str(OWL.sameAs), str(SKOS.exactMatch))


@dataclass
class Stored:
    """What the links graph holds."""

    links: list[Link] = field(default_factory=list)
    rejected: list[Link] = field(default_factory=list)
    #: None: no threshold stored (links stored before thresholds were).
    threshold: float | None = None


def record_iri(link: Link) -> URIRef:
    return ID["link/" + hashlib.sha256(f"{link.ours} {link.theirs}".encode()).hexdigest()[:20]]


def links_graph(
    links: Iterable[Link], rejected: Iterable[Link] = (), threshold: float | None = None
) -> Graph:
    """The links with a reified record of each one's confidence, method and decision; the
    rejected pairs as records only; the threshold on the graph's own IRI."""
    graph = Graph()
    if threshold is not None:
        graph.add((_GRAPH, JT.confidence, Literal(f"{threshold:.3f}", datatype=XSD.decimal)))
    for link, accepted in [*((x, True) for x in links), *((x, False) for x in rejected)]:
        ours, theirs = URIRef(link.ours), URIRef(link.theirs)
        if accepted:
            graph.add((ours, link.predicate, theirs))
        record = record_iri(link)
        graph.add((record, RDF.type, RDF.Statement))
        graph.add((record, RDF.subject, ours))
        graph.add((record, RDF.predicate, link.predicate))
        graph.add((record, RDF.object, theirs))
        graph.add((record, JT.confidence, Literal(f"{link.confidence:.3f}", datatype=XSD.decimal)))
        graph.add((record, DCTERMS.description, Literal(link.method)))
        decision = link.decision if accepted else REJECTED
        if decision != BY_THRESHOLD:
            graph.add((record, DCTERMS.source, Literal(decision)))
    return graph


def stored(store: Dataset) -> Stored:
    """The links, rejections and threshold in the links graph (empty when there is none)."""
    found = Stored()
    records: dict[str, dict[str, ox.Term]] = {}
    asserted: set[tuple[str, str]] = set()
    for quad in store.quads_for_pattern(None, None, None, _LINKS):
        s, p, o = quad.subject.value, quad.predicate.value, quad.object
        if s == LINKS_GRAPH and p == str(JT.confidence):
            found.threshold = float(o.value)
        elif p in _IDENTITY and isinstance(o, ox.NamedNode):
            asserted.add((s, o.value))
        else:
            records.setdefault(s, {})[p] = o
    for fields in records.values():
        if not all(str(p) in fields for p in (RDF.subject, RDF.object, RDF.predicate)):
            continue
        ours, theirs = fields[str(RDF.subject)].value, fields[str(RDF.object)].value
        confidence = fields.get(str(JT.confidence))
        source = fields.get(str(DCTERMS.source))
        link = Link(
            ours,
            theirs,
            float(confidence.value) if confidence is not None else 1.0,
            fields[str(DCTERMS.description)].value if str(DCTERMS.description) in fields else "",
            concept=fields[str(RDF.predicate)].value == str(SKOS.exactMatch),
            decision=source.value if source is not None else BY_THRESHOLD,
        )
        if (ours, theirs) in asserted:
            found.links.append(link)
            asserted.discard((ours, theirs))
        elif link.decision == REJECTED:
            found.rejected.append(link)
    for ours, theirs in sorted(asserted):  # a link written without a record (SPARQL Update)
        found.links.append(Link(ours, theirs, 1.0, "stored without a record"))
    return found


def store_links(
    links: list[Link],
    location: Location,
    threshold: float | None = DEFAULT_THRESHOLD,
    rejected: Iterable[Link] = (),
    extra: Change | None = None,
) -> str:
    """Replaces the links graph through the change pipeline (graph/change.py), which
    re-derives what it makes the linked entities share; returns the new generation.
    ``extra``: a change of another graph to make in the same commit (an import)."""
    published = location.open()
    before = {(x.ours, x.theirs) for x in stored(published).links}
    issue, rdf_type = ox.NamedNode(str(JT.Issue)), ox.NamedNode(str(RDF.type))
    links = [
        replace(
            link,
            concept=link.concept
            or any(True for _ in published.quads_for_pattern(ox.NamedNode(link.ours), rdf_type, issue)),
        )
        for link in links
    ]
    del published
    changed = {theirs for _, theirs in before ^ {(x.ours, x.theirs) for x in links}}
    quads = [ox.Quad(*map(to_ox, t), _LINKS) for t in links_graph(links, rejected, threshold)]  # type: ignore[misc]
    if extra is None:
        change = Change("replace", graph=_LINKS, quads=quads)
    else:
        change = replace(extra, quads=[*extra.quads, *quads], clear=(*extra.clear, _LINKS))
    with links_changing(changed):
        return commit(location, change)
