"""Event pages with roles (issue 15): participants grouped by role, each with the passage
that names that participant (its list line or sentence), linked to its place in the
document; an actor's page lists the events it took part in; the RDF description carries
each participation and its evidence."""

from __future__ import annotations

import re

import pyoxigraph as ox

from jtkg.graph.describe import description
from jtkg.graph.views import entity_view

WEBINAR = "https://w3id.org/jtkg/id/event/stimson-center-webinar-2021-03-17"
TATSUMI = "https://w3id.org/jtkg/id/person/yuki-tatsumi"
JT = "https://w3id.org/jtkg/ontology#"
PANEL = ("Madoka Fukuda", "Kayo Takuma", "Takahisa Kawaguchi", "Yuka Koshino")


def _text(store: ox.Store, document: str) -> str:
    rows = list(
        store.query(f"SELECT ?t WHERE {{ <{document}> <{JT}text> ?t }}", use_default_graph_as_union=True)
    )
    return rows[0]["t"].value


def test_participants_are_grouped_by_role_each_with_its_own_line(oxstore) -> None:  # type: ignore[no-untyped-def]
    view = entity_view(oxstore, WEBINAR)
    assert view is not None
    groups = {g.role.removeprefix(JT): g for g in view.participants}
    assert [p.label for p in groups["moderator"].participants] == ["Yuki Tatsumi"]
    assert [p.label for p in groups["panelist"].participants] == list(PANEL)  # in list order
    assert groups["panelist"].label == "panelists"
    assert [p.label for p in groups["host"].participants] == ["Stimson Center"]
    passages = set()
    for person in groups["panelist"].participants:
        (passage,) = person.passages
        assert passage.exact == person.label  # the line that names this panelist, no other
        text = _text(oxstore, passage.document)
        assert text[passage.start : passage.end] == passage.exact  # offsets into the raw text
        passages.add((passage.start, passage.end))
    assert len(passages) == len(PANEL)  # not one shared sentence
    (line,) = groups["moderator"].participants[0].passages
    assert line.exact == "Yuki Tatsumi (Moderator)"
    # the participants' side of the links (participatedIn, panelistAt, …) is not listed again
    assert not [row for row in view.incoming if "/person/" in row[0] or "/institution/" in row[0]]


def test_the_event_page_shows_the_roles_and_links_each_passage(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/id/event/stimson-center-webinar-2021-03-17", headers={"Accept": "text/html"})
    html = page.get_data(as_text=True)
    section = html.split('id="participants"')[1].split("</div>\n")[0]
    assert re.search(r"<h3>Moderator</h3>\s*<ul[^>]*>.*Yuki Tatsumi", section, re.S)
    assert "<h3>Panelists</h3>" in section and "<h3>Host</h3>" in section
    links = re.findall(
        r'href="/id/document/stimson-japan-taiwan-relations-webinar\?highlight=(\d+)-(\d+)#passage"', section
    )
    assert len(set(links)) >= len(PANEL) + 2
    facts = html.split('id="facts"')[1].split("</table>")[0]
    assert "participant" not in facts and "attendee" not in facts  # the section shows them once


def test_an_actor_page_lists_the_events_it_took_part_in_with_its_role(oxstore) -> None:  # type: ignore[no-untyped-def]
    view = entity_view(oxstore, TATSUMI)
    assert view is not None
    roles = {(t.event, t.role_label) for t in view.took_part}
    assert (WEBINAR, "moderator") in roles
    moderated = next(t for t in view.took_part if t.role_label == "moderator")
    assert [p.exact for p in moderated.passages] == ["Yuki Tatsumi (Moderator)"]
    assert not [f for f in view.facts if f.predicate in (f"{JT}participatedIn", f"{JT}moderatorOf")]
    assert not [row for row in view.incoming if row[0] == WEBINAR]


def test_the_description_carries_each_participation_and_its_passage(oxstore) -> None:  # type: ignore[no-untyped-def]
    triples = description(oxstore, WEBINAR)
    by = {}
    for t in triples:
        by.setdefault(t.subject.value, {}).setdefault(t.predicate.value, []).append(t.object.value)
    nodes = by[WEBINAR][f"{JT}qualifiedParticipation"]
    assert len(nodes) >= 6
    quoted = set()
    for node in nodes:
        assert by[node][f"{JT}agent"] and by[node][f"{JT}role"]
        annotations = [s for s, p in by.items() if node in p.get("http://www.w3.org/ns/oa#hasBody", [])]
        assert annotations, node
        for a in annotations:
            target = by[a]["http://www.w3.org/ns/oa#hasTarget"][0]
            for selector in by[target]["http://www.w3.org/ns/oa#hasSelector"]:
                quoted.update(by[selector].get("http://www.w3.org/ns/oa#exact", []))
    assert {"Yuki Tatsumi (Moderator)", *PANEL} <= quoted
    assert f"{JT}moderator" in by[WEBINAR] and TATSUMI in by[WEBINAR][f"{JT}moderator"]
