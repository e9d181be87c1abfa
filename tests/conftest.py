"""Fixtures: every test gets its own store folder, app, client and CLI runner.

The bundled corpus is built once per session (a few seconds) and copied into each test's
own temporary folder, so tests never share a store they could change.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from jtkg.graph.build import build, bundled_corpus
from jtkg.graph.store import StoreLocation
from jtkg.server.app import create_app

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus, built once; copy it (the `store` fixture) before changing it."""
    path = tmp_path_factory.mktemp("built") / "store"
    result = build(bundled_corpus(), StoreLocation(path))
    assert result.published, result.report() or result.failures
    return path


@pytest.fixture(scope="module")
def oxstore(built_store: Path):  # type: ignore[no-untyped-def]
    """The built store, opened (read it; do not change it)."""
    return StoreLocation(built_store).open()


@pytest.fixture
def store(built_store: Path, tmp_path: Path) -> Path:
    """This test's own copy of the built store."""
    target = tmp_path / "store"
    shutil.copytree(built_store, target)
    return target


@pytest.fixture
def app(store: Path):  # type: ignore[no-untyped-def]
    app = create_app({"STORE": store, "TESTING": True})
    yield app
    app.extensions["jtkg.queries"].close()


#: The bearer token of the `writer` app.
WRITE_TOKEN = "s3cret-token-for-tests"


@pytest.fixture
def writer(store: Path):  # type: ignore[no-untyped-def]
    """A client of an app that accepts writes with WRITE_TOKEN."""
    app = create_app({"STORE": store, "UPDATE_TOKEN": WRITE_TOKEN})
    yield app.test_client()
    app.extensions["jtkg.queries"].close()


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The app behind waitress on a real socket on 127.0.0.1; yields its base URL."""
    import waitress

    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)

    def run() -> None:
        with contextlib.suppress(OSError):  # the socket closed under select() at shutdown
            server.run()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)


@pytest.fixture
def live_server(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The test's app on a real socket."""
    with serving(app) as url:
        yield url
