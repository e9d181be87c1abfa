"""The query worker pool: generic calls, the network sandbox, the memory cap, cheap queries
under load."""

from __future__ import annotations

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
    store.extend([ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"),
                          ox.Literal(f"value {i}"), ox.NamedNode(f"{EX}g")) for i in range(200)])
    store.flush()
    del store
    return str(path)


@pytest.fixture
def pool():  # type: ignore[no-untyped-def]
    pool = QueryPool(1, timeout=5, queue_timeout=5)
    yield pool
    pool.close()


def test_call_runs_a_jtkg_function_in_a_worker(pool: QueryPool, tiny_store: str) -> None:
    result = pool.call(tiny_store, "jtkg.server.sparql:execute",
                       query=f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{EX}p> ?o }}",
                       accept="text/csv")
    assert isinstance(result, SparqlResponse) and result.status == 200
    assert result.body.split() == [b"n", b"200"]


def test_call_reraises_the_workers_exception_and_the_worker_survives(
        pool: QueryPool, tiny_store: str) -> None:
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
            pool.call(tiny_store, "jtkg.server.sparql:execute",
                      query="SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
        assert pool.call(tiny_store, "jtkg.server.sparql:execute", query="ASK {}").status == 200
    finally:
        pool.close()
