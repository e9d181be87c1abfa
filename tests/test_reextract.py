"""Extraction that stays current: the manifest records what extracted each document, ingest
re-extracts the documents whose extraction is out of date and says how many; workers use
the caller's extractor and recipe. Texts are short ones of our own, with invented names."""

from __future__ import annotations

import json
import types
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib.namespace import PROV

from jtkg.graph import pipeline
from jtkg.graph.ingest import ingest
from jtkg.graph.pipeline import DocumentResult, prepare, process_all
from jtkg.graph.store import StoreLocation
from jtkg.loaders import provenance
from jtkg.loaders.extract import Extraction, Extractor
from jtkg.loaders.reader import DocumentError, SourceDocument
from jtkg.loaders.recipe import RULES_ONLY, Recipe
from jtkg.ontology import JT
from jtkg.server.cli import main

TEXT = """Taiwan and Japan Hold Talks

Taiwan and Japan held talks in Taipei on May 5, 2024.

Jane Roe, a researcher at the Example Policy Institute, said the talks mattered.
"""
OTHER_HASH = "sha256:" + "0" * 64
#: Cheap to run (no statistical model) and not the default recipe.
RECIPE = RULES_ONLY


def _docs(folder: Path, *names: str) -> list[Path]:
    folder.mkdir(exist_ok=True)
    paths = []
    for name in names:
        path = folder / f"{name}.txt"
        path.write_text(TEXT.replace("Jane Roe", f"Jane {name.title()}"), encoding="utf-8")
        paths.append(path)
    return paths


def _ingest(paths: list[Path], store: Path, recipe: Recipe = RECIPE):  # type: ignore[no-untyped-def]
    return ingest(paths, StoreLocation(store), extractor=Extractor(recipe=recipe))


def _registry_hashes_in_store(store: Path) -> set[str]:
    rows = (
        StoreLocation(store)
        .open()
        .query(
            f"SELECT ?h {{ GRAPH ?g {{ ?g <{PROV.wasGeneratedBy}> ?run . ?run <{JT.registryHash}> ?h }} }}"
        )
    )
    return {row["h"].value for row in rows}


# ------------------------------------------------------------------ ingest


def test_a_changed_registry_re_extracts_and_an_unchanged_one_skips(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    paths = _docs(tmp_path / "docs", "alpha", "beta")
    first = _ingest(paths, store)
    assert first.added == ["alpha", "beta"] and first.generation
    record = StoreLocation(store).manifest().documents["alpha"]
    assert record["registry"] == provenance.registry_hash()
    assert record["extractor"] == provenance.EXTRACTOR_VERSION and record["recipe"] == "rules"

    same = _ingest(paths, store)
    assert same.unchanged == ["alpha", "beta"] and not same.reextracted
    assert same.generation is None

    monkeypatch.setattr(provenance, "registry_hash", lambda: OTHER_HASH)
    again = _ingest(paths, store)
    assert again.reextracted == ["alpha", "beta"] and again.generation
    assert not again.added and not again.replaced and not again.unchanged
    documents = StoreLocation(store).manifest().documents
    assert {documents[slug]["registry"] for slug in ("alpha", "beta")} == {OTHER_HASH}
    assert _registry_hashes_in_store(store) == {OTHER_HASH}  # the old runs' graphs replaced

    settled = _ingest(paths, store)
    assert settled.unchanged == ["alpha", "beta"] and settled.generation is None


def test_another_extractor_version_or_recipe_re_extracts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    paths = _docs(tmp_path / "docs", "gamma")
    assert _ingest(paths, store).added == ["gamma"]
    other = Recipe(all_states=True, model=False, parse=False, issue_scheme=False)
    assert _ingest(paths, store, other).reextracted == ["gamma"]
    assert StoreLocation(store).manifest().documents["gamma"]["recipe"] == "rules+all_states"
    monkeypatch.setattr(provenance, "EXTRACTOR_VERSION", "99.0.0")
    assert _ingest(paths, store, other).reextracted == ["gamma"]
    assert _ingest(paths, store, other).unchanged == ["gamma"]


def test_a_manifest_without_the_fields_counts_as_out_of_date(tmp_path: Path) -> None:
    store = tmp_path / "store"
    paths = _docs(tmp_path / "docs", "delta", "epsilon")
    _ingest(paths, store)
    location = StoreLocation(store)
    manifest_path = store / location.current_generation() / "manifest.json"
    data = json.loads(manifest_path.read_text(encoding="utf-8"))
    for record in data["documents"].values():  # as an ingest before this one wrote them
        for name in provenance.STAMP_FIELDS:
            record.pop(name, None)
    manifest_path.write_text(json.dumps(data), encoding="utf-8")
    result = _ingest(paths, store)
    assert result.reextracted == ["delta", "epsilon"] and result.generation
    assert provenance.STAMP_FIELDS[0] in location.manifest().documents["delta"]


def test_a_changed_file_is_replaced_not_re_extracted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "store"
    (path,) = _docs(tmp_path / "docs", "zeta")
    _ingest([path], store)
    path.write_text(TEXT.replace("May 5", "May 6"), encoding="utf-8")
    monkeypatch.setattr(provenance, "registry_hash", lambda: OTHER_HASH)
    result = _ingest([path], store)
    assert result.replaced == ["zeta"] and not result.reextracted


def test_ingest_says_how_many_it_re_extracted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    store = tmp_path / "store"
    (path,) = _docs(tmp_path / "docs", "eta")
    args = ["ingest", str(path), "--store", str(store)]
    assert runner.invoke(main, args).exit_code == 0
    unchanged = runner.invoke(main, args)
    assert "unchanged 1" in unchanged.output and "re-extracted" not in unchanged.output
    monkeypatch.setattr(provenance, "registry_hash", lambda: OTHER_HASH)
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "re-extracted 1 document whose extraction was out of date" in result.output
    assert "; published gen-" in result.output


# ------------------------------------------------------------------ workers


class _Marking(Extractor):
    def extract(self, doc: SourceDocument) -> Extraction:
        extraction = super().extract(doc)
        extraction.warnings.append(f"extracted by the injected extractor ({self.recipe})")
        return extraction


def test_workers_use_the_callers_extractor_and_recipe_for_many_documents(tmp_path: Path) -> None:
    # The worker pool used for 8 or more documents once made its own (default) extractor.
    recipe = Recipe(all_states=True, model=False, parse=False, issue_scheme=False)
    paths = _docs(tmp_path / "docs", *(f"doc{i}" for i in range(9)))
    outcomes = [o for _, o in process_all(paths, _Marking(recipe=recipe), workers=2)]
    assert len(outcomes) == 9 and all(isinstance(o, DocumentResult) for o in outcomes)
    for outcome in outcomes:
        assert isinstance(outcome, DocumentResult)
        assert f"extracted by the injected extractor ({recipe})" in outcome.warnings
        assert outcome.stamp["recipe"] == "rules+all_states"
        run = outcome.evidence.value(outcome.graph_iri, PROV.wasGeneratedBy)
        assert str(outcome.evidence.value(run, JT.recipe)) == "rules+all_states"


def test_without_an_extractor_workers_build_one_from_the_recipe(tmp_path: Path) -> None:
    paths = _docs(tmp_path / "docs", "lambda", "mu")
    outcomes = [o for _, o in process_all(paths, recipe=RULES_ONLY, workers=2)]
    assert [o.stamp["recipe"] for o in outcomes] == ["rules"] * 2  # type: ignore[union-attr]


class _SeesPreload(Extractor):
    """Claims the model (so the parent preloads) but extracts without it, and notes in each
    child whether the preloaded model was inherited."""

    def __init__(self, fake: types.SimpleNamespace) -> None:
        super().__init__(recipe=RULES_ONLY)
        self.inner = Extractor(recipe=RULES_ONLY)
        self.recipe = Recipe(model=True)
        self.fake = fake

    def extract(self, doc: SourceDocument) -> Extraction:
        extraction = self.inner.extract(doc)
        extraction.warnings.append(f"preloaded in the parent: {self.fake.loads}")
        return extraction


def test_the_model_is_preloaded_once_in_the_parent_before_forking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = types.SimpleNamespace(loads=0)

    def preload() -> None:
        fake.loads += 1

    fake.preload = preload
    monkeypatch.setattr(pipeline, "model_module", lambda: fake)
    paths = _docs(tmp_path / "docs", "theta", "iota", "kappa")
    outcomes = [o for _, o in process_all(paths, _SeesPreload(fake), workers=2)]
    assert fake.loads == 1  # once, here: not once per document
    assert all("preloaded in the parent: 1" in o.warnings for o in outcomes)  # type: ignore[union-attr]


def test_no_model_no_preload_and_a_missing_model_stops_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def missing() -> None:
        calls.append("preload")
        raise DocumentError("the spaCy model is not installed: pip install it")

    monkeypatch.setattr(pipeline, "model_module", lambda: types.SimpleNamespace(preload=missing))
    prepare(RULES_ONLY, base=False)
    assert calls == []
    prepare(Recipe(model=True), base=False)  # each document will say it, in one line
    assert calls == ["preload"]


def test_an_extractor_pickles_with_its_recipe_and_limits() -> None:
    """Where processes cannot be forked, a worker would get the extractor pickled: the same
    recipe and limits, not a default one."""
    import pickle

    from jtkg.loaders.limits import Limits

    extractor = Extractor(recipe=RULES_ONLY, limits=Limits(max_document_chars=1234))
    copy = pickle.loads(pickle.dumps(extractor))
    assert copy.recipe == RULES_ONLY and copy.limits.max_document_chars == 1234
