"""`jtkg serve` under granian, its default HTTP server, as a user runs it: the limits of the
app hold (a runaway query stopped with the one line while another client is served), and
its worker process ends with the command, even a command killed with SIGKILL."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from jtkg.server.cli import main

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _start(store: Path, *options: str) -> tuple[subprocess.Popen[str], int]:
    command = [sys.executable, "-m", "jtkg.server", "serve", "--store", str(store), "--port", "0", *options]
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    assert server.stderr is not None
    for line in server.stderr:
        if line.startswith("jtkg serving"):
            return server, int(line.split("/sparql")[0].rsplit(":", 1)[1])
    raise AssertionError(f"no serving line; exit {server.wait()}")


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            lines = status.read_text().splitlines()
        except OSError:
            continue
        if f"PPid:\t{pid}" in lines:
            found.append(int(status.parent.name))
    return found


def _get(port: int, query: str) -> tuple[int, bytes]:
    url = f"http://127.0.0.1:{port}/sparql?{urllib.parse.urlencode({'query': query})}"
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_granian_keeps_the_time_limit_and_serves_others(store: Path) -> None:
    server, port = _start(store, "--query-timeout", "3", "--http-server", "granian")
    try:
        stopped: list[tuple[int, bytes]] = []
        runaway = threading.Thread(target=lambda: stopped.append(_get(port, RUNAWAY)))
        runaway.start()
        time.sleep(0.5)
        assert _get(port, "ASK {}") == (200, b'{"head":{},"boolean":true}')  # while it runs
        runaway.join(timeout=60)
        assert stopped == [(503, b"the query ran past the 3-second time limit and was stopped\n")]
        status, body = _get(port, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
        assert (status, body) == (400, b"SERVICE is not allowed on this endpoint (federation is off)\n")
        assert _chunked_upload(port, megabytes=50).startswith(b"HTTP/1.1 413 ")  # no Content-Length
    finally:
        server.terminate()
        assert server.wait(timeout=30) is not None


def _chunked_upload(port: int, megabytes: int) -> bytes:
    """A body sent in chunks, with no length to refuse it by: the answer's first bytes."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"a" * 65536
        try:
            for _ in range(megabytes * 16):
                sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
        except OSError:  # the server answered and closed: the rest is not read
            pass
        return sock.recv(200)


def test_the_worker_ends_with_a_killed_command(store: Path) -> None:
    server, port = _start(store, "--http-server", "granian")
    assert _get(port, "ASK {}")[0] == 200
    workers = _children(server.pid)
    assert workers, "granian's worker process was not found"
    server.send_signal(signal.SIGKILL)
    server.wait()
    gone_by = time.monotonic() + 20
    while any(Path(f"/proc/{pid}").exists() for pid in workers):  # the worker itself ends
        assert time.monotonic() < gone_by, f"the granian worker outlived the killed command: {workers}"
        time.sleep(0.2)
    deadline = time.monotonic() + 20
    while True:  # nobody answers on the port any more, and it can be listened on again
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                pass
        except OSError:
            break
        assert time.monotonic() < deadline, "the granian worker outlived the killed command"
        time.sleep(0.2)
    with socket.socket() as again:  # as a server binds: a closed connection's TIME_WAIT is no listener
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", port))
        again.listen()


def test_waitress_is_still_there(store: Path) -> None:
    server, port = _start(store, "--http-server", "waitress")
    try:
        assert _get(port, "ASK {}") == (200, b'{"head":{},"boolean":true}')
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_an_unknown_http_server_is_refused_in_one_line(store: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--store", str(store), "--http-server", "gunicorn"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1].endswith("'gunicorn' is not one of granian, waitress")


def test_the_started_lines_wait_until_the_port_accepts() -> None:
    """Granian binds after the app is made: the lines a script waits for are printed only once
    the port accepts (the full suite once met 'connection refused' right after them)."""
    from jtkg.server.http_server import _announce

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    printed = threading.Event()
    announcer = threading.Thread(
        target=_announce, args=(lambda app, p: printed.set(), None, "127.0.0.1", port)
    )
    announcer.start()
    assert not printed.wait(0.5)  # nothing listens yet
    with socket.socket() as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen()
        assert printed.wait(10)
    announcer.join(timeout=10)


def test_granian_takes_a_host_name(store: Path) -> None:
    """`--host localhost` under granian ended in a traceback (granian binds literal addresses)."""
    server, port = _start(store, "--http-server", "granian", "--host", "localhost")
    try:
        assert _get(port, "ASK {}")[0] == 200
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("kind", ["granian", "waitress"])
def test_a_host_that_does_not_resolve_is_one_line(store: Path, kind: str) -> None:
    """waitress's ValueError for it was a traceback."""
    result = CliRunner().invoke(
        main, ["serve", "--store", str(store), "--http-server", kind, "--host", "no-such-host.invalid"]
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.output.strip().splitlines()[-1].startswith("jtkg: cannot listen on no-such-host.invalid:")


def test_the_default_http_server_is_waitress() -> None:
    """granian reads a request body with no time limit (a few slow uploads hold every app
    thread), so it is not the default until that is solved."""
    from jtkg.server.settings import BY_NAME

    assert BY_NAME["http_server"].default == "waitress"
