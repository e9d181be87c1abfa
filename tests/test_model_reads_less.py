"""The model reads only sentences with a name-like word no higher tier claimed
(mention_sources.ModelSource with ``claimed``): elsewhere the merge drops all it finds."""

from __future__ import annotations

import types
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
