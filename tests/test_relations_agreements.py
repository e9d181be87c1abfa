"""Agreements named by a common noun, on sentences of our own (mentions given by hand)."""

from __future__ import annotations

from tests.relations_kit import find


def _agreements(rel):  # type: ignore[no-untyped-def]
    return [
        (f.entity.label, f.date.iso() if f.date else None, [a.label for a in f.actors])
        for f in rel.dated.values()
    ]


def test_memorandum_signed_by_the_subjects_with_its_date_and_topic() -> None:
    text = (
        "Japan and Taiwan signed a memorandum of understanding on coast guard cooperation on July 18, 2024."
    )
    assert _agreements(find(text, states=["Japan", "Taiwan"])) == [
        (
            "Japan-Taiwan memorandum of understanding on coast guard cooperation",
            "2024-07-18",
            ["Japan", "Taiwan"],
        )
    ]


def test_a_later_reference_is_the_agreement_introduced_before() -> None:
    text = (
        "Japan and Taiwan signed a memorandum of understanding on coast guard cooperation. "
        "The memorandum covers search and rescue. The MOU was welcomed."
    )
    rel = find(text, states=["Japan", "Taiwan"])
    assert len(rel.dated) == 1
    agreement = next(iter(rel.dated.values())).entity
    starts = [m.start for m in rel.new_entities if m.entity is agreement]
    assert [text[s : s + 3] for s in starts] == ["mem", "mem", "MOU"]


def test_the_two_sides_are_the_pair_just_named() -> None:
    text = (
        "Officials from Japan met their counterparts from Taiwan in May. "
        "The two sides signed an arrangement on fisheries. Critics said the accord was weak."
    )
    rel = find(text, states=["Japan", "Taiwan"])
    assert _agreements(rel) == [("Japan-Taiwan arrangement on fisheries", None, ["Japan", "Taiwan"])]
    assert len([m for m in rel.new_entities]) == 2  # "the accord" refers back


def test_joint_statement_of_two_organizations() -> None:
    text = "The Elbonia Trade Council and the Varda Chamber issued a joint statement on March 3, 2023."
    rel = find(text, orgs=["Elbonia Trade Council", "Varda Chamber"])
    assert _agreements(rel) == [
        (
            "Elbonia Trade Council-Varda Chamber joint statement",
            "2023-03-03",
            ["Elbonia Trade Council", "Varda Chamber"],
        )
    ]


def test_parties_between_a_and_b() -> None:
    text = "An agreement between Japan and Taiwan was reached in 2021."
    assert _agreements(find(text, states=["Japan", "Taiwan"])) == [
        ("Japan-Taiwan agreement", "2021", ["Japan", "Taiwan"])
    ]


def test_an_agreement_nobody_made_is_none() -> None:
    text = "Without an agreement, the talks will fail. An accord would help Japan."
    assert find(text, states=["Japan"]).dated == {}


def test_the_topic_concerns_an_issue_it_names() -> None:
    text = "Japan and Taiwan signed an accord on fisheries cooperation in 2015."
    rel = find(text, states=["Japan", "Taiwan"], issues=["fisheries cooperation"])
    fact = next(iter(rel.dated.values()))
    assert [c.label for c in fact.concerns] == ["fisheries cooperation"]


def test_a_reference_with_two_agreements_before_is_left_alone() -> None:
    text = (
        "Japan and Taiwan signed an accord on fisheries in 2015. Japan and Taiwan signed "
        "an accord on trade in 2016. The accord was welcomed."
    )
    rel = find(text, states=["Japan", "Taiwan"])
    assert len(rel.dated) == 2
    assert all(not text[m.start : m.end].startswith("accord was") for m in rel.new_entities)
    assert len(rel.new_entities) == 2


def test_no_article_right_after_a_signing_verb() -> None:
    text = "Japan and Taiwan signed memoranda of cooperation on disaster relief in 2022."
    assert _agreements(find(text, states=["Japan", "Taiwan"])) == [
        ("Japan-Taiwan memoranda of cooperation on disaster relief", "2022", ["Japan", "Taiwan"])
    ]


def test_no_article_elsewhere_is_no_agreement() -> None:
    text = "Japan and Taiwan signed up for talks where agreement was hard."
    assert find(text, states=["Japan", "Taiwan"]).dated == {}


def test_the_passive_signed_by_a_and_b() -> None:
    text = "A memorandum of understanding on fisheries was signed by Japan and Taiwan on May 2, 2023."
    assert _agreements(find(text, states=["Japan", "Taiwan"])) == [
        ("Japan-Taiwan memorandum of understanding on fisheries", "2023-05-02", ["Japan", "Taiwan"])
    ]
