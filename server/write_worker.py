"""Writes run in a child process, where a crash cannot take the server and a runaway one
can be stopped.

pyoxigraph can neither interrupt an update nor survive every one (an update nested a few
thousand deep overflows its parser's stack and kills the process). So a write (take the
write lock, copy the published generation, apply the change, re-derive and validate what
it touched, publish: the change pipeline of graph/change.py) runs in a fresh child
started by the fork server, under a wall-clock limit and a memory cap, without network
access. Past the limit the child is killed: the kernel releases its write lock, the
parent removes the half-written generation (whose name it chose) and the previous
generation stays published. A child that dies of a signal is reported the same way.
Errors the child raises (malformed update, SHACL violation, store errors) are sent back
and raised again in the request thread, so they keep their status.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
import pickle
import shutil
import signal
import traceback
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from jtkg.graph.change import Change, DoesNotConform, MalformedChange, OutboundRefused, OwnedGraph, commit
from jtkg.graph.store import StoreLocation, new_generation_name
from jtkg.server.errors import (
    BadRequest,
    Forbidden,
    HTTPProblem,
    MalformedQuery,
    ServiceUnavailable,
    UnprocessableEntity,
)

__all__ = ["UPDATE_MEMORY_MB", "UPDATE_TIMEOUT", "Change", "run_write", "write"]

log = logging.getLogger("jtkg.writes")

#: Default seconds a write may run (copy, change, validation and publish together).
UPDATE_TIMEOUT = 60.0
#: Seconds past its limit after which a write process whose server died stops itself.
ORPHAN_GRACE = 5
#: Default address-space cap of a write process, in MB (a write validates only what it
#: touches, but a large graph replaced whole is read into rdflib).
UPDATE_MEMORY_MB = 4096


def write(location: StoreLocation, change: Change, what: str, name: str | None = None) -> str:
    """The whole write, in this process, through the change pipeline (graph/change.py):
    apply, re-derive, validate locally, publish; 403 for a graph the build writes, 422 if
    the data would no longer conform (nothing published). Returns the generation's name."""
    try:
        return commit(location, change, name)
    except MalformedChange as exc:
        raise MalformedQuery(str(exc)) from None
    except OutboundRefused as exc:
        raise BadRequest(str(exc)) from None
    except OwnedGraph as exc:
        raise Forbidden(str(exc)) from None
    except DoesNotConform as exc:
        raise UnprocessableEntity(f"the {what} would make the data invalid ({exc})") from None


# ------------------------------------------------------------------ the child


def _confine(memory_mb: int) -> list[str]:
    """No network and bounded memory for the rest of the child's life; returns what could
    not be put in place (logged by the parent). server/sandbox.py holds the mechanisms."""
    missing = []
    try:
        from jtkg.server import sandbox
    except ImportError:  # pragma: no cover - the sandbox module ships with the server
        return ["no sandbox module: the write process may open network connections"]
    try:
        sandbox.block_network()
    except OSError as exc:
        missing.append(f"no network filter for writes ({exc})")
    sandbox.fewer_malloc_arenas()
    if memory_mb > 0:
        sandbox.cap_memory(memory_mb)
    return missing


@dataclass(frozen=True)
class Job:
    """What the child is given: the write and its limits."""

    path: str
    change: Change
    what: str
    #: The generation folder to write (chosen by the parent, which removes it after a kill).
    name: str
    timeout: float
    memory_mb: int
    keep: int | None = None
    #: The server's environment now (the fork server's is that of when it started).
    environ: dict[str, str] = field(default_factory=dict)


def _child(connection: Connection, job: Job) -> None:
    os.environ.clear()
    os.environ.update(job.environ)
    # Should the server die without stopping it, the child stops itself a little after the
    # limit (SIGALRM's default action ends the process, in Rust code too).
    signal.alarm(math.ceil(job.timeout) + ORPHAN_GRACE)
    try:
        missing = _confine(job.memory_mb)
        location = StoreLocation(job.path)
        location.keep_generations = job.keep  # the server's setting, not only the environment
        connection.send(("ok", write(location, job.change, job.what, job.name), missing))
    except MemoryError:
        connection.send(("memory", None, []))
    except BaseException as exc:
        connection.send(("error", _portable(exc), traceback.format_exc()))
    finally:
        connection.close()


def _portable(exc: BaseException) -> BaseException:
    """The exception itself when it pickles (HTTPProblem, StoreError, OSError do), else its
    description as a RuntimeError (an unexpected error: 500, traceback in the log)."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")


# ------------------------------------------------------------------ the parent

#: What the fork server imports once for every child; the query pool (server/workers.py)
#: sets the same list, and whichever starts the fork server first has its list used.
FORKSERVER_PRELOAD = [
    "jtkg.server.worker_process",
    "pyoxigraph",
    "jtkg.server.write_worker",
    "jtkg.graph.validate",
    "jtkg.graph.warm_base",
]

#: A hook for tests: runs in the child in place of ``_child`` (must be importable there).
CHILD_TARGET = _child


def run_write(
    location: StoreLocation,
    change: Change,
    what: str,
    timeout: float = UPDATE_TIMEOUT,
    memory_mb: int = UPDATE_MEMORY_MB,
    target: Any = None,
) -> str:
    """Runs ``write`` in a child process within ``timeout`` seconds; returns the published
    generation's name, or raises what the child raised, or 503 when it ran out of time or
    memory or died (the store then unchanged)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(FORKSERVER_PRELOAD)  # if a write starts it, not a query
    name = new_generation_name()
    receiver, sender = context.Pipe(duplex=False)
    job = Job(
        str(location.path),
        change,
        what,
        name,
        timeout,
        memory_mb,
        getattr(location, "keep_generations", None),
        dict(os.environ),
    )
    process = context.Process(target=target or CHILD_TARGET, args=(sender, job), daemon=True)
    process.start()
    sender.close()  # so that a child's death reads as EOF here
    try:
        if not receiver.poll(timeout):
            _stop(process)
            if _published_anyway(location, name):
                return name
            raise ServiceUnavailable(
                f"the {what} ran past the {timeout:g}-second time limit and was stopped; nothing was changed"
            )
        try:
            outcome, value, detail = receiver.recv()
        except (EOFError, OSError):
            _stop(process)
            log.error("the %s process stopped unexpectedly (%s)", what, _exit(process.exitcode))
            if _published_anyway(location, name):
                return name
            raise ServiceUnavailable(
                f"the {what} process stopped unexpectedly; nothing was changed"
            ) from None
    finally:
        receiver.close()
    process.join(timeout=1)
    if process.is_alive():  # it has answered and only has to exit: nothing is lost
        _stop(process)
    if outcome == "ok":
        for problem in detail:
            log.warning("%s", problem)
        return str(value)
    if outcome == "memory":
        raise ServiceUnavailable(
            f"the {what} needed more than the {memory_mb} MB memory limit "
            "and was stopped; nothing was changed"
        )
    if not isinstance(value, HTTPProblem):
        log.error("the %s failed in its process:\n%s", what, detail)
    raise value


def _exit(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            pass
    return f"exit code {code}"


def _stop(process: Any) -> None:
    process.kill()
    process.join(timeout=5)


def _published_anyway(location: StoreLocation, name: str) -> bool:
    """After a kill: whether the child had already made ``name`` current (then the write
    stands); otherwise its half-written generation is removed. Decided under the write
    lock, which the dead child no longer holds, so no other writer can be mid-publish."""
    with location._write_lock():
        if location.current_generation() == name:
            return True
        _remove(location, name)
        # An atomic replace of CURRENT cut short leaves its temporary file; under the lock
        # no writer is mid-replace, so any such file is stale.
        for stale in location.path.glob(".CURRENT.*.tmp"):
            stale.unlink(missing_ok=True)
        return False


def _remove(location: StoreLocation, name: str) -> None:
    target = Path(location.path) / name
    if target.exists():
        shutil.rmtree(target, ignore_errors=True)
