"""Queries run in worker processes, where a runaway one can actually be stopped.

pyoxigraph cannot interrupt a query, so the request thread never runs one: it hands the
query to an idle worker process and waits up to the time limit. A worker that runs past it
is killed (freeing its memory and CPU) and replaced; the client gets 503 with the reason.

Cheap queries keep their capacity when runaway ones arrive (issue 12, item 10). A query is
*long* once it has run LONG_AFTER seconds. At most ``size`` (``query_workers``) long queries
run at once; a query that turns long while that many already run is stopped with 503 ("too
many long-running queries") rather than left to hold a worker, so runaway clients can hold
at most ``size`` workers for the whole time limit, and every other one for LONG_AFTER at a
time. Up to ``size + reserve`` workers run at once, so the reserve is free for new queries
while long ones run; long ones are reniced to the lowest CPU priority (their worker is
retired afterwards, since a process cannot raise its priority back). When every worker is
busy, a request waits its turn for at most the queue limit, then gets 503 too.

Every worker caps its own memory (RLIMIT_AS). With no SERVICE allowlist and an embedded
store, it cannot open a network socket at all (seccomp); otherwise it runs in a network
namespace of its own where only the allowlisted endpoints (and the external store) are
reachable, through forwarders in the pool (server/sandbox.py).
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import multiprocessing
import os
import pickle
import signal
import socket
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing import reduction
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from typing import TYPE_CHECKING, Any

from jtkg.graph.store import StoreError
from jtkg.server.errors import ServiceUnavailable
from jtkg.server.sandbox import Endpoint, Forwarder, endpoints_of
from jtkg.server.sparql import SparqlResponse

if TYPE_CHECKING:
    import pyoxigraph as ox

    from jtkg.graph.remote import RemoteDataset

log = logging.getLogger("jtkg.workers")

#: Default seconds a query may run.
QUERY_TIMEOUT = 10.0
#: Default seconds a request waits for a free worker.
QUEUE_TIMEOUT = 5.0
#: Default most long queries at once (the ``query_workers`` setting).
QUERY_WORKERS = 2
#: Default workers beyond ``query_workers`` that only queries younger than LONG_AFTER use.
RESERVE_WORKERS = 4
#: Default address-space cap of a worker, in MB.
WORKER_MEMORY_MB = 2048
#: Seconds after which a query counts as long: reniced, and limited to ``query_workers``.
LONG_AFTER = 1.0
#: Seconds a new worker has to start and report its sandbox.
START_TIMEOUT = 30.0
#: The lowest CPU priority, given to long queries.
LOWEST_PRIORITY = 19

NETWORK_BLOCKED = "network blocked (seccomp)"


def _context() -> BaseContext:
    # A fork server: forking it is fast and safe, unlike forking a threaded web server.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["jtkg.server.sparql", "jtkg.server.sandbox", "pyoxigraph"])
    return context


def _serve(connection: Connection, memory_mb: int, network: str | None,
           endpoints: list[Endpoint]) -> None:
    """A worker: limits itself, reports how, then answers requests until told to stop.

    ``network`` is None to block the network, else what needs it (the SERVICE allowlist,
    an external store); then only ``endpoints`` are reached, if the system allows."""
    from jtkg.server import sandbox

    listeners: list[socket.socket] = []
    # Before any store is opened or query read.
    if network is None:
        try:
            sandbox.block_network()
            status = NETWORK_BLOCKED
        except (OSError, AttributeError) as exc:
            status = (f"seccomp unavailable on this system: {exc}; the SPARQL lexer guard alone "
                      "keeps SERVICE off")
    elif endpoints:
        try:
            listeners = sandbox.isolate_network(endpoints)
            count = f"{len(endpoints)} endpoint{'s' if len(endpoints) > 1 else ''}"
            status = f"network limited to the {network} ({count}; own network namespace)"
        except OSError as exc:
            status = (f"network open: {network} set, network namespaces unavailable ({exc}); "
                      "the SPARQL lexer guard alone restricts endpoints")
    else:
        status = f"network open: {network}"
    sandbox.fewer_malloc_arenas()
    if memory_mb > 0:
        sandbox.cap_memory(memory_mb)
    connection.send(("hello", status, len(listeners)))
    for listener in listeners:  # the pool forwards what arrives to the endpoint, only there
        reduction.send_handle(connection, listener.fileno(), os.getppid())
        listener.close()
    stores: dict[str, ox.Store | RemoteDataset] = {}
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        if request is None:
            return
        try:
            answer: tuple[str, Any] = _answer(stores, *request)
        except MemoryError:
            stores.clear()
            answer = ("memory", None)
        connection.send(answer)
        if answer[0] == "memory":
            return  # the process may be in no state to go on; the pool starts a fresh one


def _answer(stores: dict[str, Any], path: str, target: str | None,
            kwargs: dict[str, Any]) -> tuple[str, Any]:
    from jtkg.graph.remote import open_dataset
    from jtkg.server.sparql import execute

    store = stores.get(path)
    if store is None:
        stores.clear()  # one generation at a time: older ones may be collected
        try:
            store = stores[path] = open_dataset(path)
        except (OSError, ValueError) as exc:
            return "raise", StoreError(f"the store cannot be opened: {exc}")
    if target is None:
        try:
            response = execute(store, **kwargs)
        except PermissionError:  # only the sandbox refuses a socket
            response = SparqlResponse(403, b"the query tried to open a network connection; this "
                                      b"server's query workers have no network\n", "text/plain")
        except OSError as exc:  # a SERVICE endpoint that does not answer
            response = SparqlResponse(502, f"a SERVICE endpoint could not be reached: "
                                      f"{exc.strerror or exc}\n".encode(), "text/plain")
        return "ok", (response.status, response.body, response.media_type, response.headers)
    try:
        module_name, _, name = target.partition(":")
        result = getattr(importlib.import_module(module_name), name)(store, **kwargs)
        pickle.dumps(result)  # fail here, as an error the caller sees, not in send()
        return "ok", result
    except MemoryError:
        raise
    except Exception as exc:  # the caller raises it again
        try:
            pickle.loads(pickle.dumps(exc))
            return "raise", exc
        except Exception:  # an exception that does not survive pickling: its text does
            return "raise", RuntimeError(f"{type(exc).__name__}: {exc}")


@dataclass
class _Worker:
    process: Any
    connection: Connection
    status: str
    reniced: bool = False
    forwarders: list[Forwarder] = field(default_factory=list)


class QueryPool:
    """Query worker processes, started when first needed (see the module docstring)."""

    def __init__(self, size: int = QUERY_WORKERS, timeout: float = QUERY_TIMEOUT,
                 queue_timeout: float = QUEUE_TIMEOUT, *, reserve: int = RESERVE_WORKERS,
                 memory_mb: int = WORKER_MEMORY_MB, network: str | None = None,
                 endpoints: Sequence[Endpoint] = ()) -> None:
        self.size = max(1, size)
        self.reserve = max(0, reserve)
        self.timeout = timeout
        self.queue_timeout = queue_timeout
        self.memory_mb = memory_mb
        self.network = network
        self.endpoints = list(endpoints)
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._free = threading.Semaphore(self.size + self.reserve)
        self._long = 0
        self._started = 0
        self._status: str | None = None
        self._context: BaseContext | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> QueryPool:
        """The pool the settings describe (the Flask config of server/settings.py)."""
        from jtkg.graph.remote_http import RemoteConfig, is_remote
        from jtkg.server.settings import allowlist

        needs, iris = [], list(allowlist(config.get("SERVICE_ALLOWLIST") or ""))
        if iris:
            needs.append("SERVICE allowlist")
        if is_remote(config.get("STORE")):
            needs.append("external store")
            iris.append(RemoteConfig.parse(str(config["STORE"])).query_url)
        return cls(int(config.get("QUERY_WORKERS", QUERY_WORKERS)),
                   float(config.get("QUERY_TIMEOUT", QUERY_TIMEOUT)),
                   float(config.get("QUEUE_TIMEOUT", QUEUE_TIMEOUT)),
                   reserve=int(config.get("RESERVE_WORKERS", RESERVE_WORKERS)),
                   memory_mb=int(config.get("WORKER_MEMORY_MB", WORKER_MEMORY_MB)),
                   network=" and ".join(needs) or None, endpoints=endpoints_of(iris))

    def protection(self) -> str:
        """One line on the workers' limits, as a started worker reports them."""
        if self._status is None:
            try:
                worker = self._spawn()
            except ServiceUnavailable as exc:
                return f"query workers: {exc.reason}"
            with self._lock:
                self._idle.append(worker)
        memory = f"memory capped at {self.memory_mb} MB" if self.memory_mb > 0 else "memory not capped"
        return f"query workers: {self._status}; {memory}"

    def run(self, store_path: str, **kwargs: Any) -> SparqlResponse:
        """Runs ``execute(store, **kwargs)`` in a worker, within the time limit."""
        status, body, media_type, headers = self._exchange((store_path, None, kwargs))
        return SparqlResponse(status, body, media_type, headers)

    def call(self, store_path: str, target: str, /, **kwargs: Any) -> Any:
        """Runs ``fn(store, **kwargs)`` in a worker, within the same limits as :meth:`run`.

        ``target`` names the function as ``"jtkg.module:function"``; its result must pickle.
        An exception raised in the worker is raised here again.
        """
        module_name, colon, name = target.partition(":")
        if not colon or not name or not module_name.startswith("jtkg."):
            raise ValueError(f"not a jtkg function target: {target!r}")
        return self._exchange((store_path, target, kwargs))

    def _exchange(self, message: tuple[str, str | None, dict[str, Any]]) -> Any:
        if not self._free.acquire(timeout=self.queue_timeout):
            raise ServiceUnavailable(
                f"all {self.size + self.reserve} query workers are busy; try again shortly")
        worker: _Worker | None = None
        long = False
        try:
            worker = self._take()
            started = time.monotonic()
            worker.connection.send(message)
            if not worker.connection.poll(min(LONG_AFTER, self.timeout)):
                long = self._admit_long()
                if not long:
                    self._kill(worker)
                    worker = None
                    raise ServiceUnavailable("too many long-running queries; try again later")
                self._renice(worker)
                left = self.timeout - (time.monotonic() - started)
                if not worker.connection.poll(max(0.0, left)):
                    self._kill(worker)
                    worker = None
                    raise ServiceUnavailable(
                        f"the query ran past the {self.timeout:g}-second time limit and was stopped")
            kind, value = worker.connection.recv()
            log.debug("query took %.3f s", time.monotonic() - started)
            if kind == "memory":  # the worker is exiting
                self._kill(worker, settle=0.5)
                worker = None
        except (EOFError, OSError):
            if worker is None:
                raise ServiceUnavailable("the query worker could not start") from None
            exitcode = self._kill(worker, settle=0.5)
            worker = None
            if exitcode == -signal.SIGABRT:  # Rust and C++ abort when an allocation fails
                raise self._out_of_memory() from None
            raise ServiceUnavailable("the query worker stopped unexpectedly") from None
        finally:
            if long:
                with self._lock:
                    self._long -= 1
            if worker is not None:
                self._give_back(worker)
            self._free.release()
        if kind == "memory":
            raise self._out_of_memory()
        if kind == "raise":
            raise value
        return value

    def _out_of_memory(self) -> ServiceUnavailable:
        return ServiceUnavailable(f"the query needed more than {self.memory_mb} MB and was stopped")

    def _admit_long(self) -> bool:
        with self._lock:
            if self._long >= self.size:
                return False
            self._long += 1
            return True

    @staticmethod
    def _renice(worker: _Worker) -> None:
        """Lowest CPU priority for every thread of the worker (Linux nice is per thread)."""
        worker.reniced = True
        pid = worker.process.pid
        try:
            tasks = [int(t) for t in os.listdir(f"/proc/{pid}/task")]
        except OSError:
            tasks = [pid]
        for task in tasks:
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, task, LOWEST_PRIORITY)

    def _give_back(self, worker: _Worker) -> None:
        if worker.reniced:  # it cannot get its priority back: a fresh one replaces it
            self._retire(worker)
            return
        with self._lock:
            self._idle.append(worker)

    def close(self) -> None:
        with self._lock:
            workers, self._idle = self._idle, []
        for worker in workers:
            self._retire(worker)

    def _take(self) -> _Worker:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return self._spawn()

    def _spawn(self) -> _Worker:
        if self._context is None:
            self._context = _context()
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_serve, args=(child, self.memory_mb, self.network, self.endpoints), daemon=True)
        process.start()
        child.close()
        self._started += 1
        worker = _Worker(process, parent, "")
        try:
            if not parent.poll(START_TIMEOUT):
                raise ServiceUnavailable("the query worker did not start in time")
            _, worker.status, listening = parent.recv()
            for endpoint in self.endpoints[:listening]:
                listener = socket.socket(fileno=reduction.recv_handle(parent))
                worker.forwarders.append(Forwarder(listener, endpoint))
        except (EOFError, OSError, ServiceUnavailable):
            self._kill(worker)
            raise
        if self._status is not None and worker.status != self._status:
            log.warning("query workers: %s", worker.status)
        self._status = worker.status
        return worker

    @staticmethod
    def _retire(worker: _Worker) -> None:
        with contextlib.suppress(OSError):
            worker.connection.send(None)
        worker.process.join(timeout=2)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(timeout=5)
        worker.connection.close()
        for forwarder in worker.forwarders:
            forwarder.close()

    @staticmethod
    def _kill(worker: _Worker, settle: float = 0.0) -> int | None:
        """Stops the worker; its exit code (negative: the signal that ended it). ``settle``
        gives a worker that is already dying (an abort) time to end with its own code."""
        if settle and worker.process.is_alive():
            worker.process.join(timeout=settle)
        worker.process.kill()
        worker.process.join(timeout=5)
        worker.connection.close()
        for forwarder in worker.forwarders:
            forwarder.close()
        return worker.process.exitcode
