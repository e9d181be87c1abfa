"""The HTTP server under `jtkg serve`: granian (HTTP in Rust, the default) or waitress.

Measured on the bundled store (benchmarks/versus_oxigraph.py), a cheap SELECT costs ~1.3 ms
of CPU under granian against ~1.9 ms under waitress, whose HTTP parsing and channel threads
are Python: the request path is the Flask app either way.

Granian runs the app in one worker process it supervises (GRANIAN_WORKERS): the app, and so
its query pool with the limits of server/workers.py, is made in that process, which is
started by *spawn* (a fresh interpreter: no fork of a process holding a store or a fork
server). The worker ends with the `jtkg serve` process, even one killed with SIGKILL
(PR_SET_PDEATHSIG), so no orphan keeps the port.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

#: HTTP servers `jtkg serve` can run (the ``http_server`` setting).
SERVERS = ("granian", "waitress")
#: Granian worker processes: one, so that the query pool's limits hold for the whole server.
GRANIAN_WORKERS = 1
_PR_SET_PDEATHSIG = 1
#: How long the started lines wait for the port to accept before they are printed anyway.
ANNOUNCE_WAIT_SECONDS = 30


def numeric_address(host: str) -> str:
    """``host`` as the literal address granian binds (a name such as localhost resolved, its
    first address); OSError (socket.gaierror) for a name that does not resolve."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    return str(infos[0][4][0])


def free_to_listen(host: str, port: int) -> int:
    """The port ``host:port`` would listen on (a free one for port 0); OSError if it is taken.

    Granian binds in each worker with SO_REUSEPORT, which would share a port another
    server holds that way: this bind without it refuses such a port first, as waitress did."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do: TIME_WAIT is free
        probe.bind((host, port))
        probe.listen(1)
        return int(probe.getsockname()[1])


def run_granian(
    config: dict[str, Any], host: str, port: int, threads: int, banner: Callable[..., None]
) -> None:
    """Serves the app ``create_app(config)`` until SIGINT or SIGTERM; ``banner(app, port)``
    prints the lines a started server prints, from the worker that has the app."""
    from granian.constants import HTTPModes, Interfaces
    from granian.server import Server

    multiprocessing.set_start_method("spawn", force=True)  # granian's worker: a fresh process
    server = Server(
        "jtkg.server.app:create_app",  # named only; the loader below makes the app
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=GRANIAN_WORKERS,
        blocking_threads=threads,
        http=HTTPModes.http1,
        log_enabled=False,
    )
    loader = _AppLoader(config, host, port, banner)
    server.serve(target_loader=loader, wrap_loader=False)


class _AppLoader:
    """Picklable (spawn): makes the app in the granian worker."""

    def __init__(self, config: dict[str, Any], host: str, port: int, banner: Callable[..., None]) -> None:
        self.config, self.host, self.port, self.banner = config, host, port, banner
        # Read here, in the process that starts the worker: read in the worker, an orphan
        # would already see init (1) and never know its parent had gone.
        self.parent = os.getpid()

    def __call__(self) -> Any:
        _end_with_parent(self.parent)
        from jtkg.server.app import create_app

        app = create_app(self.config)
        # Granian binds after the loader returns: the lines a started server prints say it
        # answers, so they wait until the port accepts (a script waiting for them may connect).
        threading.Thread(target=_announce, args=(self.banner, app, self.host, self.port), daemon=True).start()
        return app


def _announce(banner: Callable[..., None], app: Any, host: str, port: int) -> None:
    target = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    deadline = time.monotonic() + ANNOUNCE_WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((target, port), timeout=1):
                break
        except OSError:
            time.sleep(0.02)
    banner(app, port)


def _end_with_parent(parent: int) -> None:
    """SIGKILL to this process when ``parent``, the one that started it, ends (Linux). Kill,
    not TERM: a worker that began a graceful shutdown under load was seen to hang, holding
    the store open (nothing of it needs flushing: the store is read-only here)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # it ended before the signal was asked for
        os._exit(0)
