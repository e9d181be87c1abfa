"""W3C ORG's qualified membership, read onto jt:Position: the time of a membership.

ORG says when a membership held with ``org:memberDuring``, a ``time:Interval`` whose
``time:hasBeginning`` / ``time:hasEnd`` are ``time:Instant`` nodes carrying the date as an
XSD literal (``time:inXSDDate``, ``inXSDDateTimeStamp``, ``inXSDDateTime``,
``inXSDgYearMonth``, ``inXSDgYear``)::

    ex:m a org:Membership ; org:member ex:p ; org:organization ex:o ; org:role ex:r ;
        org:memberDuring [ a time:Interval ;
            time:hasBeginning [ a time:Instant ; time:inXSDDate "2021-08-01"^^xsd:date ] ] .

The bundled W3C ORG set reads it with two rows (``ontology/mappings/w3c-org.sssom.tsv``):
``time:hasBeginning`` → ``jt:startDate`` and ``time:hasEnd`` → ``jt:endDate``, each
``jtkg_through=org:memberDuring`` (read on the membership that reaches the interval) and
``jtkg_value=instant`` (our value is the instant's literal, as this module finds it). An
instant given as a plain literal (``time:hasBeginning "2021"^^xsd:gYear``, which some
publishers write) is taken as it is. The rest of the pattern is ordinary rows:
``org:Membership``/``org:Post`` → ``jt:Position``, ``org:member``/``org:heldBy`` →
``jt:heldBy``, ``org:holds`` → ``jt:holds``, ``org:organization``/``org:postIn`` →
``jt:positionIn``, and ``org:role`` → ``jt:roleTitle`` as the label of the ``org:Role``.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.term import Node

TIME = "http://www.w3.org/2006/time#"
#: An instant's XSD literals, the most precise first (one instant may give several).
INSTANT_VALUES = tuple(
    URIRef(TIME + name)
    for name in ("inXSDDate", "inXSDDateTimeStamp", "inXSDDateTime", "inXSDgYearMonth", "inXSDgYear")
)


def instant_value(node: Node, by_subject: dict[Node, list[tuple[Node, Node]]]) -> Node:
    """The date literal of an OWL-Time instant (the most precise it gives), the literal
    itself for a plain one, else ``node`` unchanged (the translation then reports it as not
    a literal date)."""
    if isinstance(node, Literal):
        return node
    pairs = by_subject.get(node, ())
    for prop in INSTANT_VALUES:
        found = sorted((o for p, o in pairs if p == prop and isinstance(o, Literal)), key=str)
        if found:
            return found[0]  # two of one kind disagree: the same one every time
    return node
