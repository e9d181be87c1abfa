"""The /sparql view reads CURRENT again only when its stat changes: a publish is followed at
the next request, a CURRENT damaged in place is refused, and base URLs stay per URL."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jtkg.graph.store import StoreError, StoreLocation
from jtkg.server.app import create_app
from jtkg.server.request_path import FollowedGeneration

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:x:mine> { ?s ?p ?o } }"


def test_a_new_generation_is_followed(store: Path) -> None:
    location = StoreLocation(store)
    follower = FollowedGeneration(location.published())
    first = follower.path()
    assert follower.path() == first and Path(first).name == location.current_generation()
    with location.next_generation() as generation:
        generation.store.add(_quad())
        generation.changed.add("urn:x:mine")
    assert follower.path() != first
    assert Path(follower.path()).name == location.current_generation()


def test_a_current_damaged_in_place_is_refused(store: Path) -> None:
    follower = FollowedGeneration(StoreLocation(store).published())
    follower.path()
    (store / "CURRENT").write_text("not-a-generation\n")  # same inode, new size and times
    with pytest.raises(StoreError, match="damaged"):
        follower.path()


def test_the_endpoint_answers_from_the_newest_generation(store: Path) -> None:
    app = create_app({"STORE": str(store)})
    client = app.test_client()
    headers = {"Accept": "text/csv"}
    try:
        assert client.get("/sparql", query_string={"query": COUNT}, headers=headers).data == b"n\r\n0\r\n"
        location = StoreLocation(store)
        with location.next_generation() as generation:
            generation.store.add(_quad())
            generation.changed.add("urn:x:mine")
        assert client.get("/sparql", query_string={"query": COUNT}, headers=headers).data == b"n\r\n1\r\n"
        shutil.rmtree(store / str(location.current_generation()))  # CURRENT names a missing folder
        answer = client.get("/sparql", query_string={"query": COUNT}, headers=headers)
        assert answer.status_code == 503 and answer.data == b"the graph store is not available\n"
    finally:
        app.extensions["jtkg.queries"].close()


def test_relative_iris_resolve_against_each_requests_url(store: Path) -> None:
    app = create_app({"STORE": str(store)})
    client = app.test_client()
    query = "SELECT ?x WHERE { BIND(<rel> AS ?x) }"
    try:
        for host in ("a.example", "b.example"):
            answer = client.get(
                "/sparql", query_string={"query": query}, headers={"Accept": "text/csv", "Host": host}
            )
            assert answer.data.decode().splitlines()[1] == f"http://{host}/rel"
    finally:
        app.extensions["jtkg.queries"].close()


def _quad():  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    return ox.Quad(
        ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("o"), ox.NamedNode("urn:x:mine")
    )
