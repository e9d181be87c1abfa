"""The query worker process: it limits itself, then answers the pool's requests.

Kept apart from the pool (server/workers.py), which runs in the server: everything here runs
in the child, after the limits of server/sandbox.py are in place.
"""

from __future__ import annotations

import importlib
import os
import pickle
import socket
from multiprocessing import reduction
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from jtkg.graph.store import StoreError
from jtkg.server.sandbox import Endpoint
from jtkg.server.sparql import SparqlResponse

if TYPE_CHECKING:
    import pyoxigraph as ox

    from jtkg.graph.remote import RemoteDataset
    from jtkg.graph.remote_http import RemoteConfig

NETWORK_BLOCKED = "network blocked (seccomp)"


def serve(
    connection: Connection,
    memory_mb: int,
    network: str | None,
    endpoints: list[Endpoint],
    remote: RemoteConfig | None = None,
) -> None:
    """A worker: limits itself, reports how, then answers requests until told to stop.

    ``network`` is None to block the network, else what needs it (the SERVICE allowlist,
    an external store); then only ``endpoints`` are reached, if the system allows.
    ``remote`` is the external store's configuration, with its credentials: the keys of
    requests name the store but carry none."""
    from jtkg.server import sandbox

    listeners: list[socket.socket] = []
    # Before any store is opened or query read.
    if network is None:
        try:
            sandbox.block_network()
            status = NETWORK_BLOCKED
        except (OSError, AttributeError) as exc:
            status = (
                f"seccomp unavailable on this system: {exc}; the SPARQL lexer guard alone keeps SERVICE off"
            )
    elif endpoints:
        try:
            listeners = sandbox.isolate_network(endpoints)
            count = f"{len(endpoints)} endpoint{'s' if len(endpoints) > 1 else ''}"
            status = f"network limited to the {network} ({count}; own network namespace"
            try:  # depth: no netlink (the namespace's own interfaces) or io_uring either
                sandbox.block_network(inet=True)
                status += ", seccomp)"
            except OSError:
                status += ")"
        except sandbox.NetworkCut as exc:
            status = f"no network: the forwarding for the {network} failed ({exc})"
        except OSError as exc:
            status = (
                f"network open: {network} set, network namespaces unavailable ({exc}); "
                "the SPARQL lexer guard alone restricts endpoints"
            )
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
            answer: tuple[str, Any] = _answer(stores, remote, *request)
        except MemoryError:
            stores.clear()
            answer = ("memory", None)
        connection.send(answer)
        if answer[0] == "memory":
            return  # the process may be in no state to go on; the pool starts a fresh one


def _answer(
    stores: dict[str, Any],
    remote: RemoteConfig | None,
    path: str,
    target: str | None,
    kwargs: dict[str, Any] | None,
) -> tuple[str, Any]:
    from jtkg.graph.remote import open_dataset
    from jtkg.server.sparql import execute

    store = stores.get(path)
    if store is None:
        stores.clear()  # one generation at a time: older ones may be collected
        try:
            store = stores[path] = open_dataset(path, remote)
        except StoreError as exc:
            return "raise", exc
        except (OSError, ValueError) as exc:
            return "raise", StoreError(f"the store cannot be opened: {exc}")
    if kwargs is None:  # only open the store: a new worker made ready
        return "ok", None
    if target is None:
        try:
            response = execute(store, **kwargs)
        except PermissionError:  # only the sandbox refuses a socket
            response = SparqlResponse(
                403,
                b"the query tried to open a network connection; this "
                b"server's query workers have no network\n",
                "text/plain",
            )
        except OSError as exc:  # a SERVICE endpoint that does not answer
            response = SparqlResponse(
                502,
                f"a SERVICE endpoint could not be reached: {exc.strerror or exc}\n".encode(),
                "text/plain",
            )
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
