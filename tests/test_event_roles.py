"""Roles at an event (loaders/event_roles.py): listed under a heading, or given by a
sentence; each participant's evidence is the span that names that participant."""

from __future__ import annotations

import pytest
from rdflib import RDF, URIRef

from jtkg.graph.reason import materialize
from jtkg.loaders.facts import DatedFact, Relations
from jtkg.loaders.gazetteer import Entity
from jtkg.loaders.participations import emit_participations
from jtkg.loaders.text import Span
from jtkg.ontology import JT, OA
from tests.relations_kit import find

EVENT = "The Varda Center hosted a webinar on March 17, 2021."
PEOPLE = ["Jane Roe", "John Doe", "Ann Lee", "Mia Chen", "Tom Fox", "Lia Park", "Ben Kay", "Sam Wu"]


def _parts(
    text: str, persons: list[str] = PEOPLE, orgs: list[str] = ("Varda Center",)
) -> list[tuple[str, str, str]]:  # type: ignore[assignment]
    """(name, role, the words of its evidence) of the document's one event."""
    rel = find(text, persons=persons, orgs=list(orgs))
    events = [f for f in rel.dated.values() if f.entity.cls == JT.Event]
    assert len(events) == 1, [f.entity.label for f in events]
    return [(p.actor.label, p.role, text[p.span.start : p.span.end]) for p in events[0].parts]


def test_listed_names_take_the_heading_role_each_on_its_own_line() -> None:
    text = f"Harbour Forum\n\n*Panelists:*\n\nJane Roe\n\nJohn Doe, Senior Fellow, Varda Center\n\nAnn Lee (Moderator)\n\n{EVENT}\n"
    parts = _parts(text)
    assert ("Jane Roe", "panelist", "Jane Roe") in parts
    assert ("John Doe", "panelist", "John Doe, Senior Fellow, Varda Center") in parts
    # the line's own role wins over the heading's
    assert ("Ann Lee", "moderator", "Ann Lee (Moderator)") in parts
    assert not any(name == "Ann Lee" and role == "panelist" for name, role, _ in parts)


def test_a_heading_with_its_names_on_the_line() -> None:
    text = f"{EVENT}\n\nModerator: Ann Lee\n\nSpeakers: Jane Roe, John Doe and Mia Chen\n"
    parts = _parts(text)
    assert ("Ann Lee", "moderator", "Moderator: Ann Lee") in parts
    for name in ("Jane Roe", "John Doe", "Mia Chen"):
        assert (name, "speaker", "Speakers: Jane Roe, John Doe and Mia Chen") in parts


def test_a_host_heading_takes_an_organization() -> None:
    text = f"{EVENT}\n\nHost: Varda Center\n"
    assert ("Varda Center", "host", "Host: Varda Center") in _parts(text)


def test_a_list_ends_at_the_first_line_that_is_no_name() -> None:
    text = f"Speakers:\n\nJane Roe\n\n{EVENT} John Doe wrote about it later in a long article of his own.\n"
    parts = _parts(text)
    assert ("Jane Roe", "speaker", "Jane Roe") in parts
    assert not any(name == "John Doe" for name, _, _ in parts)


@pytest.mark.parametrize(
    ("sentence", "name", "role"),
    [
        ("The webinar was moderated by Dr. Mia Chen.", "Mia Chen", "moderator"),
        ("The session was chaired by Tom Fox.", "Tom Fox", "chair"),
        ("Keynote speaker Lia Park spoke first.", "Lia Park", "keynote"),
        ("It began with a keynote by Lia Park.", "Lia Park", "keynote"),
        ("The day began with opening remarks by Ben Kay.", "Ben Kay", "speaker"),
        ("Ann Lee, who moderated the discussion, thanked the panel.", "Ann Lee", "moderator"),
        ("Ann Lee, who moderated, thanked everyone.", "Ann Lee", "moderator"),
        ("Sam Wu served as discussant.", "Sam Wu", "discussant"),
        ("Jane Roe (Moderator) opened the floor.", "Jane Roe", "moderator"),
        ("Tom Fox chaired the second session.", "Tom Fox", "chair"),
        ("Jane Roe, the moderator, asked the first question.", "Jane Roe", "moderator"),
        ("It went on with Sam Wu as discussant.", "Sam Wu", "discussant"),
        ("Speakers included Ben Kay and Sam Wu.", "Sam Wu", "speaker"),
        ("The panelists were Jane Roe and John Doe.", "John Doe", "panelist"),
    ],
)
def test_a_sentence_gives_a_name_its_role(sentence: str, name: str, role: str) -> None:
    parts = _parts(f"{EVENT} {sentence}")
    assert (name, role, sentence) in parts


def test_hosted_by_gives_an_organization_the_host_role() -> None:
    text = "A webinar on March 17, 2021 was hosted by the Varda Center."
    assert ("Varda Center", "host", text) in _parts(text)


def test_names_joined_by_and_share_the_role() -> None:
    sentence = "Opening remarks were given by Ben Kay and Sam Wu."
    parts = _parts(f"{EVENT} {sentence}")
    assert ("Ben Kay", "speaker", sentence) in parts and ("Sam Wu", "speaker", sentence) in parts


def test_chaired_by_in_a_sentence_about_no_event_is_no_role() -> None:
    # "chaired by" is a committee's as often as an event's
    parts = _parts(f"{EVENT} The reform commission was chaired by Tom Fox.")
    assert not any(name == "Tom Fox" for name, _, _ in parts)


@pytest.mark.parametrize(
    "sentence",
    [
        "Tom Fox chaired the reform committee.",
        "Tom Fox served as chair of the webinar's sponsor, a reform committee.",
        "Tom Fox, who chaired the committee, was not there.",
    ],
)
def test_a_post_is_no_role_at_the_event(sentence: str) -> None:
    parts = _parts(f"{EVENT} {sentence}")
    assert not any(name == "Tom Fox" for name, _, _ in parts)


def test_an_organization_is_no_moderator() -> None:
    parts = _parts(f"{EVENT} The webinar was moderated by the Varda Center.")
    assert not any(role == "moderator" for _, role, _ in parts)


def test_a_plain_participant_keeps_its_own_sentence() -> None:
    sentence = "Jane Roe joined the discussion."
    parts = _parts(f"{EVENT} {sentence}")
    assert ("Jane Roe", "", sentence) in parts


class _Writer:
    def __init__(self) -> None:
        self.triples: list[tuple[object, object, object]] = []
        self.annotations: list[tuple[URIRef, Span, str]] = []

    def fact(self, triple):  # type: ignore[no-untyped-def]
        self.triples.append(triple)

    def annotate(self, body, span, confidence, motivation, how=""):  # type: ignore[no-untyped-def]
        assert motivation == OA.describing
        self.annotations.append((body, span, how))


def test_each_participation_is_a_node_annotated_with_its_own_span() -> None:
    event = Entity.discovered(JT.Event, "Harbour Forum (2021-03-17)")
    roe, doe, org = (
        Entity.discovered(JT.Person, "Jane Roe"),
        Entity.discovered(JT.Person, "John Doe"),
        Entity.discovered(JT.Institution, "Varda Center"),
    )
    fact = DatedFact(event, Span(100, 150))
    fact.join(roe, Span(10, 18), "moderator", "listed-participants")
    fact.join(roe, Span(200, 240), "", "participation")  # a role's evidence wins over this
    fact.join(doe, Span(20, 28), "panelist", "listed-participants")
    fact.actors.append(org)  # an actor no rule placed: the event's own span
    rel = Relations(dated={str(event.iri): fact})
    out = _Writer()
    emit_participations(out, "doc", rel)
    t = set(out.triples)
    assert (event.iri, JT.moderator, roe.iri) in t and (event.iri, JT.panelist, doe.iri) in t
    nodes = {o for s, p, o in t if p == JT.qualifiedParticipation}
    assert len(nodes) == 3
    by_agent = {o: n for n, p, o in t if p == JT.agent}
    assert (by_agent[roe.iri], JT["role"], JT.moderator) in t
    assert (by_agent[org.iri], JT["role"], JT.participant) in t
    assert all((n, RDF.type, JT.Participation) in t for n in nodes)
    spans = {body: span for body, span, _ in out.annotations}
    assert spans[by_agent[roe.iri]] == Span(10, 18)
    assert spans[by_agent[doe.iri]] == Span(20, 28)
    assert spans[by_agent[org.iri]] == Span(100, 150)
    assert len(out.annotations) == 3  # Roe's plain participation is not a node of its own


def test_reasoning_makes_a_role_a_participation_both_ways() -> None:
    event, person = URIRef("urn:x:event"), URIRef("urn:x:person")
    inferred = set(materialize([(event, JT.keynoteSpeaker, person)]))
    assert (event, JT.speaker, person) in inferred
    assert (event, JT.participant, person) in inferred
    assert (person, JT.participatedIn, event) in inferred
    assert (person, JT.keynoteSpeakerAt, event) in inferred
    assert (person, JT.speakerAt, event) in inferred


def _violations(triples: set[tuple[URIRef, URIRef, object]]) -> list[str]:
    from rdflib import Literal

    from jtkg.graph.validate import validate

    event, org = (
        URIRef("https://w3id.org/jtkg/id/event/forum"),
        URIRef("https://w3id.org/jtkg/id/institution/varda"),
    )
    base = {
        (event, RDF.type, JT.Event),
        (event, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("Forum", lang="en")),
        (org, RDF.type, JT.Institution),
        (org, RDF.type, JT.Actor),
        (org, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("Varda", lang="en")),
    }
    return [v.message for v in validate(base | triples).violations]


def test_shapes_refuse_an_organization_as_moderator_and_a_participation_without_role() -> None:
    event, org = (
        URIRef("https://w3id.org/jtkg/id/event/forum"),
        URIRef("https://w3id.org/jtkg/id/institution/varda"),
    )
    node = URIRef("https://w3id.org/jtkg/id/participation/doc/1")
    assert _violations({(event, JT.host, org)}) == []
    assert "jt:moderator must point to a jt:Person" in _violations({(event, JT.moderator, org)})
    typed = {
        (event, JT.qualifiedParticipation, node),
        (node, RDF.type, JT.Participation),
        (node, JT.agent, org),
    }
    assert any("exactly one jt:role" in m for m in _violations(typed))
    assert _violations(typed | {(node, JT["role"], JT.host)}) == []
    assert any("exactly one jt:role" in m for m in _violations(typed | {(node, JT["role"], JT.Event)}))
