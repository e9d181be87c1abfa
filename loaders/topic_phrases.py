"""What the topic cues (loaders.topic_cues) read: the noun phrase after a cue, the tests of
a phrase that names something, and the found topic (``Cue``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import URIRef

from jtkg.loaders.lexicon import DEMONYMS
from jtkg.loaders.topic_words import DETERMINERS, PRONOUNS, SMALL, STOP, VAGUE


@dataclass(frozen=True)
class Cue:
    """An issue or policy a cue found: its span, class, label, the cue's name, a confidence."""

    start: int
    end: int
    cls: URIRef
    label: str
    name: str
    confidence: float
    aliases: tuple[str, ...] = ()


WORD = re.compile(r"[A-Za-z0-9][\w'’\-\u2010\u2011]*(?:\.(?=[A-Za-z]\.))?(?:[A-Za-z]\.)*")
_MAXWORDS = 6
NAME_STATES = (
    set(DEMONYMS)
    | set(DEMONYMS.values())
    | {"Japan", "Taiwan", "China", "America", "Korea", "Beijing", "Tokyo", "Taipei", "Washington"}
)


def np_after(
    text: str, pos: int, end: int, allow: frozenset[str] = frozenset({"of"}), max_words: int = _MAXWORDS
) -> tuple[int, int, list[str]] | None:
    """The noun phrase that starts at ``pos``: words up to a stop word or punctuation."""
    words: list[tuple[int, int, str]] = []
    i = pos
    while i < end and len(words) < max_words + 1:
        gap = re.match(r"[ \t]*", text[i:end])
        j = i + (gap.end() if gap else 0)
        if words and j == i:
            break  # punctuation right after a word ends the phrase
        m = WORD.match(text, j, end)
        if m is None:
            break
        word = m.group()
        low = word.lower()
        if words and (low in STOP and low not in allow):
            break
        if words and low in DETERMINERS and words[-1][2].lower() not in allow:
            if len(words) >= 2:
                words.pop()  # "permits split the council": the word before is a verb
            break
        if words and low.endswith("ed") and low not in allow and len(low) > 4:
            break  # a participle: "islands claimed by ..."
        words.append((m.start(), m.end(), word))
        i = m.end()
    while words and (words[-1][2].lower() in SMALL or words[-1][2].lower() in DETERMINERS):
        words.pop()
    if not words or len(words) > max_words:
        return None
    return words[0][0], words[-1][1], [w for *_, w in words]


def meaningful(words: list[str]) -> bool:
    """Some word names something: not only function words, vague modifiers or numbers."""
    content = [w for w in words if w.lower() not in SMALL | DETERMINERS | VAGUE | STOP and not w.isdigit()]
    first = words[0].lower() if words else ""
    return bool(content) and first not in PRONOUNS and first not in STOP - {"one"}


def drop_determiner(words: list[str]) -> list[str]:
    while words and words[0].lower() in DETERMINERS:
        words = words[1:]
    return words


def cap_first(label: str) -> str:
    return label[:1].upper() + label[1:]
