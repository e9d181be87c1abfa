"""The terminals of SPARQL 1.1 (section 19.8), as Oxigraph's parser reads them.

Oxigraph parses with a PEG grammar and no separate tokenizer, so the lexer follows its rules
where they are narrower than the W3C text (a PN_LOCAL takes one run of dots; whitespace is
space, tab, CR and LF only; an IRIREF is whatever lies up to the next ``>`` if that is a valid
IRI). Two things a tokenizer cannot decide alone are handled as a lattice of readings:

* ``<`` starts an IRI or is the less-than operator, depending on the grammar's context;
  the lattice follows both readings wherever the text after ``<`` could be an IRI;
* keywords are matched by length with no word boundary (``SERVICEex:a{…}``,
  ``trueSERVICE<…>``, ``service:x{…}`` are SERVICE calls); name tokens are searched for
  the keywords asked about.

Nothing here decides what a query means; callers use it to answer "could this text, read by
Oxigraph, contain keyword K / reach endpoint E / nest N deep". When some reading is uncertain
the answer errs towards "yes".
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache, wraps
from typing import Any, NamedTuple, TypeVar

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
    "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
)
_U = _BASE + "_"
_CHARS = _U + r"\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
_PREFIX = rf"[{_BASE}][{_CHARS}]*+(?:\.++[{_CHARS}]++)*+"
_LOCAL = (
    rf"(?:[{_U}:0-9]|{_PLX})(?:[{_CHARS}:]|{_PLX})*+"
    rf"(?:\.++(?:[{_CHARS}:]|{_PLX})++)?+"
)
_ECHAR = r"""\\[tbnrf"'\\]"""
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
# In strings only escapes of real code points: Oxigraph drops a long string holding
# \uD800 and reads its quotes again as short strings, so the lexer must too.
_UCHAR_CHAR = (
    r"\\u(?![dD][89a-fA-F])[0-9A-Fa-f]{4}"
    r"|\\U(?:0010[0-9A-Fa-f]{4}|000[1-9A-Fa-f][0-9A-Fa-f]{4}"
    r"|0000(?![dD][89a-fA-F])[0-9A-Fa-f]{4})"
)
_ESC = rf"{_ECHAR}|{_UCHAR_CHAR}"
_STRING = (
    rf"'''(?:(?:''|')?+(?:[^'\\]|{_ESC}))*+'''"
    rf'|"""(?:(?:""|")?+(?:[^"\\]|{_ESC}))*+"""'
    rf"|'(?:[^'\\\n\r]|{_ESC})*+'"
    rf'|"(?:[^"\\\n\r]|{_ESC})*+"'
)
_EXP = r"[eE][+-]?[0-9]+"
_NUMBER = rf"[0-9]+\.[0-9]*{_EXP}|\.[0-9]+{_EXP}|[0-9]+{_EXP}|[0-9]*\.[0-9]+|[0-9]+"

_TOKEN = re.compile(
    rf"""
    (?P<string>{_STRING})
  | (?P<var>[?$][{_U}0-9][{_U}0-9\u00B7\u0300-\u036F\u203F-\u2040]*+)
  | (?P<bnode>_:[{_U}0-9][{_CHARS}]*+(?:\.++[{_CHARS}]++)*+)
  | (?P<pname>(?:{_PREFIX})?+:(?:{_LOCAL})?+)
  | (?P<word>[A-Za-z][A-Za-z0-9_]*+)
  | (?P<langtag>@[a-zA-Z]++(?:-[a-zA-Z0-9]++)*+(?:--[a-zA-Z]++)?+)
  | (?P<number>{_NUMBER})
  | (?P<open>[{{(\[])
  | (?P<close>[}})\]])
  | (?P<other>\^\^|\|\||&&|!=|<=|>=|[,;.|&!=<>+\-*/^?~])
""",
    re.VERBOSE,
)
# The IRIREF grammar's characters, plus UCHAR; Oxigraph then checks the IRI (a subset).
_IRIREF = re.compile(rf"<(?:[^\x00-\x20<>\"{{}}|^`\\]|{_UCHAR})*+>")
# What could make "<" as less-than read an IRI's text differently (see _inside_iri).
_OPERATOR_MATTERS = re.compile(r"[#'()\[\]]")
_TRIVIA_START = frozenset(" \t\r\n#")
_SPACE = re.compile(r"[ \t\r\n]+")
_LINE_END = re.compile(r"[\r\n]")
_PNAME = re.compile(rf"(?:{_PREFIX})?+:(?:{_LOCAL})?+")
_LOCAL_ESCAPE = re.compile(r"\\(.)")
_CODEPOINT = re.compile(r"\\u([+0-9A-Fa-f]{4})|\\U([+0-9A-Fa-f]{8})")

#: Keywords (and function names) of SPARQL 1.1 and Oxigraph's 1.2 additions: a keyword can
#: be glued to the next one (``trueSERVICE``), so a name is split into these to find them.
KEYWORDS = frozenset(
    """
    A ABS ADD ADJUST ALL AS ASC ASK AVG BASE BIND BNODE BOUND BY CEIL CLEAR COALESCE CONCAT
    CONSTRUCT CONTAINS COPY COUNT CREATE DATA DATATYPE DAY DEFAULT DELETE DESC DESCRIBE
    DISTINCT DROP ENCODE_FOR_URI EXISTS FALSE FILTER FLOOR FROM GRAPH GROUP GROUP_CONCAT
    HASLANG HASLANGDIR HAVING HOURS IF IN INSERT INTO IRI ISBLANK ISIRI ISLITERAL ISNUMERIC
    ISTRIPLE ISURI LANG LANGDIR LANGMATCHES LATERAL LCASE LIMIT LOAD MAX MD5 MIN MINUS
    MINUTES MONTH MOVE NAMED NOT NOW OBJECT OFFSET OPTIONAL ORDER PREDICATE PREFIX RAND
    REDUCED REGEX REPLACE ROUND SAMETERM SAMPLE SECONDS SELECT SEPARATOR SERVICE
    SHA1 SHA256 SHA384 SHA512 SILENT STR STRAFTER STRBEFORE STRDT STRENDS STRLANG STRLANGDIR
    STRLEN STRSTARTS STRUUID SUBJECT SUBSTR SUM TIMEZONE TO TRIPLE TRUE TZ UCASE UNDEF UNION
    URI USING UUID VALUES VERSION WHERE WITH YEAR
""".upper().split()
)

#: Group elements and operators that each add a link to a left-deep chain of the algebra
#: Oxigraph builds (a few thousand BINDs in a row overflow its stack as deep brackets do).
CHAIN_WORDS = frozenset(
    {"BIND", "MINUS", "OPTIONAL", "UNION", "FILTER", "GRAPH", "SERVICE", "VALUES", "LATERAL", "AS"}
)  # AS: 5,000 "(1 AS ?x)" in SELECT crash
# Triple separators (. ; ,) chain the joins of a group, "!" and "<" (of "<<") nest
# unary operators and quoted triples: each overflows the stack a few thousand long too.
_CHAIN_SIGNS = frozenset({"{", "||", "&&", "+", "-", "*", "/", "|", ".", ";", ",", "!", "<"})

_TRIPLE_SEPARATORS = frozenset({".", ";", ","})

_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def upper(text: str) -> str:
    """ASCII upper case: Oxigraph compares keywords with ``eq_ignore_ascii_case``."""
    return text.translate(_ASCII_UPPER)


def ascii_upper(text: str) -> str:
    """``upper``, faster: ``str.upper`` is the same on ASCII text."""
    return text.upper() if text.isascii() else text.translate(_ASCII_UPPER)


#: Answers are kept for this many texts of at most CACHE_TEXT characters each (longer texts
#: are rare and would cost memory): at most 8 M characters per function, and the functions
#: of one request share its text.
CACHE_SIZE = 2048
CACHE_TEXT = 4096
_F = TypeVar("_F", bound=Callable[..., object])
_CACHES: list[Any] = []


def cached_per_text(function: _F) -> _F:
    """``function`` with its answers kept per (text, arguments): the key is the text itself,
    compared by value, so another text never gets this one's answer."""
    kept = lru_cache(maxsize=CACHE_SIZE)(function)
    _CACHES.append(kept)

    @wraps(function)
    def answer(text: str, *args: object) -> object:
        return kept(text, *args) if len(text) <= CACHE_TEXT else function(text, *args)

    return answer  # type: ignore[return-value]


def clear_caches() -> None:
    """Forgets every kept answer (for benchmarks and tests)."""
    for kept in _CACHES:
        kept.cache_clear()


#: What a reading carries along: nesting, links of the current chain, open parentheses.
State = tuple[int, int, int]


class Lexeme(NamedTuple):
    kind: str  # string, var, bnode, pname, word, langtag, number, open, close, other, iri
    start: int
    end: int


def lexemes_at(text: str, pos: int) -> list[Lexeme]:
    """Every token that can start at ``pos`` (after whitespace and comments): none where
    nothing can, two where ``<`` may be an IRI or an operator."""
    if text.startswith("<", pos):
        found = [Lexeme("other", pos, pos + (2 if text.startswith("<=", pos) else 1))]
        iri = _IRIREF.match(text, pos)
        if iri:
            found.insert(0, Lexeme("iri", pos, iri.end()))
        return found
    match = _TOKEN.match(text, pos)
    if not match:
        return []
    kind = match.lastgroup or "other"
    return [Lexeme("word" if kind == "word" else kind, pos, match.end())]


def skip_trivia(text: str, pos: int) -> int:
    """The position after any whitespace and comments at ``pos``."""
    if pos >= len(text) or text[pos] not in _TRIVIA_START:
        return pos
    while pos < len(text):
        char = text[pos]
        if char in " \t\r\n":
            pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]
        elif char == "#":  # to the end of the line, found without rescanning it
            ends = _line_ends(text)
            i = bisect.bisect_left(ends, pos)
            pos = ends[i] if i < len(ends) else len(text)
        else:
            break
    return pos


@lru_cache(maxsize=8)
def _line_ends(text: str) -> list[int]:
    return [m.start() for m in _LINE_END.finditer(text)]


@lru_cache(maxsize=4096)
def _splits_into_keywords(text: str) -> bool:
    """Whether ``text`` (upper case) is a run of keywords glued together (or empty)."""
    if not text:
        return True
    return any(text.startswith(k) and _splits_into_keywords(text[len(k) :]) for k in KEYWORDS)


def glued_keywords(token: str, keyword: str, prefixed: bool) -> list[str]:
    """Where ``keyword`` may start inside a name token, the rest of the token after it.

    A bare word is never a valid name, so any occurrence counts. In a prefixed name only the
    prefix part is searched, and only after a run of keywords (``SERVICEex:a``,
    ``service:a``): ``download:x`` does not hide LOAD."""
    head = upper(token.split(":", 1)[0] if prefixed else token)
    rests = []
    start = head.find(keyword)
    while start >= 0:
        if not prefixed or _splits_into_keywords(head[:start]):
            rests.append(token[start + len(keyword) :])
        start = head.find(keyword, start + 1)
    return rests


@dataclass
class Scan:
    """What all readings of a text contain."""

    hits: dict[str, list[tuple[Lexeme, str]]] = field(default_factory=dict)  # keyword -> (token, rest)
    depth: int = 0  # deepest nesting of (), [] and {} in any reading
    chain: int = 0  # most chained operations (CHAIN_WORDS, "{" and operators) of one operation
    stuck: int | None = None  # where no reading goes on, if none reaches the end
    #: Inside INSERT DATA / DELETE DATA braces: ground triples, not a group to join. Oxigraph
    #: reads 50,000 of them in one operation without trouble, so their separators are no links.
    data: str = ""  # "" outside, "DATA" just after the keyword, "{" inside the block


def scan(text: str, keywords: Iterable[str], may_split: Callable[[str], bool] | None = None) -> Scan:
    """Follows every reading of ``text`` and collects the name tokens holding ``keywords``
    (upper case), the deepest nesting and the longest chain. Linear: readings that meet at
    a position merge, keeping the larger nesting and chain.

    ``may_split(name)`` says whether a prefixed name's IRI may be invalid: Oxigraph then
    reads only its ``prefix:`` and goes on after the colon (``ex:SERVICE:s\\#x {…}``)."""
    wanted = tuple(keywords)
    result = Scan(hits={k: [] for k in wanted})
    state_at: dict[int, State] = {}  # positions some reading reaches, with their state
    pending: list[int] = []  # those positions, as a heap
    furthest, complete = 0, False

    def reach(pos: int, state: State) -> None:
        if pos in state_at:
            old = state_at[pos]
            state_at[pos] = (max(old[0], state[0]), max(old[1], state[1]), max(old[2], state[2]))
        else:
            state_at[pos] = state
            heapq.heappush(pending, pos)

    pos, state = skip_trivia(text, 0), (0, 0, 0)
    while True:
        follow: tuple[int, State] | None = None  # the one next position, if one
        if pos >= len(text):
            complete = True
        else:
            found = lexemes_at(text, pos)
            if not found:
                furthest = max(furthest, pos)
            elif len(found) == 2:  # "<" of an IRI, also read as less-than
                iri, operator = found
                # An IRI outside brackets (DESCRIBE's, FROM's) is a link: 6,000 crash DESCRIBE.
                follow = skip_trivia(text, iri.end), (state if state[0] else (0, state[1] + 1, 0))
                result.chain = max(result.chain, follow[1][1])
                if _OPERATOR_MATTERS.search(text, iri.start, iri.end):
                    after, resume = _inside_iri(text, operator.end, iri.end - 1, state, result, wanted)
                    if resume is None:
                        furthest = max(furthest, iri.end - 1)
                    else:
                        reach(resume, after)
                elif state[2]:  # in parentheses, where X's operators would chain
                    links = sum(text.count(c, iri.start, iri.end) for c in "+-*/|&")
                    if links:
                        reach(iri.end - 1, (state[0], state[1] + links, state[2]))
                # else the less-than reading has no names, brackets, strings or comments
            else:
                lexeme = found[0]
                after = _step(text, lexeme, state, result)
                _collect(text, lexeme, wanted, result)
                if lexeme.kind == "pname" and may_split is not None:
                    token = text[lexeme.start : lexeme.end]
                    local = upper(token.split(":", 1)[1])
                    if any(k in local for k in wanted) and may_split(token):
                        reach(text.index(":", lexeme.start) + 1, after)
                follow = skip_trivia(text, lexeme.end), after
        if follow and (not pending or follow[0] < pending[0]):
            pos, state = follow  # the common case: one reading, no bookkeeping
            continue
        if follow:
            reach(*follow)
        if not pending:
            break
        pos = heapq.heappop(pending)
        state = state_at.pop(pos)
    if not complete:
        result.stuck = furthest
    return result


def _step(text: str, lexeme: Lexeme, state: State, result: Scan) -> State:
    """Nesting, chain and parentheses after a token; records the deepest nesting and chain."""
    depth, links, parens = state
    token = text[lexeme.start : lexeme.end]
    if lexeme.kind == "open":
        depth += 1
        parens += token == "("
    elif lexeme.kind == "close":
        depth = max(depth - 1, 0)
        parens = max(parens - (token == ")"), 0)
    if lexeme.kind == "word" and depth == 0 and upper(token) == "DATA":
        result.data = "DATA"
    elif result.data == "DATA":
        result.data = "{" if token == "{" and depth == 1 else ""
    elif result.data == "{" and depth == 0:
        result.data = ""
    if token == ";" and depth == 0:
        links = 0  # the next operation of an update starts a chain of its own
    elif result.data == "{" and token in _TRIPLE_SEPARATORS:
        pass
    elif (lexeme.kind == "word" and upper(token) in CHAIN_WORDS) or token in _CHAIN_SIGNS:
        links += 1
    result.depth = max(result.depth, depth)
    result.chain = max(result.chain, links)
    return depth, links, parens


def _collect(text: str, lexeme: Lexeme, wanted: tuple[str, ...], result: Scan) -> None:
    if lexeme.kind in ("word", "pname"):
        token = text[lexeme.start : lexeme.end]
        for keyword in wanted:
            for rest in glued_keywords(token, keyword, lexeme.kind == "pname"):
                result.hits[keyword].append((lexeme, rest))


def _inside_iri(
    text: str, pos: int, close: int, state: State, result: Scan, wanted: tuple[str, ...]
) -> tuple[State, int | None]:
    """Reads ``<X>`` with ``<`` as less-than: X has no ``<``, so one reading, up to the
    ``>`` at ``close`` or a string or comment that runs past it. Oxigraph is then inside an
    expression, which only a ``)`` can end, so X's names count only after a ``)``. Returns
    the nesting and chain, and where the lattice goes on (None if X cannot be read)."""
    closed = False
    pos = skip_trivia(text, pos)
    while pos < close:
        found = lexemes_at(text, pos)
        if not found:
            return state, None
        lexeme = found[0]
        state = _step(text, lexeme, state, result)
        if closed:
            _collect(text, lexeme, wanted, result)
        closed = closed or (lexeme.kind == "close" and text[lexeme.start] == ")")
        pos = skip_trivia(text, lexeme.end)
    return state, pos


def decode_codepoints(text: str) -> str:
    """``\\uXXXX`` and ``\\UXXXXXXXX`` replaced before parsing (SPARQL 1.1 section 19.2), as
    Oxigraph's optional ``standard-unicode-escaping`` does; other text unchanged."""
    return _CODEPOINT.sub(_char, text)


def unescape_iri(body: str) -> str:
    """An IRIREF's text without its UCHAR escapes."""
    return _CODEPOINT.sub(_char, body)


def _char(match: re.Match[str]) -> str:
    digits = match.group(1) or match.group(2)
    if "+" in digits[1:]:  # Rust's from_str_radix takes one leading sign, like int()
        return match.group()
    value = int(digits, 16)
    if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        return match.group()
    return chr(value)


def unescape_local(local: str) -> str:
    """A PN_LOCAL without its ``\\`` escapes (percent escapes stay, as the grammar says)."""
    return _LOCAL_ESCAPE.sub(r"\1", local)


def is_pname(text: str) -> bool:
    return _PNAME.fullmatch(text) is not None
