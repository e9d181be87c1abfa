"""Linking our entities to the entities of imported graphs.

Proposals come, in this order, from shared Wikidata identifiers; from normalized names and
aliases where the types agree (a foreign type agrees with one of our classes when the
ontology aligns that class with it, e.g. jt:Person ⊑ schema:Person, or when a mapping set
reads it as that class, e.g. ``wdt:P31 wd:Q5`` as jt:Person); and from a name written in
another order or with its syllables joined otherwise ("Ing-wen Tsai", "Tsai Ingwen" for
"Tsai Ing-wen"). Never across disjoint types: a foreign entity that a mapping set reads as
a class disjoint with our entity's is not linked to it, by any method. Each proposal has a
confidence; those at or above a threshold are accepted, the rest wait for review in a TSV
file (graph/link_review.py) that a user edits and applies.

Our entities are read from the graphs the build and users write, never from the inferred
graph (which holds what the links themselves lend our entities): so proposals do not
depend on the links already made, and re-linking what changed (graph/relink.py) gives what
a full ``jtkg link`` gives.

Accepted links go to their own graph (graph/link_store.py); linked entities answer as one
because the foreign entity's triples are rewritten onto our IRI, the canonical one, into
the inferred graph: as many triples as the foreign entity has, never the pairwise closure
that owl:sameAs reasoning would materialize.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from jtkg.graph.derive import LINKS_GRAPH, LINKS_KEY, foreign_graphs
from jtkg.graph.link_model import DEFAULT_THRESHOLD, Link, LinkError, best_per_pair
from jtkg.graph.link_store import store_links
from jtkg.graph.location import Dataset
from jtkg.graph.mapping_checks import disjoint, supers
from jtkg.graph.mapping_sets import loaded_sets
from jtkg.graph.translation import class_rules
from jtkg.ontology import GRAPH, ID, INFERRED_GRAPH, JT

__all__ = [
    "DEFAULT_THRESHOLD",
    "LINKS_GRAPH",
    "LINKS_KEY",
    "Link",
    "LinkError",
    "foreign_graphs",
    "propose",
    "store_links",
]
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
#: A name in another order or with its syllables joined otherwise; untyped: below 0.8.
BY_ORDER, BY_ORDER_UNTYPED = 0.8, 0.5


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


def orders(name: str) -> set[str]:
    """A normalized name of two to four words as family name | given name, read both ways
    (family name first or last) with the given name's syllables joined: "tsai ing wen",
    "ing wen tsai" and "tsai ingwen" share "tsai|ingwen"."""
    words = name.split()
    if not 2 <= len(words) <= 4:
        return set()
    return {f"{words[0]}|{''.join(words[1:])}", f"{words[-1]}|{''.join(words[:-1])}"}


@cache
def aligned_types() -> dict[str, set[str]]:
    """For each of our core classes, the classes that agree with it: itself and the
    superclasses the ontology gives it, without those shared by three or more core classes
    (jt:Actor, prov:Entity…), which say too little to tell a person from a state."""
    supers_of = {name: {str(c) for c in supers(JT[name])} for name in CORE_CLASSES}
    counts: dict[str, int] = defaultdict(int)
    for classes in supers_of.values():
        for cls in classes:
            counts[cls] += 1
    return {str(JT[name]): {c for c in classes if counts[c] < 3} for name, classes in supers_of.items()}


Typing = tuple[dict[Node, set[URIRef]], set[Node]]


def foreign_typing(store: Dataset) -> Typing:
    """How the mapping sets in force read a foreign entity's type (translation.class_rules)."""
    return class_rules(loaded_sets(store))  # type: ignore[arg-type]


def _entities(
    store: Dataset,
    graphs: list[str],
    ours: bool,
    iris: Iterable[str] | None = None,
    typing: Typing | None = None,
) -> dict[str, Entity]:
    """The entities of ``graphs`` with their types, names, aliases and Wikidata items;
    ``iris``: only these; ``typing``: how foreign types are read (default: the store's)."""
    names = " ".join(f"<{p}>" for p in NAME_PROPERTIES)
    aliases = " ".join(f"<{p}>" for p in ALIAS_PROPERTIES)
    identity = " ".join(f"<{p}>" for p in IDENTITY_PROPERTIES)
    classes, typed_by = ({}, set()) if ours else typing or foreign_typing(store)
    types = " ".join(f"<{p}>" for p in sorted({RDF.type, *typed_by}))
    wanted = sorted(iris) if iris is not None else None
    only = "VALUES ?e { " + " ".join(f"<{iri}>" for iri in wanted) + " }" if wanted is not None else ""
    query = f"""SELECT ?e ?kind ?value WHERE {{ {only} GRAPH ?g {{
        {{ VALUES ?p {{ {types} }} ?e ?p ?value BIND("type" AS ?kind) }}
        UNION {{ VALUES ?p {{ {names} }} ?e ?p ?value BIND("name" AS ?kind) }}
        UNION {{ VALUES ?p {{ {aliases} }} ?e ?p ?value BIND("alias" AS ?kind) }}
        UNION {{ VALUES ?p {{ {identity} }} ?e ?p ?value BIND("same" AS ?kind) }} }}
        FILTER(isIRI(?e)) }}"""
    found: dict[str, Entity] = {}
    if not graphs or wanted == []:
        return found
    rows = store.query(
        query,
        default_graph=[ox.NamedNode(str(GRAPH["empty"]))],
        named_graphs=[ox.NamedNode(g) for g in graphs],
    )
    for row in rows:  # type: ignore[union-attr]
        iri, kind, value = row["e"].value, row["kind"].value, row["value"].value
        if ours and not iri.startswith(str(ID)):
            continue
        entity = found.setdefault(iri, Entity(iri, set(), set(), set(), set()))
        if kind == "type":
            entity.types.add(value)
            entity.types |= {str(c) for c in classes.get(_schema_http(value), ())}
        elif kind in ("name", "alias") and isinstance(row["value"], ox.Literal):
            (entity.names if kind == "name" else entity.aliases).add(normalize(value))
            if kind == "name" and (not entity.label or row["value"].language == "en"):
                entity.label = value
        elif kind == "same" and (match := WIKIDATA.match(value)):
            entity.qids.add(match.group(1))
    for entity in found.values():
        if match := WIKIDATA.match(entity.iri):  # a graph that names things by Wikidata IRIs
            entity.qids.add(match.group(1))
        if ours:  # our classes closed upward here: the inferred graph is not read
            entity.types |= {str(c) for t in list(entity.types) for c in supers(URIRef(t))}
    return found


def _schema_http(iri: str) -> URIRef:
    # schema.org reads http: and https: as one vocabulary; the mapping sets write http:.
    return URIRef(iri.replace("https://schema.org/", "http://schema.org/", 1))


@dataclass
class Index:
    """Our entities, by Wikidata item, by name or alias, and by name order."""

    ours: dict[str, Entity]
    by_qid: dict[str, list[Entity]] = field(default_factory=lambda: defaultdict(list))
    by_name: dict[str, list[tuple[Entity, bool]]] = field(default_factory=lambda: defaultdict(list))
    by_order: dict[str, list[Entity]] = field(default_factory=lambda: defaultdict(list))

    def keys(self, entity: Entity) -> set[str]:
        """What an entity is found by: its items, names and name orders (one key space)."""
        return {
            *(f"q {q}" for q in entity.qids),
            *(f"n {n}" for n in entity.names | entity.aliases),
            *(f"o {o}" for n in entity.names | entity.aliases for o in orders(n)),
        }


def our_graphs(graphs: Iterable[str]) -> list[str]:
    """The graphs our entities are read from: all but the imported, links and inferred."""
    foreign = set(foreign_graphs(graphs))
    skip = {LINKS_GRAPH, str(INFERRED_GRAPH)}
    return [g for g in graphs if g not in foreign and g not in skip and not g.startswith("@")]


def index(store: Dataset, graphs: Iterable[str]) -> Index:
    agree = aligned_types()
    found = _entities(store, our_graphs(graphs), ours=True)
    built = Index({iri: e for iri, e in found.items() if e.types & set(agree)})
    for entity in built.ours.values():
        for qid in entity.qids:
            built.by_qid[qid].append(entity)
        for name in entity.names | entity.aliases:
            built.by_name[name].append((entity, name in entity.names))
            for key in orders(name):
                if entity not in built.by_order[key]:
                    built.by_order[key].append(entity)
    return built


def propose(
    store: Dataset, graphs: dict[str, int] | Iterable[str], only: dict[str, set[str] | None] | None = None
) -> list[Link]:
    """Links between our entities and those of every imported graph, best first, one per
    pair. ``only``: the foreign graphs to read, each with the entities to propose for (None:
    all of that graph's)."""
    built = index(store, graphs)
    scope = only if only is not None else dict.fromkeys(foreign_graphs(graphs))
    links: list[Link] = []
    typing = foreign_typing(store)
    for graph, iris in sorted(scope.items()):
        for theirs in _entities(store, [graph], ours=False, iris=iris, typing=typing).values():
            if theirs.iri not in built.ours:
                links += match(theirs, graph, built)
    return best_per_pair(links)


def _agrees(entity: Entity, theirs: Entity) -> bool:
    """Whether our entity's classes agree with the foreign types (untyped: no objection)."""
    agree = aligned_types()
    classes = {c for t in entity.types if t in agree for c in agree[t]}
    return not theirs.types or bool(theirs.types & classes)


def _disjoint(entity: Entity, theirs: Entity) -> bool:
    mine = [URIRef(t) for t in entity.types if t.startswith(str(JT))]
    read = [URIRef(t) for t in theirs.types if t.startswith(str(JT))]
    return bool(mine and read) and disjoint(mine, read)


def match(theirs: Entity, graph: str, built: Index) -> list[Link]:
    """The links proposed for one foreign entity, each with 1/k of its confidence when it
    matches k of ours."""
    candidates: dict[str, tuple[Entity, float, str]] = {}
    for qid in theirs.qids:
        for entity in built.by_qid.get(qid, []):
            if not _disjoint(entity, theirs):
                candidates[entity.iri] = (entity, BY_WIKIDATA, f"wikidata {qid}")
    if not candidates:
        for name in theirs.names | theirs.aliases:
            for entity, main in built.by_name.get(name, []):
                if not _comparable(entity, theirs):
                    continue
                both_main = main and name in theirs.names
                score = BY_NAME_UNTYPED if not theirs.types else BY_NAME if both_main else BY_ALIAS
                method = ("name" if both_main else "alias") + _untyped(theirs)
                if score > candidates.get(entity.iri, (None, 0.0, ""))[1]:
                    candidates[entity.iri] = (entity, score, method)
    if not candidates:
        for key in {o for n in theirs.names | theirs.aliases for o in orders(n)}:
            for entity in built.by_order.get(key, []):
                if _comparable(entity, theirs):
                    score = BY_ORDER if theirs.types else BY_ORDER_UNTYPED
                    candidates[entity.iri] = (entity, score, "name in another order" + _untyped(theirs))
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


def _comparable(entity: Entity, theirs: Entity) -> bool:
    if entity.qids and theirs.qids and not entity.qids & theirs.qids:
        return False  # both identified, differently: not the same thing
    return _agrees(entity, theirs) and not _disjoint(entity, theirs)


def _untyped(theirs: Entity) -> str:
    return "" if theirs.types else ", foreign entity untyped"
