"""Person rules that generalise, titles kept out of names, lists, captions, surnames and
coreference: short sentences of our own writing, invented names, rules only (no model)."""

from __future__ import annotations

import pytest
from rdflib import Graph

from jtkg.loaders.gazetteer import Gazetteer
from jtkg.loaders.mentions import MentionFinder
from jtkg.loaders.names import title_end
from jtkg.loaders.recipe import RULES_ONLY
from jtkg.loaders.text import sentences
from jtkg.ontology import JT

FINDER = MentionFinder(Gazetteer(Graph()), RULES_ONLY)


def _found(text: str) -> list[tuple[str, str, str, str]]:
    index = FINDER.find(text, 0, sentences(text), set())
    return [(text[m.start : m.end], m.entity.cls.split("#")[-1], m.how, m.title) for m in index.mentions]


def _persons(text: str) -> list[str]:
    index = FINDER.find(text, 0, sentences(text), set())
    return [m.entity.label for m in index.mentions if m.entity.cls == JT.Person]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("President Aldo Versani arrived in the capital on Monday.", "President"),
        ("Secretary of Defense Mara Kellin visited the base.", "Secretary of Defense"),
        ("Foreign Minister Tomas Brek met his counterpart.", "Foreign Minister"),
        ("Chairman Ruben Alcott opened the session.", "Chairman"),
        ("Former Prime Minister Aldo Versani left office in May.", "Former Prime Minister"),
    ],
)
def test_a_title_makes_a_person_without_a_reporting_verb(text: str, title: str) -> None:
    person = [f for f in _found(text) if f[1] == "Person"]
    assert len(person) == 1 and person[0][2] == "rule:title" and person[0][3] == title


def test_a_portfolio_word_is_no_part_of_the_name() -> None:
    # was "Affairs Lena Strand", titled "Minister of Foreign"
    assert _found("Minister of Foreign Affairs Lena Strand arrived late.") == [
        ("Lena Strand", "Person", "rule:title", "Minister of Foreign Affairs")
    ]
    assert title_end("Minister of Foreign Affairs Lena Strand".split()) == 4


def test_a_company_role_is_a_title_and_the_company_its_own_mention() -> None:
    # was one person "Chairman Ruben Alcott"
    assert _found("Northwind Industries Chairman Ruben Alcott opened the session.") == [
        ("Northwind Industries", "Institution", "rule:title-owner", ""),
        ("Ruben Alcott", "Person", "rule:title", "Northwind Industries Chairman"),
    ]


def test_a_portfolio_before_a_title_is_no_body() -> None:
    found = _found("Health and Welfare Secretary Ann Vole spoke.")
    assert [f[1] for f in found] == ["Person"] and found[0][0] == "Ann Vole"


@pytest.mark.parametrize(
    "text",
    [
        "Chancellor Karl Weber visited the port.",
        "Commissioner Karl Weber visited the port.",
        "Logistics CEO Karl Weber visited the port.",
    ],
)
def test_more_offices_are_titles(text: str) -> None:
    assert _persons(text) == ["Karl Weber"]


def test_a_verb_only_a_person_does_marks_a_person() -> None:
    assert _persons("Ilse Marten spoke first at the forum.") == ["Ilse Marten"]
    assert _persons("Ilse Marten resigned in June.") == ["Ilse Marten"]


def test_a_place_in_a_caption_marks_a_person() -> None:
    assert _persons("Ilse Marten, left, greets guests in the hall.") == ["Ilse Marten"]
    assert _persons("Ilse Marten (right) greets guests in the hall.") == ["Ilse Marten"]


def test_names_listed_with_a_person_are_persons() -> None:
    text = "The guests were Dana Okoye, Paolo Feroz and Ilse Marten, who chairs the board."
    assert _persons(text) == ["Dana Okoye", "Paolo Feroz", "Ilse Marten"]
    assert [f[2] for f in _found(text)] == ["rule:list", "rule:list", "rule:cue"]


def test_a_list_takes_no_body_or_place() -> None:
    text = "Ambassador Ilse Marten, Harbor Policy Forum and Elm Island were named."
    assert _persons(text) == ["Ilse Marten"]


def test_a_surname_after_the_full_name_is_that_person() -> None:
    text = "Ilse Marten spoke first. Later Marten left the room."
    index = FINDER.find(text, 0, sentences(text), set())
    assert [(text[m.start : m.end], m.entity.label, m.how) for m in index.mentions] == [
        ("Ilse Marten", "Ilse Marten", "rule:cue"),
        ("Marten", "Ilse Marten", "surname"),
    ]


def test_the_ministry_is_the_one_ministry_named_before() -> None:
    text = "The Ministry of Water Resources issued a notice. The ministry said it would respond."
    index = FINDER.find(text, 0, sentences(text), set())
    coref = [m for m in index.mentions if m.how == "coreference"]
    assert [(text[m.start : m.end], m.entity.label) for m in coref] == [
        ("The ministry", "Ministry of Water Resources")
    ]


def test_the_ministry_with_two_ministries_before_is_left_alone() -> None:
    text = (
        "The Ministry of Water Resources and the Ministry of Salt Mining met. The ministry "
        "said it would respond."
    )
    index = FINDER.find(text, 0, sentences(text), set())
    assert not [m for m in index.mentions if m.how == "coreference"]


def test_the_ministry_with_none_before_is_left_alone() -> None:
    text = "The ministry said it would respond. The Ministry of Water Resources said nothing."
    index = FINDER.find(text, 0, sentences(text), set())
    assert not [m for m in index.mentions if m.how == "coreference"]


@pytest.mark.parametrize(
    "text",
    [
        "Gen. Paolo Feroz inspected the troops.",
        "Lt. Gen. Paolo Feroz inspected the troops.",
        "Sen. Paolo Feroz inspected the troops.",
        "Consul Paolo Feroz inspected the troops.",
        "Asked about the plan, Paolo Feroz declined to comment.",
    ],
)
def test_ranks_and_short_offices_before_a_name(text: str) -> None:
    assert _persons(text) == ["Paolo Feroz"]


def test_a_bodys_possessive_splits_it_from_the_person() -> None:
    # was nothing: five words taken as one name of no class
    assert _found("The Elmwood Policy Institute's Dana Okoye said little.") == [
        ("Elmwood Policy Institute", "Institution", "rule:head", ""),
        ("Dana Okoye", "Person", "rule:cue", ""),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Yesterday Ilse Marten, Ruritania's trade envoy, met the press.",
        "Later Ilse Marten, spokesperson for the council, met the press.",
    ],
)
def test_a_role_in_apposition_marks_a_person_and_an_adverb_is_no_part_of_it(text: str) -> None:
    assert _persons(text) == ["Ilse Marten"]


def test_a_sentences_adverb_is_no_part_of_a_body() -> None:
    assert _found("Yesterday Harbor Bank, the largest lender, cut rates.") == [
        ("Harbor Bank", "Institution", "rule:head", "")
    ]


def test_a_place_in_apposition_is_no_person() -> None:
    assert _persons("Yesterday Elm Street, a busy road, was closed.") == []
    assert _persons("Then Paolo Feroz, Dana Okoye and others met.") == []
