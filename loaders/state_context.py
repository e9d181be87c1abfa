"""When a state's name or demonym in running text names the state: the context guards.

Rules of English, not of any document:
- a demonym names its state as a modifier of a common noun ("Indian officials", "the Dutch
  minister"), before a role title ("German Chancellor ..."), or as "the Dutch" (its people or
  government); inside a capitalised name it does not ("Indian Ocean", "Korean Peninsula",
  "Japanese Diet", "Chinese Communist Party"), nor for a language or an ancestry ("the
  Japanese word", "of Indian descent", "written in Chinese"), nor after a region's word
  ("Latin American", "West German") or a prefix that is no state's ("Pan-American");
- a state's name that is also a given name or surname ("Jordan", "Chad") is a person when a
  title precedes it ("Mr. Jordan"), or a capitalised name-like word follows it ("Chad Miller")
  or precedes it ("Michael Jordan");
- "Georgia" is the US state in a US state's context ("Atlanta, Georgia", "Georgia's governor",
  "the state of Georgia", "Georgia Senate"), else the country.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from jtkg.loaders.lexicon import (
    GENERIC_WORDS,
    HEAD_WORDS,
    HONORIFICS,
    NOT_NAME_WORDS,
    ROLE_WORDS,
    TITLE_HEADS,
)

#: Role titles a demonym can modify ("German Chancellor", "Japanese Prime Minister").
ROLE_TITLES = (TITLE_HEADS | {"chancellor", "prime", "crown", "emperor"}) - {
    "member",
    "staff",
    "student",
    "author",
    "editor",
    "colleague",
    "partner",
}
#: Nouns after a demonym that speak of a language, a people's culture or an ancestry.
NOT_NATIONAL = {
    "language",
    "languages",
    "word",
    "words",
    "term",
    "terms",
    "character",
    "characters",
    "script",
    "text",
    "texts",
    "translation",
    "translations",
    "version",
    "edition",
    "subtitles",
    "dialect",
    "dialects",
    "speaker",
    "speakers",
    "speaking",
    "descent",
    "origin",
    "ancestry",
    "heritage",
    "cuisine",
    "food",
    "restaurant",
    "restaurants",
    "calligraphy",
    "name",
    "names",
    "literature",
    "grammar",
    "pronunciation",
    "spelling",
    "alphabet",
}
#: State names that are also personal names.
PERSONAL_NAMES = {"Jordan", "Chad", "Israel", "India", "Georgia"}
#: Of those, the ones as often a person's or a US state's as the state's: named only where
#: their context says so (Gazetteer.find), never by a look-up of the bare word.
CONTEXT_ONLY = frozenset({"Jordan", "Chad", "Georgia"})
#: Titles before a personal name ("Mr. Jordan", "Senator Chad ...").
TITLES = {
    *HONORIFICS,
    "Sen.",
    "Rep.",
    "Gov.",
    "Gen.",
    "Col.",
    "Capt.",
    "Lt.",
    "Sgt.",
    "Senator",
    "Representative",
    "Governor",
    "Coach",
    "Mayor",
    "Judge",
    "Justice",
    "Officer",
    "Pastor",
}
_NOT_PERSONAL = (
    NOT_NAME_WORDS
    | set(HEAD_WORDS)
    | GENERIC_WORDS
    | {
        "Northern",
        "Southern",
        "Eastern",
        "Western",
        "Central",
        "King",
        "Queen",
        "Kingdom",
        "River",
        "Valley",
        "Republic",
        "State",
        "Government",
        "Ministry",
        "Embassy",
    }
)
_US_AFTER = re.compile(
    r"(?:’s|'s)?[ \t]+(?:[Ss]tate\b|Senate\b|[Gg]overnor|Gov\.|[Ss]enators?\b|[Ll]egislature|"
    r"General Assembly|Tech\b|Republicans?\b|Democrats?\b|voters\b|[Cc]ounty\b|Bulldogs\b|"
    r"Power\b|Supreme Court\b)|,[ \t]+(?:U\.S\.|USA|United States)"
)
_US_BEFORE = re.compile(r"\b(?:[Ss]tate|[Gg]overnor|[Ss]enator|[Ss]enators)[ \t]+(?:of|from)[ \t]+$")
_COMMA_BEFORE = re.compile(r"\b([A-Z][a-z]+),[ \t]+$")
_REGION_BEFORE = re.compile(
    r"\b(?:Latin|North|South|East|West|Central|Northern|Southern|Eastern|"
    r"Western)[ \t]+$"
)
_JOINED_BEFORE = re.compile(r"\b([A-Z][\w.]*)-$")
_NEXT_TOKEN = re.compile(r"[ \t]+([^\s]+)")
_HYPHEN_NEXT = re.compile(r"-([A-Za-z]+)")


def demonym_names_state(
    text: str, start: int, end: int, limit: int, is_state_word: Callable[[str], bool], combining: bool = False
) -> bool:
    """Whether the demonym at ``text[start:end]`` names its state (see the module docstring).
    ``limit`` ends the sentence; ``is_state_word`` tells a state's name or demonym
    ("Sino-Japanese", "Japan-Indian")."""
    after = text[end:limit]
    before = text[max(0, start - 24) : start]
    if _REGION_BEFORE.search(before):
        return False  # "Latin American", "West German": a region's or a former state's
    joined = _JOINED_BEFORE.search(before)
    if joined and not is_state_word(joined.group(1)):
        return False  # "Pan-American", "African-American": not the state
    if combining or after.startswith("-"):
        nxt = _HYPHEN_NEXT.match(after)
        if nxt is None:
            return False
        word = nxt.group(1)
        return is_state_word(word) or (word[0].islower() and word not in NOT_NATIONAL)
    token = _NEXT_TOKEN.match(after)
    if token is None:  # punctuation or the sentence's end: "the Dutch," but not "in Japanese."
        return bool(re.search(r"\bthe[ \t]+$", before))
    tokens = [token.group(1)]
    tokens += after[token.end() : token.end() + 80].split()[:4]
    first = tokens[0].rstrip(".,;:!?)”\"’'")
    if first[:1].islower():
        if first in ("and", "or") and re.search(r"\b(?:in|into|from)[ \t]+$", before):
            return False  # "written in Japanese and English": languages
        return first not in NOT_NATIONAL
    # Capitalised words follow: a name ("Indian Ocean", "Japanese Diet") unless a role
    # title comes before any institution's head ("Japanese Defense Minister").
    for raw in tokens:
        word = raw.rstrip(".,;:!?)”\"’'")
        if not word[:1].isupper():
            return False
        if word in HEAD_WORDS:
            return False
        if word.lower() in ROLE_TITLES:
            return True
        if word != raw:  # punctuation ends the name
            return False
    return False


def name_names_state(
    text: str, start: int, end: int, low: int, limit: int, is_state_word: Callable[[str], bool]
) -> bool:
    """Whether a state's name at ``text[start:end]`` names the state, not a person or a US
    state; ``low``..``limit`` is its sentence. ``is_state_word`` tells a state's name or
    demonym ("Ukraine, Georgia")."""
    name = text[start:end]
    if name not in PERSONAL_NAMES:
        return True
    before = text[max(low, start - 40) : start]
    after = text[end : min(limit, end + 40)]
    if name == "Georgia" and _us_state(before, after, is_state_word):
        return False
    prev = re.search(r"(\S+)[ \t]+$", before)
    if prev and prev.group(1) in TITLES:
        return False  # "Mr. Jordan", "Senator Chad ..."
    nxt = re.match(r"[ \t]+([A-Z][a-z][\w’'-]*)", after)
    if nxt and _name_like(nxt.group(1), is_state_word):
        return False  # "Chad Miller"
    # "met Michael Jordan"; a sentence's first word may be any word ("Like Jordan, ...")
    return not (
        prev
        and re.fullmatch(r"[A-Z][a-z][\w’'-]*", prev.group(1))
        and before[: prev.start()].strip(" \t\"“‘'(")
        and _name_like(prev.group(1), is_state_word)
    )


def _name_like(word: str, is_state_word: Callable[[str], bool]) -> bool:
    bare = re.sub(r"(?:’s|'s)$", "", word)
    return bare not in _NOT_PERSONAL and bare.lower() not in ROLE_WORDS and not is_state_word(bare)


def _us_state(before: str, after: str, is_state_word: Callable[[str], bool]) -> bool:
    if _US_AFTER.match(after) or _US_BEFORE.search(before):
        return True
    city = _COMMA_BEFORE.search(before)  # "Atlanta, Georgia"; not "Ukraine, Georgia"
    return bool(city and city.group(1) not in NOT_NAME_WORDS and not is_state_word(city.group(1)))
