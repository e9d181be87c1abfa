"""How a label of the issue scheme is matched in text (loaders.topics): its words with
hyphens, spaces or neither between them, its head noun in the singular or the plural, British
or American spelling, and whether it is a name (matched case-sensitively) or a concept."""

from __future__ import annotations

import re

from jtkg.loaders.topic_words import SMALL

#: Separators between a label's words: space, hyphens, dashes; or none ("cybersecurity").
_SEP = r"[\s\-\u2010\u2011\u2013\u2014]?\s*"
#: Letters or digits: a match neither starts nor ends inside a word; a hyphen joined to a word
#: ("non-tariff") also binds.
BEFORE = r"(?<![\w\-\u2010\u2011])"
AFTER = r"(?![\w]|[\-\u2010\u2011]\w)"
#: Spelling variants a token may take (British/American, grey/gray, U.S./US).
#: The written letters before the variable part keep their case ("Defen[cs]e").
_SPELLINGS = [
    (re.compile(rx, re.I), keep, variable)
    for rx, keep, variable in [
        (r"gr[ae]y", 2, "[ae]y"),
        (r"defen[cs]e", 5, "[cs]e"),
        (r"offen[cs]e", 5, "[cs]e"),
        (r"i[sz]ation", 1, "[sz]ation"),
        (r"labou?r", 3, "ou?r"),
        (r"cent(?:er|re)\b", 4, "(?:er|re)"),
    ]
]
_PREPOSITIONS = {
    "of",
    "to",
    "in",
    "over",
    "on",
    "for",
    "with",
    "between",
    "across",
    "from",
    "against",
    "at",
    "by",
    "into",
}


def _token_pattern(token: str, head: bool, exact: bool) -> str:
    if re.fullmatch(r"U\.?S\.?", token):
        return r"U\.?S\.?"
    body = re.sub(r"['’]", "['’]", re.escape(token))
    for rx, keep, variable in _SPELLINGS:
        body = rx.sub(lambda m, k=keep, v=variable: m.group()[:k] + v, body)
    if head and re.fullmatch(r"[A-Za-z]+", token) and len(token) > 2:
        body = _plural(body, token)
    # An abbreviation is case-sensitive even inside a lower-case label ("WHO participation").
    if not exact and len(token) >= 2 and token.isupper() and token.isalpha():
        body = f"(?-i:{body})"
    return body


def _plural(body: str, token: str) -> str:
    """The head noun in singular or plural: "dispute(s)", "polic(y|ies)", "cris(is|es)"."""
    low = token.lower()
    if low.endswith("ies"):
        return body[:-3] + "(?:y|ies)"
    if low.endswith("sis"):
        return body[:-2] + "[ie]s"
    if low.endswith("y") and low[-2:-1] not in "aeiou":
        return body[:-1] + "(?:y|ies)"
    if low.endswith(("ss", "sh", "ch", "x")):
        return body + "(?:es)?"
    if low.endswith("s") and not low.endswith(("us", "is", "ss")):
        return body[:-1] + "s?"
    return body + "s?"


def _head_index(tokens: list[str]) -> int:
    """The head noun: the word before the first preposition, else the last word."""
    for i, token in enumerate(tokens[1:], 1):
        if token.lower() in _PREPOSITIONS:
            return i - 1
    return len(tokens) - 1


def is_name_form(form: str, is_label: bool) -> bool:
    """Whether a label is a name (matched case-sensitively): every word capitalised, or one
    capitalised or upper-case word that is not a concept's sentence-case label."""
    words = [
        w
        for w in re.split(r"[\s\-\u2010\u2011\u2013\u2014/]+", form)
        if w and w[0].isalpha() and w.lower() not in SMALL
    ]
    if not words:
        return False
    if len(words) == 1:
        word = words[0]
        return word.isupper() or (word[0].isupper() and not is_label) or any(c.isupper() for c in word[1:])
    return all(w[0].isupper() for w in words)


def form_pattern(form: str, exact: bool) -> str:
    tokens = [t for t in re.split(r"[\s\-\u2010\u2011\u2013\u2014]+", form) if t]
    head = _head_index(tokens)
    parts = [_token_pattern(t, i == head, exact) for i, t in enumerate(tokens)]
    body = _SEP.join(parts)
    return f"(?-i:{body})" if exact else body
