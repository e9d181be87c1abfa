"""Each participant of an event with its role and its own evidence, as RDF.

For every actor of an event the document graph gets the role's link (``jt:moderator`` …, a
sub-property of ``jt:participant``, which emit.py writes for every actor) and a
``jt:Participation`` node qualifying that one link (``jt:agent``, ``jt:role``), annotated
with the words that name that actor there: its list line or its sentence, not the event's.
An actor with a role is given only its roles' nodes; one the document names without a role
gets a node of ``jt:participant``, on the sentence that names it (else the event's).
"""

from __future__ import annotations

import hashlib
from typing import Protocol

from rdflib import RDF, URIRef
from rdflib.term import Node

from jtkg.loaders.event_role_words import ROLE_PROPERTIES
from jtkg.loaders.facts import DatedFact, Part, Relations
from jtkg.loaders.gazetteer import Entity
from jtkg.loaders.text import Span
from jtkg.ontology import ID, JT, OA

#: Most passages kept as one participation's evidence (the first in the text).
MAX_EVIDENCE = 3
#: Confidence of a role the words give; a plain participant keeps its event's.
ROLE_CONFIDENCE = 0.75

_QUALIFIED, _PARTICIPATION = JT.qualifiedParticipation, JT.Participation
_AGENT, _ROLE = JT["agent"], JT["role"]
_ROLE_IRIS = {role: JT[name] for role, name in ROLE_PROPERTIES.items()}


class Writer(Protocol):
    """What this module needs of emit.Emitter (which it does not import)."""

    def fact(self, triple: tuple[Node, Node, Node | None]) -> None: ...

    def annotate(
        self, body: URIRef, span: Span, confidence: float, motivation: URIRef, how: str = ""
    ) -> None: ...


def emit_participations(out: Writer, slug: str, rel: Relations) -> None:
    """Every event's participants as role links and annotated participation nodes."""
    for fact in rel.dated.values():
        if fact.entity.cls != JT.Event:
            continue
        for actor in fact.actors:
            for role, parts in _roles(fact, actor).items():
                _participation(out, slug, fact, actor.iri, role, parts)


def _roles(fact: DatedFact, actor: Entity) -> dict[str, list[Part]]:
    """The actor's parts by role: its roles if it has any, else its plain participation
    (on the event's own span where no rule said where it is named)."""
    parts = sorted((p for p in fact.parts if p.actor.iri == actor.iri), key=lambda p: p.span.start)
    with_role = [p for p in parts if p.role]
    kept = with_role or parts
    if not kept:
        return {"": [Part(actor, "", fact.span, fact.rule)]}
    by_role: dict[str, list[Part]] = {}
    for part in kept:
        by_role.setdefault(part.role, []).append(part)
    return by_role


def _participation(
    out: Writer, slug: str, fact: DatedFact, actor: URIRef, role: str, parts: list[Part]
) -> None:
    event, prop = fact.entity.iri, _ROLE_IRIS[role]
    digest = hashlib.sha256(f"{event}\x1f{actor}\x1f{prop}".encode()).hexdigest()[:12]
    node = ID[f"participation/{slug}/{digest}"]
    if role:  # jt:participant itself is emit.py's, for every actor
        out.fact((event, prop, actor))
    out.fact((event, _QUALIFIED, node))
    out.fact((node, RDF.type, _PARTICIPATION))
    out.fact((node, _AGENT, actor))
    out.fact((node, _ROLE, prop))
    confidence = ROLE_CONFIDENCE if role else fact.confidence
    first: dict[Span, str] = {}
    for part in parts:  # the rule that first named the actor at each span
        first.setdefault(part.span, part.rule or fact.rule or "participant")
    for span, rule in list(first.items())[:MAX_EVIDENCE]:
        out.annotate(node, span, confidence, OA.describing, f"rule:{rule}")
