"""The reasoner's schema (owlrl's closure of the ontology) kept on disk between processes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import BNode, URIRef

from jtkg.graph import reason
from jtkg.graph.reason import Schema, default_schema
from jtkg.ontology import load_ontology


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    default_schema.cache_clear()
    yield tmp_path / "jtkg"
    default_schema.cache_clear()  # the next caller makes (or reads) its own


def test_the_schema_is_kept_and_read_back_the_same(cache_home: Path) -> None:
    reference = Schema.from_ontology(load_ontology())
    assert default_schema() == reference
    kept = list(cache_home.glob("schema-*.json"))
    assert len(kept) == 1
    default_schema.cache_clear()
    assert default_schema() == reference  # read from the file this time
    assert list(cache_home.glob("*.tmp")) == []


def test_a_damaged_cache_is_made_again(cache_home: Path) -> None:
    default_schema()
    (kept,) = cache_home.glob("schema-*.json")
    kept.write_bytes(b"not a pickle")
    default_schema.cache_clear()
    assert default_schema() == Schema.from_ontology(load_ontology())


def test_a_schema_naming_a_blank_node_is_not_kept(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = Schema.from_ontology(load_ontology())
    made.superclasses = {**made.superclasses, URIRef("http://example.org/C"): {BNode()}}
    monkeypatch.setattr(reason.Schema, "from_ontology", classmethod(lambda cls, ontology: made))
    assert default_schema() is made
    assert not cache_home.exists() or list(cache_home.glob("schema-*.json")) == []


def test_a_file_put_in_the_cache_runs_no_code(cache_home: Path) -> None:
    """The cache was a pickle: a file placed there ran code when a build loaded it."""
    import pickle

    default_schema()
    (kept,) = cache_home.glob("schema-*.json")
    ran = cache_home / "ran"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (open, (str(ran), "w"))

    kept.write_bytes(pickle.dumps(Payload()))
    for old in cache_home.glob("schema-*"):  # and where the pickle used to be
        old.with_suffix(".pickle").write_bytes(pickle.dumps(Payload()))
    default_schema.cache_clear()
    assert default_schema() == Schema.from_ontology(load_ontology())
    assert not ran.exists()


def test_no_home_no_cache_and_no_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A container user with no HOME and no passwd entry: Path.home() raises RuntimeError."""
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    default_schema.cache_clear()
    try:
        assert default_schema() == Schema.from_ontology(load_ontology())
    finally:
        default_schema.cache_clear()
