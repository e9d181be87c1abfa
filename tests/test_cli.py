"""Every subcommand of `jtkg`, its help, its output and its exit codes."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph

from jtkg.server.cli import main
from tests.test_build import INVALID_DOC

SUBCOMMANDS = ["build", "validate", "query", "export", "extract", "serve", "ingest", "remove", "evaluate"]


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_subcommand_has_help(runner: CliRunner, name: str) -> None:
    result = runner.invoke(main, [name, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output
    if name not in ("extract", "evaluate"):
        assert "--store" in result.output


def test_build_reports_graphs_and_time(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", "--store", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "published gen-" in result.output and "graph/inferred" in result.output


def test_build_refuses_invalid_data_and_explains(runner: CliRunner, store: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text(INVALID_DOC, encoding="utf-8")
    before = (store / "CURRENT").read_text()
    result = runner.invoke(main, ["build", str(bad), "--store", str(store)])
    assert result.exit_code == 1
    assert "Does not conform" in result.output and "dcterms:issued" in result.output
    assert "unchanged" in result.output
    assert (store / "CURRENT").read_text() == before


def test_build_on_an_unwritable_store_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = runner.invoke(main, ["build", "--store", str(blocker / "store")])
    assert result.exit_code == 2 and "not writable" in result.output


def test_validate_exit_codes(runner: CliRunner, store: Path, tmp_path: Path) -> None:
    ok = runner.invoke(main, ["validate", "--store", str(store), "--format", "json"])
    assert ok.exit_code == 0 and json.loads(ok.output)["conforms"] is True
    bad = tmp_path / "bad.md"
    bad.write_text(INVALID_DOC, encoding="utf-8")
    nok = runner.invoke(main, ["validate", str(bad)])
    assert nok.exit_code == 1 and "dcterms:issued" in nok.output
    missing = runner.invoke(main, ["validate", "--store", str(tmp_path / "none")])
    assert missing.exit_code == 2 and "no graph has been built" in missing.output


def test_query_formats_and_errors(runner: CliRunner, store: Path, tmp_path: Path) -> None:
    query = "SELECT ?s WHERE { ?s a <https://w3id.org/jtkg/ontology#State> } LIMIT 1"
    result = runner.invoke(main, ["query", query, "--store", str(store), "--format", "csv"])
    assert result.exit_code == 0 and result.output.splitlines()[0] == "s"
    file = tmp_path / "q.rq"
    file.write_text(query)
    from_file = runner.invoke(main, ["query", f"@{file}", "--store", str(store)])
    assert from_file.exit_code == 0 and json.loads(from_file.output)["head"]["vars"] == ["s"]
    bad = runner.invoke(main, ["query", "SELECT", "--store", str(store)])
    # A malformed query is bad input: exit 2, as a malformed Update is 400 (loaders/errors.py).
    assert bad.exit_code == 2 and "malformed query" in bad.output


@pytest.mark.parametrize(
    ("fmt", "parser", "quads"),
    [
        ("turtle", "turtle", False),
        ("ntriples", "nt", False),
        ("rdfxml", "xml", False),
        ("n3", "n3", False),
        ("trig", "trig", True),
        ("nquads", "nquads", True),
        ("jsonld", "json-ld", True),
    ],
)
def test_export_formats_parse_back(
    runner: CliRunner, store: Path, tmp_path: Path, fmt: str, parser: str, quads: bool
) -> None:
    out = tmp_path / f"export.{fmt}"
    result = runner.invoke(main, ["export", "--format", fmt, "--store", str(store), "-o", str(out)])
    assert result.exit_code == 0, result.output
    graph = Dataset() if quads else Graph()
    graph.parse(out, format=parser)
    assert len(graph) > 20000 if not quads else len(list(graph.quads())) > 20000


def test_export_one_graph(runner: CliRunner, store: Path) -> None:
    result = runner.invoke(
        main,
        [
            "export",
            "--format",
            "nquads",
            "--store",
            str(store),
            "--graph",
            "https://w3id.org/jtkg/graph/ontology",
        ],
    )
    assert result.exit_code == 0
    assert all(
        line.endswith("<https://w3id.org/jtkg/graph/ontology> .")
        for line in result.output.splitlines()
        if line
    )
    unknown = runner.invoke(main, ["export", "--store", str(store), "--graph", "urn:x:nothing"])
    assert unknown.exit_code == 1 and "no graph named" in unknown.output


def test_extract_writes_rdf_and_stores_nothing(runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "note.txt"
    doc.write_text("Prime Minister Jane Roe said Japan and Taiwan should talk.\n")
    result = runner.invoke(main, ["extract", str(doc), "--format", "nquads"])
    assert result.exit_code == 0
    assert "<https://w3id.org/jtkg/graph/doc/note>" in result.output
    assert "jane-roe" in result.output
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    failed = runner.invoke(main, ["extract", str(empty)])
    assert failed.exit_code == 2 and "empty.txt: the document is empty" in failed.output


def test_serve_reports_a_port_in_use(runner: CliRunner, store: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = runner.invoke(main, ["serve", "--store", str(store), "--port", str(port)])
    assert result.exit_code == 2 and f"cannot listen on 127.0.0.1:{port}" in result.output


def test_ingest_and_remove_commands(runner: CliRunner, store: Path, tmp_path: Path) -> None:
    doc = tmp_path / "new-brief.txt"
    doc.write_text("A Brief\n\nKMT legislator Jane Roe said Japan and Taiwan should talk.\n")
    added = runner.invoke(main, ["ingest", str(doc), "--store", str(store)])
    assert added.exit_code == 0 and "added 1" in added.output and "published gen-" in added.output
    again = runner.invoke(main, ["ingest", str(doc), "--store", str(store)])
    assert again.exit_code == 0 and "unchanged 1" in again.output
    assert "the store is unchanged" in again.output
    bad = tmp_path / "bad.md"
    bad.write_text(INVALID_DOC, encoding="utf-8")
    refused = runner.invoke(main, ["ingest", str(bad), "--store", str(store)])
    assert refused.exit_code == 1 and "rejected" in refused.output and "dcterms:issued" in refused.output
    removed = runner.invoke(main, ["remove", "new-brief", "--store", str(store)])
    assert removed.exit_code == 0 and "removed new-brief" in removed.output
    unknown = runner.invoke(main, ["remove", "nothing-like-it", "--store", str(store)])
    assert unknown.exit_code == 1 and "no document" in unknown.output


def test_export_asserted_scope(runner: CliRunner, store: Path) -> None:
    result = runner.invoke(
        main, ["export", "--format", "nquads", "--scope", "asserted", "--store", str(store)]
    )
    assert result.exit_code == 0 and "graph/inferred" not in result.output


def test_no_progress_bar_when_output_is_not_a_terminal(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", "--store", str(tmp_path / "s")])
    assert result.exit_code == 0 and "building" not in result.output and "%" not in result.output


def test_progress_bar_on_a_terminal(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import sys

    from jtkg.server.command_support import progress_bar

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    with progress_bar("working") as progress:
        for done in range(1, 4):
            progress("stage", done, 3)
    assert "working" in capsys.readouterr().err
