"""The one resolution stage after the merge: short forms that point back to a full name.

- an abbreviation in parentheses after a name ("... Agency (NPA)") names the same entity
  wherever it recurs;
- a surname alone is the person named in full nearest before it (else the first one), or a
  registry person of that surname where only one has it;

Returns a new list of mentions; the merged ones are not edited.
"""

from __future__ import annotations

import bisect
import re

from jtkg.loaders.gazetteer import Entity, person_surname
from jtkg.loaders.lexicon import NOT_NAME_WORDS
from jtkg.loaders.names import ABBREVIATION, initials_fit
from jtkg.loaders.types import Mention, TooManyMentions
from jtkg.ontology import JT


def resolve(text: str, mentions: list[Mention], registry_surnames: dict[str, list[Entity]],
            max_mentions: int | None = None) -> list[Mention]:
    """``mentions`` (in text order) and the short forms found after them, in text order."""
    abbreviations = _abbreviations(text, mentions)
    mentions = _repoint(mentions, abbreviations, registry_surnames)
    found = _short_names(text, mentions, abbreviations, registry_surnames, max_mentions)
    return sorted(found, key=lambda m: m.start)


def _repoint(mentions: list[Mention], abbreviations: dict[str, Entity],
             registry_surnames: dict[str, list[Entity]]) -> list[Mention]:
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
        if initials_fit(abbr, text[before.start:before.end]) or before.entity.registry:
            table.setdefault(abbr, before.entity)
            if not before.entity.registry:  # registry entities are shared: never mutate
                before.entity.aliases.add(abbr)
    return table


def _short_names(text: str, mentions: list[Mention], abbreviations: dict[str, Entity],
                 registry_surnames: dict[str, list[Entity]],
                 max_mentions: int | None = None) -> list[Mention]:
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
            titled = re.search(r"(?:President|Minister|Premier|Chairman|leader)[ \t]+$",
                               text[max(0, start - 20):start])
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
