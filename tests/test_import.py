"""`jtkg import` and `jtkg remove --graph`: foreign RDF in its own named graph."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from jtkg.graph.store import StoreLocation
from jtkg.server.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "japan-philippines.ttl"
GRAPH = "https://example.org/graphs/jp-ph"


def _count(store: Path, graph: str) -> int:
    rows = (
        StoreLocation(store)
        .open()
        .query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    )
    return int(next(iter(rows))["n"].value)


def test_import_then_remove_a_graph(runner: CliRunner, store: Path, tmp_path: Path) -> None:
    folder = tmp_path / "rdf"  # a folder of its own: tests/fixtures holds other RDF too
    folder.mkdir()
    (folder / FIXTURE.name).write_bytes(FIXTURE.read_bytes())
    before = StoreLocation(store).manifest()
    assert before is not None
    result = runner.invoke(main, ["import", str(FIXTURE), "--graph", GRAPH, "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert "imported 20 triples from 1 file(s)" in result.output
    assert _count(store, GRAPH) == 20
    after = StoreLocation(store).manifest()
    assert after is not None and after.graphs[GRAPH] == 20 and after.documents == before.documents
    # Importing again replaces the graph rather than adding to it.
    assert (
        runner.invoke(main, ["import", str(folder), "--graph", GRAPH, "--store", str(store)]).exit_code == 0
    )
    assert _count(store, GRAPH) == 20
    removed = runner.invoke(main, ["remove", "--graph", GRAPH, "--store", str(store)])
    assert removed.exit_code == 0, removed.output
    assert _count(store, GRAPH) == 0
    assert runner.invoke(main, ["remove", "--graph", GRAPH, "--store", str(store)]).exit_code == 1


def test_an_import_that_breaks_the_shapes_stores_nothing(
    runner: CliRunner, store: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<https://example.org/p> a <https://w3id.org/jtkg/ontology#Person> .\n")
    generation = StoreLocation(store).current_generation()
    result = runner.invoke(main, ["import", str(bad), "--graph", GRAPH, "--store", str(store)])
    assert result.exit_code == 1 and "SHACL violation" in result.output and "rdfs:label" in result.output
    assert StoreLocation(store).current_generation() == generation


def test_unreadable_or_reserved_imports_are_refused(runner: CliRunner, store: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .")
    cases = [
        ([str(broken), "--graph", GRAPH], 2, "not valid turtle"),
        # Refused (exit 1), as `remove --graph` of it is (loaders/errors.py).
        ([str(FIXTURE), "--graph", "https://w3id.org/jtkg/graph/registry"], 1, "graph the build writes"),
        ([str(FIXTURE), "--graph", "not an iri"], 2, "not an absolute IRI"),
        ([str(tmp_path / "missing.ttl"), "--graph", GRAPH], 2, "no such file"),
    ]
    generation = StoreLocation(store).current_generation()
    for args, code, reason in cases:
        result = runner.invoke(main, ["import", *args, "--store", str(store)])
        assert result.exit_code == code and reason in result.output, result.output
        assert result.output.count("\n") == 1
    assert StoreLocation(store).current_generation() == generation
