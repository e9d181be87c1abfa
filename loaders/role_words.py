"""Words of roles shared by the affiliation rules: what makes a role, leading verbs, and
the mentions a role phrase holds."""

from __future__ import annotations

import re

from jtkg.loaders.facts import PositionFact
from jtkg.loaders.gazetteer import Entity
from jtkg.loaders.lexicon import ROLE_WORDS, TITLE_HEADS
from jtkg.loaders.mentions import Mention
from jtkg.loaders.relation_context import SentenceContext
from jtkg.loaders.titles import OFFICE_WORDS, is_demonym

#: Verbs of leading an organization, and the role they give: "NAME, who heads ORG".
LEADING_VERBS = {
    "head": "head",
    "lead": "leader",
    "chair": "chair",
    "direct": "director",
    "run": "head",
    "found": "founder",
    "co-found": "co-founder",
    "cofound": "co-founder",
    "manage": "manager",
    "edit": "editor",
}
LEADING_FORMS = {
    "heads": "head",
    "headed": "head",
    "leads": "leader",
    "led": "leader",
    "chairs": "chair",
    "chaired": "chair",
    "directs": "director",
    "directed": "director",
    "runs": "head",
    "ran": "head",
    "founded": "founder",
    "co-founded": "co-founder",
    "cofounded": "co-founder",
    "manages": "manager",
    "managed": "manager",
    "edits": "editor",
    "edited": "editor",
}
_HEADS = TITLE_HEADS | OFFICE_WORDS
ROLES = ROLE_WORDS | OFFICE_WORDS
#: Prepositions that tie a role to where it is held ("professor at", "head of").
ROLE_PREPOSITIONS = {"at", "of", "with", "for", "in"}


def is_role(words: list[str]) -> bool:
    """Words that make a role: the last one a title head ("senior fellow", "head")."""
    if not words or len(words) > 6:
        return False
    low = [w.lower().strip(".,") for w in words]
    return (low[-1] in _HEADS or low[-1].rstrip("s") in _HEADS) and all(
        w in ROLES
        or word[:1].isupper()
        or w in ("of", "and", "for", "-")
        or w.rstrip("s") in ROLES
        or w in ROLE_MODIFIERS
        for w, word in zip(low, words, strict=True)
    )


#: Lowercase words allowed inside a role before its head ("chief economist", "top envoy").
ROLE_MODIFIERS = {
    "top",
    "new",
    "acting",
    "interim",
    "special",
    "foreign",
    "defense",
    "defence",
    "trade",
    "finance",
    "economy",
    "economic",
    "political",
    "military",
    "policy",
    "program",
    "programme",
    "managing",
    "general",
    "permanent",
    "founding",
    "honorary",
    "emeritus",
    "distinguished",
    "adjunct",
    "lead",
    "principal",
    "junior",
    "co-",
    "then",
    "former",
    "vice",
    "prime",
}


def polity_at(s: SentenceContext, start: int) -> Mention | None:
    return next((m for m in s.polities if m.start == start and not is_demonym(s, m)), None)


def polities_in(s: SentenceContext, start: int, end: int) -> list[Mention]:
    return [m for m in s.polities if start <= m.start and m.end <= end and not is_demonym(s, m)]


def role_text(text: str, start: int, end: int, inside: list[Mention]) -> str:
    """The words of a role phrase without the names inside it ("WTO ambassador" → ambassador
    for the WTO's own position is made separately)."""
    cut = text[start:end]
    for m in sorted(inside, key=lambda m: -m.start):
        cut = cut[: m.start - start] + cut[m.end - start :]
    words = [w for w in cut.split() if w.lower() not in ("the", "a", "an")]
    return " ".join(words).strip(" ,")


def positions_in(
    person: Entity,
    role: str,
    polities: list[Mention],
    s: SentenceContext,
    confidence: float,
    former: bool = False,
) -> list[PositionFact]:
    found = []
    for m in dict.fromkeys(p.entity for p in polities):
        found.append(PositionFact(person, role, m, s.span, confidence, former=former))
    return found


#: A caption's place after a name: "NAME (L)", "NAME (center)", "NAME (second from left)".
_CAPTION = re.compile(
    r"[ \t]*\((?:[LRC]|left|right|cent(?:er|re)|front|rear|"
    r"(?:second|third) from (?:left|right))\)",
    re.IGNORECASE,
)


def name_end(s: SentenceContext, person: Mention) -> int:
    """Where what is said about a name starts: after a caption's "(L)" or "(center)"."""
    m = _CAPTION.match(s.text, person.end, s.span.end)
    return m.end() if m else person.end
