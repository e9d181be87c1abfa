"""Translation of another vocabulary's triples into jtkg terms, by the mapping sets.

A pure function: foreign triples, mapping sets and links (their IRI → ours) in, triples in
jt terms out, with every linked entity on our IRI. What it does, row kind by row kind (see
``graph/mappings.py`` for what a row permits):

- a class read as ours types the node (``schema:Person`` → ``jt:Person``); a property read as
  ``rdf:type`` (Wikidata's ``wdt:P31``) types the node by its value's class row;
- a property read as ours is rewritten (``schema:attendee`` → ``jt:participant``); one whose
  foreign term is broader only where the subject is already of our property's domain;
  dates become ``xsd:date`` / ``xsd:gYearMonth`` / ``xsd:gYear`` (a Wikidata
  ``xsd:dateTime`` keeps its day); ``jtkg_value=label`` takes the label of the value;
  ``jtkg_through`` reads the property on the value reached through another, which is how a
  Wikidata ``p:P39`` statement node becomes a ``jt:Position``: ``p:P39`` → ``jt:holds``,
  the label of its ``ps:P39`` value → ``jt:roleTitle``, that value's ``wdt:P1001`` →
  ``jt:positionIn``, ``pq:P580``/``pq:P582`` → ``jt:startDate``/``jt:endDate``;
- names: of every node translated, one English name (a name tagged ``en``, else an untagged
  one) becomes its ``rdfs:label`` and the others ``skos:altLabel``; a linked node keeps our
  canonical label, and all their names become ``skos:altLabel``;
- a translated ``jt:Position`` is attributed (``prov:wasAttributedTo``) to the graph it was
  read from, as a reviewed fact is to its reviewer: it has no words to cite.

Never translated: ``owl:sameAs`` and other identity (linking decides who is who), schema
axioms, and anything no row covers.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS
from rdflib.term import Node

from jtkg.graph.mapping_checks import supers
from jtkg.graph.mappings import Mapping, MappingSet
from jtkg.graph.reason import default_schema
from jtkg.ontology import JT

Triple = tuple[Node, Node, Node]
DATE_PROPERTIES = {JT.date, JT.startDate, JT.endDate, DCTERMS.issued}
#: Our datatype properties whose shape asks for a plain xsd:string.
STRING_PROPERTIES = {JT.roleTitle, JT.quote}
NAME_SOURCES = (RDFS.label, SKOS.prefLabel)
_SCHEMA_HTTPS = "https://schema.org/"
_DATE = re.compile(r"^(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass
class Translation:
    triples: set[Triple] = field(default_factory=set)
    #: Foreign triples a row covered that could not be translated, by reason.
    skipped: Counter[str] = field(default_factory=Counter)


@dataclass
class _Rules:
    classes: dict[Node, set[URIRef]] = field(default_factory=lambda: defaultdict(set))
    typing: set[Node] = field(default_factory=set)
    properties: dict[Node, list[Mapping]] = field(default_factory=lambda: defaultdict(list))
    through: dict[Node, list[Mapping]] = field(default_factory=lambda: defaultdict(list))
    names: set[Node] = field(default_factory=lambda: set(NAME_SOURCES))
    aliases: set[Node] = field(default_factory=lambda: {SKOS.altLabel})

    @classmethod
    def of(cls, sets: Iterable[MappingSet]) -> _Rules:
        rules = cls()
        for mapping_set in sets:
            for m in mapping_set.mappings:
                if not (m.inward or m.guarded):
                    continue
                if m.kind == "class":
                    if m.inward:
                        rules.classes[m.theirs].add(m.ours)
                elif m.kind == "type":
                    rules.typing.add(m.theirs)
                elif m.kind == "name":
                    (rules.names if m.ours == RDFS.label else rules.aliases).add(m.theirs)
                elif m.through is not None:
                    rules.through[m.theirs].append(m)
                else:
                    rules.properties[m.theirs].append(m)
        return rules


def _normal(node: Node) -> Node:
    # schema.org reads http: and https: as one vocabulary; the mapping sets write http:.
    if isinstance(node, URIRef) and str(node).startswith(_SCHEMA_HTTPS):
        return URIRef("http://schema.org/" + str(node)[len(_SCHEMA_HTTPS) :])
    return node


def _ends(prop: URIRef, table: str) -> set[URIRef]:
    found = getattr(default_schema(), table).get(prop, set())
    return {c for c in found if str(c).startswith(str(JT))}


def class_rules(sets: Iterable[MappingSet]) -> tuple[dict[Node, set[URIRef]], set[Node]]:
    """(foreign class → our classes, the properties read as rdf:type): how linking reads a
    foreign entity's type (graph/link.py)."""
    rules = _Rules.of(sets)
    return dict(rules.classes), set(rules.typing)


def translate(
    triples: Iterable[Triple],
    sets: Iterable[MappingSet],
    links: dict[Node, Node] | None = None,
    known_types: dict[Node, set[Node]] | None = None,
    graph: URIRef | None = None,
) -> Translation:
    """The jt-term triples that ``sets`` make of ``triples``; ``links`` maps their IRIs onto
    ours, ``known_types`` gives our entities' classes (for rows read only on a domain),
    ``graph`` is what a translated position is attributed to."""
    rules = _Rules.of(sets)
    links = links or {}
    known_types = known_types or {}
    by_subject: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    for s, p, o in triples:
        p = _normal(p)
        by_subject[s].append((p, _normal(o) if p == RDF.type else o))
    ours = lambda node: links.get(node, node)  # noqa: E731
    types = _types(by_subject, rules)
    for node in {*types, *(n for n in by_subject if ours(n) in known_types)}:
        types.setdefault(node, set()).update(*(supers(c) for c in known_types.get(ours(node), ())))  # type: ignore[arg-type]
    incoming = _incoming(by_subject, {m.through for ms in rules.through.values() for m in ms})
    result = Translation()
    out = result.triples
    for s, pairs in by_subject.items():
        for p, o in pairs:
            if p == RDF.type or p in rules.typing:
                out |= {(ours(s), RDF.type, cls) for cls in rules.classes.get(o, ())}
            for m in rules.properties.get(p, ()):
                _property(m, s, o, by_subject, types, ours, result)
            for m in rules.through.get(p, ()):
                for start in incoming.get((m.through, s), ()):
                    _property(m, start, o, by_subject, types, ours, result)
    _names(by_subject, out, links, ours, rules)
    if graph is not None:
        positions = {s for s, p, o in out if p == RDF.type and o == JT.Position}
        positions |= {o for s, p, o in out if p == JT.holds} | {s for s, p, o in out if p == JT.positionIn}
        out |= {(node, PROV.wasAttributedTo, graph) for node in positions}
    return result


def _types(by_subject: dict[Node, list[tuple[Node, Node]]], rules: _Rules) -> dict[Node, set[Node]]:
    """Our classes of each foreign node: by class rows, and by the domain and range of the
    unguarded property rows (a p:P39 statement node is a position)."""
    types: dict[Node, set[Node]] = defaultdict(set)
    for s, pairs in by_subject.items():
        for p, o in pairs:
            if p == RDF.type or p in rules.typing:
                types[s] |= rules.classes.get(o, set())
            for m in rules.properties.get(p, ()):
                if m.kind == "object" and not m.guarded and not isinstance(o, Literal):
                    subject, value = (o, s) if m.inverse else (s, o)
                    types[subject] |= _ends(m.ours, "domains")
                    types[value] |= _ends(m.ours, "ranges")
    return {node: set().union(*(supers(c) for c in classes)) for node, classes in types.items()}  # type: ignore[arg-type]


def _incoming(
    by_subject: dict[Node, list[tuple[Node, Node]]], through: set
) -> dict[tuple[Node, Node], list[Node]]:
    """(property, value) → the subjects that have it, for the properties rows read through."""
    found: dict[tuple[Node, Node], list[Node]] = defaultdict(list)
    for s, pairs in by_subject.items():
        for p, o in pairs:
            if p in through:
                found[(p, o)].append(s)
    return found


def _property(
    m: Mapping,
    s: Node,
    o: Node,
    by_subject: dict[Node, list[tuple[Node, Node]]],
    types: dict[Node, set[Node]],
    ours,  # type: ignore[no-untyped-def]
    result: Translation,
) -> None:
    if m.kind == "name":
        return  # names are chosen per node by _names
    subject, value = (o, s) if m.inverse else (s, o)
    if m.guarded and not (_ends(m.ours, "domains") <= types.get(subject, set())):
        return
    if m.value == "instant":  # an OWL-Time instant's date literal (ORG's org:memberDuring)
        from jtkg.graph.translation_org import instant_value

        value = instant_value(value, by_subject)
    elif m.value == "label":
        if isinstance(value, Literal):
            result.skipped[f"{m.theirs} value is not a node with a label"] += 1
            return
        label = _label(value, by_subject)
        if label is None:
            result.skipped[f"{m.theirs} value has no English label"] += 1
            return
        value = Literal(label)
    if m.kind == "datatype":
        literal = _literal(m.ours, value)
        if literal is None:
            result.skipped[f"{m.theirs} value is not a literal {_what(m.ours)}"] += 1
            return
        result.triples.add((ours(subject), m.ours, literal))
    elif isinstance(value, Literal):
        result.skipped[f"{m.theirs} value is a literal, not a node"] += 1
    else:
        result.triples.add((ours(subject), m.ours, ours(value)))


def _what(prop: URIRef) -> str:
    return "date" if prop in DATE_PROPERTIES else "string"


def _literal(prop: URIRef, value: Node) -> Literal | None:
    if not isinstance(value, Literal):
        return None
    if prop in DATE_PROPERTIES:
        return as_date(value)
    if prop in STRING_PROPERTIES:
        return Literal(str(value))
    return value


def as_date(value: Literal) -> Literal | None:
    """A date as our shapes take it: xsd:date, xsd:gYearMonth or xsd:gYear."""
    if value.datatype in (XSD.gYear, XSD.gYearMonth, XSD.date):
        return Literal(str(value), datatype=value.datatype)
    if value.datatype not in (None, XSD.dateTime, XSD.string, XSD.dateTimeStamp):
        return None
    match = _DATE.match(str(value).strip())
    if not match:
        return None
    year, month, day = match.groups()
    if day and month:
        return Literal(f"{year}-{month}-{day}", datatype=XSD.date)
    if month:
        return Literal(f"{year}-{month}", datatype=XSD.gYearMonth)
    return Literal(year, datatype=XSD.gYear)


def _label(node: Node, by_subject: dict[Node, list[tuple[Node, Node]]]) -> str | None:
    names = [
        o
        for p, o in by_subject.get(node, ())
        if isinstance(o, Literal) and p in (*NAME_SOURCES, _SCHEMA_NAME, _FOAF_NAME)
    ]
    english = sorted(
        str(n) for n in names if n.language in ("en", None) or (n.language or "").startswith("en-")
    )
    return english[0] if english else None


_SCHEMA_NAME = URIRef("http://schema.org/name")
_FOAF_NAME = URIRef("http://xmlns.com/foaf/0.1/name")


def _names(
    by_subject: dict[Node, list[tuple[Node, Node]]],
    out: set[Triple],
    links: dict[Node, Node],
    ours,  # type: ignore[no-untyped-def]
    rules: _Rules,
) -> None:
    """One English rdfs:label per translated foreign node, the other names skos:altLabel."""
    translated = {s for s, _, _ in out}
    for s, pairs in by_subject.items():
        target = ours(s)
        if target not in translated:
            continue
        names = [o for p, o in pairs if p in rules.names and isinstance(o, Literal)]
        aliases = [o for p, o in pairs if p in rules.aliases and isinstance(o, Literal)]
        label = None
        if s not in links:
            tagged = sorted(str(n) for n in names if n.language == "en")
            plain = sorted(str(n) for n in names if n.language is None and n.datatype in (None, XSD.string))
            label = (tagged or plain or [None])[0]
        if label is not None:
            out.add((target, RDFS.label, Literal(label, lang="en")))
        for name in names + aliases:
            if str(name) != label:
                out.add(
                    (
                        target,
                        SKOS.altLabel,
                        Literal(str(name), lang=name.language) if name.language else Literal(str(name)),
                    )
                )
