"""Filters over the spaCy model's entities: what is kept as a typed candidate, and trimmed how.

Measured on unseen documents, the model's PERSON spans and country GPEs lift recall a lot,
while its ORG spans alone are right about half the time. So each label passes small,
separately tested tests written from the general shape of English names (titles before a
name, organisation head words, abbreviations), never from any document's sentences.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from jtkg.loaders.lexicon import DEMONYMS, HEAD_WORDS, HONORIFICS, NOT_NAME_WORDS, REPORTING_VERBS, ROLE_WORDS
from jtkg.ontology import JT

#: Base confidence of each kind of candidate (below the registry's and the rules').
CONFIDENCE = {"PERSON": 0.7, "SURNAME": 0.6, "ORG": 0.6, "ABBREVIATION": 0.55, "GPE": 0.8, "NORP": 0.7}


@dataclass(frozen=True)
class ModelSpan:
    """A candidate from the model: offsets into the document's text, a label (PERSON, ORG or
    GPE), the text, a confidence, and for GPE the state it names (loaders.states' label)."""

    start: int
    end: int
    label: str
    text: str
    confidence: float
    state: str | None = None


# -- persons ---------------------------------------------------------------------------------

#: Words before a name that are its title, not part of it ("Foreign Minister", "Gen.").
_TITLE_WORDS = (
    {w.lower() for w in ROLE_WORDS}
    | {h.lower().rstrip(".") for h in HONORIFICS}
    | {
        "chancellor",
        "secretary-general",
        "gen",
        "lt",
        "col",
        "capt",
        "adm",
        "sen",
        "rep",
        "gov",
        "amb",
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "rev",
        "lord",
        "lady",
        "dame",
        "mayor",
        "foreign",
        "defense",
        "defence",
        "affairs",
        "state",
        "of",
        "the",
        "economy",
        "trade",
        "finance",
        "interior",
        "justice",
        "national",
        "party",
        "then",
        "acting",
        "first",
        "crown",
        "prince",
        "princess",
        "minister-president",
        "vice-president",
        "vice-premier",
    }
)
#: Lowercase particles inside names ("Ursula von X", "Ana de Y").
_PARTICLES = {
    "van",
    "von",
    "de",
    "da",
    "del",
    "der",
    "den",
    "di",
    "du",
    "la",
    "le",
    "bin",
    "binti",
    "al",
    "el",
    "ibn",
    "dos",
    "das",
    "y",
}
_NAME_TOKEN = re.compile(r"(?:[A-Z][\w'’\-]*\.?|[A-Z]\.)$")
_POSSESSIVE = re.compile(r"['’]s?$")


def strip_person(text: str) -> tuple[int, int]:
    """(start, end) of the name inside a PERSON span: leading titles and honorifics
    ("President", "Dr.", "Minister of Foreign Affairs") and a trailing possessive removed."""
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    while tokens and text[tokens[0][0] : tokens[0][1]].lower().rstrip(".,") in _TITLE_WORDS:
        tokens.pop(0)
    if not tokens:
        return 0, 0
    start, end = tokens[0][0], tokens[-1][1]
    possessive = _POSSESSIVE.search(text, start, end)
    if possessive and end - start > 2:
        end = possessive.start()
    return start, end


def person_shape(name: str) -> bool:
    """A person's name: two to five words, each capitalised (or a particle: "von"), no digits,
    not all in capitals, no organisation head word, not opening with a function word."""
    words = name.split()
    if not 2 <= len(words) <= 5 or any(ch.isdigit() for ch in name):
        return False
    letters = [ch for ch in name if ch.isalpha()]
    if letters and all(ch.isupper() for ch in letters):
        return False
    if words[0] in NOT_NAME_WORDS or words[-1] in NOT_NAME_WORDS:
        return False
    for word in words:
        if word in HEAD_WORDS or word.lower() in REPORTING_VERBS:
            return False
        if not _NAME_TOKEN.match(word) and word not in _PARTICLES:
            return False
    return not (words[0] in _PARTICLES or words[-1] in _PARTICLES)


def surname_shape(word: str, surnames: set[str]) -> bool:
    """A one-word PERSON span is kept only as the surname of a full name the model found."""
    return word in surnames and bool(_NAME_TOKEN.match(word)) and not word.isupper()


# -- organisations ---------------------------------------------------------------------------

#: Head words of organisations in general English, beyond the lexicon's institution heads.
ORG_HEADS = {w for w, cls in HEAD_WORDS.items() if cls == JT.Institution} | {
    "Corp.",
    "Corp",
    "LLC",
    "PLC",
    "GmbH",
    "AG",
    "SA",
    "Alliance",
    "Coalition",
    "League",
    "Movement",
    "Front",
    "Board",
    "Authority",
    "Exchange",
    "Media",
    "Television",
    "TV",
    "Radio",
    "Channel",
    "Daily",
    "Herald",
    "Tribune",
    "Gazette",
    "Telegraph",
    "Shimbun",
    "Ilbo",
    "Electronics",
    "Motors",
    "Motor",
    "Technologies",
    "Technology",
    "Systems",
    "Semiconductor",
    "Manufacturing",
    "Airways",
    "Railway",
    "Railways",
    "Shipping",
    "Securities",
    "Insurance",
    "Pharmaceuticals",
    "Labs",
    "Mission",
    "Consulate",
    "Delegation",
    "Chamber",
    "Legislature",
    "Senate",
    "Police",
    "Ministries",
    "Agencies",
    "Institutes",
    "Universities",
    "Parties",
    "Organizations",
    "Organisations",
    "Studies",
}
_ABBREVIATION = re.compile(r"(?:[A-Z]\.){2,}|[A-Z][A-Z&\-]{1,9}")
_PREPOSITION = re.compile(r"\s(?:of|for|on|in)\s")
_DATE = re.compile(r"\b(?:1[89]|20)\d\d\b|\b\d{1,2}(?:st|nd|rd|th)?\b")
_QUOTES = set('"“”«»')
_DETERMINER = re.compile(r"^(?:the|a|an|The|A|An)\s+")


def strip_org(text: str) -> tuple[int, int]:
    """(start, end) of the name inside an ORG span: a leading article and a trailing
    possessive removed ("the Example Institute's" → "Example Institute")."""
    start, end = 0, len(text.rstrip(" \t(,;:-–—"))  # "… Tourism (" before an abbreviation
    article = _DETERMINER.match(text)
    if article:
        start = article.end()
    possessive = _POSSESSIVE.search(text, start, end)
    if possessive and end - start > 2 and text[possessive.start() - 1 : possessive.start()].isalnum():
        end = possessive.start()
    return start, end


def org_head(name: str) -> str:
    """The head word of an organisation's name: the last word before its first "of"/"for"
    ("Ministry of Foreign Affairs" → "Ministry"), else its last word."""
    cut = _PREPOSITION.search(name)
    words = (name[: cut.start()] if cut else name).split()
    return words[-1].rstrip(",") if words else ""


def is_abbreviation(name: str) -> bool:
    return bool(_ABBREVIATION.fullmatch(name))


def org_reject(name: str, persons: set[str], state_of: Callable[[str], str | None]) -> str | None:
    """Why an ORG span is not an organisation, or None. Dropped: a person's name, a state or
    a demonym, a lowercase phrase, a date or number, a quote fragment, a span ending in a
    lowercase word (a verb: "Example Agency said"), a head word that is no organisation's
    unless the whole span is an abbreviation ("NATO", "U.N.")."""
    if not name or name in persons:
        return "a person"
    if state_of(name) or name in DEMONYMS:
        return "a state"
    if name[0].islower():
        return "a lowercase phrase"
    digits = sum(ch.isdigit() for ch in name)
    if digits and (_DATE.search(name) or digits * 3 >= len(name)):
        return "a date or number"
    if any(ch in _QUOTES for ch in name) or name.count("(") != name.count(")"):
        return "a quote fragment"
    words = name.split()
    if words[-1][0].islower() or words[-1].lower() in REPORTING_VERBS:
        return "ends in a verb or common word"
    if is_abbreviation(name):
        return None
    if len(words) < 2 or org_head(name) not in ORG_HEADS:
        return "no organisation head word"
    return None


# -- states ----------------------------------------------------------------------------------


@cache
def state_lookup() -> Callable[[str], str | None]:
    """A state's label for a name or demonym, from loaders.states (every sovereign state,
    CLDR's names) when it is there; without it, nothing maps (GPE spans are then skipped)."""
    try:
        from jtkg.loaders import states
    except ImportError:
        return lambda _name: None
    labels = {s.code: s.label for s in states.sovereign_states()}

    def find(name: str) -> str | None:
        code = states.state_code(name)
        return labels.get(code) if code else None

    return find


#: Capitalised words that may stand before a state's name without being part of a longer
#: name: sentence openers and function words, not compass words ("North", "East").
_OPENERS = NOT_NAME_WORDS - {
    "Asia",
    "Pacific",
    "East",
    "West",
    "North",
    "South",
    "Northeast",
    "Southeast",
    "Sea",
    "Strait",
    "Island",
    "Islands",
    "Republic",
    "United",
    "Democratic",
    "National",
    "Free",
    "Western",
    "European",
    "Asian",
    "Indo-Pacific",
    "Liberal",
    "International",
    "Global",
    "Open",
}


def gpe_context_ok(text: str, start: int, end: int) -> bool:
    """A state's name or demonym standing alone, not inside a longer name: no capitalised word
    right before it ("North Korea" → not "Korea") nor right after it, unless that word is a
    title ("German Chancellor"), so "Chinese Nationalist Party" names no state."""
    before = re.search(r"(\S+)[ \t]+$", text[max(0, start - 40) : start])
    if before and before.group(1)[0].isupper() and before.group(1) not in _OPENERS:
        return False
    after = re.match(r"[ \t]+([\w\-]+)", text[end : end + 40])
    return not (after and after.group(1)[0].isupper() and after.group(1).lower() not in _TITLE_WORDS)


# -- all together ----------------------------------------------------------------------------


def filter_entities(
    text: str, raw: list[tuple[int, int, str]], state_of: Callable[[str], str | None] | None = None
) -> list[ModelSpan]:
    """Typed, filtered candidates from the model's raw (start, end, label) entities."""
    state_of = state_of or state_lookup()
    persons: list[ModelSpan] = []
    singles: list[tuple[int, int]] = []
    for start, end, label in raw:
        if label != "PERSON":
            continue
        a, b = strip_person(text[start:end])
        name = text[start + a : start + b]
        if person_shape(name):
            persons.append(ModelSpan(start + a, start + b, "PERSON", name, CONFIDENCE["PERSON"]))
        elif len(name.split()) == 1:
            singles.append((start + a, start + b))
    surnames = {p.text.split()[-1] for p in persons}
    out = list(persons)
    out += [
        ModelSpan(a, b, "PERSON", text[a:b], CONFIDENCE["SURNAME"])
        for a, b in singles
        if surname_shape(text[a:b], surnames)
    ]
    names = {p.text for p in out}
    for start, end, label in raw:
        if label == "ORG":
            a, b = strip_org(text[start:end])
            name = text[start + a : start + b]
            if org_reject(name, names, state_of) is None:
                kind = "ABBREVIATION" if is_abbreviation(name) else "ORG"
                out.append(ModelSpan(start + a, start + b, "ORG", name, CONFIDENCE[kind]))
        elif label in ("GPE", "NORP"):
            a, b = strip_org(text[start:end])
            name = text[start + a : start + b]
            state = state_of(name) if name else None
            if state and gpe_context_ok(text, start + a, start + b):
                out.append(ModelSpan(start + a, start + b, "GPE", name, CONFIDENCE[label], state))
    return sorted(out, key=lambda s: (s.start, s.end))
