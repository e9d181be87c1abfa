"""The SPARQL guard's fast paths and per-text cache give exactly the lexer's answers: a
SERVICE written only with codepoint escapes, nesting with no keyword in sight and long
chains still reach the exact lexer and are refused, and a kept answer is never another
text's. A differential test compares the fast guard with the lexer alone on generated text."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jtkg.graph import sparql_text
from jtkg.graph.sparql_dataset import names_dataset, query_dataset
from jtkg.graph.sparql_lexer import CACHE_TEXT, clear_caches
from jtkg.graph.sparql_service import service_targets
from jtkg.graph.sparql_text import (
    MAX_CHAIN,
    MAX_NESTING,
    has_keyword,
    too_deep,
    unreadable_at,
)
from jtkg.server.sparql import execute
from tests.test_sparql_text import Listener


@pytest.fixture()
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.sock.close()


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    clear_caches()
    yield
    clear_caches()


def test_a_service_written_only_with_escapes_is_refused(listener: Listener) -> None:
    query = f"SELECT * WHERE {{ \\u0053ERVICE <{listener.url()}> {{ ?s ?p ?o }} }}"
    assert "SERVICE" not in query.upper()  # the letters are there only once decoded
    assert service_targets(query) == [listener.url()]
    assert has_keyword(query, "SERVICE")
    response = execute(ox.Store(), query)
    assert response.status == 400  # the text as written is unreadable: refused as such
    long_escape = query.replace("\\u0053", "\\U00000053")
    assert service_targets(long_escape) == [listener.url()]
    assert execute(ox.Store(), long_escape).status == 400
    assert listener.paths == []


def test_deep_nesting_with_no_keyword_is_refused() -> None:
    query = "SELECT * WHERE " + "{" * 300 + "?s ?p ?o" + "}" * 300
    expected = f"the query nests 300 levels deep; the limit is {MAX_NESTING}"
    assert too_deep(query) == expected
    response = execute(ox.Store(), query)
    assert (response.status, response.body.decode().strip()) == (400, expected)
    # Brackets that appear only once the escapes are decoded count too.
    escaped = "SELECT * WHERE " + "\\u007B" * 300 + "?s ?p ?o" + "\\u007D" * 300
    assert escaped.count("{") == 0
    assert too_deep(escaped) == expected
    # At the limit the cheap count lets it through, as the lexer does.
    assert too_deep("SELECT * WHERE " + "{" * MAX_NESTING + "}" * MAX_NESTING) is None


def test_long_chains_are_refused_past_the_cheap_bound() -> None:
    binds = "SELECT * WHERE { ?s ?p ?o " + "".join(f"BIND(1 AS ?b{i}) " for i in range(MAX_CHAIN + 100)) + "}"
    assert len(binds) > CACHE_TEXT  # and so is not kept
    assert too_deep(binds) is not None and "chains" in too_deep(binds)  # type: ignore[operator]
    sums = "SELECT (1" + "+1" * (MAX_CHAIN + 1) + " AS ?x) {}"
    assert "chains" in (too_deep(sums) or "")
    assert too_deep("SELECT (1" + "+1" * (MAX_CHAIN - 10) + " AS ?x) {}") is None
    for sign in ("&&", "||", "-", "*", "/"):  # each sign the cheap bound must count
        chained = "SELECT * { FILTER(1" + f" {sign} 1" * (MAX_CHAIN + 1) + ") }"
        assert "chains" in (too_deep(chained) or ""), sign
    path = "SELECT * { ?s " + "|".join(["<a:p>"] * (MAX_CHAIN + 2)) + " ?o }"
    assert "chains" in (too_deep(path) or "")
    unions = "SELECT * { " + " UNION ".join(["{}"] * (MAX_CHAIN // 2 + 2)) + " }"
    assert "chains" in (too_deep(unions) or "")


def test_a_kept_answer_is_never_another_texts() -> None:
    plain = "SELECT * WHERE { ?s ?p ?o }"
    called = "SELECT * WHERE { SERVICE <http://e/a> { ?s ?p ?o } }"
    other = "SELECT * WHERE { SERVICE <http://e/b> { ?s ?p ?o } }"
    for _ in range(2):  # the second round answers from the cache
        assert service_targets(plain) == []
        assert service_targets(called) == ["http://e/a"]
        assert service_targets(other) == ["http://e/b"]
        assert has_keyword(called, "SERVICE") and not has_keyword(called, "LOAD")
        assert too_deep("{" * 201) is not None and too_deep("{" * 200) is None
        assert too_deep("{" * 201, "update").startswith("the update")  # type: ignore[union-attr]
        assert query_dataset("SELECT * FROM <a:g> {}") == (True, False)
        assert query_dataset("SELECT * from <a:g> {}") == (True, False)
        assert query_dataset("SELECT * {}") == (False, False)
    targets = service_targets(called)
    targets.append("http://evil/")  # a caller changing its copy changes no kept answer
    assert service_targets(called) == ["http://e/a"]


# ------------------------------------------------------------------ fast == exact

FRAGMENTS = [
    "SERVICE",
    "service",
    "SeRvIcE",
    "\\u0053",
    "\\u0073",
    "ERVICE",
    "ervice",
    "LOAD",
    "lo",
    "AD",
    "FROM",
    "from",
    "NAMED",
    "USING",
    "WITH",
    "SILENT",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "\\u007B",
    "\\u0028",
    "<http://e/x>",
    "<",
    ">",
    "ex:",
    "a",
    "\\#",
    "#",
    "\n",
    " ",
    "'",
    '"',
    "?x",
    "BIND",
    "UNION",
    "+",
    "|",
    "&&",
    "-",
    ";",
    "1",
    "SELECT * WHERE",
    "PREFIX ex: <http://e/>",
    "INSERT DATA",
    "\\",
    "%41",
    ".",
    ",",
    "!",
    "<<",
    "1.5",
]


def _answers(text: str) -> tuple[object, ...]:
    clear_caches()  # each side computes its own answers
    return (
        too_deep(text),
        too_deep(text, "update"),
        has_keyword(text, "LOAD", "SERVICE"),
        has_keyword(text, "SERVICE"),
        service_targets(text),
        query_dataset(text),
        names_dataset(text),
        unreadable_at(text),
    )


@settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=400,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join))
def test_the_fast_paths_answer_as_the_lexer_does(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    with monkeypatch.context() as patch:  # small limits, so both sides of each bound occur
        patch.setattr(sparql_text, "MAX_NESTING", 3)
        patch.setattr(sparql_text, "MAX_CHAIN", 4)
        fast = _answers(text)
        patch.setattr(sparql_text, "_letters_absent", lambda *_: False)
        patch.setattr(sparql_text, "_within_bounds", lambda _: False)
        assert _answers(text) == fast
