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
while long ones run. A query past NICE_AFTER seconds gets a lower CPU priority, a long one
the lowest, so cheap queries get the CPU first; afterwards the worker gets its priority back
where the system allows (root, CAP_SYS_NICE), else it is retired. A stopped or retired
worker is replaced in the background, its store already open, so the next query finds a
worker ready. When every worker is busy, a request waits its turn for at most the queue
limit, then gets 503 too.

Every worker caps its own memory (RLIMIT_AS). With no SERVICE allowlist and an embedded
store, it cannot open a network socket at all (seccomp); otherwise it runs in a network
namespace of its own where only the allowlisted endpoints (and the external store) are
reachable, through forwarders in the pool (server/sandbox.py).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
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

from jtkg.server.errors import ServiceUnavailable
from jtkg.server.sandbox import Endpoint, Forwarder, allowlist, endpoints_of
from jtkg.server.sparql import SparqlResponse
from jtkg.server.worker_process import serve

if TYPE_CHECKING:
    from jtkg.graph.remote_http import RemoteConfig

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
#: Seconds after which a query is lowered to LOWER_PRIORITY: cheap queries take less.
NICE_AFTER = 0.25
LOWER_PRIORITY = 10
#: The lowest CPU priority, given to long queries.
LOWEST_PRIORITY = 19


def _context() -> BaseContext:
    # A fork server: forking it is fast and safe, unlike forking a threaded web server.
    context = multiprocessing.get_context("forkserver")
    # The write process's modules too (server/write_worker.py, the same list): one fork
    # server serves both, and preloading rdflib and pyshacl saves each write ~0.2 s.
    context.set_forkserver_preload(
        [
            "jtkg.server.worker_process",
            "pyoxigraph",
            "jtkg.server.write_worker",
            "jtkg.graph.validate",
            "jtkg.graph.warm_base",
        ]
    )
    return context


class _Stopped(Exception):  # internal control flow: never leaves the pool
    """A worker the pool stops, and what the client is told."""

    def __init__(self, worker: _Worker, problem: ServiceUnavailable) -> None:
        super().__init__(problem.reason)
        self.worker, self.problem = worker, problem


@dataclass
class _Worker:
    process: Any
    connection: Connection
    status: str
    reniced: bool = False
    forwarders: list[Forwarder] = field(default_factory=list)


class QueryPool:
    """Query worker processes, started when first needed (see the module docstring)."""

    def __init__(
        self,
        size: int = QUERY_WORKERS,
        timeout: float = QUERY_TIMEOUT,
        queue_timeout: float = QUEUE_TIMEOUT,
        *,
        reserve: int = RESERVE_WORKERS,
        memory_mb: int = WORKER_MEMORY_MB,
        network: str | None = None,
        endpoints: Sequence[Endpoint] = (),
        remote: RemoteConfig | None = None,
    ) -> None:
        self.size = max(1, size)
        self.reserve = max(0, reserve)
        self.timeout = timeout
        self.queue_timeout = queue_timeout
        self.memory_mb = memory_mb
        self.network = network
        self.endpoints = list(endpoints)
        #: The external store's configuration, credentials included: given to each worker
        #: once, at its start, so that no request (nor its key) carries them.
        self.remote = remote
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._free = threading.Semaphore(self.size + self.reserve)
        self._long = 0
        self._live = 0
        self._closed = False
        self._last_path: str | None = None
        self._status: str | None = None
        self._context: BaseContext | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> QueryPool:
        """The pool the settings describe (the Flask config of server/settings.py)."""
        from jtkg.graph.remote_http import RemoteConfig, is_remote

        needs, iris = [], list(allowlist(config.get("SERVICE_ALLOWLIST") or ""))
        remote: RemoteConfig | None = None
        if iris:
            needs.append("SERVICE allowlist")
        if is_remote(config.get("STORE")):
            needs.append("external store")
            remote = RemoteConfig.parse(str(config["STORE"]))
            iris += [remote.query_url, remote.graph_store_url]  # pages may read graphs
        endpoints = endpoints_of(iris)
        return cls(
            int(config.get("QUERY_WORKERS", QUERY_WORKERS)),
            float(config.get("QUERY_TIMEOUT", QUERY_TIMEOUT)),
            float(config.get("QUEUE_TIMEOUT", QUEUE_TIMEOUT)),
            reserve=int(config.get("RESERVE_WORKERS", RESERVE_WORKERS)),
            memory_mb=int(config.get("WORKER_MEMORY_MB", WORKER_MEMORY_MB)),
            # No http(s) endpoint to reach (an allowlist of urn:s): no network at all.
            network=" and ".join(needs) if endpoints else None,
            endpoints=endpoints,
            remote=remote,
        )

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
                f"all {self.size + self.reserve} query workers are busy; try again shortly"
            )
        worker: _Worker | None = None
        long = False
        self._last_path = message[0]
        try:
            worker = self._take()
            started = time.monotonic()
            worker.connection.send(message)
            if not worker.connection.poll(min(NICE_AFTER, self.timeout)):
                if self.timeout > NICE_AFTER:
                    self._renice(worker, LOWER_PRIORITY)
                long = self._wait_long(worker, started)
            kind, value = worker.connection.recv()
            log.debug("query took %.3f s", time.monotonic() - started)
            if kind == "memory":  # the worker is exiting
                self._kill(worker, settle=0.5)
                worker = None
        except _Stopped as stopped:
            self._kill(stopped.worker)
            worker = None
            raise stopped.problem from None
        except (EOFError, OSError):
            if worker is None:
                raise ServiceUnavailable("the query worker could not start") from None
            exitcode = self._kill(worker, settle=0.5)
            worker = None
            if exitcode == -signal.SIGABRT and self.memory_mb > 0:  # Rust, C++: a failed allocation
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

    def _wait_long(self, worker: _Worker, started: float) -> bool:
        """Waits for the answer past NICE_AFTER: True if the query took a long slot (which the
        caller gives back), _Stopped if it runs out of time or finds no long slot free."""
        time_limit = _Stopped(
            worker,
            ServiceUnavailable(f"the query ran past the {self.timeout:g}-second time limit and was stopped"),
        )
        until_long = min(LONG_AFTER, self.timeout) - (time.monotonic() - started)
        if worker.connection.poll(max(0.0, until_long)):
            return False
        if self.timeout <= LONG_AFTER:
            raise time_limit
        with self._lock:
            if self._long >= self.size:
                raise _Stopped(worker, ServiceUnavailable("too many long-running queries; try again later"))
            self._long += 1
        self._renice(worker, LOWEST_PRIORITY)
        if not worker.connection.poll(max(0.0, self.timeout - (time.monotonic() - started))):
            with self._lock:
                self._long -= 1
            raise time_limit
        return True

    def _out_of_memory(self) -> ServiceUnavailable:
        return ServiceUnavailable(f"the query needed more than {self.memory_mb} MB and was stopped")

    @staticmethod
    def _renice(worker: _Worker, priority: int) -> None:
        """A CPU priority for every thread of the worker (Linux nice is per thread)."""
        worker.reniced = worker.reniced or priority > 0
        pid = worker.process.pid
        try:
            tasks = [int(t) for t in os.listdir(f"/proc/{pid}/task")]
        except OSError:
            tasks = [pid]
        for task in tasks:
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, task, priority)

    def _give_back(self, worker: _Worker) -> None:
        if worker.reniced:
            try:  # allowed to root (CAP_SYS_NICE) or under RLIMIT_NICE only
                for task in os.listdir(f"/proc/{worker.process.pid}/task"):
                    os.setpriority(os.PRIO_PROCESS, int(task), 0)
                worker.reniced = False
            except OSError:  # it cannot get its priority back: a fresh one replaces it
                self._retire(worker)
                self._replace()
                return
        with self._lock:
            self._idle.append(worker)

    def _replace(self) -> None:
        """Starts a worker in the background, with the store open, for the one just stopped:
        the next query then finds it ready instead of waiting for a start."""
        path = self._last_path
        with self._lock:
            if self._live >= self.size + self.reserve or self._closed:
                return

        def start() -> None:
            try:
                worker = self._spawn()
                if path is not None:
                    worker.connection.send((path, None, None))
                    if not worker.connection.poll(START_TIMEOUT):
                        raise ServiceUnavailable("the new worker did not open the store")
                    worker.connection.recv()
            except (ServiceUnavailable, EOFError, OSError):
                return
            with self._lock:
                if not self._closed:
                    self._idle.append(worker)
                    return
            self._retire(worker)

        threading.Thread(target=start, daemon=True, name="query worker start").start()

    def close(self) -> None:
        with self._lock:
            workers, self._idle = self._idle, []
            self._closed = True
        for worker in workers:
            self._retire(worker)

    def _take(self) -> _Worker:
        while True:
            with self._lock:
                worker = self._idle.pop() if self._idle else None
            if worker is None:
                return self._spawn()
            if worker.process.is_alive():
                return worker
            self._kill(worker, replace=False)  # it died idle (the OOM killer, an operator)

    def _spawn(self) -> _Worker:
        if self._context is None:
            self._context = _context()
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=serve, args=(child, self.memory_mb, self.network, self.endpoints, self.remote), daemon=True
        )
        process.start()
        child.close()
        with self._lock:
            self._live += 1
        worker = _Worker(process, parent, "")
        try:
            if not parent.poll(START_TIMEOUT):
                raise ServiceUnavailable("the query worker did not start in time")
            _, worker.status, listening = parent.recv()
            for endpoint in self.endpoints[:listening]:
                listener = socket.socket(fileno=reduction.recv_handle(parent))
                worker.forwarders.append(Forwarder(listener, endpoint))
        except (EOFError, OSError, ServiceUnavailable):
            self._kill(worker, replace=False)
            raise
        if self._status is not None and worker.status != self._status:
            log.warning("query workers: %s", worker.status)
        self._status = worker.status
        return worker

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._live -= 1
        with contextlib.suppress(OSError):
            worker.connection.send(None)
        worker.process.join(timeout=2)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(timeout=5)
        worker.connection.close()
        for forwarder in worker.forwarders:
            forwarder.close()

    def _kill(self, worker: _Worker, settle: float = 0.0, replace: bool = True) -> int | None:
        """Stops the worker, starts a replacement; the exit code (negative: the signal that
        ended it). ``settle`` gives a worker that is already dying (an abort) time to end
        with its own code."""
        with self._lock:
            self._live -= 1
        if settle and worker.process.is_alive():
            worker.process.join(timeout=settle)
        worker.process.kill()
        worker.process.join(timeout=5)
        worker.connection.close()
        for forwarder in worker.forwarders:
            forwarder.close()
        if replace:
            self._replace()
        return worker.process.exitcode
