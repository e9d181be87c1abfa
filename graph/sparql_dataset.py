"""What a request's SPARQL text says about its dataset: FROM / FROM NAMED in a query, USING /
WITH in an update, and the protocol's using-graph-uri turned into USING clauses. Read with the
guard's tokens (``sparql_text``), so a FROM inside a string, IRI or comment is not one."""

from __future__ import annotations

from collections.abc import Sequence

from jtkg.graph import sparql_text
from jtkg.graph.sparql_lexer import cached_per_text


@cached_per_text
def query_dataset(query: str) -> tuple[bool, bool]:
    """Whether a query's dataset clause has FROM, and whether it has FROM NAMED. Only the
    top level has one (a sub-SELECT has none), so only depth 0 counts."""
    if sparql_text._letters_absent(query, ("FROM",)):  # then not in the text as written either
        return False, False
    stream = [t for t in sparql_text.tokens(query) if t.depth == 0]
    default = named = False
    for i, token in enumerate(stream):
        word = token.keyword
        if word == "FROMNAMED" or (
            word == "FROM" and i + 1 < len(stream) and stream[i + 1].keyword == "NAMED"
        ):
            named = True
        elif word == "FROM":
            default = True
    return default, named


def query_names_dataset(query: str) -> bool:
    """Whether a query names its own dataset with FROM or FROM NAMED."""
    return any(query_dataset(query))


@cached_per_text
def names_dataset(update: str) -> bool:
    """Whether an update names its own dataset with USING or WITH."""
    if sparql_text._letters_absent(update, ("USING", "WITH")):
        return False
    return any(t.keyword in ("USING", "WITH") and t.depth == 0 for t in sparql_text.tokens(update))


def with_using(update: str, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> str:
    """The update with ``USING``/``USING NAMED`` clauses before the WHERE of every
    DELETE/INSERT operation: how the protocol's using-graph-uri and using-named-graph-uri
    parameters set the dataset (SPARQL 1.1 Protocol §2.2.3)."""
    clause = " ".join([f"USING <{g}>" for g in default_graphs] + [f"USING NAMED <{g}>" for g in named_graphs])
    stream = list(sparql_text.tokens(update))
    inserts: list[int] = []
    operation = ""
    for i, token in enumerate(stream):
        if token.depth:
            continue
        word = token.keyword
        if word in ("INSERT", "DELETE") and operation == "":
            following = stream[i + 1].keyword if i + 1 < len(stream) else ""
            operation = "data" if following in ("DATA", "WHERE") else "modify"
        elif word == "WHERE" and operation == "modify":
            inserts.append(token.start)
        elif token.text == ";":
            operation = ""
    for position in reversed(inserts):
        update = f"{update[:position]}{clause} {update[position:]}"
    return update
