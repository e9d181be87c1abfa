"""Affiliation rules, each on sentences of our own with invented names. Mentions are given
by hand (``relations_kit.find``) so that each test reads one relation rule, not mention finding."""

from __future__ import annotations

import pytest

from jtkg.loaders.recipe import FULL, RULES_ONLY
from tests.relations_kit import affiliations, find, model_installed


def test_country_possessive_role_gives_the_state_and_the_organization() -> None:
    text = "Ivo Marren, Japan's WTO ambassador, said the talks had failed."
    found = affiliations(text, persons=["Ivo Marren"], orgs=["WTO"], states=["Japan"])
    assert ("Ivo Marren", "WTO ambassador", "Japan") in found
    assert ("Ivo Marren", "ambassador", "WTO") in found


def test_demonym_role_name_gives_the_state() -> None:
    found = affiliations("Japanese Chancellor Ola Bergan spoke first.", persons=["Ola Bergan"])
    assert ("Ola Bergan", "Chancellor", "Japan") in found


def test_demonym_of_a_state_outside_the_registry() -> None:
    found = affiliations(
        "German Chancellor Ola Bergan spoke first.",
        persons=["Ola Bergan"],
        states=["Germany"],
        all_states=True,
    )
    assert ("Ola Bergan", "Chancellor", "Germany") in found


def test_org_role_name_gives_the_organization() -> None:
    text = "Elbonia University economist Tam Ostrow disagreed."
    found = affiliations(
        text,
        persons=["Tam Ostrow"],
        orgs=["Elbonia University"],
        titles={"Tam Ostrow": "Elbonia University economist"},
    )
    assert found == {("Tam Ostrow", "economist", "Elbonia University")}


def test_role_of_org_before_the_name() -> None:
    text = "The report was welcomed by Director of the Elbonia Institute Petra Lindqvar."
    found = affiliations(text, persons=["Petra Lindqvar"], orgs=["Elbonia Institute"])
    assert ("Petra Lindqvar", "Director", "Elbonia Institute") in found


def test_who_heads_org() -> None:
    text = "Ana Horvask, who heads the Elbonia Policy Institute, was absent."
    found = affiliations(text, persons=["Ana Horvask"], orgs=["Elbonia Policy Institute"])
    assert found == {("Ana Horvask", "head", "Elbonia Policy Institute")}


def test_who_heads_a_state_is_not_an_organization_post() -> None:
    text = "Ana Horvask, who heads to Japan next week, was absent."
    assert affiliations(text, persons=["Ana Horvask"], states=["Japan"]) == set()


def test_head_of_org_without_article() -> None:
    text = "Marek Zimmon, head of the Elbonia Trade Council, left early."
    found = affiliations(text, persons=["Marek Zimmon"], orgs=["Elbonia Trade Council"])
    assert found == {("Marek Zimmon", "head", "Elbonia Trade Council")}


def test_a_professor_at_org() -> None:
    text = "Tove Brekk, a professor at Elbonia University, agreed."
    found = affiliations(text, persons=["Tove Brekk"], orgs=["Elbonia University"])
    assert found == {("Tove Brekk", "professor", "Elbonia University")}


def test_name_of_org() -> None:
    text = "Ola Brekkan of the Elbonia Policy Institute said no."
    found = affiliations(text, persons=["Ola Brekkan"], orgs=["Elbonia Policy Institute"])
    assert found == {("Ola Brekkan", "member", "Elbonia Policy Institute")}


def test_name_of_a_state_without_a_title_is_no_position() -> None:
    text = "Ola Brekkan of Japan won the race."
    assert affiliations(text, persons=["Ola Brekkan"], states=["Japan"]) == set()


def test_name_party_in_parentheses() -> None:
    text = "Lisa Kaymor (Elbonian Labour Party) voted against the bill."
    found = affiliations(text, persons=["Lisa Kaymor"], orgs=["Elbonian Labour Party"])
    assert found == {("Lisa Kaymor", "member", "Elbonian Labour Party")}


def test_a_parenthesis_that_is_not_a_party_is_no_membership() -> None:
    text = "Lisa Kaymor (Elbonia University) voted against the bill."
    assert affiliations(text, persons=["Lisa Kaymor"], orgs=["Elbonia University"]) == set()


def test_party_lawmaker_name() -> None:
    text = "Elbonian Labour Party lawmaker Rune Askeby objected."
    found = affiliations(text, persons=["Rune Askeby"], orgs=["Elbonian Labour Party"])
    assert found == {("Rune Askeby", "lawmaker", "Elbonian Labour Party")}


def test_former_prime_minister_is_a_position_that_ended() -> None:
    rel = find("Former Japanese Prime Minister Kento Ardahl spoke.", persons=["Kento Ardahl"])
    assert [(p.role, p.polity.label if p.polity else None, p.former) for p in rel.positions] == [
        ("Prime Minister", "Japan", True)
    ]


def test_a_current_title_is_not_former() -> None:
    rel = find("Japanese Prime Minister Kento Ardahl spoke.", persons=["Kento Ardahl"])
    assert [p.former for p in rel.positions] == [False]


def test_office_without_state_takes_the_persons_other_position() -> None:
    text = "Japanese Prime Minister Kento Ardahl arrived. Later, Prime Minister Ardahl spoke."
    rel = find(text, persons=["Kento Ardahl", "Ardahl"], same={"Ardahl": "Kento Ardahl"})
    states = {p.polity.label for p in rel.positions if p.polity is not None}
    assert states == {"Japan"}
    assert all(p.polity is not None for p in rel.positions)


def test_office_without_state_takes_the_office_the_text_names() -> None:
    text = (
        "Japanese Prime Minister Kento Ardahl resigned in May. Prime Minister Sora Veld took office in June."
    )
    found = affiliations(text, persons=["Kento Ardahl", "Sora Veld"])
    assert ("Sora Veld", "Prime Minister", "Japan") in found


def test_office_without_state_beside_another_states_holder_is_left_open() -> None:
    text = "Prime Minister Sora Veld met Australian Prime Minister Kento Ardahl on Monday."
    found = affiliations(text, persons=["Kento Ardahl", "Sora Veld"], states=["Australia"])
    assert found == {("Kento Ardahl", "Prime Minister", "Australia")}


def test_office_without_state_is_never_guessed() -> None:
    text = "Prime Minister Sora Veld visited Japan on Monday."
    assert affiliations(text, persons=["Sora Veld"], states=["Japan"]) == set()


def test_members_including_a_list() -> None:
    text = (
        "Senior Elbonian Labour Party members, including Tor Hallem, former Minister of "
        "Trade, Energy and Industry Ina Vosk, and Per Lunde, attended."
    )
    found = affiliations(
        text, persons=["Tor Hallem", "Ina Vosk", "Per Lunde"], orgs=["Elbonian Labour Party"]
    )
    assert {a for a in found if a[2] == "Elbonian Labour Party"} == {
        ("Tor Hallem", "member", "Elbonian Labour Party"),
        ("Ina Vosk", "member", "Elbonian Labour Party"),
        ("Per Lunde", "member", "Elbonian Labour Party"),
    }


def test_author_note() -> None:
    text = "Taxes rose.\n\nThe author is a senior fellow at the Elbonia Policy Institute."
    rel = find(text, orgs=["Elbonia Policy Institute"], authors=["Kari Nesland"])
    assert [(p.person.label, p.role, p.polity.label) for p in rel.positions] == [
        ("Kari Nesland", "senior fellow", "Elbonia Policy Institute")
    ]


def test_author_note_by_pronoun_after_the_author_is_named() -> None:
    text = "Kari Nesland studies trade in Elbonia. She is also a member of the Elbonia Policy Institute."
    rel = find(text, persons=["Kari Nesland"], orgs=["Elbonia Policy Institute"], authors=["Kari Nesland"])
    assert ("Kari Nesland", "member", "Elbonia Policy Institute") in {
        (p.person.label, p.role, p.polity.label) for p in rel.positions if p.polity
    }


def test_unit_title_without_organization_is_the_publishers() -> None:
    text = "The authors joined Asia Program Director Mira Solvik to discuss the report."
    rel = find(
        text,
        persons=["Mira Solvik"],
        titles={"Mira Solvik": "Asia Program Director"},
        publisher="Elbonia Policy Institute",
    )
    assert [(p.role, p.polity.label) for p in rel.positions if p.polity] == [
        ("Asia Program Director", "Elbonia Policy Institute")
    ]


def test_a_demonym_is_not_where_a_role_is_held() -> None:
    text = "Nils Aarvik, who is a researcher of Japanese security politics, agreed."
    assert affiliations(text, persons=["Nils Aarvik"], demonyms={"Japanese": "Japan"}) == set()


def test_multiword_owner_possessive_role_before_the_name() -> None:
    text = "The Elbonia Trade Council's chief economist, Eli Varmo, disagreed."
    found = affiliations(text, persons=["Eli Varmo"], orgs=["Elbonia Trade Council"])
    assert found == {("Eli Varmo", "chief economist", "Elbonia Trade Council")}


def test_a_sentence_opening_is_not_a_title() -> None:
    text = "The report was welcomed by Director of the Elbonia Institute Petra Lindqvar."
    found = affiliations(text, persons=["Petra Lindqvar"], orgs=["Elbonia Institute"])
    assert all(role == "Director" for _, role, _ in found)


def test_each_position_names_its_rule() -> None:
    rel = find(
        "Tove Brekk, a professor at Elbonia University, agreed.",
        persons=["Tove Brekk"],
        orgs=["Elbonia University"],
    )
    assert [p.rule for p in rel.positions] == ["role-at-after"]


@pytest.mark.skipif(not model_installed(), reason="the pinned spaCy model is not installed")
def test_parsed_apposition_finds_a_role_far_from_the_name() -> None:
    text = "Eli Varmo, for years the chief economist at the Elbonia Trade Council, disagreed."
    assert (
        affiliations(text, persons=["Eli Varmo"], orgs=["Elbonia Trade Council"], recipe=RULES_ONLY) == set()
    )
    found = affiliations(text, persons=["Eli Varmo"], orgs=["Elbonia Trade Council"], recipe=FULL)
    assert found == {("Eli Varmo", "chief economist", "Elbonia Trade Council")}


@pytest.mark.skipif(not model_installed(), reason="the pinned spaCy model is not installed")
def test_parsed_relative_clause_of_a_leading_verb() -> None:
    text = "Ana Horvask, who since 2019 has chaired the Elbonia Trade Council, was absent."
    assert (
        affiliations(text, persons=["Ana Horvask"], orgs=["Elbonia Trade Council"], recipe=RULES_ONLY)
        == set()
    )
    found = affiliations(text, persons=["Ana Horvask"], orgs=["Elbonia Trade Council"], recipe=FULL)
    assert found == {("Ana Horvask", "chair", "Elbonia Trade Council")}


def test_org_role_after_the_name() -> None:
    text = "Eli Varmo, a Elbonia University economist, disagreed."
    found = affiliations(text, persons=["Eli Varmo"], orgs=["Elbonia University"])
    assert found == {("Eli Varmo", "economist", "Elbonia University")}


def test_demonym_government_role_after_the_name_is_the_state() -> None:
    text = "Eli Varmo, a Japanese diplomat, disagreed."
    found = affiliations(text, persons=["Eli Varmo"], demonyms={"Japanese": "Japan"})
    assert found == {("Eli Varmo", "diplomat", "Japan")}


def test_demonym_other_role_after_the_name_is_only_where_one_is_from() -> None:
    text = "Eli Varmo, a Japanese economist, disagreed."
    assert affiliations(text, persons=["Eli Varmo"], demonyms={"Japanese": "Japan"}) == set()


def test_representative_to_a_state_is_held_in_the_sender() -> None:
    text = "Eli Varmo, Taiwan's representative to Japan, arrived."
    found = affiliations(text, persons=["Eli Varmo"], states=["Taiwan", "Japan"])
    assert found == {("Eli Varmo", "representative to Japan", "Taiwan")}


def test_office_without_state_takes_the_state_the_text_names_for_that_office() -> None:
    text = (
        "Japanese prime ministers have rarely visited the region. Prime Minister Sora Veld arrived on Monday."
    )
    found = affiliations(text, persons=["Sora Veld"])
    assert found == {("Sora Veld", "Prime Minister", "Japan")}


def test_office_named_for_two_states_is_left_open() -> None:
    text = (
        "Japanese and Australian prime ministers rarely meet. Japan's prime minister and "
        "Australia's prime minister spoke. Prime Minister Sora Veld arrived on Monday."
    )
    assert affiliations(text, persons=["Sora Veld"], states=["Japan", "Australia"]) == set()


@pytest.mark.skipif(not model_installed(), reason="the pinned spaCy model is not installed")
def test_parsed_relative_clause_serves_as() -> None:
    text = "Ana Horvask, who serves as director of the Elbonia Trade Council, was absent."
    assert (
        affiliations(text, persons=["Ana Horvask"], orgs=["Elbonia Trade Council"], recipe=RULES_ONLY)
        == set()
    )
    found = affiliations(text, persons=["Ana Horvask"], orgs=["Elbonia Trade Council"], recipe=FULL)
    assert found == {("Ana Horvask", "director", "Elbonia Trade Council")}


def test_a_caption_place_between_name_and_role() -> None:
    text = "Eli Varmo (L), head of the Elbonia Trade Council, greets the guests."
    found = affiliations(text, persons=["Eli Varmo"], orgs=["Elbonia Trade Council"])
    assert found == {("Eli Varmo", "head", "Elbonia Trade Council")}


def test_a_credits_line_name_comma_org() -> None:
    text = "Speakers\n\nEli Varmo, Senior Fellow, Elbonia Policy Institute\nAna Horvask, Varda University\n"
    found = affiliations(
        text, persons=["Eli Varmo", "Ana Horvask"], orgs=["Elbonia Policy Institute", "Varda University"]
    )
    assert found == {
        ("Eli Varmo", "Senior Fellow", "Elbonia Policy Institute"),
        ("Ana Horvask", "member", "Varda University"),
    }


def test_name_comma_org_inside_running_text_is_not_an_affiliation() -> None:
    text = "Talks between Eli Varmo, the Varda University and others went on."
    assert affiliations(text, persons=["Eli Varmo"], orgs=["Varda University"]) == set()


def test_minister_of_a_portfolio_takes_the_state_of_that_ministry() -> None:
    text = (
        "Japan's Ministry of Foreign Affairs issued a note. "
        "Minister of Foreign Affairs Sora Veld spoke on Monday."
    )
    rel = find(
        text,
        persons=["Sora Veld"],
        orgs=["Ministry of Foreign Affairs"],
        titles={"Sora Veld": "Minister of Foreign Affairs"},
        based_in={"Ministry of Foreign Affairs": "Japan"},
    )
    assert {(p.role, p.polity.label) for p in rel.positions if p.polity} == {
        ("Minister of Foreign Affairs", "Japan")
    }


def test_owners_name_is_a_member() -> None:
    text = "The visit was led by the Elbonian Labour Party's Rune Askeby."
    found = affiliations(text, persons=["Rune Askeby"], orgs=["Elbonian Labour Party"])
    assert found == {("Rune Askeby", "member", "Elbonian Labour Party")}


def test_a_plural_title_before_a_list_of_three_names() -> None:
    text = "Elbonian Labour Party lawmakers Rune Askeby, Ina Vosk and Per Lunde arrived."
    found = affiliations(
        text, persons=["Rune Askeby", "Ina Vosk", "Per Lunde"], orgs=["Elbonian Labour Party"]
    )
    assert found == {
        (n, "lawmaker", "Elbonian Labour Party") for n in ("Rune Askeby", "Ina Vosk", "Per Lunde")
    }


def test_a_singular_title_belongs_to_the_first_name_only() -> None:
    text = "Elbonian Labour Party leader Rune Askeby, Ina Vosk and Per Lunde arrived."
    found = affiliations(
        text, persons=["Rune Askeby", "Ina Vosk", "Per Lunde"], orgs=["Elbonian Labour Party"]
    )
    assert found == {("Rune Askeby", "leader", "Elbonian Labour Party")}


def test_a_byline_name_role_org() -> None:
    text = "By Kari Nesland, Research Fellow, Elbonia Policy Institute\n\nTaxes rose in May."
    found = affiliations(text, persons=["Kari Nesland"], orgs=["Elbonia Policy Institute"])
    assert found == {("Kari Nesland", "Research Fellow", "Elbonia Policy Institute")}
