"""A damaged store is refused, never taken for an empty one: a corrupt manifest stops every
write, a bad CURRENT makes nothing rebuild or collect the user's generations, damaged
database files answer one line (CLI exit 2, HTTP 503). `jtkg doctor`, backup and restore."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from jtkg.graph.store import StoreDamaged, StoreError, StoreLocation
from jtkg.server.cli import main
from tests.conftest import WRITE_TOKEN, free_port

NEW_DOC = "Japan and Taiwan Plan Talks\n\nBy: Jane Roe\n\nKMT legislator Chen Wei-lun urged talks.\n"
EX = "https://example.org/safety/"


def state(store: Path) -> tuple[bytes, list[str]]:
    """What a refused write must leave exactly as it was."""
    current = (store / "CURRENT").read_bytes() if (store / "CURRENT").exists() else b""
    return current, sorted(p.name for p in store.iterdir() if p.name.startswith("gen-"))


def one_line(result) -> str:  # type: ignore[no-untyped-def]
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    return lines[0]


def publish_triple(location: StoreLocation, n: int) -> str:
    """A trivial publish: one triple in a graph of its own."""
    with location.next_generation() as generation:
        graph = f"{EX}g{n}"
        generation.store.add(
            ox.Quad(ox.NamedNode(f"{EX}s"), ox.NamedNode(f"{EX}p"), ox.Literal(str(n)), ox.NamedNode(graph))
        )
        generation.changed.add(graph)
        return generation.name


def current(store: Path) -> Path:
    return store / (store / "CURRENT").read_text().strip()


# ------------------------------------------------------------ 4: a damaged manifest

MANIFEST_DAMAGE = {
    "truncated": lambda text: text[: len(text) // 2],
    "binary": lambda text: "\udcff",  # written with surrogateescape: a lone 0xFF byte
    "wrong types": lambda text: '{"generation": "gen-x", "built_at": 1, "graphs": {"g": "many"}}',
}


@pytest.fixture(params=sorted(MANIFEST_DAMAGE))
def damaged_manifest(request, store: Path) -> Path:  # type: ignore[no-untyped-def]
    path = current(store) / "manifest.json"
    text = MANIFEST_DAMAGE[request.param](path.read_text(encoding="utf-8"))
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    return store


def test_a_damaged_manifest_stops_every_write_command(
    runner: CliRunner, damaged_manifest: Path, tmp_path: Path
) -> None:
    store = damaged_manifest
    before = state(store)
    doc = tmp_path / "talks-plan.txt"
    doc.write_text(NEW_DOC, encoding="utf-8")
    rdf = tmp_path / "extra.ttl"
    rdf.write_text(f"<{EX}a> <{EX}b> <{EX}c> .\n", encoding="utf-8")
    for args in (
        ["ingest", str(doc)],
        ["remove", "talks-plan"],
        ["remove", "--graph", f"{EX}g"],
        ["import", str(rdf), "--graph", f"{EX}g"],
    ):
        result = runner.invoke(main, [*args, "--store", str(store)])
        line = one_line(result)
        assert result.exit_code == 2, (args, result.output)
        assert "manifest.json is damaged" in line and "jtkg doctor" in line and "jtkg build" in line
        assert state(store) == before, args
    from jtkg.graph.link import store_links

    with pytest.raises(StoreDamaged):
        store_links([], StoreLocation(store))
    assert state(store) == before


def test_a_damaged_manifest_stops_server_writes(damaged_manifest: Path) -> None:
    from jtkg.server.app import create_app

    store = damaged_manifest
    before = state(store)
    app = create_app({"STORE": store, "UPDATE_TOKEN": WRITE_TOKEN})
    client = app.test_client()
    auth = {"Authorization": f"Bearer {WRITE_TOKEN}"}
    try:
        update = client.post(
            "/update",
            data=f"INSERT DATA {{ GRAPH <{EX}g> {{ <{EX}a> <{EX}b> 1 }} }}",
            content_type="application/sparql-update",
            headers=auth,
        )
        put = client.put(
            f"/rdf-graphs?graph={EX}g",
            data=f"<{EX}a> <{EX}b> <{EX}c> .",
            content_type="text/turtle",
            headers=auth,
        )
        for response in (update, put):
            assert response.status_code == 503
            assert response.get_data(as_text=True) == "the graph store is not available\n"
        assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    finally:
        app.extensions["jtkg.queries"].close()
    assert state(store) == before


# ------------------------------------------------------------ 5: CURRENT, serve, collection

CURRENT_DAMAGE = {
    "missing generation": b"gen-20000101T000000-00000000\n",
    "empty": b"",
    "binary junk": bytes(range(128, 256)),
    "a path elsewhere": b"../../etc\n",
}


@pytest.mark.parametrize("damage", sorted(CURRENT_DAMAGE))
def test_a_damaged_current_is_one_line_for_query(runner: CliRunner, store: Path, damage: str) -> None:
    (store / "CURRENT").write_bytes(CURRENT_DAMAGE[damage])
    result = runner.invoke(main, ["query", "ASK { ?s ?p ?o }", "--store", str(store)])
    assert result.exit_code == 2
    assert "CURRENT is damaged" in one_line(result) and "jtkg doctor" in result.output


def _serve(store: Path) -> subprocess.CompletedProcess[str]:
    """`jtkg serve` on the store; must refuse before listening (a rebuild would then serve
    forever: the timeout fails the test)."""
    return subprocess.run(
        [sys.executable, "-m", "jtkg.server", "serve", "--store", str(store), "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=90,
    )


@pytest.mark.parametrize("damage", ["binary junk", "missing generation", "no CURRENT"])
def test_serve_refuses_a_damaged_store_and_never_rebuilds_over_it(store: Path, damage: str) -> None:
    if damage == "no CURRENT":
        (store / "CURRENT").unlink()
    else:
        (store / "CURRENT").write_bytes(CURRENT_DAMAGE[damage])
    before = state(store)
    served = _serve(store)
    assert served.returncode == 2, served.stderr
    assert "jtkg doctor" in served.stderr and "Traceback" not in served.stderr
    assert "building the bundled corpus" not in served.stderr
    assert len(served.stderr.strip().splitlines()) == 1
    assert state(store) == before  # nothing built, nothing collected


def test_keep_generations_is_honoured_by_every_publish(store: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    location = StoreLocation(store, keep_generations=3)
    names = [publish_triple(location, n) for n in range(5)]
    assert state(store)[1] == sorted(names[-4:])  # the published one and the 3 before it
    monkeypatch.setenv("JTKG_KEEP_GENERATIONS", "1")
    names.append(publish_triple(StoreLocation(store), 5))
    assert state(store)[1] == sorted(names[-2:])
    monkeypatch.setenv("JTKG_KEEP_GENERATIONS", "none")
    with pytest.raises(StoreError, match="JTKG_KEEP_GENERATIONS must be a whole number"):
        publish_triple(StoreLocation(store), 6)
    assert state(store)[1] == sorted(names[-2:])


def test_collection_removes_only_old_unfinished_writes_never_damaged_generations(store: Path) -> None:
    old_write = store / "gen-20000101T000000-0000dead"  # a writer killed long ago
    old_write.mkdir()
    (old_write / "000001.log").write_bytes(b"x")
    os.utime(old_write, (946684800, 946684800))
    future_write = store / "gen-29990101T000000-0000beef"  # newer than anything intact
    future_write.mkdir()
    os.utime(future_write, (32503680000, 32503680000))
    damaged = store / "gen-20000101T000000-0000bad0"
    shutil.copytree(current(store), damaged)
    (damaged / "manifest.json").write_text("{ not json", encoding="utf-8")
    location = StoreLocation(store, keep_generations=1)
    for n in range(3):
        publish_triple(location, n)
    names = state(store)[1]
    assert old_write.name not in names
    assert future_write.name in names and damaged.name in names
    assert len([n for n in names if n not in (future_write.name, damaged.name)]) == 2


def test_nothing_is_collected_while_the_store_is_pinned(store: Path) -> None:
    location = StoreLocation(store, keep_generations=1)
    with location.pinned():  # as a backup or `jtkg doctor` holds it
        names = [publish_triple(location, n) for n in range(3)]
        assert set(names) <= set(state(store)[1]) and len(state(store)[1]) == 4
    publish_triple(location, 3)
    assert len(state(store)[1]) == 2


# ------------------------------------------------------------ 7: damaged database files


def entity_path(built_store: Path) -> str:
    rows = (
        StoreLocation(built_store)
        .open()
        .query(
            "SELECT ?s WHERE { ?s a <https://w3id.org/jtkg/ontology#Person> } LIMIT 1",
            use_default_graph_as_union=True,
        )
    )
    return "/" + next(iter(rows))["s"].value.split("https://w3id.org/jtkg/", 1)[1]


def damage_tables(store: Path, how: str) -> None:
    """Truncates (at open) or overwrites 4 KB inside (at read) every large .sst file."""
    rng = random.Random(12)
    for sst in sorted(current(store).glob("*.sst")):
        size = sst.stat().st_size
        if size < 100_000:
            continue
        if how == "truncated":
            os.truncate(sst, size // 2)
        else:
            with open(sst, "r+b") as handle:
                handle.seek(size // 3)
                handle.write(rng.randbytes(4096))


@pytest.mark.parametrize("how", ["truncated", "overwritten"])
def test_damaged_tables_answer_503_in_one_line(store: Path, built_store: Path, how: str) -> None:
    from jtkg.server.app import create_app

    entity = entity_path(built_store)
    damage_tables(store, how)
    app = create_app({"STORE": store})
    try:
        client = app.test_client()
        paths = ["/", "/sparql?query=SELECT+*+WHERE+{+GRAPH+?g+{+?s+?p+?o+}+}"]
        if how == "truncated":  # the database does not open: every page
            paths.append(entity)
        for path in paths:
            response = client.get(path)
            text = response.get_data(as_text=True)
            assert response.status_code == 503, (path, text[:200])
            if how == "truncated":
                assert text == "the graph store is not available\n"
            else:  # where the junk lands decides whether the engine reports it, crashes on
                # it or allocates by a junk length: one line of 503 in every case, no trace
                assert text in {
                    "the graph store is not available\n",
                    "the query worker stopped unexpectedly\n",
                    "the query needed more than 2048 MB and was stopped\n",
                }, (path, text)
    finally:
        app.extensions["jtkg.queries"].close()


@pytest.mark.parametrize("how", ["truncated", "overwritten"])
def test_damaged_tables_are_one_line_exit_2_for_query(runner: CliRunner, store: Path, how: str) -> None:
    damage_tables(store, how)
    result = runner.invoke(main, ["query", "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "--store", str(store)])
    assert result.exit_code == 2
    assert "jtkg doctor" in one_line(result)
    exported = runner.invoke(
        main,
        ["export", "--format", "nquads", "--output", str(store.parent / "out.nq"), "--store", str(store)],
    )
    assert exported.exit_code == 2 and "jtkg doctor" in one_line(exported)


# ------------------------------------------------------------ doctor


def test_doctor_healthy_damaged_and_not_a_store(runner: CliRunner, store: Path, tmp_path: Path) -> None:
    healthy = runner.invoke(main, ["doctor", "--store", str(store)])
    assert healthy.exit_code == 0 and "healthy" in healthy.output
    (tmp_path / "empty").mkdir()
    assert runner.invoke(main, ["doctor", "--store", str(tmp_path / "empty")]).exit_code == 2
    published = current(store).name
    (store / "CURRENT").write_bytes(b"\xff\xfe junk")
    damaged = runner.invoke(main, ["doctor", "--store", str(store)])
    assert damaged.exit_code == 1 and "CURRENT is damaged" in damaged.output
    assert f"newest intact generation: {published}" in damaged.output
    assert (store / "CURRENT").read_bytes() == b"\xff\xfe junk"  # nothing changed without --fix
    fixed = runner.invoke(main, ["doctor", "--fix", "--store", str(store)])
    assert fixed.exit_code == 0 and f"CURRENT now names {published}" in fixed.output
    assert runner.invoke(main, ["query", "ASK { ?s ?p ?o }", "--store", str(store)]).exit_code == 0
    assert runner.invoke(main, ["doctor", "--store", str(store)]).exit_code == 0


def test_doctor_falls_back_past_a_damaged_table(runner: CliRunner, store: Path) -> None:
    location = StoreLocation(store)
    previous = publish_triple(location, 0)
    latest = publish_triple(location, 1)
    # Only the latest generation's own file: unchanged files are shared by hard link.
    own = [p for p in current(store).glob("*.sst") if p.stat().st_nlink == 1]
    assert own and current(store).name == latest
    # Every one of them: which index a single file holds varies, and doctor scans two of nine.
    for path in own:
        os.truncate(path, path.stat().st_size // 2)
    damaged = runner.invoke(main, ["doctor", "--store", str(store)])
    assert damaged.exit_code == 1 and "database cannot be opened" in damaged.output
    assert f"newest intact generation: {previous}" in damaged.output
    fixed = runner.invoke(main, ["doctor", "--fix", "--store", str(store)])
    assert fixed.exit_code == 0 and current(store).name == previous


@pytest.mark.parametrize("damage", ["counts", "sidecar"])
def test_doctor_checks_counts_and_the_sidecar(runner: CliRunner, store: Path, damage: str) -> None:
    folder = current(store)
    if damage == "counts":
        text = (folder / "manifest.json").read_text(encoding="utf-8")
        (folder / "manifest.json").write_text(
            text.replace('"graphs": {', '"graphs": {"urn:x": 5,'), encoding="utf-8"
        )
        expected = "do not hold the triples the manifest says"
    else:
        (folder / "inferred.sqlite").write_bytes(b"not a database" * 100)
        expected = "inferred.sqlite"
    result = runner.invoke(main, ["doctor", "--store", str(store)])
    assert result.exit_code == 1 and expected in result.output


# ------------------------------------------------------------ backup and restore


def dataset(path: Path) -> set[ox.Quad]:
    return set(StoreLocation(path).open())


def test_backup_is_a_checked_store_folder_and_restore_publishes_it(
    runner: CliRunner, store: Path, tmp_path: Path
) -> None:
    original = dataset(store)
    target = tmp_path / "backup"
    made = runner.invoke(main, ["backup", str(target), "--store", str(store)])
    assert made.exit_code == 0, made.output
    assert dataset(target) == original and (target / "CURRENT").exists()
    again = runner.invoke(main, ["backup", str(target), "--store", str(store)])
    assert again.exit_code == 2 and "new or empty folder" in again.output
    location = StoreLocation(store, keep_generations=2)
    before_restore = [publish_triple(location, n) for n in range(2)]
    assert dataset(store) != original
    restored = runner.invoke(main, ["restore", str(target), "--store", str(store)])
    assert restored.exit_code == 0, restored.output
    assert dataset(store) == original
    assert set(before_restore) <= set(state(store)[1])  # kept, as after any publish
    (store / "CURRENT").write_bytes(b"\x00junk")  # restore is a way back from damage too
    assert runner.invoke(main, ["restore", str(target), "--store", str(store)]).exit_code == 0
    assert dataset(store) == original


def test_a_damaged_backup_is_refused(runner: CliRunner, store: Path, tmp_path: Path) -> None:
    target = tmp_path / "backup"
    assert runner.invoke(main, ["backup", str(target), "--store", str(store)]).exit_code == 0
    copy = tmp_path / "copy"  # bytes, not hard links: damaging it leaves the store alone
    shutil.copytree(target, copy)
    damage_tables(copy, "truncated")
    before = state(store)
    result = runner.invoke(main, ["restore", str(copy), "--store", str(store)])
    assert result.exit_code == 2 and "nothing was restored" in one_line(result)
    assert state(store) == before


def test_a_backup_taken_while_writers_publish_is_consistent(store: Path, tmp_path: Path) -> None:
    import threading

    from jtkg.graph.backup import backup
    from jtkg.graph.doctor import check_generation
    from jtkg.graph.generations import read_manifest

    location = StoreLocation(store, keep_generations=1)
    published: list[str] = [current(store).name]
    stop = threading.Event()

    def write() -> None:
        n = 0
        while not stop.is_set() and n < 20:
            published.append(publish_triple(location, n))
            n += 1

    writer = threading.Thread(target=write)
    writer.start()
    try:
        copies = [backup(location, tmp_path / f"backup-{i}") for i in range(3)]
    finally:
        stop.set()
        writer.join()
    for i, copied in enumerate(copies):
        folder = tmp_path / f"backup-{i}" / copied.generation
        assert copied.generation in published
        assert check_generation(folder, read_manifest(folder)) == []
