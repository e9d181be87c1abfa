"""What a capitalized name is: tokens, runs, titles, heads that give a name its class."""

from __future__ import annotations

import re

from rdflib import URIRef

from jtkg.loaders.lexicon import (
    GENERIC_WORDS,
    HEAD_WORDS,
    LOWERCASE_HEADS,
    NOT_NAME_WORDS,
    PHRASE_HEADS,
    REPORTING_VERBS,
    ROLE_WORDS,
    TITLE_HEADS,
)
from jtkg.ontology import JT

WORD = r"[A-Z][\w&]*(?:-(?:[A-Z]\.){2,}|[’'-][\w&]+)*(?:(?<=s)[’'](?![\w]))?"
TOKEN = (
    rf"(?:(?:[A-Z]\.){{2,}}(?:-{WORD})?|(?:Co|Inc|Ltd|Corp|Jr|St|Dr|Mr|Ms|Mrs|Prof)\."
    rf"|[A-Z]\.(?=[ \t][A-Z])|{WORD}|\d+\+\d+)"
)
CONNECTOR = r"(?:of|for|and|the|de|du|&|van|von)"
RUN = re.compile(rf"(?<![\w.’'/@#-]){TOKEN}(?:(?:[ \t]+{CONNECTOR}){{0,2}}[ \t]+{TOKEN})*")
NAME_TOKEN = re.compile(r"^(?:[A-Z][a-z]+(?:[’'][A-Z]?[a-z]+)?(?:-[A-Za-z][a-z]+)*|[A-Z]\.)$")
ABBREVIATION = re.compile(r"\(([A-Z][A-Za-z0-9&/.-]{1,11})\)")
POSSESSIVE = re.compile(r"[’']s$")


#: Function words that open a sentence but never a name: "At the Norvane Forum".
LEADING_WORDS = {
    "The",
    "the",
    "At",
    "In",
    "On",
    "For",
    "But",
    "And",
    "As",
    "During",
    "Since",
    "After",
    "Before",
    "While",
    "When",
    "If",
    "Under",
    "Among",
    "From",
    "With",
    "Unlike",
    "Like",
    "Through",
    "Despite",
    "Both",
    "Even",
    "Only",
    "Via",
    "Per",
    "These",
    "Those",
    "This",
    "That",
    "Its",
    "Their",
    "His",
    "Her",
    "Our",
    "A",
    "An",
    "Currently",
    "Recently",
    "Meanwhile",
    "Then",
    "Now",
    "By",
    # adverbs that open a sentence: "Yesterday Ann Vole ..."
    "Yesterday",
    "Today",
    "Tomorrow",
    "Tonight",
    "Earlier",
    "Later",
    "Separately",
    "Also",
    "However",
    "Moreover",
    "Instead",
    "Still",
    "Thus",
    "Hence",
    "Nevertheless",
    "Nonetheless",
    "Furthermore",
    "Additionally",
    "Indeed",
    "Similarly",
    "Likewise",
    "Finally",
    "Subsequently",
    "Previously",
}


def is_role_copula(after: str) -> bool:
    """ ", is a/an/the ... <role word>": "Kari Nesland is a doctoral student"."""
    m = re.match(
        r"[ \t]+is[ \t]+(?:also[ \t]+|currently[ \t]+|now[ \t]+)?(?:an?[ \t]+|the[ \t]+)?"
        r"((?:[\w.-]+[ \t]+){0,3}[\w.-]+)",
        after,
    )
    return bool(m) and any(w.lower().strip(".,") in ROLE_WORDS for w in m.group(1).split())


def standalone_words(text: str, start: int) -> dict[str, int]:
    """Capitalized words standing alone mid-sentence ("... said Marren."): likely surnames."""
    counts: dict[str, int] = {}
    verbs = "|".join(
        sorted(REPORTING_VERBS | {"is", "was", "has", "had", "should", "will", "would", "as", "also"})
    )
    pattern = (
        rf"(?:(?<=\bsaid )|(?<=\bof )|(?<=\bby )|(?<=^)|(?<=\. )|(?<=, ))([A-Z][a-z]+)(?:[’']s)?"
        rf"(?= (?:{verbs})\b)|(?<=\bsaid )([A-Z][a-z]+)(?=[,.])"
    )
    for m in re.finditer(pattern, text[start:], re.MULTILINE):
        word = m.group(1) or m.group(2)
        counts[word] = counts.get(word, 0) + 1
    return counts


def title_end(words: list[str]) -> int:
    """How many leading words form a title ("Prime Minister", "Health ... Secretary")."""
    for n in (3, 2):  # "Minister of Finance Ivo Marren"
        # A portfolio's word opens no name: "Minister of Foreign Affairs Lena Strand".
        if (
            len(words) > n
            and all(NAME_TOKEN.match(w) and w not in NOT_NAME_WORDS for w in words[-n:])
            and words[-n] not in GENERIC_WORDS
            and words[-n] not in HEAD_WORDS
            and any(w.lower() in TITLE_HEADS for w in words[:-n])
            and words[-n - 1] not in ("of", "for", "and")
        ):
            return len(words) - n
    last = 0
    for i, word in enumerate(words):
        if word.lower() in TITLE_HEADS and i + 1 < len(words):
            last = i + 1
    if last and all(NAME_TOKEN.match(w) for w in words[last:]):
        return last
    return 0


#: Words that open an organization's name whatever its last word: "Faculty of Law".
OPENING_HEADS = {
    "University",
    "Faculty",
    "School",
    "Institute",
    "Ministry",
    "Department",
    "College",
    "Center",
    "Centre",
    "Foundation",
    "Council",
    "Committee",
    "Office",
    "Bureau",
    "Agency",
    "Academy",
    "Society",
    "Association",
    "Embassy",
}


def is_generic(name: str) -> bool:
    """A name made only of common words ("Foreign Ministry", "Coast Guard")."""
    return all(
        w in GENERIC_WORDS or w in HEAD_WORDS or w in ("of", "and", "for", "the") for w in name.split()
    )


def class_by_head(words: list[str], following: str) -> URIRef | None:
    if words[0] in OPENING_HEADS and len(words) > 1:
        return JT.Institution
    if len(words) >= 2 and " ".join(words[-2:]) in PHRASE_HEADS:
        return PHRASE_HEADS[" ".join(words[-2:])]  # type: ignore[return-value]
    head = words[-1]
    if head in HEAD_WORDS:
        return HEAD_WORDS[head]  # type: ignore[return-value]
    extra = lowercase_head(following)
    if extra:
        return LOWERCASE_HEADS[extra.strip()]  # type: ignore[return-value]
    for word in words[:-1]:
        if HEAD_WORDS.get(word) == JT.Institution:
            return JT.Institution
    return None


def lowercase_head(following: str) -> str:
    for head in sorted(LOWERCASE_HEADS, key=len, reverse=True):
        if re.match(rf"[ \t]+{re.escape(head)}\b", following):
            return following[: following.index(head) + len(head)]
    return ""


def initials_fit(abbr: str, name: str) -> bool:
    letters = [ch for ch in abbr.upper() if ch.isalpha()]
    initials = "".join(w[0].upper() for w in re.split(r"[\s-]+", name) if w and w[0].isalpha())
    pos = 0
    for ch in letters:
        pos = initials.find(ch, pos)
        if pos < 0:
            return False
        pos += 1
    return letters[0] == initials[0]
