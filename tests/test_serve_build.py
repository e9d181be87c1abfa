"""`jtkg serve` on an empty store builds the bundled corpus first, bounded by the
--max-document-* options given to serve (not only by their environment variables).
The HTTP servers' start (granian's and waitress's) is replaced so nothing listens: the build
is inspected, then the command stops where it would start serving."""

from __future__ import annotations

from pathlib import Path

import pytest
import waitress
from click.testing import CliRunner

from jtkg.graph.store import StoreLocation
from jtkg.server import http_server
from jtkg.server.cli import main


class _Serving(Exception):
    pass


@pytest.fixture
def no_listen(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []

    def create_server(*args: object, **kwargs: object) -> None:
        calls.append(args)
        raise _Serving  # where waitress would listen and serve forever

    monkeypatch.setattr(waitress, "create_server", create_server)
    monkeypatch.setattr(http_server, "run_granian", create_server)
    for env in (
        "JTKG_MAX_DOCUMENT_CHARS",
        "JTKG_MAX_DOCUMENT_MENTIONS",
        "JTKG_MAX_DOCUMENT_SECONDS",
        "JTKG_MAX_DOCUMENT_MEMORY_MB",
        "JTKG_STORE",
    ):
        monkeypatch.delenv(env, raising=False)
    return calls


def test_serve_first_build_obeys_max_document_chars(
    tmp_path: Path, no_listen: list[object], runner: CliRunner
) -> None:
    store = tmp_path / "store"
    result = runner.invoke(main, ["serve", "--store", str(store), "--max-document-chars", "10"])
    skipped = [line for line in result.output.splitlines() if line.startswith("skipped: ")]
    assert len(skipped) == 5, result.output
    assert all(line.endswith("the limit is 10 (--max-document-chars)") for line in skipped)
    # As `jtkg build` does, what conforms is published (the ontology and registry alone).
    assert "0 documents" in result.output and StoreLocation(store).current_generation()


def test_serve_first_build_with_roomy_limits_serves(
    tmp_path: Path, no_listen: list[object], runner: CliRunner
) -> None:
    store = tmp_path / "store"
    result = runner.invoke(main, ["serve", "--store", str(store), "--max-document-chars", "1000000"])
    assert isinstance(result.exception, _Serving) and len(no_listen) == 1, result.output
    assert "5 documents" in result.output
