"""Event rules on sentences of our own (mentions given by hand)."""

from __future__ import annotations

from jtkg.ontology import JT
from tests.relations_kit import find


def _events(text: str) -> list[tuple[str, str | None]]:
    rel = find(text, states=["Japan", "Taiwan"])
    return [
        (f.entity.label, f.date.iso() if f.date else None)
        for f in rel.dated.values()
        if f.entity.cls == JT.Event
    ]


def test_an_event_noun_modifying_another_noun_is_no_event() -> None:
    # regression: "disaster relief" gave an event "Disaster (2024-03-03)"
    assert _events("Japan sent disaster relief to Taiwan on March 3, 2024.") == []


def test_an_event_noun_as_the_head_is_an_event() -> None:
    assert _events("Japan and Taiwan held a summit on March 3, 2024.") == [
        ("Summit (2024-03-03)", "2024-03-03")
    ]


def test_a_heading_event_merges_into_the_dated_one_in_a_new_index() -> None:
    text = "Report Launch Webinar\n\nThe Varda Center hosted a webinar on March 17, 2021."
    rel = find(text, orgs=["Varda Center"], events=["Report Launch Webinar"])
    given = rel.given  # type: ignore[attr-defined]
    assert [m.entity.label for m in given.mentions if m.entity.cls == JT.Event] == [
        "Report Launch Webinar"
    ]  # the mention stage's index is not edited
    assert rel.index is not None
    merged = [m.entity for m in rel.index.mentions if m.entity.cls == JT.Event]
    assert [e.label for e in merged] == ["Varda Center webinar (2021-03-17)"]
    assert "Report Launch Webinar" in merged[0].aliases
