"""Offices with no state named ("Prime Minister NAME") and unit titles with no organization
("Asia Program Director NAME"): where the document says they are held, never a guess."""

from __future__ import annotations

import re

from jtkg.loaders.facts import PositionFact
from jtkg.loaders.gazetteer import Entity
from jtkg.loaders.relation_context import DocumentContext
from jtkg.ontology import JT

#: Offices held in a state (the head word of the role): an unqualified "Prime Minister NAME"
#: takes its state from the document, never from a guess.
STATE_OFFICES = {
    "president",
    "minister",
    "premier",
    "chancellor",
    "ambassador",
    "envoy",
    "king",
    "queen",
    "emperor",
    "vice-president",
    "president-elect",
    "secretary",
}
_NOT_PORTFOLIO = {
    "minister",
    "ministers",
    "of",
    "the",
    "for",
    "and",
    "deputy",
    "vice",
    "senior",
    "state",
    "former",
    "then",
    "acting",
    "chief",
}


def ministry_state(doc: DocumentContext, office: str) -> set[Entity]:
    """ "Minister of Foreign Affairs NAME": the state of the one ministry of that portfolio
    the text places in a state ("Japan's Ministry of Foreign Affairs")."""
    if "minister" not in office.split():
        return set()
    portfolio = [w for w in office.split() if w not in _NOT_PORTFOLIO]
    if not portfolio:
        return set()
    return {
        state
        for entity, state, _, _ in doc.index.based_in
        if "ministry" in entity.label.lower() and all(w in entity.label.lower() for w in portfolio)
    }


def _office(role: str) -> str:
    words = [w for w in role.lower().split() if w not in ("former", "then", "the")]
    return " ".join(words).removeprefix("then-").removeprefix("ex-")


#: Words of a title that name a unit of an organization ("East Asia Program Director").
UNIT_WORDS = {
    "Program",
    "Programme",
    "Department",
    "Division",
    "Initiative",
    "Project",
    "Office",
    "Unit",
    "Desk",
}


def offices_named(doc: DocumentContext, office: str) -> set[Entity]:
    """The states the text names for an office, with or without a holder: "Japan's prime
    minister", "Japanese prime ministers", "the Taiwanese President"."""
    found: set[Entity] = set()
    words = r"[ \t]+".join(re.escape(w) for w in office.split())
    for m in re.finditer(
        rf"\b(?P<owner>[A-Z][\w.]*(?:[ \t]+[A-Z][\w.]*)?)(?:[’']s)?[ \t]+"
        rf"(?i:{words})s?\b",
        doc.text,
    ):
        owner = m.group("owner")
        state = None
        for candidate in (owner, owner.split()[-1]):
            state = doc.demonym_states.get(candidate) or (
                doc.states_for_demonym(candidate) if doc.states_for_demonym else None
            )
            hit = doc.gazetteer.lookup(candidate)
            state = state or (hit if hit is not None and hit.cls == JT.State else None)
            if state is not None:
                break
        if state is not None:
            found.add(state)
    return found


def resolve_offices(
    positions: list[PositionFact], publisher: Entity | None = None, doc: DocumentContext | None = None
) -> list[PositionFact]:
    """An office with no state named ("Prime Minister NAME") takes the state of the same
    person's other positions when they name one state; else the state the document names
    for that same office elsewhere ("Ruritanian Prime Minister NAME2"), when only one and
    no one beside the person in that sentence holds it there. A title naming a unit of an
    organization and no organization ("Asia Program Director NAME") is held at the
    document's publisher: an institution writing about its own staff."""
    by_person: dict[object, set[Entity]] = {}
    by_office: dict[str, set[Entity]] = {}
    #: (office, sentence start) where someone holds the office in a named state: "Prime
    #: Minister A met Ruritanian Prime Minister B" says A is not Ruritania's.
    beside: set[tuple[str, int]] = set()
    for p in positions:
        if p.polity is not None and p.polity.cls == JT.State:
            by_person.setdefault(p.person.iri, set()).add(p.polity)
            by_office.setdefault(_office(p.role), set()).add(p.polity)
            beside.add((_office(p.role), p.span.start))
    resolved: list[PositionFact] = []
    for p in positions:
        office = _office(p.role)
        if (
            p.polity is None
            and publisher is not None
            and publisher.cls == JT.Institution
            and UNIT_WORDS & set(p.role.split())
            and not by_person.get(p.person.iri)
        ):
            p = PositionFact(
                p.person,
                p.role,
                publisher,
                p.span,
                min(p.confidence, 0.6),
                p.start,
                p.end,
                p.former,
                "unit-of-publisher",
            )
        if p.polity is not None or not office or not STATE_OFFICES & set(office.split()):
            resolved.append(p)
            continue
        states = by_person.get(p.person.iri, set())
        if len(states) != 1 and (office, p.span.start) not in beside:
            states = by_office.get(office, set())
            if not states and doc is not None:  # "Japanese prime ministers have ..."
                states = offices_named(doc, office) or ministry_state(doc, office)
        if len(states) == 1:
            p = PositionFact(
                p.person,
                p.role,
                next(iter(states)),
                p.span,
                min(p.confidence, 0.7),
                p.start,
                p.end,
                p.former,
                "office-state",
            )
        resolved.append(p)
    return resolved
