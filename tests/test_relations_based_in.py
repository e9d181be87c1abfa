"""Where an institution is based, on sentences of our own (mentions given by hand)."""

from __future__ import annotations

from jtkg.loaders.based_in import CITIES
from tests.relations_kit import find


def _based(text: str, orgs: list[str], **kwargs: object) -> set[tuple[str, str]]:
    rel = find(text, orgs=orgs, **kwargs)  # type: ignore[arg-type]
    return {(b.entity.label, b.state.label) for b in rel.based_in}


def test_city_based_think_tank_in_apposition() -> None:
    text = "Ola Berg works at a Taipei-based think tank, the Elbonia Policy Institute."
    assert _based(text, ["Elbonia Policy Institute"]) == {("Elbonia Policy Institute", "Taiwan")}


def test_city_based_before_a_name() -> None:
    assert _based("Tokyo-based Elbonia Corp. agreed.", ["Elbonia Corp."]) == {("Elbonia Corp.", "Japan")}


def test_based_in_a_city_after_the_name() -> None:
    text = "The Varda Foundation, based in Seoul, disagreed."
    assert _based(text, ["Varda Foundation"]) == {("Varda Foundation", "South Korea")}


def test_headquartered_in_a_state() -> None:
    text = "The Varda Foundation is headquartered in Japan."
    assert _based(text, ["Varda Foundation"], states=["Japan"]) == {("Varda Foundation", "Japan")}


def test_name_then_a_city_based_noun() -> None:
    text = "The Varda Group, a Berlin-based consultancy, left."
    assert _based(text, ["Varda Group"], all_states=True) == {("Varda Group", "Germany")}


def test_a_city_outside_the_table_gives_nothing() -> None:
    assert "Elbonia City" not in CITIES
    assert _based("Elbonia City-based Varda Corp. agreed.", ["Varda Corp."]) == set()


def test_a_clause_between_is_not_the_based_institution() -> None:
    text = "A Tokyo-based company that supplies the Varda Corp. agreed."
    assert _based(text, ["Varda Corp."]) == set()


def test_footer_address_ending_in_a_state() -> None:
    text = (
        "Trade rose.\n\nElbonia Policy Institute\n"
        "No. 12, Sec. 3, Varda Rd., Taipei City, Republic of China (Taiwan)\n"
    )
    found = _based(
        text,
        ["Elbonia Policy Institute"],
        states=["Republic of China", "Taiwan"],
        same={"Republic of China": "Taiwan"},
    )
    assert found == {("Elbonia Policy Institute", "Taiwan")}


def test_footer_address_is_the_publishers() -> None:
    text = "Trade rose.\n\nContact: 2-1 Varda 1-chome, Minato Ward, Tokyo 100-0001, Japan\n"
    assert _based(text, [], states=["Japan"], publisher="Elbonia Review") == {("Elbonia Review", "Japan")}


def test_japanese_cities_are_the_prefectural_capitals_and_designated_cities() -> None:
    # A closed list of general knowledge: every capital (Mito, Tsu) and designated city
    # (Hamamatsu) counts, a smaller town (Tsukuba, Karuizawa) gives nothing.
    japan = {city for city, state in CITIES.items() if state == "Japan"}
    assert len(japan) == 47 + 5  # 47 capitals, 5 designated cities that are no capital
    assert _based("The Varda Foundation, based in Mito, disagreed.", ["Varda Foundation"]) == {
        ("Varda Foundation", "Japan")
    }
    assert _based("A Hamamatsu-based Varda Corp. agreed.", ["Varda Corp."]) == {("Varda Corp.", "Japan")}
    assert _based("The Varda Foundation, based in Tsukuba, disagreed.", ["Varda Foundation"]) == set()
    assert "Karuizawa" not in CITIES
