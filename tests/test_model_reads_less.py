"""The model reads only sentences with a name-like word no higher tier claimed
(mention_sources.ModelSource with ``claimed``): elsewhere the merge drops all it finds."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import pytest

from jtkg.loaders import model
from jtkg.loaders.extract import Extractor
from jtkg.loaders.mention_sources import _unclaimed_names
from jtkg.loaders.mentions import MentionFinder
from jtkg.loaders.text import Span, sentences
from jtkg.loaders.types import Candidate
from jtkg.ontology import JT


def _claim(start: int, end: int) -> Candidate:
    return Candidate(start, end, JT.Institution, "x", "rules", 0.9)


def test_a_sentence_whose_names_are_all_claimed_is_not_needed() -> None:
    text = "The Example Agency met. Then Jane Sample spoke. It rained, I think."
    needed = _unclaimed_names(text, [_claim(4, 18)])
    first, second, third = Span(0, 23), Span(24, 47), Span(48, len(text))
    assert not needed(first)  # "The" opens it; "Example Agency" is claimed
    assert needed(second)  # "Jane Sample" is no one's
    assert not needed(third)  # "It" opens it, "I" is a pronoun


def test_an_opening_word_that_is_a_name_is_needed() -> None:
    text = "Sample spoke."
    assert _unclaimed_names(text, [])(Span(0, len(text)))


def test_an_opening_word_capitalised_only_there_or_a_month_is_not_a_name() -> None:
    text = "Experts met in Japan on Friday. Growing ties, experts said, are growing. Sample spoke."
    japan = text.index("Japan")
    needed = _unclaimed_names(text, [_claim(japan, japan + 5)])
    first, second, third = sentences(text)
    assert not needed(first)  # "Experts" is written in lowercase too; "Friday" is a date
    assert not needed(second)  # "Growing" likewise
    assert needed(third)  # "Sample" is nowhere in lowercase: it may be a name


def test_a_lowercase_word_inside_a_link_does_not_make_an_opening_name_a_word() -> None:
    text = "See example.org/anna-vell for more. Vell said so."
    needed = _unclaimed_names(text, [])
    assert needed(sentences(text)[1])


def test_a_surname_after_its_claimed_full_name_is_left_to_the_resolution() -> None:
    text = "Arlo Venmark spoke. Venmark left. Venmark Holdings grew."
    person = Candidate(0, 12, JT.Person, "Arlo Venmark", "rules", 0.9)
    needed = _unclaimed_names(text, [person])
    _, second, third = sentences(text)
    assert not needed(second)  # the resolution stage makes "Venmark" the person
    assert needed(third)  # "Holdings" is no one's


def test_a_surname_before_the_full_name_is_still_read() -> None:
    text = "Venmark arrived. Arlo Venmark spoke."
    person = Candidate(17, 29, JT.Person, "Arlo Venmark", "rules", 0.9)
    assert _unclaimed_names(text, [person])(sentences(text)[0])


class _FakeNlp:
    pipe_names = ("ner",)

    def __init__(self) -> None:
        self.read: list[str] = []

    def pipe(self, texts: Any, **_: Any) -> Any:
        for text in texts:
            self.read.append(text)
            yield types.SimpleNamespace(ents=[])


def test_the_model_is_not_given_a_sentence_the_registry_covers(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = _FakeNlp()
    monkeypatch.setattr(model, "load", lambda: fake)
    text = "Japan and Taiwan agreed.\nThey met Qorvath Blen there."
    finder: MentionFinder = Extractor().mentions
    finder.find(text, 0, sentences(text, 0), set())
    assert fake.read and all("Japan" not in piece for piece in fake.read)
    assert any("Qorvath" in piece for piece in fake.read)


def _signature(parse: model.Parse | None) -> list[tuple[str, str, int, str, str]]:
    assert parse is not None
    return [(t.text, t.dep_, t.head.i, t.pos_, t.lemma_) for t in parse.doc]


def test_parses_made_in_one_batch_are_those_made_one_by_one() -> None:
    text = (
        "Arlo Venmark, who heads the Norland Institute, met reporters.\n"
        "Tessa Quillby, Ruritania's trade envoy, said the talks went well.\n"
        "| a | b | c |"
    )
    spans = sentences(text)
    one_by_one = [_signature(model.parse(text, s.start, s.end)) for s in spans[:2]]
    batch_text = text + " "  # another document: the cache starts empty
    model.parse_many(batch_text, spans)
    assert [_signature(model.parse(batch_text, s.start, s.end)) for s in spans[:2]] == one_by_one
    assert model.parse(batch_text, spans[2].start, spans[2].end) is None  # a table: not given


def test_the_runner_parses_ahead_the_sentences_a_rule_wants_parsed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    asked: list[list[str]] = []
    real = model.parse_many
    monkeypatch.setattr(
        model,
        "parse_many",
        lambda text, spans: asked.append([text[s.start : s.end] for s in spans]) or real(text, spans),
    )
    text = (
        "Arlo Venmark, who heads the Norland Institute, met reporters in Japan.\nNobody else spoke that day."
    )
    path = tmp_path / "who-heads.txt"
    path.write_text(text, encoding="utf-8")
    Extractor().extract_file(path)
    assert len(asked) == 1 and len(asked[0]) == 1 and asked[0][0].startswith("Arlo Venmark, who heads")
