"""What the server needs to know about a request's SPARQL text before Oxigraph runs it.

Does it call SERVICE or LOAD (outbound requests), how deeply it nests, does it name its own
dataset (FROM, USING/WITH), and where its WHERE clauses begin (to apply the protocol's
using-graph-uri); which endpoints its SERVICE clauses call is ``sparql_service``'s, read with
this module's tokens. The answers come from the grammar's terminals (``sparql_lexer``), never
from a regular expression over the raw text, which strings, IRIs, comments and escapes fool.

The guards fail safe: every reading of an ambiguous ``<`` is followed; text with SPARQL 1.1
codepoint escapes (``\\u0045``) is read both as written and decoded; and text that cannot be
tokenised counts as containing a keyword whenever its letters appear in it at all.

Speed (every /sparql request runs these): each answer has a fast path that reads the text
with ``str.count``/``in`` only and gives the same answer as the lexer would, and answers are
kept per text (``cached_per_text``), since clients repeat their queries. Why a fast path is exact:

* a keyword hit (``SERVICE``, ``LOAD``, ``FROM``, ``USING``, ``WITH``) is a name token of some
  reading holding the keyword's letters side by side, in ASCII upper case; a token is a slice
  of its reading, and the unreadable fallback also looks for the letters in the reading. So if
  no reading (the text, and the text with codepoint escapes decoded, see ``_readings``) holds
  the letters, there is no hit. PN_LOCAL (``\\#``) and percent escapes stay in the token's
  text and cannot make letters: only a ``\\u``/``\\U`` escape can, and the decoded reading
  is searched too.
* nesting rises by one only at an ``open`` token, a single ``(``, ``[`` or ``{`` character, and
  each reading passes each character once (readings that meet keep the larger state, which
  is still one reading's); the unreadable fallback counts the same characters. So the number
  of those characters in a reading bounds its nesting.
* a chain link is a token (a CHAIN_WORD, or a sign of ``_CHAIN_SIGNS``) of one or more
  characters (of ``_LINK_CHARS``), or one of ``+-*/|&`` inside an IRI read as less-than;
  each character is passed once per reading, so the reading's length bounds the chain, and
  past MAX_CHAIN characters the count of sign characters plus the occurrences of each
  CHAIN_WORD does.

Only when a bound exceeds its limit, or the letters occur, does the lexer run.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import NamedTuple

import pyoxigraph as ox

from jtkg.graph.sparql_lexer import (
    _CHAIN_SIGNS,
    CHAIN_WORDS,
    Lexeme,
    Scan,
    ascii_upper,
    cached_per_text,
    decode_codepoints,
    lexemes_at,
    scan,
    skip_trivia,
    unescape_iri,
    upper,
)

#: Deepest nesting of (), [] and {} (together) a query or update may have: Oxigraph's
#: recursive parser overflows its stack a few thousand levels down and takes the process.
MAX_NESTING = 200

#: Most links in one left-deep chain of the algebra Oxigraph builds (UNION, MINUS, OPTIONAL,
#: BIND and other group elements, ||, &&, +, -, *, / and | between operands): a few thousand
#: BINDs in a row overflow its stack as deep brackets do.
MAX_CHAIN = 2000

#: Keywords a prefixed name can hide at its start (``SERVICEex:a {…}``, ``LOADex:x``).
_GLUED_INTO_NAMES = ("SERVICE", "LOAD")

_OPERANDS = ("var", "number", "string", "langtag", "iri", "bnode")


def _letters_absent(text: str, words: Sequence[str]) -> bool:
    """Whether no reading of the text holds any of the words' letters (see the module's
    docstring: then no reading has them as a keyword, readable or not)."""
    return not any(w in ascii_upper(reading) for reading in _readings(text) for w in words)


#: Every character of a chain sign, and of the operators counted inside an IRI read as
#: less-than (``scan``): derived from the lexer's own set, so the bound follows it.
_LINK_CHARS = "".join(sorted({*"".join(_CHAIN_SIGNS), *"+-*/|&"}))


def _within_bounds(text: str) -> bool:
    """Whether the cheap bounds prove every reading nests at most MAX_NESTING deep and
    chains at most MAX_CHAIN links (see the module's docstring)."""
    for reading in _readings(text):
        if reading.count("(") + reading.count("[") + reading.count("{") > MAX_NESTING:
            return False
        if len(reading) > MAX_CHAIN:
            capital = ascii_upper(reading)
            links = sum(reading.count(c) for c in _LINK_CHARS) + sum(capital.count(w) for w in CHAIN_WORDS)
            if links > MAX_CHAIN:
                return False
    return True


class Token(NamedTuple):
    kind: str  # string, iri, var, name, bnode, langtag, number, open, close, other
    text: str
    start: int
    depth: int  # nesting of braces, brackets and parentheses where the token starts

    @property
    def keyword(self) -> str:
        return upper(self.text) if self.kind == "name" else ""


def tokens(text: str) -> Iterator[Token]:
    """One reading of the text, for the dataset and USING helpers: ``<`` is less-than after
    an operand inside an expression's parentheses, and an IRI elsewhere. Characters that
    start no token come out as ``other``. The guards use every reading instead (``scan``)."""
    depth = 0
    expression: list[bool] = []  # for each open bracket: is it an expression's parenthesis
    previous: Token | None = None
    pos = skip_trivia(text, 0)
    while pos < len(text):
        found = lexemes_at(text, pos)
        if not found:
            found = [Lexeme("other", pos, pos + 1)]
        lexeme = found[0]
        if len(found) > 1 and expression and expression[-1] and _is_operand(previous):
            lexeme = found[1]
        kind = "name" if lexeme.kind in ("word", "pname") else lexeme.kind
        if kind == "close":
            depth = max(depth - 1, 0)
            if expression:
                expression.pop()
        token = Token(kind, text[lexeme.start : lexeme.end], lexeme.start, depth)
        yield token
        if kind == "open":
            depth += 1
            expression.append(_opens_expression(token, expression, previous))
        previous = token
        pos = skip_trivia(text, lexeme.end)


def _is_operand(token: Token | None) -> bool:
    return token is not None and (
        token.kind in _OPERANDS or token.text == ")" or (token.kind == "name" and token.keyword not in ("A",))
    )


def _opens_expression(token: Token, expression: list[bool], previous: Token | None) -> bool:
    if token.text != "(":
        return False  # { and [ hold triples
    if not expression or expression[-1]:
        return True  # SELECT (…), GROUP BY (…), HAVING (…), or nested in an expression
    # Among triples, "(" after FILTER, BIND or a function name is an expression; else a list.
    return (
        previous is not None
        and previous.kind == "name"
        and ":" not in previous.text
        and previous.keyword != "A"
    )


def _readings(text: str) -> list[str]:
    """The text as written and, if it has codepoint escapes, decoded (SPARQL 1.1 §19.2):
    Oxigraph decodes them first when built with standard-unicode-escaping."""
    decoded = decode_codepoints(text) if "\\u" in text or "\\U" in text else text
    return [text] if decoded == text else [text, decoded]


Hits = dict[str, list[tuple[Lexeme, str]]]


def _keyword_hits(reading: str, keywords: Sequence[str]) -> tuple[Hits, bool, int, int]:
    """The name tokens holding each keyword in any reading of the text, whether it could be
    tokenised, the deepest nesting and the longest chain."""
    result = _scan(reading, tuple(sorted({*keywords, *_GLUED_INTO_NAMES})))
    hits: Hits = {
        keyword: [(lexeme, rest) for lexeme, rest in found if _counts(reading, keyword, lexeme)]
        for keyword, found in result.hits.items()
        if keyword in keywords
    }
    if result.stuck is None:
        return hits, True, result.depth, result.chain
    return hits, False, max(result.depth, _bracket_depth(reading)), result.chain


@lru_cache(maxsize=4)
def _scan(reading: str, keywords: tuple[str, ...]) -> Scan:
    """One scan serves the guard and the nesting check of the same request."""
    declared: list[dict[str, list[str]]] = []  # read on first need: rarely needed

    def may_split(name: str) -> bool:  # Oxigraph's PNAME_LN fails on an invalid IRI
        if not declared:
            declared.append(_declarations(list(tokens(reading))))
        prefix, _, local = name.partition(":")
        return any(
            not _is_absolute_iri(base + local.replace("\\", "")) for base in declared[0].get(prefix, ())
        )

    return scan(reading, keywords, may_split)


def _declarations(stream: list[Token]) -> dict[str, list[str]]:
    """Every IRI each prefix is declared as, anywhere (an update has a prologue per operation)."""
    declared: dict[str, list[str]] = {}
    for i, token in enumerate(stream):
        word, following = token.keyword, stream[i + 1 : i + 3]
        if (
            word == "PREFIX"
            and len(following) == 2
            and following[0].text.endswith(":")
            and following[1].kind == "iri"
        ):
            name, iri = following[0].text[:-1], following[1].text
        elif word.startswith("PREFIX") and word.endswith(":") and following and following[0].kind == "iri":
            name, iri = token.text[6:-1], following[0].text
        else:
            continue
        declared.setdefault(name, []).append(unescape_iri(iri[1:-1]))
    return declared


def _is_absolute_iri(iri: str) -> bool:
    """As Oxigraph checks a prefixed name's IRI (a relative prefix counts as unknown)."""
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


def _counts(text: str, keyword: str, lexeme: Lexeme) -> bool:
    """Whether a keyword found in a token can be that keyword to Oxigraph."""
    if lexeme.kind != "pname":
        return True  # a bare word is a keyword or nothing at all
    if keyword not in _GLUED_INTO_NAMES:
        return False
    following = lexemes_at(text, skip_trivia(text, lexeme.end))
    if keyword == "SERVICE":  # ``service:a`` is a name unless a group follows
        return any(f.kind == "open" and text[f.start] == "{" for f in following)
    # ``LOADex:x`` is a LOAD only where its operation can end: the end, ";" or INTO.
    return not following or any(
        text[f.start : f.end] == ";" or (f.kind == "word" and upper(text[f.start : f.end]).startswith("INTO"))
        for f in following
    )


def _bracket_depth(text: str) -> int:
    """Nesting counted over the raw characters, for text that cannot be tokenised."""
    depth = peak = 0
    for char in text:
        if char in "([{":
            depth += 1
            peak = max(peak, depth)
        elif char in ")]}":
            depth = max(depth - 1, 0)
    return peak


@cached_per_text
def has_keyword(text: str, *keywords: str) -> bool:
    """Whether any of the keywords may occur as a keyword (not in a string, IRI or comment) in
    any reading of the text; text that cannot be tokenised counts if the word occurs at all."""
    wanted = [upper(k) for k in keywords]
    if _letters_absent(text, wanted):
        return False
    for reading in _readings(text):
        hits, readable, _, _ = _keyword_hits(reading, wanted)
        if any(hits.values()) or (not readable and any(k in upper(reading) for k in wanted)):
            return True
    return False


def nesting_depth(text: str) -> int:
    """The deepest nesting of (), [] and {} in any reading of a query or update."""
    return max(_keyword_hits(reading, ())[2] for reading in _readings(text))


def chain_length(text: str) -> int:
    """The most chained operations (see MAX_CHAIN) of one query or update operation in any
    reading, counted generously: all of an operation's links together."""
    return max(_keyword_hits(reading, ())[3] for reading in _readings(text))


@cached_per_text
def too_deep(text: str, what: str = "query") -> str | None:
    """The one-line reason a query or update would overflow the parser's stack, or None."""
    if _within_bounds(text):
        return None
    depth = nesting_depth(text)
    if depth > MAX_NESTING:
        return f"the {what} nests {depth} levels deep; the limit is {MAX_NESTING}"
    links = chain_length(text)
    if links > MAX_CHAIN:
        return (
            f"the {what} chains {links} operations (UNION, OPTIONAL, BIND, operators…); "
            f"the limit is {MAX_CHAIN}"
        )
    return None


@cached_per_text
def unreadable_at(text: str) -> tuple[int, int] | None:
    """Line and column (from 1) where the text stops being SPARQL tokens, or None."""
    result = _scan(text, tuple(sorted(_GLUED_INTO_NAMES)))
    if result.stuck is None:
        return None
    line = text.count("\n", 0, result.stuck) + 1
    return line, result.stuck - (text.rfind("\n", 0, result.stuck) + 1) + 1
