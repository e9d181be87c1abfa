"""The other direction of the qualified rows: a jt value written in the shape theirs reads.

A row that reads a value through a node (``jtkg_value=label``: ``org:role`` → the label
of an ``org:Role`` is ``jt:roleTitle``; ``jtkg_through``: ``org:memberDuring`` /
``time:hasBeginning`` → ``jt:startDate``, ``ps:P39`` / ``wdt:P1001`` → ``jt:positionIn``)
has no single term to rewrite ours into, so `export --vocabulary` builds the node::

    pos jt:roleTitle "Minister" ; jt:startDate "2021-08-01"^^xsd:date .
    →  pos org:role _:r . _:r a org:Role ; skos:prefLabel "Minister" .
       pos org:memberDuring _:i . _:i a time:Interval ; time:hasBeginning _:b .
       _:b a time:Instant ; time:inXSDDate "2021-08-01"^^xsd:date .

The nodes are blank, one per subject and property (named from a hash of both, so an
export is the same every time and two quads of one position share its interval, in
whichever graph each is); each quad written stays in the graph of the quad it comes from.
Importing the export translates back to the same positions (tested).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD
from rdflib.namespace import SKOS

from jtkg.graph.mappings import MappingSet
from jtkg.graph.translation_org import TIME

ORG = "http://www.w3.org/ns/org#"
_TYPE = ox.NamedNode(str(RDF.type))
#: The class and the naming property of the node a labelled or through row reaches, where
#: the vocabulary says (ORG's roles are SKOS concepts); else untyped, named by rdfs:label.
NODE_SHAPES = {
    ORG + "role": (ORG + "Role", str(SKOS.prefLabel)),
    ORG + "memberDuring": (TIME + "Interval", None),
}
#: An instant's literal property for each date datatype (graph/translation_org.py reads them).
INSTANT_PROPERTIES = {
    str(XSD.date): TIME + "inXSDDate",
    str(XSD.gYear): TIME + "inXSDgYear",
    str(XSD.gYearMonth): TIME + "inXSDgYearMonth",
    str(XSD.dateTime): TIME + "inXSDDateTime",
    str(XSD.dateTimeStamp): TIME + "inXSDDateTimeStamp",
}


@dataclass(frozen=True)
class _Rule:
    via: str  # the property from the subject to the node
    theirs: str | None  # the node's property carrying the value (None: its label)
    instant: bool = False


@dataclass
class Qualified:
    """Our datatype or object property → how its value is written through a node."""

    rules: dict[str, list[_Rule]] = field(default_factory=dict)

    @classmethod
    def of(cls, sets: list[MappingSet]) -> Qualified:
        qualified = cls()
        for mapping_set in sets:
            for m in mapping_set.mappings:
                if m.inverse or not (m.value or m.through):
                    continue
                if m.through is not None:
                    rule = _Rule(str(m.through), str(m.theirs), m.value == "instant")
                else:
                    rule = _Rule(str(m.theirs), None)
                qualified.rules.setdefault(str(m.ours), []).append(rule)
        return qualified

    def __contains__(self, predicate: str) -> bool:
        return predicate in self.rules

    def quads(self, quad: ox.Quad) -> list[ox.Quad]:
        """The quads that write ``quad``'s value in their shape (none: no rule covers it)."""
        rules = self.rules.get(quad.predicate.value, ())
        out: list[ox.Quad] = []
        s, o, g = quad.subject, quad.object, quad.graph_name
        for rule in rules:
            node = _node(s, rule.via)  # type: ignore[arg-type]
            written: list[tuple[Any, Any, Any]] = [(s, ox.NamedNode(rule.via), node)]
            cls, label = NODE_SHAPES.get(rule.via, (None, None))
            if cls is not None:
                written.append((node, _TYPE, ox.NamedNode(cls)))
            if rule.theirs is None:
                written.append((node, ox.NamedNode(label or str(RDFS.label)), o))
            elif rule.instant:
                prop = isinstance(o, ox.Literal) and INSTANT_PROPERTIES.get(o.datatype.value)
                if not prop:
                    continue  # not a date an instant can carry
                instant = _node(s, rule.via, rule.theirs)  # type: ignore[arg-type]
                written += [
                    (node, ox.NamedNode(rule.theirs), instant),
                    (instant, _TYPE, ox.NamedNode(TIME + "Instant")),
                    (instant, ox.NamedNode(prop), o),
                ]
            else:
                written.append((node, ox.NamedNode(rule.theirs), o))
            out += [ox.Quad(a, b, c, g) for a, b, c in written]
        return out


def _node(subject: ox.NamedNode | ox.BlankNode, *properties: str) -> ox.BlankNode:
    key = "|".join((subject.value, *properties))
    return ox.BlankNode("q" + hashlib.sha256(key.encode()).hexdigest()[:20])
