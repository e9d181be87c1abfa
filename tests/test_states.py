"""Every sovereign state (loaders.states), found by its names and demonyms with context
guards (loaders.state_context, loaders.gazetteer). Sentences are invented for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Literal
from rdflib.namespace import SKOS

from jtkg.loaders import states as world
from jtkg.loaders.extract import Extractor
from jtkg.loaders.gazetteer import Gazetteer
from jtkg.loaders.lexicon import DEMONYMS
from jtkg.loaders.recipe import FULL, RULES_ONLY
from jtkg.ontology import ID, JT, entity_iri


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer()


def found(gaz: Gazetteer, text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.entity.label) for m in gaz.find(text)]


def states_in(gaz: Gazetteer, text: str) -> list[str]:
    return [label for _, label in found(gaz, text) if any(e.label == label for e in gaz.states.values())]


# ---------------------------------------------------------------- the list of states


def test_the_criterion_un_members_observers_taiwan_kosovo() -> None:
    codes = {s.code for s in world.sovereign_states()}
    assert len(world.UN_MEMBERS) == 193
    assert len(codes) == 197
    assert {"VA", "PS", "TW", "XK", "DE", "IN", "ID", "MX", "PL"} <= codes
    # Dependent territories, special administrative regions, regions: not states.
    assert not codes & {"HK", "MO", "PR", "GL", "GU", "AS", "NC", "EU", "UN", "AQ", "EH"}


def test_names_come_from_cldr_in_three_languages() -> None:
    by_code = {s.code: s for s in world.sovereign_states()}
    assert all(s.ja and s.zh_hant for s in by_code.values())
    assert by_code["DE"].label == "Germany" and by_code["DE"].ja == "ドイツ"
    assert by_code["TW"].label == "Taiwan"
    assert not any("Province" in n for s in by_code.values() for n in s.names)
    assert "Burma" in by_code["MM"].names and by_code["MM"].label == "Myanmar"
    assert "Cote d'Ivoire" in by_code["CI"].names and "Ivory Coast" in by_code["CI"].names
    assert {"Türkiye", "Turkey"} <= set(by_code["TR"].names)
    assert by_code["BA"].label == "Bosnia and Herzegovina"
    assert "Czech Republic" in by_code["CZ"].names and "Czechia" in by_code["CZ"].names


def test_registry_states_keep_their_iris_and_labels(gaz: Gazetteer) -> None:
    assert gaz.states["CN"].iri == ID["state/peoples-republic-of-china"]
    assert gaz.states["CN"].label == "People's Republic of China" and gaz.states["CN"].registry
    assert gaz.states["TW"].iri == ID["state/taiwan"] and gaz.states["TW"].registry
    assert gaz.states["US"].iri == ID["state/united-states"]
    assert gaz.states["KR"].iri == ID["state/south-korea"]


def test_new_states_get_label_iris_and_ja_zh_hant_labels(gaz: Gazetteer) -> None:
    india = gaz.states["IN"]
    assert india.iri == entity_iri(JT.State, "India") and not india.registry
    assert india.labels == {"ja": "インド", "zh-Hant": "印度"}
    assert gaz.lookup("India") is india and gaz.by_label["India"] is india


def test_a_registry_state_left_out_keeps_its_iri() -> None:
    # Leave-one-out drops registry entities; the state is still known, under the same IRI.
    gaz = Gazetteer(exclude={ID["state/peoples-republic-of-china"]})
    assert gaz.states["CN"].iri == ID["state/peoples-republic-of-china"]
    assert not gaz.states["CN"].registry


# ---------------------------------------------------------------- names and demonyms


def test_states_by_name_and_short_form(gaz: Gazetteer) -> None:
    text = (
        "Officials from Germany, Indonesia, Mexico and Poland met envoys of the "
        "Netherlands, Vietnam, Czechia, the Philippines and the UAE."
    )
    assert states_in(gaz, text) == [
        "Germany",
        "Indonesia",
        "Mexico",
        "Poland",
        "Netherlands",
        "Vietnam",
        "Czechia",
        "Philippines",
        "United Arab Emirates",
    ]
    assert states_in(gaz, "Germany’s and India's ministers") == ["Germany", "India"]


def test_demonyms_as_modifiers(gaz: Gazetteer) -> None:
    text = "Indian officials briefed the Dutch minister and a South Korean delegation."
    assert found(gaz, text) == [
        ("Indian", "India"),
        ("Dutch", "Netherlands"),
        ("South Korean", "South Korea"),
    ]
    assert [m.kind for m in gaz.find(text)] == ["demonym"] * 3
    assert states_in(gaz, "German Chancellor Anna Beispiel spoke.") == ["Germany"]
    assert states_in(gaz, "The Japanese Defense Minister Ken Example spoke.") == ["Japan"]
    assert states_in(gaz, "Sino-Indian trade and Chinese-made drones") == [
        "People's Republic of China",
        "India",
        "People's Republic of China",
    ]
    assert states_in(gaz, "As the Dutch put it, the plan works.") == ["Netherlands"]


def test_demonyms_of_a_language_or_ancestry_name_no_state(gaz: Gazetteer) -> None:
    assert states_in(gaz, "The Japanese word for it is hard.") == []
    assert states_in(gaz, "She is of Indian descent.") == []
    assert states_in(gaz, "The text was written in Japanese.") == []


def test_state_for_demonym(gaz: Gazetteer) -> None:
    assert gaz.state_for_demonym("Indian") is gaz.states["IN"]
    assert gaz.state_for_demonym("Dutch") is gaz.states["NL"]
    assert gaz.state_for_demonym("German") is gaz.states["DE"]
    assert gaz.state_for_demonym("South Korean") is gaz.states["KR"]
    assert gaz.state_for_demonym("North Korean") is gaz.states["KP"]
    assert gaz.state_for_demonym("Filipino") is gaz.state_for_demonym("Philippine") is gaz.states["PH"]
    assert gaz.state_for_demonym("Taiwanese") is gaz.states["TW"]
    assert gaz.state_for_demonym("U.S.") is gaz.states["US"]
    assert gaz.state_for_demonym("Sino") is gaz.states["CN"]
    assert gaz.state_for_demonym("Ocean") is None
    assert gaz.state_for_demonym("Kuomintang") is None  # a name, but not a state's


def test_lexicon_demonyms_agree_with_the_table(gaz: Gazetteer) -> None:
    # lexicon.DEMONYMS (used by the rules) is a subset: each of its words names the same state.
    for word, label in DEMONYMS.items():
        assert gaz.state_for_demonym(word) is gaz.by_label[label], word


def test_most_states_have_a_demonym() -> None:
    with_one = [s for s in world.sovereign_states() if s.demonyms]
    assert len(with_one) >= 180
    assert len(world.demonym_codes()) == len(
        {w for s in world.sovereign_states() for w in s.demonyms} | set(world.COMBINING_FORMS)
    )


# ---------------------------------------------------------------- guards


def test_korea_inside_north_and_south_korea(gaz: Gazetteer) -> None:
    # Before: the registry's alias "Korea" matched inside "North Korea" (as South Korea).
    assert found(gaz, "North Korea fired a missile.") == [("North Korea", "North Korea")]
    assert found(gaz, "South Korea protested.") == [("South Korea", "South Korea")]
    # Bare "Korea" is the Republic of Korea, as the registry has it.
    assert found(gaz, "Japan and Korea met.") == [("Japan", "Japan"), ("Korea", "South Korea")]
    assert found(gaz, "North Korean troops") == [("North Korean", "North Korea")]


def test_demonyms_inside_names_are_no_state(gaz: Gazetteer) -> None:
    assert states_in(gaz, "The Chinese Nationalist Party won.") == []
    assert states_in(gaz, "The Chinese Communist Party met.") == []
    assert states_in(gaz, "The Japanese Diet voted.") == []
    assert states_in(gaz, "Ships crossed the Indian Ocean.") == []
    assert states_in(gaz, "Peace on the Korean Peninsula matters.") == []
    assert states_in(gaz, "The American Samoa delegation came.") == []


def test_demonyms_of_regions_and_prefixes_are_no_state(gaz: Gazetteer) -> None:
    assert states_in(gaz, "Latin American leaders and West German exports") == []
    assert states_in(gaz, "Pan-American games and African-American voters") == []
    assert states_in(gaz, "South African and South Sudanese officials") == ["South Africa", "South Sudan"]
    assert states_in(gaz, "US-Indian talks") == ["United States", "India"]


def test_georgia_the_us_state_and_the_country(gaz: Gazetteer) -> None:
    for text in (
        "He grew up in Atlanta, Georgia, before college.",
        "The state of Georgia held a runoff.",
        "The Georgia Senate passed a bill.",
        "Georgia's governor signed it.",
    ):
        assert states_in(gaz, text) == [], text
    assert states_in(gaz, "Russia invaded Georgia in 2008.") == ["Russia", "Georgia"]
    assert states_in(gaz, "Ukraine, Georgia and Moldova applied.") == ["Ukraine", "Georgia", "Moldova"]


def test_jordan_and_chad_as_person_names(gaz: Gazetteer) -> None:
    assert states_in(gaz, "Chad Example wrote the report.") == []
    assert states_in(gaz, "The panel heard Mr. Jordan on Tuesday.") == []
    assert states_in(gaz, "The team met Michael Jordan yesterday.") == []
    assert states_in(gaz, "Jordan and Chad signed; Jordan's king spoke.") == ["Jordan", "Chad", "Jordan"]
    assert states_in(gaz, "Aid reached Jordan.") == ["Jordan"]


def test_ambiguous_names_only_in_context(gaz: Gazetteer, tmp_path: Path) -> None:
    # A bare look-up has no context: the rules' own name look-ups must not make a state of
    # "Georgia" in "Atlanta, Georgia" (before: found there as a name seen again).
    assert gaz.lookup("Georgia") is None and gaz.lookup("Jordan") is None
    assert gaz.state_for_demonym("Georgian") is gaz.states["GE"]
    path = tmp_path / "ambiguous.txt"
    path.write_text(
        "Notes from a trip.\n\nChad Miller, a professor at Example University, said "
        "the plan works. The minister later visited Atlanta, Georgia. Jordan and "
        "Chad signed the accord.\n",
        encoding="utf-8",
    )
    facts = Extractor().extract_file(path).facts
    mentioned = {str(o).rsplit("/", 1)[1] for o in facts.objects(None, JT.mentions)}
    assert {"jordan", "chad", "chad-miller"} <= mentioned
    assert "georgia" not in mentioned


def test_lowercase_common_nouns_never_match(gaz: Gazetteer) -> None:
    assert states_in(gaz, "They ate turkey on fine china.") == []
    assert states_in(gaz, "Turkey and China spoke.") == ["Türkiye", "People's Republic of China"]


def test_guinea_niger_dominica_inside_longer_names(gaz: Gazetteer) -> None:
    text = "Papua New Guinea, Equatorial Guinea, Guinea-Bissau and Guinea"
    assert states_in(gaz, text) == ["Papua New Guinea", "Equatorial Guinea", "Guinea-Bissau", "Guinea"]
    assert states_in(gaz, "The island of New Guinea is large.") == []
    assert states_in(gaz, "Niger borders Nigeria.") == ["Niger", "Nigeria"]
    assert states_in(gaz, "Dominica is not the Dominican Republic.") == ["Dominica", "Dominican Republic"]


def test_regions_and_territories_name_no_state(gaz: Gazetteer) -> None:
    # Before: "America" inside "Latin America" was the United States, "China" in Hong Kong's name.
    assert states_in(gaz, "Trade with Latin America and North America grew.") == []
    assert states_in(gaz, "Hong Kong SAR China issued a statement.") == []
    assert states_in(gaz, "Northern Ireland and Ireland") == ["Ireland"]


# ---------------------------------------------------------------- the recipe switch


def test_all_states_off_is_the_registry_alone() -> None:
    off = Gazetteer(all_states=False)
    assert found(off, "Germany and India met Japan.") == [("Japan", "Japan")]
    assert off.states == {} and off.state_for_demonym("German") is None
    assert off.state_for_demonym("Japanese") is off.by_label["Japan"]


def test_the_extractor_honours_the_recipe() -> None:
    assert Extractor(recipe=RULES_ONLY).gazetteer.all_states is False
    assert Extractor(recipe=FULL).gazetteer.all_states is True
    # An injected gazetteer follows the recipe too (leave-one-out builds its own).
    assert Extractor(Gazetteer(), recipe=RULES_ONLY).gazetteer.all_states is False


def test_a_discovered_state_is_written_with_its_three_labels(tmp_path: Path) -> None:
    path = tmp_path / "states.txt"
    path.write_text(
        "Trade ministers met in Jakarta.\n\nIndonesia and Japan signed a trade pact on Monday.\n",
        encoding="utf-8",
    )
    facts = Extractor().extract_file(path).facts
    iri = ID["state/indonesia"]
    assert (iri, RDF.type, JT.State) in facts
    assert facts.value(iri, RDFS.label) == Literal("Indonesia", lang="en")
    assert Literal("インドネシア", lang="ja") in set(facts.objects(iri, SKOS.altLabel))
    assert Literal("印尼", lang="zh-Hant") in set(facts.objects(iri, SKOS.altLabel))
    off = Extractor(recipe=RULES_ONLY).extract_file(path).facts
    assert (iri, RDF.type, JT.State) not in off
