"""Linking our entities to the entities of imported graphs.

Proposals come from shared Wikidata identifiers first, then from normalized names and
aliases where the types agree (a foreign type agrees with one of our classes when the
ontology aligns that class with it, e.g. jt:Person ⊑ schema:Person). Each has a confidence;
those at or above a threshold are accepted, the rest wait for review in a TSV file that a
user edits and applies.

Accepted links go to their own graph as ``owl:sameAs`` (``skos:exactMatch`` between issues,
which are SKOS concepts), each with a reified record of its confidence and method. Linked
entities answer as one because the foreign entity's triples are rewritten onto our IRI, the
canonical one, into the inferred graph: as many triples as the foreign entity has, never
the pairwise closure that owl:sameAs reasoning would materialize.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from jtkg.graph.change import Change, commit
from jtkg.graph.derive import LINKS_GRAPH, LINKS_KEY, foreign_graphs
from jtkg.graph.location import Dataset, Location
from jtkg.graph.store import to_ox
from jtkg.loaders.errors import BadInput
from jtkg.ontology import GRAPH, ID, JT

__all__ = ["LINKS_GRAPH", "LINKS_KEY", "foreign_graphs", "propose", "store_links"]
#: Links at or above this confidence are accepted unless a review file says otherwise.
DEFAULT_THRESHOLD = 0.8
CORE_CLASSES = ("Person", "Institution", "State", "Agreement", "Policy", "Issue", "Event")
WIKIDATA = re.compile(r"^https?://(?:www\.)?wikidata\.org/(?:entity|wiki)/(Q[1-9][0-9]*)$")
NAME_PROPERTIES = (
    RDFS.label,
    SKOS.prefLabel,
    URIRef("http://schema.org/name"),
    URIRef("http://xmlns.com/foaf/0.1/name"),
)
ALIAS_PROPERTIES = (SKOS.altLabel, URIRef("http://schema.org/alternateName"))
IDENTITY_PROPERTIES = (OWL.sameAs, SKOS.exactMatch, URIRef("http://schema.org/sameAs"))
#: Confidence by how a link was found.
BY_WIKIDATA, BY_NAME, BY_ALIAS, BY_NAME_UNTYPED = 1.0, 0.9, 0.8, 0.6
REVIEW_COLUMNS = ("decision", "confidence", "method", "ours", "ours_label", "theirs", "theirs_label", "graph")


class LinkError(BadInput):
    """Linking cannot go on: a one-line reason (a review file's line number included)."""


@dataclass(frozen=True)
class Link:
    ours: str
    theirs: str
    confidence: float
    method: str
    ours_label: str = ""
    theirs_label: str = ""
    graph: str = ""
    concept: bool = False

    @property
    def predicate(self) -> URIRef:
        return SKOS.exactMatch if self.concept else OWL.sameAs


@dataclass
class Entity:
    iri: str
    types: set[str]
    names: set[str]
    aliases: set[str]
    qids: set[str]
    label: str = ""


def normalize(name: str) -> str:
    """A name for comparison: accents, case, punctuation and a leading article set aside."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold().replace("&", " and ")
    text = " ".join(re.sub(r"[^\w]+", " ", text).split())
    return text[4:] if text.startswith("the ") else text


def aligned_types() -> dict[str, set[str]]:
    """For each of our core classes, the classes that agree with it: itself and the
    superclasses the ontology gives it, without those shared by three or more core classes
    (jt:Actor, prov:Entity…), which say too little to tell a person from a state."""
    from jtkg.graph.pipeline import default_base

    closed = default_base().closed
    supers = {
        name: {str(o) for s, p, o in closed if s == JT[name] and p == RDFS.subClassOf} | {str(JT[name])}
        for name in CORE_CLASSES
    }
    counts: dict[str, int] = defaultdict(int)
    for classes in supers.values():
        for cls in classes:
            counts[cls] += 1
    return {str(JT[name]): {c for c in classes if counts[c] < 3} for name, classes in supers.items()}


def _entities(store: Dataset, graphs: list[str], ours: bool) -> dict[str, Entity]:
    names = " ".join(f"<{p}>" for p in NAME_PROPERTIES)
    aliases = " ".join(f"<{p}>" for p in ALIAS_PROPERTIES)
    identity = " ".join(f"<{p}>" for p in IDENTITY_PROPERTIES)
    query = f"""SELECT ?e ?kind ?value WHERE {{ GRAPH ?g {{
        {{ ?e a ?value BIND("type" AS ?kind) }}
        UNION {{ VALUES ?p {{ {names} }} ?e ?p ?value BIND("name" AS ?kind) }}
        UNION {{ VALUES ?p {{ {aliases} }} ?e ?p ?value BIND("alias" AS ?kind) }}
        UNION {{ VALUES ?p {{ {identity} }} ?e ?p ?value BIND("same" AS ?kind) }} }}
        FILTER(isIRI(?e)) }}"""
    found: dict[str, Entity] = {}
    rows = store.query(
        query,
        default_graph=[ox.NamedNode(str(GRAPH["empty"]))],
        named_graphs=[ox.NamedNode(g) for g in graphs],
    )
    for row in rows:
        iri, kind, value = row["e"].value, row["kind"].value, row["value"].value
        if ours and not iri.startswith(str(ID)):
            continue
        entity = found.setdefault(iri, Entity(iri, set(), set(), set(), set()))
        if kind == "type":
            entity.types.add(value)
        elif kind in ("name", "alias") and isinstance(row["value"], ox.Literal):
            (entity.names if kind == "name" else entity.aliases).add(normalize(value))
            if kind == "name" and (not entity.label or row["value"].language == "en"):
                entity.label = value
        elif kind == "same" and (match := WIKIDATA.match(value)):
            entity.qids.add(match.group(1))
    for entity in found.values():
        if match := WIKIDATA.match(entity.iri):  # a graph that names things by Wikidata IRIs
            entity.qids.add(match.group(1))
    return found


def propose(store: Dataset, graphs: dict[str, int]) -> list[Link]:
    """Links between our entities and those of every imported graph, best first."""
    foreign = foreign_graphs(graphs)
    mine = [g for g in graphs if g not in foreign and g != LINKS_GRAPH]
    agree = aligned_types()
    ours = {iri: e for iri, e in _entities(store, mine, ours=True).items() if e.types & set(agree)}
    by_qid: dict[str, list[Entity]] = defaultdict(list)
    by_name: dict[str, list[tuple[Entity, bool]]] = defaultdict(list)
    for entity in ours.values():
        for qid in entity.qids:
            by_qid[qid].append(entity)
        for name in entity.names | entity.aliases:
            by_name[name].append((entity, name in entity.names))
    links: list[Link] = []
    for graph in foreign:
        for theirs in _entities(store, [graph], ours=False).values():
            if theirs.iri in ours:
                continue
            links += _match(theirs, graph, by_qid, by_name, agree)
    return sorted(links, key=lambda link: (-link.confidence, link.ours, link.theirs))


def _match(
    theirs: Entity,
    graph: str,
    by_qid: dict[str, list[Entity]],
    by_name: dict[str, list[tuple[Entity, bool]]],
    agree: dict[str, set[str]],
) -> list[Link]:
    candidates: dict[str, tuple[Entity, float, str]] = {}
    for qid in theirs.qids:
        for entity in by_qid.get(qid, []):
            candidates[entity.iri] = (entity, BY_WIKIDATA, f"wikidata {qid}")
    if not candidates:
        for name in theirs.names | theirs.aliases:
            for entity, main in by_name.get(name, []):
                if entity.qids and theirs.qids and not entity.qids & theirs.qids:
                    continue  # both identified, differently: not the same thing
                classes = {c for t in entity.types if t in agree for c in agree[t]}
                if theirs.types and not theirs.types & classes:
                    continue
                both_main = main and name in theirs.names
                score = BY_NAME_UNTYPED if not theirs.types else BY_NAME if both_main else BY_ALIAS
                method = "name" if both_main else "alias"
                if not theirs.types:
                    method += ", foreign entity untyped"
                if score > candidates.get(entity.iri, (None, 0.0, ""))[1]:
                    candidates[entity.iri] = (entity, score, method)
    share = len(candidates)
    return [
        Link(
            entity.iri,
            theirs.iri,
            round(score / share, 3),
            method + (f", {share} candidates" if share > 1 else ""),
            entity.label,
            theirs.label,
            graph,
            str(JT.Issue) in entity.types,
        )
        for entity, score, method in candidates.values()
    ]


# ------------------------------------------------------------ review files


def write_review(links: list[Link], path: Path, threshold: float) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(
            f"# jtkg link proposals. Set decision to accept or reject, then run "
            f"`jtkg link --apply {path.name}`. Pre-filled: accept at or above {threshold}.\n"
        )
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(REVIEW_COLUMNS)
        for link in links:
            writer.writerow(
                [
                    "accept" if link.confidence >= threshold else "reject",
                    f"{link.confidence:.3f}",
                    link.method,
                    link.ours,
                    link.ours_label,
                    link.theirs,
                    link.theirs_label,
                    link.graph,
                ]
            )


def read_review(path: Path) -> list[Link]:
    """The accepted rows of an edited review file."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise LinkError(f"{path}: cannot be read ({exc})") from None
    rows = [(n, line) for n, line in enumerate(lines, start=1) if line.strip() and not line.startswith("#")]
    if not rows or rows[0][1].split("\t")[: len(REVIEW_COLUMNS)] != list(REVIEW_COLUMNS):
        raise LinkError(f"{path}: not a review file (its header must be: {' '.join(REVIEW_COLUMNS)})")
    accepted = []
    for number, line in rows[1:]:
        cells = line.split("\t")
        if len(cells) != len(REVIEW_COLUMNS):
            raise LinkError(f"{path}:{number}: {len(cells)} columns; a row has {len(REVIEW_COLUMNS)}")
        row = dict(zip(REVIEW_COLUMNS, cells, strict=True))
        decision = row["decision"].strip().lower()
        if decision not in ("accept", "reject"):
            raise LinkError(f"{path}:{number}: decision is {row['decision']!r}; write accept or reject")
        try:
            confidence = float(row["confidence"])
            ox.NamedNode(row["ours"]), ox.NamedNode(row["theirs"])
        except ValueError:
            raise LinkError(f"{path}:{number}: a confidence or an IRI is not valid") from None
        if not 0.0 <= confidence <= 1.0 or not row["ours"].startswith(str(ID)):
            raise LinkError(
                f"{path}:{number}: the confidence must be in [0, 1] and the first IRI one of ours ({ID}…)"
            )
        if decision == "accept":
            accepted.append(
                Link(
                    row["ours"],
                    row["theirs"],
                    confidence,
                    row["method"],
                    row["ours_label"],
                    row["theirs_label"],
                    row["graph"],
                )
            )
    return accepted


# ------------------------------------------------------------ storing


def links_graph(links: Iterable[Link]) -> Graph:
    """The links with a reified record of each one's confidence and method."""
    graph = Graph()
    for link in links:
        ours, theirs = URIRef(link.ours), URIRef(link.theirs)
        graph.add((ours, link.predicate, theirs))
        record = ID["link/" + hashlib.sha256(f"{link.ours} {link.theirs}".encode()).hexdigest()[:20]]
        graph.add((record, RDF.type, RDF.Statement))
        graph.add((record, RDF.subject, ours))
        graph.add((record, RDF.predicate, link.predicate))
        graph.add((record, RDF.object, theirs))
        graph.add((record, JT.confidence, Literal(f"{link.confidence:.3f}", datatype=XSD.decimal)))
        graph.add((record, DCTERMS.description, Literal(link.method)))
    return graph


def store_links(links: list[Link], location: Location) -> str:
    """Replaces the links graph through the change pipeline (graph/change.py), which
    re-derives what it makes the linked entities share; returns the new generation."""
    published = location.open()
    issue, rdf_type = ox.NamedNode(str(JT.Issue)), ox.NamedNode(str(RDF.type))
    links = [
        Link(
            **{
                **link.__dict__,
                "concept": link.concept
                or any(True for _ in published.quads_for_pattern(ox.NamedNode(link.ours), rdf_type, issue)),
            }
        )
        for link in links
    ]
    del published
    target = ox.NamedNode(LINKS_GRAPH)
    quads = [ox.Quad(*map(to_ox, t), target) for t in links_graph(links)]  # type: ignore[misc]
    return commit(location, Change("replace", graph=target, quads=quads))
