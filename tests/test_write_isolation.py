"""Writes run in a child process: a crash or a runaway update cannot take the server, hold
the write lock, or leave anything half-written (issue 12, item 9)."""

from __future__ import annotations

import fcntl
import socket
import threading
import time
from pathlib import Path

import pytest

from jtkg.graph.store import StoreLocation
from jtkg.server.errors import BadRequest, MalformedQuery, ServiceUnavailable, UnprocessableEntity
from jtkg.server.write_worker import Change, run_write
from jtkg.server.writes import publish_change
from tests.conftest import WRITE_TOKEN

AUTH = {"Authorization": f"Bearer {WRITE_TOKEN}", "Content-Type": "application/sparql-update"}
#: pyoxigraph's update parser recurses once per group: 5,000 deep overflows its stack and
#: kills the process (a segfault). The /update route refuses such nesting before parsing;
#: these tests call the write path below that guard, to test the isolation itself.
NESTED = "INSERT { <urn:x:s> <urn:x:p> 1 } WHERE " + "{" * 5000 + "}" * 5000
#: Every annotation with every annotation with every triple: hours of work, with little
#: memory, so any time limit stops it however fast the machine (a 36-million-row product
#: once finished inside 8 s on CI).
ENDLESS = (
    "INSERT { GRAPH <urn:x:count> { <urn:x:s> <urn:x:n> ?n } } WHERE { SELECT (COUNT(*) AS ?n) "
    "WHERE { GRAPH ?g1 { ?a a <http://www.w3.org/ns/oa#Annotation> } GRAPH ?g2 { ?b a "
    "<http://www.w3.org/ns/oa#Annotation> } GRAPH ?g3 { ?c ?q ?d } } }"
)
GOOD = (
    "INSERT DATA { GRAPH <https://w3id.org/jtkg/graph/reviewed> { "
    "<https://w3id.org/jtkg/id/institution/isolated> a <https://w3id.org/jtkg/ontology#Institution> ; "
    '<http://www.w3.org/2000/01/rdf-schema#label> "Isolated"@en } }'
)
ASK = "ASK { <https://w3id.org/jtkg/id/institution/isolated> ?p ?o }"


def generations(store: Path) -> set[str]:
    return {p.name for p in store.glob("gen-*")}


def lock_is_free(store: Path) -> bool:
    with open(store / ".write-lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


def test_an_update_that_crashes_the_engine_leaves_the_server_and_store_as_they_were(
    writer, store: Path
) -> None:  # type: ignore[no-untyped-def]
    before, folders = StoreLocation(store).current_generation(), generations(store)
    with (
        writer.application.test_request_context("/update", method="POST"),
        pytest.raises(ServiceUnavailable) as stopped,
    ):
        publish_change(Change("update", text=NESTED), "update")
    assert stopped.value.reason == "the update process stopped unexpectedly; nothing was changed"
    assert StoreLocation(store).current_generation() == before
    assert generations(store) == folders  # the dead child's half-written copy is gone
    assert lock_is_free(store)
    answer = writer.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert answer.status_code == 200 and answer.get_json()["boolean"] is True
    assert writer.post("/update", data=GOOD, headers=AUTH).status_code == 204


def test_an_update_past_the_time_limit_is_stopped_and_changes_nothing(writer, store: Path) -> None:  # type: ignore[no-untyped-def]
    before, folders = StoreLocation(store).current_generation(), generations(store)
    writer.application.config["UPDATE_TIMEOUT"] = 1
    response = writer.post("/update", data=ENDLESS, headers=AUTH)
    assert response.status_code == 503
    assert response.get_data(as_text=True) == (
        "the update ran past the 1-second time limit and was stopped; nothing was changed\n"
    )
    assert StoreLocation(store).current_generation() == before
    assert generations(store) == folders
    assert not list(store.glob(".CURRENT.*.tmp"))
    assert lock_is_free(store)  # the kernel released the killed child's lock
    writer.application.config["UPDATE_TIMEOUT"] = 60
    assert writer.post("/update", data=GOOD, headers=AUTH).status_code == 204
    assert StoreLocation(store).current_generation() != before


def test_an_ingest_proceeds_after_a_stopped_update(writer, store: Path, runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from jtkg.server.cli import main

    writer.application.config["UPDATE_TIMEOUT"] = 1
    assert writer.post("/update", data=ENDLESS, headers=AUTH).status_code == 503
    doc = tmp_path / "isolated-brief.txt"
    doc.write_text("A Brief\n\nKMT legislator Jane Roe said Japan and Taiwan should talk.\n")
    before = StoreLocation(store).current_generation()
    result = runner.invoke(main, ["ingest", str(doc), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert StoreLocation(store).current_generation() != before


def test_queries_are_answered_while_a_write_runs(writer, store: Path) -> None:  # type: ignore[no-untyped-def]
    assert writer.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    folders = generations(store)
    writer.application.config["UPDATE_TIMEOUT"] = 8
    outcome: list[int] = []
    thread = threading.Thread(
        target=lambda: outcome.append(writer.post("/update", data=ENDLESS, headers=AUTH).status_code)
    )
    thread.start()
    deadline = time.monotonic() + 30
    while generations(store) == folders and time.monotonic() < deadline:
        time.sleep(0.05)  # until the write's child has started its copy
    assert generations(store) != folders and not lock_is_free(store)
    answer = writer.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
    assert answer.status_code == 200 and answer.get_json()["boolean"] is True
    assert thread.is_alive()  # the write was still running while the query was answered
    thread.join(timeout=60)
    assert outcome == [503]
    assert generations(store) == folders


def test_errors_in_the_child_keep_their_status_and_line(store: Path) -> None:
    location = StoreLocation(store)
    before, folders = location.current_generation(), generations(store)
    with pytest.raises(MalformedQuery, match=r"^malformed update: "):
        run_write(location, Change("update", text="INSERT DATA { <urn:x:s> }"), "update")
    invalid = (
        "INSERT DATA { GRAPH <urn:x:g> { <https://w3id.org/jtkg/id/person/nameless> "
        "a <https://w3id.org/jtkg/ontology#Person> } }"
    )
    with pytest.raises(UnprocessableEntity, match=r"would make the data invalid .* first: .*rdfs:label"):
        run_write(location, Change("update", text=invalid), "update")
    with pytest.raises(ValueError, match="unknown kind of change: 'bogus'"):
        run_write(location, Change("bogus"), "update")  # an unexpected error keeps its type
    assert location.current_generation() == before and generations(store) == folders


def test_a_load_past_the_guard_fails_at_once_without_connecting(store: Path) -> None:
    """A LOAD to a host that never answers used to hold the request and the write lock for
    102 s; in the write process it cannot even open the socket."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()  # accepts into the backlog, never answers
    listener.settimeout(0.5)
    location = StoreLocation(store)
    before = location.current_generation()
    try:
        load = f"LOAD <http://127.0.0.1:{listener.getsockname()[1]}/data.ttl>"
        with pytest.raises(BadRequest, match="LOAD and SERVICE are not allowed"):
            run_write(location, Change("update", text=load), "update", timeout=30)
        with pytest.raises(TimeoutError):
            listener.accept()  # no connection was ever made
    finally:
        listener.close()
    assert location.current_generation() == before and lock_is_free(store)


def test_the_write_process_cannot_open_network_connections(store: Path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    try:
        with pytest.raises(ServiceUnavailable, match=r"^refused: .*not permitted"):
            run_write(
                StoreLocation(store), Change("update", text=f"PROBE {port}"), "update", target=_connect_child
            )
        with pytest.raises(TimeoutError):
            listener.accept()
    finally:
        listener.close()


def _connect_child(connection, job) -> None:  # type: ignore[no-untyped-def]
    """A stand-in write child: confines itself as the real one does, then tries to connect."""
    from jtkg.server.write_worker import _confine

    _confine(job.memory_mb)
    port = int(job.change.text.split()[1])
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError as exc:
        connection.send(("error", ServiceUnavailable(f"refused: {exc}"), ""))
        return
    connection.send(("ok", "connected", []))


def test_a_write_past_the_memory_cap_is_stopped(store: Path) -> None:
    location = StoreLocation(store)
    before = location.current_generation()
    with pytest.raises(ServiceUnavailable) as stopped:
        run_write(location, Change("update"), "update", memory_mb=300, target=_greedy_child)
    assert stopped.value.reason == (
        "the update needed more than the 300 MB memory limit and was stopped; nothing was changed"
    )
    assert location.current_generation() == before and lock_is_free(store)


def _greedy_child(connection, job) -> None:  # type: ignore[no-untyped-def]
    """A stand-in write child: confines itself as the real one does, then asks for 1 GB."""
    from jtkg.server.write_worker import _confine

    _confine(job.memory_mb)
    try:
        connection.send(("ok", str(len(bytearray(1 << 30))), []))
    except MemoryError:
        connection.send(("memory", None, []))


def test_a_write_whose_server_dies_stops_itself_and_frees_the_lock(store: Path) -> None:
    import subprocess
    import sys

    folders = generations(store)
    before = StoreLocation(store).current_generation()
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sys\n"
                "from jtkg.graph.store import StoreLocation\n"
                "from jtkg.server.write_worker import Change, run_write\n"
                f"run_write(StoreLocation(sys.argv[1]), Change('update', text={ENDLESS!r}), 'update', timeout=1)\n"
            ),
            str(store),
        ]
    )
    try:
        deadline = time.monotonic() + 60
        while generations(store) == folders and time.monotonic() < deadline:
            time.sleep(0.05)  # until its write process has started copying
        assert not lock_is_free(store)
        server.kill()  # the server dies before the limit: no one is left to stop the write
        server.wait()
        while not lock_is_free(store) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert lock_is_free(store)  # the orphaned write stopped itself
        assert StoreLocation(store).current_generation() == before
    finally:
        server.kill()


def test_an_external_store_is_written_through_its_mirror_and_pushed_from_the_server(store: Path) -> None:
    """The write process has no network, so the checks before a write and the push after it
    run in the server; the mirror is written in the child."""
    from jtkg.graph.remote import RemoteLocation
    from jtkg.server.writes import _publish_remote

    calls: list[str] = []
    mirror = StoreLocation(store)

    class Remote(RemoteLocation):
        def __init__(self) -> None:  # no configuration: nothing here talks to a store
            self.path, self.mirror, self.keep_generations = store, mirror, None

        def manifest(self):  # type: ignore[no-untyped-def]
            return mirror.manifest()

        def _check_mirror(self, remote) -> None:  # type: ignore[no-untyped-def]
            calls.append(f"check {remote.generation}")

        def _write_manifest(self, manifest) -> None:  # type: ignore[no-untyped-def]
            calls.append(f"probe {manifest.generation}")

        def push(self, before, everything: bool = False) -> int:  # type: ignore[no-untyped-def]
            calls.append(f"push {before.generation} -> {mirror.current_generation()}")
            return 1

    before = mirror.current_generation()
    name = _publish_remote(Remote(), Change("update", text=GOOD), "update", 60, 4096)
    assert name == mirror.current_generation() != before
    assert calls == [f"check {before}", f"probe {before}", f"push {before} -> {name}"]
