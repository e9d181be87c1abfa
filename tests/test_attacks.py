"""Attacks that got past the issue 12 defences, each refused now (security review).

The query and update texts below overflowed Oxigraph's stack (SIGSEGV of the query worker or
the write process) while the nesting/chain guard let them through: thousands of triple
patterns joined by ``.``, ``;`` or ``,``, unary ``!`` and quoted triples ``<< … >>``.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from jtkg.graph.sparql_text import MAX_CHAIN, too_deep

P = "PREFIX : <http://e/> "
N = 9_000  # each of these crashed pyoxigraph 0.5 (SIGSEGV) at this length

CRASHERS = {
    "semicolons": P + "SELECT * { ?s " + ";".join([":p ?o"] * N) + " }",
    "commas": P + "SELECT * { ?s :p " + ",".join(["?o"] * N) + " }",
    "dots": P + "SELECT * { " + ".".join(["?s :p ?o"] * N) + " }",
    "not": P + "ASK { FILTER(" + "!" * 30_000 + "true) }",
    "quoted triples": P + "SELECT * { " + "<<" * N + "?s :p ?o" + " :p ?o>>" * N + " :p ?o }",
}
UPDATE_CRASHERS = {
    "where dots": P + "DELETE WHERE { " + ".".join(f"?s :p ?o{i}" for i in range(N)) + " }",
    "data quoted triples": P + "INSERT DATA { " + "<<" * N + ":s :p :o" + " :p :o>>" * N + " :p :o }",
}


@pytest.mark.parametrize("name", sorted(CRASHERS))
def test_long_chains_of_other_constructs_are_refused(name: str) -> None:
    text = CRASHERS[name]
    assert len(text) <= 100_000  # under max_query_length: it reaches the guard
    assert "the query chains" in (too_deep(text) or ""), name


@pytest.mark.parametrize("name", sorted(UPDATE_CRASHERS))
def test_long_chains_in_updates_are_refused(name: str) -> None:
    assert "the update chains" in (too_deep(UPDATE_CRASHERS[name], "update") or ""), name


def test_ordinary_sizes_still_pass() -> None:
    few = P + "SELECT * { " + ".".join(["?s :p ?o"] * (MAX_CHAIN // 2)) + " }"
    assert too_deep(few) is None
    # Bulk data can be split into operations: each ";" between them starts a new chain.
    ops = " ; ".join(
        P + "INSERT DATA { " + " . ".join(f":s :p {i}" for i in range(1_500)) + " }" for _ in range(3)
    )
    assert too_deep(ops, "update") is None
    assert too_deep(P + "ASK { FILTER(!!true && 1 < 2) }") is None


def test_the_crashers_do_crash_oxigraph() -> None:
    """Why the bound matters: the texts really take the parsing process down."""
    child = "import sys, pyoxigraph as ox\nox.Store().query(sys.stdin.read())\n"
    done = subprocess.run(
        [sys.executable, "-c", child], input=CRASHERS["commas"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode < 0  # killed by a signal (stack overflow), not a Python error


def test_a_jtkg_iri_with_a_double_slash_never_links_to_another_site() -> None:
    """``https://w3id.org/jtkg//evil.example/a`` once became ``href="//evil.example/a"``:
    a protocol-relative link off this server (and graph.js's '/' check let ``/\\`` through)."""
    from jtkg.server.html import link, local_path

    for iri in ("https://w3id.org/jtkg//evil.example/a", "https://w3id.org/jtkg/\\evil.example/a"):
        href = local_path(iri)
        assert href is None or not href.startswith(("//", "/\\")), href
        assert 'href="//' not in link("x", iri) and 'href="/\\' not in link("x", iri)
    assert local_path("https://w3id.org/jtkg/id/person/a") == "/id/person/a"


def test_query_page_script_keeps_double_slash_iris_off_site_links() -> None:
    from pathlib import Path

    script = (Path(__file__).parents[1] / "server" / "static" / "query.js").read_text()
    assert 'a.href = term.value.startsWith(PUBLIC) ? "/" + term.value.slice' not in script


def test_many_projections_and_describe_targets_are_refused() -> None:
    """5,000 ``(1 AS ?x)`` in SELECT, or DESCRIBE of 6,000 IRIs, crashed Oxigraph too."""
    projections = "SELECT " + " ".join(f"(1 AS ?x{i})" for i in range(5_000)) + " { }"
    describe = "DESCRIBE " + " ".join(f"<a:{i}>" for i in range(6_000))
    for text in (projections, describe):
        assert len(text) <= 100_000
        assert "the query chains" in (too_deep(text) or ""), text[:30]
    assert too_deep("DESCRIBE " + " ".join(f"<a:{i}>" for i in range(100))) is None
    values = "SELECT * { VALUES ?x { " + " ".join(f"<a:{i}>" for i in range(5_000)) + " } }"
    assert too_deep(values) is None  # IRIs inside brackets are not links


def test_bulk_insert_data_is_not_a_chain() -> None:
    """Ground triples of INSERT/DELETE DATA are no join: Oxigraph reads 50,000 in one
    operation, so their separators must not count (they did: a 2,001-triple INSERT DATA
    was refused). Separators of a WHERE pattern after it still count."""
    bulk = P + "INSERT DATA { " + " ".join(f":s{i} :p {i}, {i + 1} ; :q 1 ." for i in range(5_000)) + " }"
    assert too_deep(bulk, "update") is None
    in_graph = P + "DELETE DATA { GRAPH :g { " + " . ".join(f":s :p {i}" for i in range(5_000)) + " } }"
    assert too_deep(in_graph, "update") is None
    child = (
        "import sys, pyoxigraph as ox\n"
        "store = ox.Store(); store.update(sys.stdin.read()); print(len(store))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", child], input=bulk, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and done.stdout.strip() == "15000"
    after = bulk + " ; DELETE WHERE { " + ".".join(f"?s :p ?o{i}" for i in range(3_000)) + " }"
    assert "the update chains" in (too_deep(after, "update") or "")
