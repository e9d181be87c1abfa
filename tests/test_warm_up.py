"""What every child would build on first use is built once in the parent, before forking
(graph.pipeline.warm_up): a build's children only run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jtkg.graph import pipeline
from jtkg.loaders import topics
from jtkg.loaders.extract import Extractor
from jtkg.loaders.recipe import Recipe

TEXT = (
    "Example Ties\n\nJane Sample, a fellow at the Example Institute, spoke on regional "
    "security and the economic security policy of Japan.\n"
)


def _docs(folder: Path, n: int) -> list[Path]:
    paths = []
    for i in range(n):
        path = folder / f"doc-{i}.txt"
        path.write_text(TEXT, encoding="utf-8")
        paths.append(path)
    return paths


def test_the_topic_finder_is_built_in_the_parent_not_in_each_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = tmp_path / "built"

    class Counted(topics.TopicFinder):
        def __init__(self, *args: object, **kwargs: object) -> None:
            with built.open("a") as out:
                out.write(f"{os.getpid()}\n")
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(topics, "TopicFinder", Counted)
    extractor = Extractor(recipe=Recipe(model=False, parse=False))
    outcomes = [o for _, o in pipeline.extract_all(_docs(tmp_path, 3), extractor, workers=2)]
    assert all(not isinstance(o, str) for o in outcomes)
    assert built.read_text().split() == [str(os.getpid())]  # once, here


def test_a_subclass_extract_is_not_run_in_the_parent(tmp_path: Path) -> None:
    """A custom extractor's own work (a slow or greedy one) runs only in the bounded children."""
    calls: list[int] = []

    class Custom(Extractor):
        def extract(self, doc):  # type: ignore[no-untyped-def]
            calls.append(os.getpid())
            return super().extract(doc)

    pipeline.warm_up(Custom(recipe=Recipe(model=False, parse=False, issue_scheme=False)))
    assert calls == []
