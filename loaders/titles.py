"""The title before a person's name and where it is held ("DPP legislator NAME", "U.S.
President NAME", "Japanese parliamentarians A and B"), and the demonyms that name a state
("Ruritanian" → Ruritania): what the position rules (loaders.positions) share."""

from __future__ import annotations

import re

from jtkg.loaders.gazetteer import Entity
from jtkg.loaders.lexicon import DEMONYMS, ROLE_WORDS, TITLE_HEADS
from jtkg.loaders.mentions import Mention
from jtkg.loaders.relation_context import SentenceContext
from jtkg.ontology import JT

Title = tuple[str, Entity | None]
#: Offices the lexicon's role words lack, for titles before a name ("Chancellor NAME").
OFFICE_WORDS = {
    "chancellor",
    "commissioner",
    "councillor",
    "councilor",
    "secretary-general",
    "director-general",
    "vice-president",
    "vice-chairman",
    "chairperson",
    "undersecretary",
    "under-secretary",
    "ceo",
    "prosecutor",
    "superintendent",
}
#: Words of a title: the lexicon's role words and the offices above.
ROLE = ROLE_WORDS | OFFICE_WORDS
_HEADS = TITLE_HEADS | OFFICE_WORDS


def title_of(s: SentenceContext, person: Mention) -> Title | None:
    """The title before a person's name and where it is held: ("legislator", DPP) from
    "DPP legislator NAME", ("President", None) from "President NAME" unless the registry
    knows where that person holds that office."""
    if person.start in s.titles:
        return s.titles[person.start]
    prefix = _title_prefix(s, person)
    if prefix is None:
        prefix = _shared_title(s, person)
    if prefix is not None and prefix[1] is None:
        # "President Lin": the registry knows where a head of state holds that office
        office = next(
            (
                polity
                for role, polity in s.doc.gazetteer.offices.get(person.entity.iri, [])
                if role.lower() == prefix[0].lower()
            ),
            None,
        )
        prefix = (prefix[0], office)
    s.titles[person.start] = prefix
    return prefix


def _shared_title(s: SentenceContext, person: Mention) -> Title | None:
    """'Japanese parliamentarians NAME (L) and NAME2': the title before the first name of a
    pair applies to the second."""
    text = s.text
    earlier = [m for m in s.mentions if m.entity.cls == JT.Person and m.end <= person.start]
    if not earlier:
        return None
    # Walk back over a list of names ("lawmakers A, B and C"): the title is the first one's.
    chain = person
    first = None
    # A name inside the list ("B" of "A, B and C") is followed by another name of it.
    followed = any(
        re.fullmatch(r"[ \t]*(?:,[ \t]*(?:and[ \t]+)?|and[ \t]+)", text[person.end : m.start])
        for m in s.persons
        if m.start > person.end
    )
    for before in reversed(earlier):
        gap = text[before.end : chain.start]
        ends_list = chain is person and re.fullmatch(r"[ \t]*(?:\([A-Z]\)[ \t]*)?(?:,[ \t]*)?and[ \t]+", gap)
        inside_list = (chain is not person or followed) and re.fullmatch(
            r"[ \t]*(?:\([A-Z]\)[ \t]*)?,[ \t]*", gap
        )
        if not (ends_list or inside_list):
            break
        first = chain = before
        if before.title or re.search(r"[a-z][ \t]+$", text[s.span.start : before.start]):
            break  # a name with its own title (or words) before it opens the list
    if first is None:
        return None
    shared = _title_prefix(s, first)
    if (
        shared is not None
        and shared[0].endswith("s") is False
        and not re.search(
            r"(?:s|ers|ians|ists)[ \t]+$",
            text[s.span.start : first.title_start if first.title_start >= 0 else first.start],
        )
    ):
        return None  # a singular title belongs to the first name only
    return shared


def _polity_word(s: SentenceContext, word: str, at: int) -> Entity | None:
    if demonym_state(s, word) is not None:
        return demonym_state(s, word)
    return next((m.entity for m in s.polities if m.start == at), None)


def is_demonym(s: SentenceContext, m: Mention) -> bool:
    """A state mentioned by its adjective ("Japanese trade policy"): not a place where a
    role is held ("a scholar of Japanese history")."""
    word = s.text[m.start : m.end]
    return (
        m.entity.cls == JT.State
        and word != m.entity.label
        and (word in DEMONYMS or demonym_state(s, word) is not None)
    )


def demonym_state(s: SentenceContext, word: str) -> Entity | None:
    """The state a demonym points to ("Ruritanian" → Ruritania): the lexicon's, else (with
    every state on) the states module's."""
    if word in DEMONYMS:
        return s.doc.demonym_states.get(word)
    if s.doc.states_for_demonym is None or not word[:1].isupper():
        return None
    return s.doc.states_for_demonym(word)


def _title_prefix(s: SentenceContext, person: Mention) -> Title | None:
    text, sent, polities = s.text, s.span, s.polities
    start = person.title_start if person.title_start >= 0 else person.start
    window = text[sent.start : start]
    words = list(re.finditer(r"[\w.’'&+-]+", window))
    role_words: list[str] = []
    polity: Entity | None = None
    i = len(words) - 1
    while i >= 0:
        w = words[i]
        token = w.group()
        absolute = sent.start + w.start()
        if window[w.end() :].strip(" \t") and not re.fullmatch(
            r"[ \t]*", window[w.end() : words[i + 1].start() if i + 1 < len(words) else len(window)]
        ):
            break  # punctuation between words ends the title
        if any(m.start <= absolute < m.end for m in s.persons):
            break  # another person's name ends the title
        owner = next(
            (
                m
                for m in polities
                if m.start <= absolute < m.end or absolute <= m.start < sent.start + w.end()
            ),
            None,
        )  # "then-DPP"
        if owner is not None:
            polity = owner.entity
            break
        if token in DEMONYMS or demonym_state(s, token) is not None:
            polity = demonym_state(s, token)
            break
        if (
            token.lower() in ROLE
            or token.lower().rstrip("s") in ROLE
            or (role_words and (token[0].isupper() or token in ("and", "of")))
        ):
            role_words.insert(0, token)
            i -= 1
            continue
        break
    if person.title:
        role_words = person.title.split()
        owner = _polity_word(s, role_words[0], person.title_start)
        named = next((m for m in polities if m.start == person.title_start), None)
        if named is not None and named.end < person.start:  # "Elbonia University economist"
            polity, role_words = named.entity, text[named.end : person.start].split()
        elif owner is not None and len(role_words) > 1:  # "U.S. President Jane Roe"
            polity, role_words = owner, role_words[1:]
    while role_words and role_words[0].lower() in ("and", "of", "former", "fellow"):
        role_words = role_words[1:]
    if not role_words or not any(w.lower().rstrip("s") in _HEADS or w.lower() in _HEADS for w in role_words):
        return None
    role = " ".join(role_words)
    if role.endswith("s") and role.lower().rstrip("s") in _HEADS | {"lawmaker"}:
        role = role[:-1]
    return role, polity
