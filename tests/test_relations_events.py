"""Event rules on sentences of our own (mentions given by hand)."""

from __future__ import annotations

from jtkg.ontology import JT
from tests.relations_kit import find


def _events(text: str) -> list[tuple[str, str | None]]:
    rel = find(text, states=["Japan", "Taiwan"])
    return [(f.entity.label, f.date.iso() if f.date else None) for f in rel.dated.values()
            if f.entity.cls == JT.Event]


def test_an_event_noun_modifying_another_noun_is_no_event() -> None:
    # regression: "disaster relief" gave an event "Disaster (2024-03-03)"
    assert _events("Japan sent disaster relief to Taiwan on March 3, 2024.") == []


def test_an_event_noun_as_the_head_is_an_event() -> None:
    assert _events("Japan and Taiwan held a summit on March 3, 2024.") == [
        ("Summit (2024-03-03)", "2024-03-03")]
