"""The query worker pool: generic calls, the network sandbox, the memory cap, cheap queries
under load."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from jtkg.server.errors import ServiceUnavailable
from jtkg.server.sparql import SparqlResponse
from jtkg.server.workers import QueryPool

EX = "http://example.org/"


@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store of 200 triples: small to build, big enough for a cross product to run away."""
    path = tmp_path_factory.mktemp("tiny") / "store"
    store = ox.Store(str(path))
    store.extend(
        [
            ox.Quad(
                ox.NamedNode(f"{EX}s{i}"),
                ox.NamedNode(f"{EX}p"),
                ox.Literal(f"value {i}"),
                ox.NamedNode(f"{EX}g"),
            )
            for i in range(200)
        ]
    )
    store.flush()
    del store
    return str(path)


@pytest.fixture
def pool():  # type: ignore[no-untyped-def]
    pool = QueryPool(1, timeout=5, queue_timeout=5)
    yield pool
    pool.close()


def test_call_runs_a_jtkg_function_in_a_worker(pool: QueryPool, tiny_store: str) -> None:
    result = pool.call(
        tiny_store,
        "jtkg.server.sparql:execute",
        query=f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{EX}p> ?o }}",
        accept="text/csv",
    )
    assert isinstance(result, SparqlResponse) and result.status == 200
    assert result.body.split() == [b"n", b"200"]


def test_call_reraises_the_workers_exception_and_the_worker_survives(
    pool: QueryPool, tiny_store: str
) -> None:
    with pytest.raises(TypeError):
        pool.call(tiny_store, "jtkg.server.sparql:execute", query="ASK {}", no_such_argument=1)
    assert pool.call(tiny_store, "jtkg.server.sparql:execute", query="ASK {}").status == 200


def test_call_refuses_targets_outside_jtkg(pool: QueryPool, tiny_store: str) -> None:
    for target in ("os:system", "jtkg.server.sparql", "builtins:eval", "jtkgx.a:b"):
        with pytest.raises(ValueError):
            pool.call(tiny_store, target)


def test_call_of_a_runaway_function_is_stopped_at_the_time_limit(tiny_store: str) -> None:
    pool = QueryPool(1, timeout=1, queue_timeout=5)
    try:
        with pytest.raises(ServiceUnavailable, match="time limit"):
            pool.call(
                tiny_store,
                "jtkg.server.sparql:execute",
                query="SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
            )
        assert pool.call(tiny_store, "jtkg.server.sparql:execute", query="ASK {}").status == 200
    finally:
        pool.close()


@contextlib.contextmanager
def counting_listener() -> Iterator[tuple[int, list[object]]]:
    """A TCP listener on 127.0.0.1 that accepts (and closes) connections and counts them."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    accepted: list[object] = []
    done = threading.Event()

    def accept() -> None:
        while not done.is_set():
            with contextlib.suppress(OSError):
                connection, peer = listener.accept()
                accepted.append(peer)
                connection.close()

    watcher = threading.Thread(target=accept, daemon=True)
    watcher.start()
    try:
        yield listener.getsockname()[1], accepted
    finally:
        time.sleep(0.3)  # a connection in flight is counted too
        done.set()
        watcher.join()
        listener.close()


def open_pool(**kwargs: object) -> QueryPool:
    return QueryPool(1, timeout=5, queue_timeout=5, **kwargs)  # type: ignore[arg-type]


def test_a_worker_cannot_open_a_network_socket(tiny_store: str) -> None:
    sandboxed, open_ = open_pool(), open_pool(network="for this test")
    try:
        assert sandboxed.protection().startswith("query workers: network blocked (seccomp)")
        with counting_listener() as (port, accepted):
            assert (
                sandboxed.call(tiny_store, "jtkg.server.sandbox:try_connect", host="127.0.0.1", port=port)
                == "refused by the sandbox"
            )
            assert (
                sandboxed.call(tiny_store, "jtkg.server.sandbox:try_connect", host="::1", port=port)
                == "refused by the sandbox"
            )
            assert accepted == []
            assert (
                open_.call(tiny_store, "jtkg.server.sandbox:try_connect", host="127.0.0.1", port=port)
                == "connected"
            )
        assert len(accepted) == 1
    finally:
        sandboxed.close()
        open_.close()


def test_service_past_the_guard_makes_no_connection_from_a_sandboxed_worker(tiny_store: str) -> None:
    """The guard let through (the target is on the request's allowlist, as a parser mismatch
    would): the sandboxed worker still reaches nothing, while an open one does connect."""
    sandboxed, open_ = open_pool(), open_pool(network="for this test")
    try:
        with counting_listener() as (port, accepted):
            target = f"http://127.0.0.1:{port}/sparql"
            query = f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"
            response = sandboxed.run(tiny_store, query=query, service_allowlist=(target,))
            assert response.status == 403 and b"no network" in response.body
            assert response.body.count(b"\n") == 1
        assert accepted == []
        with counting_listener() as (port, accepted):
            target = f"http://127.0.0.1:{port}/sparql"
            query = f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"
            assert open_.run(tiny_store, query=query, service_allowlist=(target,)).status == 502
        assert len(accepted) >= 1
    finally:
        sandboxed.close()
        open_.close()


def test_the_pool_keeps_the_network_only_for_an_allowlist_or_an_external_store(tmp_path: Path) -> None:
    assert QueryPool.from_config({"STORE": tmp_path}).network is None
    assert "allowlist" in str(
        QueryPool.from_config({"STORE": tmp_path, "SERVICE_ALLOWLIST": "http://a.example/sparql"}).network
    )
    assert "external store" in str(
        QueryPool.from_config({"STORE": "sparql+http://127.0.0.1:1/sparql"}).network
    )
    # An allowlist with nothing reachable over HTTP keeps the network blocked.
    assert QueryPool.from_config({"STORE": tmp_path, "SERVICE_ALLOWLIST": "urn:a"}).network is None


MEMORY_HOG = "SELECT * WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f } ORDER BY ?a ?c ?e"


def test_a_query_past_the_memory_cap_is_stopped_and_the_worker_replaced(tiny_store: str) -> None:
    pool = open_pool(memory_mb=400)
    try:
        with pytest.raises(ServiceUnavailable) as stopped:
            pool.run(tiny_store, query=MEMORY_HOG)
        assert stopped.value.reason == "the query needed more than 400 MB and was stopped"
        assert pool.run(tiny_store, query="ASK {}").status == 200
    finally:
        pool.close()


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_cheap_queries_are_answered_while_four_runaway_queries_loop(store: Path) -> None:
    """Issue 12, item 10: default worker settings; the time limit is longer than the queue
    limit (as 10 s and 5 s are by default), but short enough for a test."""
    from jtkg.server.app import create_app

    app = create_app({"STORE": store, "QUERY_TIMEOUT": 6})
    stop = threading.Event()
    runaway_statuses: list[int] = []

    def runaway() -> None:
        client = app.test_client()
        while not stop.is_set():
            runaway_statuses.append(client.get("/sparql", query_string={"query": RUNAWAY}).status_code)

    threads = [threading.Thread(target=runaway, daemon=True) for _ in range(4)]
    try:
        for thread in threads:
            thread.start()
        time.sleep(1.5)  # the runaway queries hold their workers, two of them already long
        client = app.test_client()
        cheap: list[tuple[int, str]] = []
        for _ in range(20):
            response = client.get("/sparql", query_string={"query": "ASK {}"})
            cheap.append((response.status_code, response.get_data(as_text=True)))
            if response.status_code != 200:
                break  # one is enough to fail (and waiting out the rest would take minutes)
            time.sleep(0.1)
        assert cheap == [(200, cheap[0][1])] * 20 and "true" in cheap[0][1]
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        app.extensions["jtkg.queries"].close()
    assert runaway_statuses and set(runaway_statuses) == {503}


def test_with_an_allowlist_only_its_endpoints_are_reached(tiny_store: str) -> None:
    """seccomp cannot tell addresses apart: a worker that needs the network for SERVICE gets
    a namespace of its own, where only the allowlisted endpoints are forwarded."""
    with counting_listener() as (allowed, reached), counting_listener() as (other, elsewhere):
        allowed_iri, other_iri = (f"http://127.0.0.1:{port}/sparql" for port in (allowed, other))
        pool = QueryPool.from_config(
            {"STORE": tiny_store, "QUERY_WORKERS": 1, "SERVICE_ALLOWLIST": f"{allowed_iri} http://x.invalid/"}
        )
        try:
            assert "network limited to the SERVICE allowlist" in pool.protection()
            query = "SELECT * WHERE {{ SERVICE <{}> {{ ?s ?p ?o }} }}"
            # The allowed endpoint is reached (it answers nothing: 502).
            assert (
                pool.run(tiny_store, query=query.format(allowed_iri), service_allowlist=(allowed_iri,)).status
                == 502
            )
            time.sleep(0.3)
            assert len(reached) == 1
            # Past the guard (as a parser mismatch would be), another endpoint is not.
            response = pool.run(tiny_store, query=query.format(other_iri), service_allowlist=(other_iri,))
            assert response.status == 502 and b"refused" in response.body
            assert (
                pool.call(tiny_store, "jtkg.server.sandbox:try_connect", host="127.0.0.1", port=other)
                != "connected"
            )
        finally:
            pool.close()
    assert len(reached) == 1 and elsewhere == []


def test_with_an_external_store_only_the_store_is_reached(tiny_store: str) -> None:
    with counting_listener() as (store_port, reached), counting_listener() as (other, elsewhere):
        pool = QueryPool.from_config(
            {"STORE": f"sparql+http://127.0.0.1:{store_port}/sparql", "QUERY_WORKERS": 1}
        )
        try:
            assert "network limited to the external store" in pool.protection()
            assert (
                pool.call(tiny_store, "jtkg.server.sandbox:try_connect", host="127.0.0.1", port=store_port)
                == "connected"
            )
            assert (
                pool.call(tiny_store, "jtkg.server.sandbox:try_connect", host="127.0.0.1", port=other)
                != "connected"
            )
        finally:
            pool.close()
    assert len(reached) == 1 and elsewhere == []


def test_the_memory_cap_is_one_line_of_503_over_http_and_the_server_goes_on(store: Path) -> None:
    from jtkg.server.app import create_app

    app = create_app({"STORE": store, "WORKER_MEMORY_MB": 400})
    try:
        client = app.test_client()
        response = client.get("/sparql", query_string={"query": MEMORY_HOG})
        assert response.status_code == 503
        assert response.get_data(as_text=True) == "the query needed more than 400 MB and was stopped\n"
        assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    finally:
        app.extensions["jtkg.queries"].close()


def test_a_query_that_turns_long_while_the_long_slots_are_taken_is_stopped(tiny_store: str) -> None:
    """One long slot: a second runaway is stopped once it has run LONG_AFTER seconds (rather
    than hold a worker for the whole time limit), and cheap queries still get a worker."""
    pool = QueryPool(1, timeout=6, queue_timeout=5, reserve=2)
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    outcome: list[str] = []

    def first() -> None:
        try:
            pool.run(tiny_store, query=runaway)
        except ServiceUnavailable as exc:
            outcome.append(exc.reason)

    holder = threading.Thread(target=first)
    try:
        holder.start()
        time.sleep(1.5)  # it is long now, and holds the one long slot
        with pytest.raises(ServiceUnavailable, match="too many long-running queries; try again later"):
            pool.run(tiny_store, query=runaway)  # (not "the time limit": stopped as it turned long)
        assert pool.run(tiny_store, query="ASK {}").status == 200
        holder.join(timeout=20)
        assert outcome and "time limit" in outcome[0]
    finally:
        holder.join(timeout=20)
        pool.close()


def test_serve_says_which_protection_the_query_workers_have(store: Path) -> None:
    import subprocess
    import sys

    def first_lines(*options: str) -> list[str]:
        server = subprocess.Popen(
            [sys.executable, "-m", "jtkg.server", "serve", "--store", str(store), "--port", "0", *options],
            stderr=subprocess.PIPE,
            text=True,
        )
        lines: list[str] = []
        try:
            assert server.stderr is not None
            for line in server.stderr:
                lines.append(line.strip())
                if line.startswith("jtkg serving"):
                    break
        finally:
            server.terminate()
            server.wait(timeout=30)
        return lines

    lines = first_lines()
    assert "query workers: network blocked (seccomp); memory capped at 2048 MB" in lines
    lines = first_lines("--service-allowlist", "http://127.0.0.1:9/sparql", "--worker-memory-mb", "0")
    assert (
        "query workers: network limited to the SERVICE allowlist (1 endpoint; own network "
        "namespace, seccomp); memory not capped"
    ) in lines


def test_a_worker_queries_an_external_store_through_its_forwarder(store: Path, tiny_store: str) -> None:
    """End to end: the worker's HTTP client (urllib) reaches the external store (here another
    jtkg server, which speaks the same protocol) from inside its namespace, and nothing else."""
    from jtkg.graph.remote_dataset import remote_key
    from jtkg.graph.remote_http import RemoteConfig
    from jtkg.graph.store import Manifest
    from jtkg.server.app import create_app
    from tests.conftest import serving

    external = create_app({"STORE": store})
    try:
        with serving(external) as url, counting_listener() as (other, elsewhere):
            location = f"sparql+{url}/sparql"
            ontology = "https://w3id.org/jtkg/graph/ontology"
            key = remote_key(RemoteConfig.parse(location), Manifest("g", 0.0, graphs={ontology: 0}))
            pool = QueryPool.from_config({"STORE": location, "QUERY_WORKERS": 1})
            try:
                assert "network limited to the external store" in pool.protection()
                response = pool.run(
                    key, query="SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", accept="text/csv"
                )
                assert response.status == 200, response.body
                assert int(response.body.split()[1]) > 0
                assert (
                    pool.call(tiny_store, "jtkg.server.sandbox:try_connect", host="127.0.0.1", port=other)
                    != "connected"
                )
            finally:
                pool.close()
        assert elsewhere == []
    finally:
        external.extensions["jtkg.queries"].close()


def run_filter(program: list[tuple[int, int, int, int]], arch: int, nr: int, arg0: int) -> int:
    """A classic-BPF interpreter for the instructions the filter uses, over one seccomp_data."""
    from jtkg.server import sandbox

    data = {sandbox._NR: nr, sandbox._ARCH: arch, sandbox._ARG0: arg0}
    pc, accumulator = 0, 0
    while True:
        code, jt, jf, k = program[pc]
        if code == sandbox._LD_W_ABS:
            accumulator = data[k]
        elif code == sandbox._RET_K:
            return k
        elif code in (sandbox._JEQ_K, sandbox._JGE_K):
            taken = accumulator == k if code == sandbox._JEQ_K else accumulator >= k
            pc += jt if taken else jf
        else:  # pragma: no cover - an instruction the filter does not use
            raise AssertionError(f"unexpected BPF code {code:#x}")
        pc += 1


@pytest.mark.parametrize("machine", ["x86_64", "aarch64"])
@pytest.mark.parametrize("inet", [False, True])
def test_the_seccomp_program_of_each_architecture(machine: str, inet: bool) -> None:
    """Both architectures' programs, run by an interpreter (only this machine's runs for real):
    socket() of the allowed families passes, any other family and io_uring get EPERM, other
    calls pass, and every call of another ABI (i386, x32) gets EPERM."""
    import errno

    from jtkg.server import sandbox

    audit_arch, socket_nr, uring_nr, foreign_from = sandbox._ARCHES[machine]
    families = (socket.AF_UNIX, socket.AF_INET, socket.AF_INET6) if inet else (socket.AF_UNIX,)
    program = sandbox._program(machine, families)
    deny, allow = sandbox._RET_ERRNO | errno.EPERM, sandbox._RET_ALLOW
    for family in (
        socket.AF_UNIX,
        socket.AF_INET,
        socket.AF_INET6,
        socket.AF_NETLINK,
        socket.AF_PACKET,
        0,
        0xFFFF,
    ):
        expected = allow if family in families else deny
        assert run_filter(program, audit_arch, socket_nr, family) == expected, family
    assert run_filter(program, audit_arch, uring_nr, 0) == deny
    assert run_filter(program, audit_arch, 0, socket.AF_INET) == allow  # read(2), say
    assert (
        run_filter(program, sandbox.AUDIT_ARCH_X86_64 ^ sandbox.AUDIT_ARCH_AARCH64 ^ audit_arch, 0, 0) == deny
    )
    assert run_filter(program, 0x40000003, socket_nr, socket.AF_UNIX) == deny  # AUDIT_ARCH_I386
    if foreign_from is not None:
        assert run_filter(program, audit_arch, foreign_from + socket_nr, socket.AF_UNIX) == deny


def test_no_filter_for_an_unknown_architecture_is_said_not_crashed(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from jtkg.server import sandbox

    monkeypatch.setattr(sandbox.platform, "machine", lambda: "riscv64")
    with pytest.raises(sandbox.SandboxUnavailable, match="no seccomp filter for the riscv64"):
        sandbox.block_network()


def test_a_worker_opens_an_external_store_only_with_the_configuration_it_was_started_with(
    pool: QueryPool, tiny_store: str
) -> None:
    """The reader key names the store and the graphs, never the credentials: a worker
    started without the store's configuration refuses the key in one line."""
    from jtkg.graph.remote_dataset import remote_key
    from jtkg.graph.remote_http import RemoteConfig
    from jtkg.graph.store import Manifest, StoreError

    config = RemoteConfig.parse("sparql+http://someone:Pw-of-the-store@127.0.0.1:9/sparql", {})
    key = remote_key(config, Manifest("gen-x", 0.0, graphs={"https://example.org/g": 1}))
    assert "Pw-of-the-store" not in key and "someone" not in key
    with pytest.raises(StoreError, match=r"not started for the external store http://127\.0\.0\.1:9/sparql"):
        pool.run(key, query="ASK {}")
    answer = pool.run(tiny_store, query="ASK { ?s ?p ?o }", accept="application/sparql-results+json")
    assert answer.status == 200 and b"true" in answer.body  # the worker lives on
