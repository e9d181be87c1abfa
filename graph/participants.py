"""An event's participants grouped by role, each with its own evidence; and, for an actor,
the events it took part in and in what role.

The roles are jt:participant's sub-properties (jt:moderator, jt:panelist, …); each
``jt:Participation`` node qualifies one actor's link to the event, and its Web Annotation is
the passage (a list line or a sentence) that names that actor there. A participant linked
without a node (a fact written by hand) is listed under "participant", without a passage.
Read with bounded queries, the nodes first and then their passages (an OPTIONAL over the
store would be evaluated whole before the join).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from jtkg.ontology import JT, OA

_UNION = {"use_default_graph_as_union": True}
_PREFIXES = f"PREFIX jt: <{JT}> PREFIX oa: <{OA}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"
#: Most participants read for one page (an event is rarely larger; the RDF has them all).
MAX_PARTICIPANTS = 200
#: Passages shown for one participant in one role.
MAX_PASSAGES = 3
#: The roles in the order a page shows them; a role not here comes after them.
ROLE_ORDER = (
    "host",
    "chair",
    "moderator",
    "keynoteSpeaker",
    "speaker",
    "panelist",
    "discussant",
    "participant",
)
#: What the participants section shows, so an event's Facts table leaves it out: the
#: links, the qualified nodes, and the schema.org terms reasoning adds for them.
PARTICIPANT_PREDICATES = (
    *(str(JT[name]) for name in ROLE_ORDER),
    str(JT.qualifiedParticipation),
    "http://schema.org/attendee",
    "http://schema.org/organizer",
    "http://schema.org/performer",
)

#: The same links seen from the actor (the inverses reasoning adds): an actor's "took
#: part in" section shows them.
INVERSE_PREDICATES = tuple(
    str(JT[name])
    for name in (
        "participatedIn",
        "hostOf",
        "chairOf",
        "moderatorOf",
        "keynoteSpeakerAt",
        "speakerAt",
        "panelistAt",
        "discussantAt",
    )
)


@dataclass
class Evidence:
    document: str
    start: int
    end: int
    exact: str


@dataclass
class Participant:
    iri: str
    label: str
    passages: list[Evidence] = field(default_factory=list)


@dataclass
class RoleGroup:
    role: str
    #: The role's label from the ontology ("moderator"), plural where there are several.
    label: str
    participants: list[Participant] = field(default_factory=list)
    #: The label for one participant ("panelist").
    singular: str = ""


@dataclass
class TookPart:
    """One event an actor took part in, in one role, with the passage that says so."""

    event: str
    label: str
    role: str
    role_label: str
    passages: list[Evidence] = field(default_factory=list)


def participants(store: ox.Store, event: str) -> list[RoleGroup]:
    """The event's participants by role (ROLE_ORDER), each with its own passages."""
    ox.NamedNode(event)  # refuses "<", ">" and spaces: safe to write into a query
    nodes = list(
        store.query(
            f"""{_PREFIXES} SELECT DISTINCT ?n ?who ?role WHERE {{
          <{event}> jt:qualifiedParticipation ?n . ?n jt:agent ?who ; jt:role ?role }}
          LIMIT {MAX_PARTICIPANTS}""",
            **_UNION,
        )
    )
    linked = [
        r["who"]
        for r in store.query(
            f"{_PREFIXES} SELECT DISTINCT ?who WHERE {{ <{event}> jt:participant ?who }} "
            f"LIMIT {MAX_PARTICIPANTS}",
            **_UNION,
        )
    ]
    evidence = _passages(store, [r["n"] for r in nodes])
    by_role: dict[str, dict[str, Participant]] = {}
    for row in nodes:
        who = row["who"].value
        entry = by_role.setdefault(row["role"].value, {}).setdefault(who, Participant(who, who))
        entry.passages.extend(evidence.get(row["n"].value, []))
    placed = {who for group in by_role.values() for who in group}
    for who in linked:
        if who.value not in placed and isinstance(who, ox.NamedNode):
            by_role.setdefault(str(JT.participant), {})[who.value] = Participant(who.value, who.value)
    names = _labels(store, {w for g in by_role.values() for w in g} | set(by_role))
    groups = []
    for role, found in sorted(by_role.items(), key=lambda kv: _rank(kv[0])):
        people = sorted(found.values(), key=lambda p: (_first(p), names.get(p.iri, p.iri)))
        for person in people:
            person.label = names.get(person.iri, person.iri.rsplit("/", 1)[-1])
            person.passages = sorted(person.passages, key=lambda e: (e.document, e.start))[:MAX_PASSAGES]
        label = names.get(role, role.rsplit("#", 1)[-1])
        groups.append(RoleGroup(role, _plural(label) if len(people) > 1 else label, people, label))
    return groups


def took_part(store: ox.Store, actor: str, rows: int = 50) -> list[TookPart]:
    """The events ``actor`` took part in, each role with its passage, oldest event first."""
    ox.NamedNode(actor)
    nodes = list(
        store.query(
            f"""{_PREFIXES} SELECT DISTINCT ?n ?event ?role WHERE {{
          ?n jt:agent <{actor}> ; jt:role ?role . ?event jt:qualifiedParticipation ?n }}
          LIMIT {rows}""",
            **_UNION,
        )
    )
    if not nodes:
        return []
    evidence = _passages(store, [r["n"] for r in nodes])
    names = _labels(store, {r["event"].value for r in nodes} | {r["role"].value for r in nodes})
    found = [
        TookPart(
            r["event"].value,
            names.get(r["event"].value, r["event"].value),
            r["role"].value,
            names.get(r["role"].value, r["role"].value.rsplit("#", 1)[-1]),
            sorted(evidence.get(r["n"].value, []), key=lambda e: (e.document, e.start))[:MAX_PASSAGES],
        )
        for r in nodes
    ]
    return sorted(found, key=lambda t: (t.label, _rank(t.role)))


def _passages(store: ox.Store, nodes: list[ox.Term]) -> dict[str, list[Evidence]]:
    """Each participation node's passages, in one query over those nodes."""
    if not nodes:
        return {}
    values = " ".join(str(n) for n in dict.fromkeys(nodes))
    found: dict[str, list[Evidence]] = {}
    for row in store.query(
        f"""{_PREFIXES} SELECT DISTINCT ?n ?doc ?start ?end ?exact WHERE {{ VALUES ?n {{ {values} }}
          ?a oa:hasBody ?n ; oa:hasTarget ?t . ?t oa:hasSource ?doc ; oa:hasSelector ?q, ?p .
          ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end }}""",
        **_UNION,
    ):
        found.setdefault(row["n"].value, []).append(
            Evidence(row["doc"].value, int(row["start"].value), int(row["end"].value), row["exact"].value)
        )
    return found


def _labels(store: ox.Store, iris: set[str]) -> dict[str, str]:
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in iris)
    found: dict[str, str] = {}
    for row in store.query(
        f"""{_PREFIXES} SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} ?s rdfs:label ?l }}
        ORDER BY DESC(lang(?l) = "en") LIMIT {20 * len(iris)}""",
        **_UNION,
    ):
        found.setdefault(row["s"].value, row["l"].value)
    return found


def _rank(role: str) -> tuple[int, str]:
    name = role.rsplit("#", 1)[-1]
    return (
        ROLE_ORDER.index(name) if role.startswith(str(JT)) and name in ROLE_ORDER else len(ROLE_ORDER),
        name,
    )


def _first(person: Participant) -> int:
    """Where the text first names the participant (list order), for the order on the page."""
    return min((e.start for e in person.passages), default=1 << 30)


def _plural(label: str) -> str:
    words = label.split()
    if not words:
        return label
    last = words[-1]
    words[-1] = last[:-1] + "ies" if last.endswith("y") else last + "s"
    return " ".join(words)
