"""Faults: an ingest killed at any moment leaves the old or the new dataset, never a mix;
a killed server restarts with no repair."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from jtkg.graph.ingest import ingest
from jtkg.graph.store import StoreLocation
from tests.conftest import free_port

NEW_DOC = (
    "Japan and Taiwan Plan Talks\n\nBy: Jane Roe\n\n"
    "KMT legislator Chen Wei-lun urged Japan and Taiwan to meet on May 2, 2025.\n"
)


def dataset(path: Path) -> set:
    return set(StoreLocation(path).open())


def test_a_killed_ingest_leaves_the_old_or_the_new_dataset(built_store: Path, tmp_path: Path) -> None:
    document = tmp_path / "talks-plan.txt"
    document.write_text(NEW_DOC, encoding="utf-8")
    old = dataset(built_store)
    finished = tmp_path / "finished"
    shutil.copytree(built_store, finished)
    ingest([document], StoreLocation(finished))
    new = dataset(finished)
    assert new != old
    rng = random.Random(2026)
    outcomes = set()
    for attempt in range(10):
        store = tmp_path / f"attempt-{attempt}"
        shutil.copytree(built_store, store)
        process = subprocess.Popen(
            [sys.executable, "-m", "jtkg.server", "ingest", str(document), "--store", str(store)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.3, 3.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = dataset(store)
        assert now in (old, new), f"attempt {attempt}: a mix of old and new"
        outcomes.add("new" if now == new else "old")
        # The store still takes work after the crash: the ingest completes on a retry.
        ingest([document], StoreLocation(store))
        assert dataset(store) == new
    assert outcomes  # at least one kill landed somewhere; which side depends on timing


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_a_killed_server_restarts_with_no_repair(store: Path) -> None:
    port = free_port()
    command = [sys.executable, "-m", "jtkg.server", "serve", "--store", str(store), "--port", str(port)]
    query = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    for _ in range(2):
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            answer = _ask(f"http://127.0.0.1:{port}/sparql?{query}")
            assert answer["boolean"] is True
        finally:
            server.send_signal(signal.SIGKILL)
            server.wait()


def _ask(url: str) -> dict:
    deadline = time.time() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return json.loads(response.read())
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.2)


def test_hostile_documents_are_refused_and_the_store_is_unchanged(store: Path, tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:  # 50 MB, sparse: refused by size before it is read
        handle.truncate(50 * 1024 * 1024)
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 100)
    latin1 = tmp_path / "undetectable.txt"  # Latin-1 is decoded now; these bytes are no text
    latin1.write_bytes(bytes(range(0x80, 0x100)) * 4)
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    before = (store / "CURRENT").read_text()
    result = ingest([huge, binary, latin1, empty], StoreLocation(store))
    assert len(result.rejected) == 4 and result.generation is None
    assert "limit" in result.rejected[0] and "binary" in result.rejected[1]
    assert "UTF-8" in result.rejected[2] and "empty" in result.rejected[3]
    assert (store / "CURRENT").read_text() == before


def test_an_unexpected_error_returns_only_a_request_id(app, caplog) -> None:  # type: ignore[no-untyped-def]
    import logging

    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/boom", headers={"X-Request-Id": "req-42"})
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "req-42" in body and "secret internals" not in body and "Traceback" not in body
    assert "req-42" in caplog.text and "secret internals" in caplog.text


_KILLED_WRITER = """
import os, signal, sys
import pyoxigraph as ox
from jtkg.graph.store import StoreLocation
location = StoreLocation(sys.argv[1])
with location.next_generation(fresh=sys.argv[2] == "fresh") as generation:
    generation.store.add(ox.Quad(ox.NamedNode("https://example.org/s"),
                                 ox.NamedNode("https://example.org/p"), ox.Literal("1"),
                                 ox.NamedNode("https://example.org/g")))
    generation.store.flush()
    os.kill(os.getpid(), signal.SIGKILL)  # mid-write: the folder is there, its manifest is not
"""


def _kill_a_writer(store: Path, fresh: bool) -> None:
    subprocess.run(
        [sys.executable, "-c", _KILLED_WRITER, str(store), "fresh" if fresh else "copy"],
        check=False,
        timeout=120,
    )


def _unfinished(store: Path) -> list[str]:
    return [p.name for p in store.glob("gen-*") if not (p / "manifest.json").exists()]


def test_a_killed_writers_half_generation_is_collected_safely(store: Path, tmp_path: Path) -> None:
    published = (store / "CURRENT").read_text().strip()
    old = dataset(store)
    _kill_a_writer(store, fresh=False)
    half = _unfinished(store)
    assert len(half) == 1 and (store / "CURRENT").read_text().strip() == published
    assert dataset(store) == old  # readers never see it
    # `jtkg doctor` calls the store healthy and the folder an unfinished write.
    doctor = subprocess.run(
        [sys.executable, "-m", "jtkg.server", "doctor", "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert doctor.returncode == 0 and "unfinished write" in doctor.stdout
    document = tmp_path / "talks-plan.txt"
    document.write_text(NEW_DOC, encoding="utf-8")
    ingest([document], StoreLocation(store))
    assert _unfinished(store) == []  # the next publish removed it
    assert (store / published).is_dir()  # and kept the previous intact generation


def test_a_killed_first_build_is_never_built_over_unasked(tmp_path: Path) -> None:
    store = tmp_path / "store"
    _kill_a_writer(store, fresh=True)
    assert len(_unfinished(store)) == 1 and not (store / "CURRENT").exists()
    served = subprocess.run(
        [sys.executable, "-m", "jtkg.server", "serve", "--store", str(store), "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert served.returncode == 2 and "jtkg doctor" in served.stderr
    assert len(_unfinished(store)) == 1  # nothing built, nothing removed
    from jtkg.graph.build import build, bundled_corpus

    assert build(bundled_corpus(), StoreLocation(store)).published  # asked for: rebuilt
    assert _unfinished(store) == []
