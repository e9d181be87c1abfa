"""Mapping sets checked against the ontology: a row is refused, with its file and line,
where it would make the translation contradict the ontology together with the sets
already in force — one foreign class read as two disjoint classes, one foreign property
read as properties whose domains or ranges are disjoint, or as a class and a property, or
as a datatype and an object property.

Disjoint includes a union's members: ``jt:Polity`` (institutions and states) is disjoint
with ``jt:Person``. A row read only on our domain (a broader foreign property) contradicts
an unguarded row for the same foreign property, which is read on the same subjects too;
two guarded rows never do, since each reads only where its own domain already holds
(``schema:startDate`` is ``jt:date`` on events and ``jt:startDate`` on positions).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from rdflib import OWL, RDF, URIRef

from jtkg.graph.mappings import Mapping, MappingError, MappingSet
from jtkg.graph.reason import default_schema
from jtkg.ontology import JT, PREFIXES, load_ontology


def supers(cls: URIRef) -> set[URIRef]:
    return {cls, *default_schema().superclasses.get(cls, ())}  # type: ignore[arg-type]


@cache
def disjoint_pairs() -> frozenset[frozenset[URIRef]]:
    ontology = load_ontology()
    pairs: set[frozenset[URIRef]] = set()
    for a, b in ontology.subject_objects(OWL.disjointWith):
        pairs.add(frozenset((a, b)))  # type: ignore[arg-type]
    for group in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(ontology.items(ontology.value(group, OWL.members)))
        pairs |= {frozenset((a, b)) for a in members for b in members if a != b}  # type: ignore[misc]
    # A union is disjoint with what each of its members is disjoint with (jt:Polity, the
    # institutions and states, with jt:Person); unions of unions in as many rounds.
    unions = {
        cls: [m for m in ontology.items(members) if isinstance(m, URIRef)]
        for cls, members in ontology.subject_objects(OWL.unionOf)
        if isinstance(cls, URIRef)
    }
    classes = {c for pair in pairs for c in pair} | set(unions)
    while True:
        found = {
            frozenset((union, other))
            for union, members in unions.items()
            for other in classes
            if members and all(frozenset((m, other)) in pairs for m in members)
        } - pairs
        if not found:
            return frozenset(pairs)
        pairs |= found


def disjoint(a: Iterable[URIRef], b: Iterable[URIRef]) -> bool:
    """Whether some class of ``a`` and some class of ``b`` cannot share an instance."""
    left = set().union(*(supers(c) for c in a))
    right = set().union(*(supers(c) for c in b))
    return any(frozenset((x, y)) in disjoint_pairs() for x in left for y in right)


def _ends(prop: URIRef, table: str) -> set[URIRef]:
    schema = default_schema()
    found = getattr(schema, table).get(prop, set())
    return {c for c in found if str(c).startswith(str(JT))}  # type: ignore[misc]


def check(new: MappingSet, loaded: Iterable[MappingSet] = ()) -> None:
    """Refuses ``new`` (MappingError, its file and line) where it contradicts the ontology
    alone or with the sets already ``loaded``."""
    seen: dict[URIRef, list[Mapping]] = {}
    for mapping_set in loaded:
        for mapping in mapping_set.mappings:
            if mapping.inward or mapping.guarded:
                seen.setdefault(mapping.theirs, []).append(mapping)
    for mapping in new.mappings:
        if not (mapping.inward or mapping.guarded):
            continue
        for earlier in seen.get(mapping.theirs, []):
            if mapping.guarded and earlier.guarded:
                continue  # each is read only where its own domain already holds
            if _clash(mapping, earlier):
                raise MappingError(f"{mapping.where}: {_clash(mapping, earlier)} (with {earlier.where})")
        seen.setdefault(mapping.theirs, []).append(mapping)


def _clash(a: Mapping, b: Mapping) -> str:
    name = _short(a.theirs)
    classes = {"class", "type"}
    if (a.kind in classes) != (b.kind in classes):
        return f"{name} is read as a class in one row and as a property in another"
    if a.kind == "class":
        if disjoint([a.ours], [b.ours]):
            return f"{name} would be both {_short(a.ours)} and {_short(b.ours)}, which are disjoint"
        return ""
    if {a.kind, b.kind} == {"object", "datatype"}:
        return f"{name} is read as a datatype property in one row and an object property in another"
    if a.inverse != b.inverse or a.through != b.through or a.value != b.value:
        return ""
    if disjoint(_ends(a.ours, "domains"), _ends(b.ours, "domains")):
        both = f"{_short(a.ours)} and {_short(b.ours)}"
        return f"domain clash: {name} is read as {both}, whose domains are disjoint"
    if disjoint(_ends(a.ours, "ranges"), _ends(b.ours, "ranges")):
        return (
            f"range clash: {name} is read as {_short(a.ours)} and {_short(b.ours)}, whose ranges are disjoint"
        )
    return ""


def _short(term: URIRef) -> str:
    text = str(term)
    for prefix, ns in {**PREFIXES, **_KNOWN}.items():
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns) :]}"
    return f"<{text}>"


_KNOWN = {
    "wdt": "http://www.wikidata.org/prop/direct/",
    "ps": "http://www.wikidata.org/prop/statement/",
    "pq": "http://www.wikidata.org/prop/qualifier/",
    "p": "http://www.wikidata.org/prop/",
    "wd": "http://www.wikidata.org/entity/",
    "dbo": "http://dbpedia.org/ontology/",
}
