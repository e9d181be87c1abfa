"""Statement rules on sentences of our own (mentions given by hand)."""

from __future__ import annotations

from tests.relations_kit import find


def test_a_statement_takes_the_issue_of_the_sentence_before_that_shares_an_institution() -> None:
    text = (
        "The Varda Institute hosts a symposium on crop blight every year. Ola Berg urged "
        "closer work between the Varda Institute and the Elbonia Health Office."
    )
    rel = find(
        text, persons=["Ola Berg"], orgs=["Varda Institute", "Elbonia Health Office"], issues=["crop blight"]
    )
    assert [[c.label for c in st.concerns] for st in rel.statements] == [
        ["Varda Institute", "Elbonia Health Office", "crop blight"]
    ]


def test_no_issue_carried_without_a_shared_institution() -> None:
    text = (
        "The Varda Institute hosts a symposium on crop blight every year. Ola Berg urged "
        "closer work with the Elbonia Health Office."
    )
    rel = find(
        text, persons=["Ola Berg"], orgs=["Varda Institute", "Elbonia Health Office"], issues=["crop blight"]
    )
    assert [[c.label for c in st.concerns] for st in rel.statements] == [["Elbonia Health Office"]]


def test_no_issue_carried_across_paragraphs() -> None:
    text = (
        "The Varda Institute hosts a symposium on crop blight every year.\n\nOla Berg urged "
        "closer work between the Varda Institute and the Elbonia Health Office."
    )
    rel = find(
        text, persons=["Ola Berg"], orgs=["Varda Institute", "Elbonia Health Office"], issues=["crop blight"]
    )
    assert all("crop blight" not in [c.label for c in st.concerns] for st in rel.statements)
