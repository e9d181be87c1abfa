"""The one resolution stage after the merge: short forms that point back to a full name.

- an abbreviation in parentheses after a name ("... Agency (NPA)") names the same entity
  wherever it recurs;
- a surname alone is the person named in full nearest before it (else the first one), or a
  registry person of that surname where only one has it;
- a name listed with a person ("A, B and C") is a person;
- "the ministry", "the party" is the one such body named before it, if exactly one was;

Returns a new list of mentions; the merged ones are not edited.
"""

from __future__ import annotations

import bisect
import re

from jtkg.loaders.gazetteer import Entity, person_surname
from jtkg.loaders.lexicon import (
    DEMONYMS,
    GENERIC_WORDS,
    HEAD_WORDS,
    NOT_NAME_WORDS,
    PLACE_HEADS,
    ROLE_WORDS,
)
from jtkg.loaders.names import ABBREVIATION, initials_fit
from jtkg.loaders.types import Mention, TooManyMentions
from jtkg.ontology import JT


def resolve(
    text: str,
    mentions: list[Mention],
    registry_surnames: dict[str, list[Entity]],
    max_mentions: int | None = None,
) -> list[Mention]:
    """``mentions`` (in text order) and the short forms found after them, in text order."""
    abbreviations = _abbreviations(text, mentions)
    mentions = _repoint(mentions, abbreviations, registry_surnames)
    mentions = _listed_persons(text, mentions)
    found = _short_names(text, mentions, abbreviations, registry_surnames, max_mentions)
    found = sorted(found, key=lambda m: m.start)
    return sorted(found + _coreferences(text, found), key=lambda m: m.start)


#: A name's shape: two or three capitalized words ("Ilse Marten", "Dana Okoye-Brandt").
_NAME = r"[A-Z][a-z]+(?:[’'][A-Z]?[a-z]+)?(?:-[A-Za-z][a-z]+)*"
_LISTED_AFTER = re.compile(
    rf"(?:,[ \t]+(?:and[ \t]+)?|[ \t]+and[ \t]+)({_NAME}(?:[ \t]+{_NAME}){{1,2}})"
    r"(?=[ \t]*(?:,|;|\.|\(|[ \t]and\b|$))"
)
_LISTED_BEFORE = re.compile(
    rf"(?:^|(?<=[\s(:]))({_NAME}(?:[ \t]+{_NAME}){{1,2}})"
    r"(?:,[ \t]+(?:and[ \t]+)?|[ \t]+and[ \t]+)$"
)


def _listed_persons(text: str, mentions: list[Mention]) -> list[Mention]:
    """Names listed with a person are persons: "Ilse Marten, Paolo Feroz and Dana Okoye"
    (one found by a cue or the model, the others by the list), chained along the list."""
    occupied = sorted((m.start, m.end) for m in mentions)
    by_label = {m.entity.label: m.entity for m in mentions if m.entity.cls == JT.Person}
    added: list[Mention] = []
    todo = [m for m in mentions if m.entity.cls == JT.Person]
    while todo:
        person = todo.pop()
        line_end = text.find("\n", person.end)
        line_end = len(text) if line_end < 0 else line_end
        after = _LISTED_AFTER.match(text, person.end, line_end)
        line_start = text.rfind("\n", 0, person.start) + 1
        before = _LISTED_BEFORE.search(text, max(line_start, person.start - 80), person.start)
        for match in (after, before):
            if match is None or not _name_shaped(match.group(1)):
                continue
            start, end = match.start(1), match.end(1)
            i = bisect.bisect_left(occupied, (start, -1))
            if (i < len(occupied) and occupied[i][0] < end) or (i > 0 and occupied[i - 1][1] > start):
                continue
            name = match.group(1)
            entity = by_label.setdefault(name, Entity.discovered(JT.Person, name))
            found = Mention(start, end, entity, 0.7, "rule:list")
            bisect.insort(occupied, (start, end))
            added.append(found)
            todo.append(found)
    return sorted(mentions + added, key=lambda m: m.start)


def _name_shaped(name: str) -> bool:
    words = name.split()
    return not any(
        w in NOT_NAME_WORDS
        or w in HEAD_WORDS
        or w in GENERIC_WORDS
        or w in DEMONYMS
        or w in PLACE_HEADS
        or w.lower() in ROLE_WORDS
        for w in words
    )


#: Heads a reader follows back: "the ministry" is the one ministry named before it.
_COREFERENT = re.compile(
    r"\b[Tt]he[ \t]+(ministry|party|agency|university|institute|"
    r"foundation|council|commission|bureau|committee|embassy|association)"
    r"\b(?![ \t]+(?:of|for|[A-Z]))"
)


def _coreferences(text: str, mentions: list[Mention]) -> list[Mention]:
    """ "the ministry", "the party": the institution of that head named before it, where
    exactly one such was named (else the reader cannot tell which, and neither can we)."""
    institutions = [m for m in mentions if m.entity.cls == JT.Institution]
    found: list[Mention] = []
    for match in _COREFERENT.finditer(text):
        head = match.group(1).capitalize()
        before = {
            m.entity.iri: m.entity
            for m in institutions
            if m.end <= match.start() and head in m.entity.label.split()
        }
        if len(before) == 1:
            entity = next(iter(before.values()))
            found.append(Mention(match.start(1) - 4, match.end(1), entity, 0.6, "coreference"))
    return found


def _repoint(
    mentions: list[Mention], abbreviations: dict[str, Entity], registry_surnames: dict[str, list[Entity]]
) -> list[Mention]:
    """The model's one-word mentions are short forms, not new entities: a surname is the
    person named in full before it (else the first such, else a registry person who alone
    has it), an abbreviation the entity it abbreviates; one that points nowhere is dropped
    (a surname alone, "TPP" never spelt out: the reader cannot tell who or what)."""
    persons = [m for m in mentions if m.entity.cls == JT.Person and " " in m.entity.label]
    surnames: dict[str, list[Mention]] = {}
    for m in persons:
        surnames.setdefault(person_surname(m.entity.label), []).append(m)
    starts_of = {word: [m.start for m in found] for word, found in surnames.items()}
    out: list[Mention] = []
    for m in mentions:
        label = m.entity.label
        if not m.how.startswith("model:") or " " in label:
            out.append(m)
            continue
        word = label.removesuffix("’s").removesuffix("'s")
        target: Entity | None = None
        how = m.how
        if m.entity.cls == JT.Person:
            how = "surname"
            if word in surnames:
                target = nearest(surnames[word], starts_of[word], m.start).entity
            elif len(registry_surnames.get(word, [])) == 1:
                target = registry_surnames[word][0]
        elif m.entity.cls == JT.Institution:
            if word in abbreviations:
                target, how = abbreviations[word], "abbreviation"
            elif not _bare_abbreviation(word):
                target = m.entity
        else:
            target = m.entity
        if target is not None:
            out.append(Mention(m.start, m.end, target, min(m.confidence, 0.75), how))
    return out


def _bare_abbreviation(word: str) -> bool:
    """Letters in capitals (and &), short: "FTA", "Q&A", "LINE"."""
    return len(word) <= 5 and word.replace("&", "").isupper()


def _abbreviations(text: str, mentions: list[Mention]) -> dict[str, Entity]:
    """Abbreviation -> entity, from "Name (ABBR)"; a discovered entity takes it as alias."""
    table: dict[str, Entity] = {}
    by_end = {m.end: m for m in mentions}
    for match in ABBREVIATION.finditer(text):
        abbr = match.group(1)
        if sum(ch.isupper() for ch in abbr) < 2:
            continue
        before = by_end.get(match.start() - 1) or by_end.get(match.start())
        if before is None or before.entity.cls == JT.Person:
            continue
        if initials_fit(abbr, text[before.start : before.end]) or before.entity.registry:
            table.setdefault(abbr, before.entity)
            if not before.entity.registry:  # registry entities are shared: never mutate
                before.entity.aliases.add(abbr)
    return table


def _short_names(
    text: str,
    mentions: list[Mention],
    abbreviations: dict[str, Entity],
    registry_surnames: dict[str, list[Entity]],
    max_mentions: int | None = None,
) -> list[Mention]:
    persons = sorted((m for m in mentions if m.entity.cls == JT.Person), key=lambda m: m.start)
    surnames: dict[str, list[Mention]] = {}
    for m in persons:
        surnames.setdefault(person_surname(m.entity.label), []).append(m)
    starts_of = {word: [m.start for m in found] for word, found in surnames.items()}
    resolved = list(mentions)
    occupied = sorted((m.start, m.end) for m in mentions)
    occupied_starts = [a for a, _ in occupied]
    for match in re.finditer(r"(?<![\w’'-])([A-Z][\w]*(?:-[A-Z][\w]*)?)(?:[’']s)?(?![\w’'-])", text):
        word, start, end = match.group(1), match.start(1), match.end(1)
        i = bisect.bisect_right(occupied_starts, start) - 1
        if i >= 0 and occupied[i][0] <= start < occupied[i][1]:
            continue
        entity, how = None, "surname"
        if word in abbreviations:
            entity, how = abbreviations[word], "abbreviation"
        elif word in surnames:
            entity = nearest(surnames[word], starts_of[word], start).entity
        elif word in registry_surnames and word not in NOT_NAME_WORDS:
            candidates = registry_surnames[word]
            titled = re.search(
                r"(?:President|Minister|Premier|Chairman|leader)[ \t]+$", text[max(0, start - 20) : start]
            )
            if len(candidates) == 1 and (titled or len(word) >= 4):
                entity = candidates[0]
        if entity is not None:
            resolved.append(Mention(start, end, entity, 0.75, how))
            if max_mentions is not None and len(resolved) > max_mentions:
                raise TooManyMentions(max_mentions)
    return resolved


def nearest(candidates: list[Mention], starts: list[int], position: int) -> Mention:
    """The last candidate before ``position`` (else the first): candidates in text order,
    ``starts`` their starts; a bisection, where a scan of them all was quadratic."""
    i = bisect.bisect_left(starts, position)
    return candidates[i - 1] if i else candidates[0]
