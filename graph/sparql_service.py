"""Which endpoints a query's SERVICE clauses may call, read from the grammar's terminals
(``sparql_text``'s readings and tokens, ``sparql_lexer``'s lexemes), never from a regular
expression over the raw text. Every reading of the text is followed; a variable, an IRI that
cannot be resolved here, or text that cannot be read is None, so the allowlist refuses it.

Its own module: what the prologue declares and how an endpoint IRI resolves is a concept of
its own beside the guards of ``sparql_text``. It reads that module's helpers through the
module (``sparql_text._readings``), so a test that patches a fast path patches it here too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from jtkg.graph import sparql_text
from jtkg.graph.sparql_lexer import (
    Lexeme,
    cached_per_text,
    is_pname,
    lexemes_at,
    skip_trivia,
    unescape_iri,
    unescape_local,
    upper,
)


def service_targets(text: str) -> list[str | None]:
    """The endpoints a query's SERVICE clauses may call, in any reading: absolute IRIs, or
    None for a variable, an IRI that cannot be resolved here, or text that cannot be read."""
    return list(_service_targets(text))  # a copy: the kept answer must not change


@cached_per_text
def _service_targets(text: str) -> tuple[str | None, ...]:
    if sparql_text._letters_absent(text, ("SERVICE",)):
        return ()
    found: list[str | None] = []
    for reading in sparql_text._readings(text):
        hits, readable, _, _ = sparql_text._keyword_hits(reading, ["SERVICE"])
        if hits["SERVICE"]:  # the prologue's tokens are read only when needed
            prefixes = _prologue(sparql_text.tokens(reading))
            for lexeme, rest in hits["SERVICE"]:
                found += _service_target(reading, lexeme, rest, prefixes)
        if not readable and "SERVICE" in upper(reading):
            found.append(None)
    return tuple(dict.fromkeys(found))  # once each, in order


def _service_target(text: str, lexeme: Lexeme, rest: str, prefixes: dict[str, str]) -> list[str | None]:
    if lexeme.kind == "pname":  # SERVICEex:a, SERVICESILENTex:a, service:a
        names = [rest] + ([rest[6:]] if upper(rest).startswith("SILENT") else [])
        declared = [n for n in names if is_pname(n) and n.split(":", 1)[0] in prefixes]
        return [_absolute(n, prefixes) for n in declared] or [None]
    if upper(rest) not in ("", "SILENT"):
        return [None]
    return _targets_after(text, lexeme.end, prefixes, silent_allowed=rest == "")


def _targets_after(text: str, end: int, prefixes: dict[str, str], silent_allowed: bool) -> list[str | None]:
    targets: list[str | None] = []
    for lexeme in lexemes_at(text, skip_trivia(text, end)):
        token = text[lexeme.start : lexeme.end]
        if lexeme.kind == "word" and silent_allowed and upper(token) == "SILENT":
            targets += _targets_after(text, lexeme.end, prefixes, silent_allowed=False)
        elif lexeme.kind in ("iri", "pname"):
            targets.append(_absolute(token, prefixes))
        elif lexeme.kind == "var":
            targets.append(None)
    return targets or [None]


def _prologue(source: Iterator[sparql_text.Token]) -> dict[str, str]:
    """The prefixes a query's prologue declares (names are case-sensitive; the last wins).
    Tokens are read from ``source`` only up to the end of the prologue."""
    prefixes: dict[str, str] = {}
    stream: list[sparql_text.Token] = []

    def read_to(n: int) -> None:
        while len(stream) < n and (token := next(source, None)) is not None:
            stream.append(token)

    i = 0
    while True:
        read_to(i + 3)
        if i >= len(stream):
            break
        token, following = stream[i], stream[i + 1 : i + 3]
        word = token.keyword
        if (
            word == "PREFIX"
            and len(following) == 2
            and following[0].kind == "name"
            and following[0].text.endswith(":")
            and following[1].kind == "iri"
        ):
            prefixes[following[0].text[:-1]] = unescape_iri(following[1].text[1:-1])
            i += 3
        elif (
            word.startswith("PREFIX")
            and word.endswith(":")
            and is_pname(token.text[6:])
            and following
            and following[0].kind == "iri"
        ):  # PREFIXex:<…>
            prefixes[token.text[6:-1]] = unescape_iri(following[0].text[1:-1])
            i += 2
        elif word in ("BASE", "VERSION") and following:
            i += 2
        else:
            break
    return prefixes


def _absolute(token: str, prefixes: dict[str, str]) -> str | None:
    if token.startswith("<"):
        iri = unescape_iri(token[1:-1])
    else:
        prefix, _, local = token.partition(":")
        if prefix not in prefixes:
            return None
        iri = prefixes[prefix] + unescape_local(local)
    return iri if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri) else None
