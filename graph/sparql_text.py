"""A small lexer for SPARQL text: enough to see keywords outside strings, IRIs and comments.

The server needs to know a few things about a request before Oxigraph runs it: does it call
SERVICE or LOAD (outbound requests), which endpoints it calls, does an update name its own
dataset (USING/WITH), and where its WHERE clauses begin (to apply the protocol's
using-graph-uri). A regular expression over the raw text is fooled by strings, IRIs and
comments; this lexer is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w]+)
  | (?P<name>[A-Za-z_][\w.-]*(?::[\w.:%-]*)?|:[\w.:%-]*)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


@dataclass(frozen=True)
class Token:
    kind: str  # comment, string, iri, var, name, open, close, other
    text: str
    start: int
    depth: int  # nesting of braces, brackets and parentheses where the token starts

    @property
    def keyword(self) -> str:
        return self.text.upper() if self.kind == "name" else ""


def tokens(text: str) -> Iterator[Token]:
    depth = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in ("space", "comment"):
            continue
        if kind == "close":
            depth = max(depth - 1, 0)
        yield Token(kind, match.group(), match.start(), depth)
        if kind == "open":
            depth += 1


def has_keyword(text: str, *keywords: str) -> bool:
    """Whether any of the keywords occurs as a keyword (not in a string, IRI or comment)."""
    wanted = {k.upper() for k in keywords}
    return any(t.keyword in wanted for t in tokens(text))


def service_targets(text: str) -> list[str | None]:
    """The endpoints a query's SERVICE clauses call: absolute IRIs, or None for a variable or
    an IRI that cannot be resolved here."""
    prefixes: dict[str, str] = {}
    found: list[str | None] = []
    stream = list(tokens(text))
    for i, token in enumerate(stream):
        if token.keyword == "PREFIX" and i + 2 < len(stream) and stream[i + 2].kind == "iri":
            prefixes[stream[i + 1].text.rstrip(":").lower()] = stream[i + 2].text[1:-1]
        if token.keyword != "SERVICE":
            continue
        j = i + 1
        if j < len(stream) and stream[j].keyword == "SILENT":
            j += 1
        target = stream[j] if j < len(stream) else None
        found.append(_absolute(target, prefixes))
    return found


def _absolute(token: Token | None, prefixes: dict[str, str]) -> str | None:
    if token is None:
        return None
    if token.kind == "iri":
        iri = token.text[1:-1]
        return iri if re.match(r"[A-Za-z][\w+.-]*:", iri) else None
    if token.kind == "name" and ":" in token.text:
        prefix, _, local = token.text.partition(":")
        base = prefixes.get(prefix.lower())
        return base + local if base is not None else None
    return None


def query_names_dataset(query: str) -> bool:
    """Whether a query names its own dataset with FROM or FROM NAMED."""
    return any(t.keyword == "FROM" and t.depth == 0 for t in tokens(query))


def names_dataset(update: str) -> bool:
    """Whether an update names its own dataset with USING or WITH."""
    return any(t.keyword in ("USING", "WITH") and t.depth == 0 for t in tokens(update))


def with_using(update: str, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> str:
    """The update with ``USING``/``USING NAMED`` clauses before the WHERE of every
    DELETE/INSERT operation: how the protocol's using-graph-uri and using-named-graph-uri
    parameters set the dataset (SPARQL 1.1 Protocol §2.2.3)."""
    clause = " ".join([f"USING <{g}>" for g in default_graphs]
                      + [f"USING NAMED <{g}>" for g in named_graphs])
    stream = list(tokens(update))
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
