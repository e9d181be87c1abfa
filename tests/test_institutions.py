"""Institution mentions without a cue (loaders/institutions.py) and publisher fields that
name two publishers (loaders/metadata.py), on sentences of our own with invented names."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDFS
from rdflib.namespace import DCTERMS

from jtkg.loaders.extract import Extractor
from jtkg.loaders.gazetteer import Gazetteer
from jtkg.loaders.institutions import KNOWN, InstitutionSpan, canonical_name, find_institutions
from jtkg.loaders.metadata import find_metadata, split_publishers
from jtkg.loaders.reader import parse_document
from jtkg.loaders.text import sentences
from jtkg.loaders.types import MentionIndex


def found(text: str, known: bool = True) -> list[tuple[str, str, tuple[str, ...], str]]:
    return [
        (text[s.start : s.end], s.label, s.aliases, s.how)
        for s in find_institutions(text, sentences(text), known)
    ]


def test_the_span_type_is_frozen() -> None:
    span = find_institutions("Pellmark Inc. grew.", sentences("Pellmark Inc. grew."))[0]
    assert isinstance(span, InstitutionSpan)
    with pytest.raises(AttributeError):
        span.label = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    "text, name",
    [
        ("Orvane Memory Manufacturing Corp. will build a plant.", "Orvane Memory Manufacturing Corp."),
        ("Shares of Dravo Co., Ltd. rose on Friday.", "Dravo Co., Ltd."),
        ("Analysts at Pellmark Inc. disagreed.", "Pellmark Inc."),
        ("Yesterday Quillon Holdings said it would list.", "Quillon Holdings"),
        ("The Brenner Group bought the port.", "Brenner Group"),
        ("Lakeside Heavy Industries Co. builds ships.", "Lakeside Heavy Industries Co."),
        ("It sold Tarn & Sons Ltd. to a rival.", "Tarn & Sons Ltd."),
        ("Ostvale Group Holdings Inc. was fined.", "Ostvale Group Holdings Inc."),
    ],
)
def test_companies_by_their_suffix(text: str, name: str) -> None:
    assert [(span, how) for span, _, _, how in found(text)] == [(name, "rule:company")]


@pytest.mark.parametrize(
    "text",
    [
        "The Working Group met on Tuesday.",
        "A Youth Group from the city visited.",
        "He joined the Study Group last year.",
        "Our Company is small.",
        "Officials of the group said so.",
    ],
)
def test_kinds_of_group_are_no_company(text: str) -> None:
    assert found(text) == []


def test_a_companys_abbreviation_is_an_alias_and_found_later() -> None:
    text = "Veltria Semiconductor Manufacturing Co. (VSMC) opened a plant. VSMC hired 300 people."
    assert found(text) == [
        (
            "Veltria Semiconductor Manufacturing Co.",
            "Veltria Semiconductor Manufacturing Co.",
            ("VSMC",),
            "rule:company",
        ),
        ("VSMC", "Veltria Semiconductor Manufacturing Co.", ("VSMC",), "rule:alias"),
    ]


def test_an_agency_whose_name_lists_its_portfolios() -> None:
    text = (
        "The Ministry of Land, Infrastructure, Transport and Tourism (MLIT) said on Monday "
        "that MLIT would act."
    )
    name = "Ministry of Land, Infrastructure, Transport and Tourism"
    assert found(text) == [(name, name, ("MLIT",), "rule:agency"), ("MLIT", name, ("MLIT",), "rule:alias")]
    text = "The Ministry of Health, Labour and Welfare and the Ministry of Internal Affairs and Communications agreed."
    assert [s for s, *_ in found(text)] == [
        "Ministry of Health, Labour and Welfare",
        "Ministry of Internal Affairs and Communications",
    ]


def test_an_agency_list_stops_at_the_name_and_not_at_states() -> None:
    # A title after the list is not part of the name; states listed after a body are not
    # portfolios; a parenthesised word that does not abbreviate the name is no alias.
    assert [
        s for s, *_ in found("The Ministry of Economy, Trade and Industry Minister Ada Quill spoke.")
    ] == ["Ministry of Economy, Trade and Industry"]
    assert found("The Ministry of Defense, Veltria and Ostmark agreed.") == []
    assert found("The Ministry of Defense, Veltria and Ostmark (Reuters) agreed.", known=False) == []


def test_the_table_of_international_bodies_and_news_agencies() -> None:
    text = (
        "Envoys of the UN, the World Trade Organization and ASEAN met the G7, as Kyodo News and AFP reported."
    )
    assert [(s, label) for s, label, *_ in found(text)] == [
        ("UN", "United Nations"),
        ("World Trade Organization", "World Trade Organization"),
        ("ASEAN", "Association of Southeast Asian Nations"),
        ("G7", "Group of Seven"),
        ("Kyodo News", "Kyodo News"),
        ("AFP", "Agence France-Presse"),
    ]
    assert all(how == "rule:known" for *_, how in found(text))
    assert found(text, known=False) == []  # the flag an Extractor's recipe passes


def test_the_table_longest_name_first_and_not_inside_another_name() -> None:
    assert [label for _, label, *_ in found("The UN Security Council met.")] == [
        "United Nations Security Council"
    ]
    assert found("Michael Bloomberg and Thomson Reuters spoke.") == []
    assert [s for s, *_ in found("Bloomberg reported it, and so did Reuters.")] == ["Bloomberg", "Reuters"]
    assert found("Who knows? Nobody who was there.") == []  # 'WHO' only in capitals


def test_the_table_names_no_state_and_every_name_resolves() -> None:
    registry_states = {e.label for e in Gazetteer().entities.values() if e.cls.endswith("State")}
    for label, aliases in KNOWN:
        assert label not in registry_states
        for name in (label, *aliases):
            assert canonical_name(name) == label


@pytest.mark.parametrize(
    "field, names",
    [
        ("Harbour Ledger", ["Harbour Ledger"]),
        ("The Tidewater Times (Kyodo)", ["The Tidewater Times", "Kyodo"]),
        ("Daily Veltria (Daily Ostmark Group)", ["Daily Veltria", "Daily Ostmark Group"]),
        (
            "Nordby Shimbun (English edition published by Nordby Media Co.)",
            ["Nordby Shimbun", "Nordby Media Co."],
        ),
        ("Coastline Weekly (via Reuters)", ["Coastline Weekly", "Reuters"]),
        ("Coastline Weekly (online)", ["Coastline Weekly"]),
        ("Coastline Weekly (English edition)", ["Coastline Weekly"]),
    ],
)
def test_a_publisher_field_may_name_two(field: str, names: list[str]) -> None:
    assert split_publishers(field) == names


def test_metadata_carries_both_publishers_the_agency_by_its_canonical_name() -> None:
    doc = parse_document(
        Path("x.md"),
        b"---\ntitle: T\npublisher: The Tidewater Times (Kyodo)\n---\n\nA short text about nothing.\n",
        "text/markdown",
    )
    meta = find_metadata(doc, MentionIndex(), Gazetteer())
    assert [e.label for e in meta.publishers] == ["The Tidewater Times", "Kyodo News"]
    assert "Kyodo" in meta.publishers[1].aliases
    assert meta.publisher is meta.publishers[0]  # the first, for callers that take one


def test_every_publisher_is_written_as_dcterms_publisher() -> None:
    doc = parse_document(
        Path("x.md"),
        b"---\ntitle: T\npublisher: Daily Veltria (Daily Ostmark "
        b"Group)\n---\n\nA short text about nothing much.\n",
        "text/markdown",
    )
    ex = Extractor().extract(doc)
    labels = {str(ex.facts.value(p, RDFS.label)) for p in ex.facts.objects(ex.doc_iri, DCTERMS.publisher)}
    assert labels == {"Daily Veltria", "Daily Ostmark Group"}
