"""Queries run in worker processes, where a runaway one can actually be stopped.

pyoxigraph cannot interrupt a query, so the request thread never runs one: it hands the
query to an idle worker process and waits up to the time limit. A worker that runs past it
is killed (freeing its memory and CPU) and replaced; the client gets 503 with the reason.
While it runs, the other workers go on serving. When every worker is busy, a request waits
its turn for at most the queue limit, then gets 503 too.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import multiprocessing
import pickle
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from typing import TYPE_CHECKING, Any

from jtkg.server.errors import ServiceUnavailable
from jtkg.server.sparql import SparqlResponse

if TYPE_CHECKING:
    import pyoxigraph as ox

log = logging.getLogger("jtkg.workers")

#: Default seconds a query may run.
QUERY_TIMEOUT = 10.0
#: Default seconds a request waits for a free worker.
QUEUE_TIMEOUT = 5.0


def _context() -> BaseContext:
    # A fork server: forking it is fast and safe, unlike forking a threaded web server.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["jtkg.server.sparql", "pyoxigraph"])
    return context


def _serve(connection: Connection) -> None:
    """A worker: opens stores read-only as asked and answers queries until told to stop."""
    from jtkg.graph.remote import RemoteDataset, open_dataset
    from jtkg.server.sparql import execute

    stores: dict[str, ox.Store | RemoteDataset] = {}
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        if request is None:
            return
        path, target, kwargs = request
        if target is not None:
            connection.send(_call(stores, path, target, kwargs))
            continue
        store = stores.get(path)
        if store is None:
            stores.clear()  # one generation at a time: older ones may be collected
            store = stores[path] = open_dataset(path)
        response = execute(store, **kwargs)
        connection.send((response.status, response.body, response.media_type, response.headers))


def _call(stores: dict[str, Any], path: str, target: str, kwargs: dict[str, Any]) -> tuple[bool, Any]:
    """Runs ``target(store, **kwargs)``: (True, result) or (False, the exception to re-raise)."""
    from jtkg.graph.remote import open_dataset

    try:
        module_name, _, name = target.partition(":")
        fn = getattr(importlib.import_module(module_name), name)
        store = stores.get(path)
        if store is None:
            stores.clear()
            store = stores[path] = open_dataset(path)
        result = fn(store, **kwargs)
        pickle.dumps(result)  # fail here, as an error the caller sees, not in send()
        return True, result
    except Exception as exc:  # the caller re-raises it
        try:
            pickle.loads(pickle.dumps(exc))
            return False, exc
        except Exception:  # an exception that does not survive pickling: its text does
            return False, RuntimeError(f"{type(exc).__name__}: {exc}")


@dataclass
class _Worker:
    process: Any
    connection: Connection


class QueryPool:
    """A fixed number of query worker processes, started when first needed."""

    def __init__(self, size: int, timeout: float = QUERY_TIMEOUT,
                 queue_timeout: float = QUEUE_TIMEOUT) -> None:
        self.size = max(1, size)
        self.timeout = timeout
        self.queue_timeout = queue_timeout
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._free = threading.Semaphore(self.size)
        self._started = 0
        self._context: BaseContext | None = None

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
        ok, value = self._exchange((store_path, target, kwargs))
        if not ok:
            raise value
        return value

    def _exchange(self, message: tuple[str, str | None, dict[str, Any]]) -> Any:
        if not self._free.acquire(timeout=self.queue_timeout):
            raise ServiceUnavailable(f"all {self.size} query workers are busy; try again shortly")
        worker = None
        try:
            worker = self._take()
            started = time.monotonic()
            worker.connection.send(message)
            if not worker.connection.poll(self.timeout):
                self._kill(worker)
                worker = None
                raise ServiceUnavailable(
                    f"the query ran past the {self.timeout:g}-second time limit and was stopped")
            answer = worker.connection.recv()
            log.debug("query took %.3f s", time.monotonic() - started)
            return answer
        except (EOFError, OSError, BrokenPipeError):
            if worker is not None:
                self._kill(worker)
                worker = None
            raise ServiceUnavailable("the query worker stopped unexpectedly") from None
        finally:
            if worker is not None:
                with self._lock:
                    self._idle.append(worker)
            self._free.release()

    def close(self) -> None:
        with self._lock:
            workers, self._idle = self._idle, []
        for worker in workers:
            with contextlib.suppress(OSError):
                worker.connection.send(None)
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                worker.process.kill()

    def _take(self) -> _Worker:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return self._spawn()

    def _spawn(self) -> _Worker:
        if self._context is None:
            self._context = _context()
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(child,), daemon=True)
        process.start()
        child.close()
        self._started += 1
        return _Worker(process, parent)

    @staticmethod
    def _kill(worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join(timeout=5)
        worker.connection.close()
