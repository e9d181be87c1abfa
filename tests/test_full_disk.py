"""A full disk (or a file-size limit) during a write: one line, exit 2 or HTTP 507, nothing
half-written left behind, and the previous generation still served.

The full-disk tests mount a small tmpfs and need root (CI runs as root): without it they
skip locally and fail under CI=true. The file-size-limit tests need no privileges.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from jtkg.graph.store import StoreLocation
from tests.conftest import WRITE_TOKEN

NEW_DOC = (
    "Japan and Taiwan Plan Talks\n\nBy: Jane Roe\n\n"
    "KMT legislator Chen Wei-lun urged Japan and Taiwan to meet on May 2, 2025.\n"
)


def leftovers(store: Path) -> list[str]:
    """Half-written things: temporary files, dump parts, unpublished generation folders."""
    published = (store / "CURRENT").read_text().strip()
    found = [
        str(p.relative_to(store))
        for p in store.rglob("*")
        if p.name.endswith((".tmp", ".part")) or p.name.startswith(".probe-")
    ]
    found += [p.name for p in store.glob("gen-*") if p.name != published]
    return found


def jtkg(*args: str, limit: int | None = None) -> subprocess.CompletedProcess[str]:
    def limited() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "jtkg.server", *args],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limited,
    )


def assert_one_line_full(result: subprocess.CompletedProcess[str], store: Path) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"while writing {store}" in lines[0] and "nothing was" in lines[0]


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 40 MB tmpfs, unmounted afterwards."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        message = "mounting a small tmpfs needs root"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    mountpoint = tmp_path / "disk"
    mountpoint.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(mountpoint)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        message = f"cannot mount a tmpfs: {mounted.stderr.strip()}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)


@pytest.fixture
def full_store(small_disk: Path, built_store: Path) -> Iterator[tuple[Path, Path]]:
    """The built store on the small disk; ``fill(free)`` leaves ``free`` bytes."""
    store = small_disk / "store"
    shutil.copytree(built_store, store)
    yield store, small_disk / "filler"


def fill(filler: Path, free: int) -> None:
    filler.unlink(missing_ok=True)
    stats = os.statvfs(filler.parent)
    with open(filler, "wb") as handle:
        handle.write(b"\0" * max(0, stats.f_bavail * stats.f_frsize - free))


@pytest.mark.parametrize("free", [200_000, 1_700_000])  # fails copying the sidecar / in RocksDB
def test_ingest_on_a_full_disk_is_one_line_and_leaves_nothing(
    full_store: tuple[Path, Path], tmp_path: Path, free: int
) -> None:
    store, filler = full_store
    document = tmp_path / "talks-plan.txt"
    document.write_text(NEW_DOC, encoding="utf-8")
    before = (store / "CURRENT").read_text()
    fill(filler, free)
    result = jtkg("ingest", str(document), "--store", str(store))
    assert_one_line_full(result, store)
    assert "no space left on device" in result.stderr
    assert (store / "CURRENT").read_text() == before and leftovers(store) == []
    assert len(StoreLocation(store).open()) > 0  # the previous generation still reads
    filler.unlink()
    assert jtkg("ingest", str(document), "--store", str(store)).returncode == 0


def test_build_on_a_full_disk_is_one_line_and_leaves_nothing(full_store: tuple[Path, Path]) -> None:
    store, filler = full_store
    before = (store / "CURRENT").read_text()
    fill(filler, 1_000_000)
    result = jtkg("build", "--store", str(store))
    assert_one_line_full(result, store)
    assert (store / "CURRENT").read_text() == before and leftovers(store) == []


def test_server_writes_and_dumps_on_a_full_disk_answer_507(full_store: tuple[Path, Path]) -> None:
    from jtkg.server.app import create_app

    store, filler = full_store
    app = create_app({"STORE": store, "UPDATE_TOKEN": WRITE_TOKEN})
    client = app.test_client()
    try:
        before = (store / "CURRENT").read_text()
        fill(filler, 300_000)
        update = client.post(
            "/update",
            content_type="application/sparql-update",
            data="INSERT DATA { GRAPH <https://example.org/g> { "
            "<https://example.org/a> <https://example.org/b> 1 } }",
            headers={"Authorization": f"Bearer {WRITE_TOKEN}"},
        )
        assert update.status_code == 507, update.get_data(as_text=True)
        assert update.get_data(as_text=True).count("\n") == 1
        dump = client.get("/dumps/jtkg.nq")
        assert dump.status_code == 507, dump.get_data(as_text=True)
        assert (store / "CURRENT").read_text() == before and leftovers(store) == []
        ask = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
        assert ask.status_code == 200  # the previous generation is still served
    finally:
        app.extensions["jtkg.queries"].close()


# ------------------------------------------------------------ a file-size limit (EFBIG)


def test_ingest_past_a_file_size_limit_is_one_line(store: Path, tmp_path: Path) -> None:
    document = tmp_path / "talks-plan.txt"
    document.write_text(NEW_DOC, encoding="utf-8")
    before = (store / "CURRENT").read_text()
    result = jtkg("ingest", str(document), "--store", str(store), limit=512_000)
    assert_one_line_full(result, store)
    assert "File too large" in result.stderr
    assert (store / "CURRENT").read_text() == before and leftovers(store) == []


def test_build_past_a_file_size_limit_is_one_line(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = jtkg("build", "--store", str(store), limit=512_000)
    assert_one_line_full(result, store)
    assert not list(store.glob("gen-*")) and not (store / "CURRENT").exists()
