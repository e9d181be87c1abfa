"""Finding entity mentions: registry names, discovered names, abbreviations and surnames."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from rdflib import URIRef

from jtkg.loaders.gazetteer import Entity, Gazetteer, Match, longest_first, person_surname
from jtkg.loaders.lexicon import (
    DEMONYMS,
    HEAD_WORDS,
    HONORIFICS,
    NOT_NAME_WORDS,
    REPORTING_VERBS,
    ROLE_WORDS,
    TITLE_HEADS,
)
from jtkg.loaders.names import (
    ABBREVIATION,
    LEADING_WORDS,
    NAME_TOKEN,
    OPENING_HEADS,
    POSSESSIVE,
    RUN,
    class_by_head,
    initials_fit,
    is_generic,
    is_role_copula,
    lowercase_head,
    standalone_words,
    title_end,
)
from jtkg.loaders.text import Span
from jtkg.ontology import JT


@dataclass
class Mention:
    start: int
    end: int
    entity: Entity
    confidence: float
    #: How it was found: registry, discovered, abbreviation, surname.
    how: str
    #: Role words directly before a person's name ("DPP legislator"), with their span.
    title: str = ""
    title_start: int = -1


@dataclass
class MentionIndex:
    mentions: list[Mention] = field(default_factory=list)
    entities: dict[URIRef, Entity] = field(default_factory=dict)
    #: Institutions whose name was preceded by a state ("Japan's NIID"): evidence of basedIn.
    based_in: list[tuple[Entity, Entity, int, int]] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, repr=False)

    def within(self, start: int, end: int) -> list[Mention]:
        i = bisect.bisect_left(self._index(), start)
        found = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            if self.mentions[i].end <= end:
                found.append(self.mentions[i])
            i += 1
        return found

    def starting_in(self, low: int, high: int) -> list[Mention]:
        """Mentions that start at ``low`` .. ``high`` (both included), in text order."""
        starts = self._index()
        return self.mentions[bisect.bisect_left(starts, low):bisect.bisect_right(starts, high)]

    def _index(self) -> list[int]:
        if len(self._starts) != len(self.mentions):
            self._starts = [m.start for m in self.mentions]
        return self._starts

    def of_class(self, cls: URIRef) -> list[Entity]:
        return [e for e in self.entities.values() if e.cls == cls]


class TooManyMentions(Exception):
    """More mentions than the limit: extraction stops at the first one over."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit:,} mentions")
        self.limit = limit


class MentionFinder:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.registry_surnames = gazetteer.persons_by_surname()

    def find(self, text: str, body_start: int, sentences: list[Span],
             headings: set[int], max_mentions: int | None = None) -> MentionIndex:
        """All mentions in ``text[body_start:]``. ``headings`` holds sentence starts of
        title-case lines, where only registry names are trusted. Raises TooManyMentions as
        soon as more than ``max_mentions`` are found."""
        index = MentionIndex()
        self._singles = standalone_words(text, body_start)
        local: dict[str, Entity] = {}  # this document's names and abbreviations -> entity
        claimed: list[Mention] = []
        for sent in sentences:
            registry = self.gazetteer.find(text, sent.start, sent.end)
            if sent.start in headings:
                claimed.extend(_registry_mentions(registry))
            else:
                claimed.extend(self._discover(text, sent, registry, local, index))
            if max_mentions is not None and len(claimed) > max_mentions:
                raise TooManyMentions(max_mentions)  # sentences hold disjoint mentions
        claimed = longest_first(claimed)
        self._abbreviations(text, claimed, local)
        claimed = self._resolve_short_names(text, sentences, claimed, local, max_mentions)
        index.mentions = sorted(claimed, key=lambda m: m.start)
        for m in index.mentions:
            index.entities.setdefault(m.entity.iri, m.entity)
        return index

    # ------------------------------------------------------------ discovery in one sentence

    def _discover(self, text: str, sent: Span, registry: list[Match],
                  local: dict[str, Entity], index: MentionIndex) -> list[Mention]:
        found: list[Mention] = []
        for run in RUN.finditer(text, sent.start, sent.end):
            found.extend(self._classify_run(text, run.start(), run.end(), registry, local,
                                            index, sent))
        # Registry names not inside a discovered name still count.
        for m in registry:
            if all(m.end <= f.start or m.start >= f.end for f in found):
                found.append(Mention(m.start, m.end, m.entity, 0.95, "registry"))
        return found

    def _classify_run(self, text: str, start: int, end: int, registry: list[Match],
                      local: dict[str, Entity], index: MentionIndex,
                      sent: Span, after_title: bool = False) -> list[Mention]:
        tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[start:end])]
        tokens = [(start + a, start + b) for a, b in tokens]
        # Leading articles and honorifics are not part of a name.
        while tokens and (text[tokens[0][0]:tokens[0][1]] in LEADING_WORDS or
                          text[tokens[0][0]:tokens[0][1]] in HONORIFICS):
            tokens = tokens[1:]
        if not tokens:
            return []
        whole = text[tokens[0][0]:tokens[-1][1]]
        if self.gazetteer.lookup(whole) or local.get(whole):
            entity = self.gazetteer.lookup(whole) or local[whole]
            return [Mention(tokens[0][0], tokens[-1][1], entity, 0.95 if entity.registry else 0.85,
                            "registry" if entity.registry else "discovered")]
        inside = [m for m in registry if tokens[0][0] <= m.start and m.end <= tokens[-1][1]]
        # Persons are left to the title split ("President Tsai Ing-wen" keeps its title).
        named = [m for m in inside if m.entity.cls not in (JT.State, JT.Person)
                 and m.end == tokens[-1][1]]
        if named and all(class_by_head(whole.split(), "") in (None, m.entity.cls) for m in named):
            return []  # "Chinese People's Liberation Army Navy": the registry name speaks
        # A possessive splits a run: "Japan's National Institute ..." names two things.
        for i, (a, b) in enumerate(tokens[:-1]):
            word = text[a:b]
            owner_name = POSSESSIVE.sub("", word)
            # Only a known owner splits: "People's Liberation Army" and "King's College" stay.
            if POSSESSIVE.search(word) and (self.gazetteer.lookup(owner_name)
                                             or owner_name in DEMONYMS or owner_name in local):
                head = self._classify_run(text, tokens[0][0], b - 2, registry, local, index, sent)
                rest = self._classify_run(text, tokens[i + 1][0], tokens[-1][1], registry,
                                          local, index, sent)
                owner = next((m.entity for m in head if m.entity.cls == JT.State), None)
                if owner is not None and rest and rest[0].entity.cls == JT.Institution and \
                        not rest[0].entity.registry and is_generic(rest[0].entity.label):
                    # "China's Foreign Ministry": a generic name is only a name with its owner
                    label = text[tokens[0][0]:rest[0].end]
                    entity = local.get(label) or Entity.discovered(JT.Institution, label)
                    local.setdefault(label, entity)
                    rest[0] = Mention(tokens[0][0], rest[0].end, entity, 0.75, "discovered")
                    head = [m for m in head if m.end <= tokens[0][0]]
                for m in rest:
                    if owner and m.entity.cls == JT.Institution and m.start == tokens[i + 1][0]:
                        index.based_in.append((m.entity, owner, a, m.end))
                return head + rest
        start, end = tokens[0][0], tokens[-1][1]
        if POSSESSIVE.search(text[start:end]):
            end -= 2
        name = text[start:end].rstrip(".") if not text[start:end].endswith(
            ("Co.", "Inc.", "Ltd.", "Corp.", "Jr.", "U.S.", "U.K.")) else text[start:end]
        end = start + len(name)
        words = name.split()
        if not words:
            return []
        # Inside (or equal to) a registry name: the registry speaks for it.
        if any(m.start <= start and m.end >= end for m in registry):
            return []
        known = self.gazetteer.lookup(name) or local.get(name)
        if known is not None:
            return [Mention(start, end, known, 0.95 if known.registry else 0.85, "registry"
                            if known.registry else "discovered")]
        # An organization's head followed by a name: "Taiwan Brain Trust Yu-Shih Liao".
        for i, word in enumerate(words[:-2]):
            rest = words[i + 1:]
            if HEAD_WORDS.get(word) == JT.Institution and 2 <= len(rest) <= 3 and all(
                    NAME_TOKEN.match(w) and w not in NOT_NAME_WORDS and w not in HEAD_WORDS
                    for w in rest):
                cut = start + len(" ".join(words[:i + 1]))
                person_name = " ".join(rest)
                person = local.get(person_name) or Entity.discovered(JT.Person, person_name)
                local.setdefault(person_name, person)
                return [*self._classify_run(text, start, cut, registry, local, index, sent),
                        Mention(cut + 1, end, person, 0.75, "discovered")]
        # Two titled names: "Taiwanese President Tsai Ing-wen and Japanese Prime Minister Abe".
        pair = re.split(r"[ \t]+and[ \t]+", name, maxsplit=1)
        if len(pair) == 2 and all(title_end(p.split()) for p in pair):
            second = start + len(pair[0]) + len(name[len(pair[0]):]) - len(pair[1])
            return (self._classify_run(text, start, start + len(pair[0]), registry, local, index,
                                       sent)
                    + self._classify_run(text, second, end, registry, local, index, sent))
        # A title splits a run: "Health and Human Services Secretary Alex Azar".
        cut = title_end(words)
        if cut and cut < len(words):
            offset = start + len(" ".join(words[:cut])) + 1
            found = self._classify_run(text, offset, end, registry, local, index, sent,
                                       after_title=True)
            for m in found:
                if m.entity.cls == JT.Person and m.start == offset:
                    m.title = " ".join(words[:cut])
                    m.title_start = start
            return found
        strong_head = any(w in OPENING_HEADS for w in words[1:])
        if not strong_head and (words[0].lower() in ROLE_WORDS or (
                words[0] in DEMONYMS and len(words) > 1 and words[1].lower() in ROLE_WORDS)):
            return []  # a role title ("Research Fellow for ... Policy"), not a name
        cls = class_by_head(words, text[end:sent.end])
        parts = re.split(r"[ \t]+and[ \t]+(?:the[ \t]+)?", name)
        if cls is not None and len(parts) > 1 and all(
                self.gazetteer.lookup(p) or class_by_head(p.split(), "") for p in parts):
            cls = None  # "King's College London and the National University of Singapore"
        if cls is not None and all(w in NOT_NAME_WORDS for w in words):
            return []  # "September election": a date, not a name
        if cls is not None and len(words) == 1 and (words[0] in HEAD_WORDS or words[0].islower()):
            return []  # a bare head word ("Navy", "Times") names nothing in particular
        if cls is not None:
            if cls != JT.Institution and any(
                    m.start >= start and m.end <= end and m.entity.cls == cls for m in registry):
                return []
            head_extra = lowercase_head(text[end:sent.end]) if cls != class_by_head(words, "") else ""
            full = name + head_extra
            if words[0] in DEMONYMS and cls == JT.Institution:
                return self._with_demonym(text, start, end, words, registry, local, index, sent)
            entity = local.get(full) or self.gazetteer.lookup(full) or Entity.discovered(cls, full)
            local.setdefault(full, entity)
            return [Mention(start, end + len(head_extra), entity, 0.8, "discovered")]
        if (" and " in name or " & " in name) and cls is None:
            parts = re.split(r"[ \t]+(?:and|&)[ \t]+(?:the[ \t]+)?", name)
            found = []
            offset = start
            for part in parts:
                p_start = text.index(part, offset)
                found.extend(self._classify_run(text, p_start, p_start + len(part), registry,
                                                local, index, sent))
                offset = p_start + len(part)
            return found
        if len(words) == 3 and re.search(r"[A-Z][\w-]*,[ \t]+$", text[max(sent.start, start - 30):start]):
            # "Minister of Economy, Trade, Industry Takeo Hiranuma": the list's last item
            # is not part of the name
            titled = any(w.lower() in TITLE_HEADS for w in
                         re.findall(r"[\w-]+", text[max(sent.start, start - 40):start]))
            return self._classify_run(text, start + len(words[0]) + 1, end, registry, local,
                                      index, sent, after_title or titled)
        if (after_title and 2 <= len(words) <= 3 and all(
                NAME_TOKEN.match(w) and w not in NOT_NAME_WORDS for w in words)) or \
                self._looks_like_person(text, start, end, words, sent):
            entity = local.get(name) or Entity.discovered(JT.Person, name)
            local.setdefault(name, entity)
            return [Mention(start, end, entity, 0.8, "discovered")]
        return []

    def _with_demonym(self, text: str, start: int, end: int, words: list[str],
                      registry: list[Match], local: dict[str, Entity], index: MentionIndex,
                      sent: Span) -> list[Mention]:
        offset = start + len(words[0]) + 1
        found = self._classify_run(text, offset, end, registry, local, index, sent)
        state = self.gazetteer.by_label.get(DEMONYMS[words[0]])
        for m in found:
            if state is not None and m.entity.cls == JT.Institution:
                index.based_in.append((m.entity, state, start, m.end))
        return found

    def _looks_like_person(self, text: str, start: int, end: int, words: list[str],
                           sent: Span) -> bool:
        if not 2 <= len(words) <= 4 or any(w in NOT_NAME_WORDS or w in DEMONYMS for w in words):
            return False
        if not all(NAME_TOKEN.match(w) for w in words) or words[-1].endswith("."):
            return False
        if any(self.gazetteer.lookup(p) for w in words for p in (w, *w.split("-"))):
            return False
        before = text[max(sent.start, start - 40):start]
        after = text[end:min(sent.end + 1, end + 40)]
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line = text[line_start:line_end if line_end >= 0 else len(text)]
        prev_word = re.findall(r"[\w.-]+", before)[-1:] or [""]
        next_word = re.findall(r"[\w.-]+", after)[:1] or [""]
        surname = person_surname(" ".join(words))
        return bool(
            (self._singles.get(surname, 0) >= 1 and len(words) <= 3 and surname not in NOT_NAME_WORDS)
            or prev_word[0].lower() in TITLE_HEADS
            or prev_word[0] in HONORIFICS or prev_word[0].rstrip(".") + "." in HONORIFICS
            or re.search(r"\b[Bb]y:?[ \t*_]*$", before)
            or next_word[0] in REPORTING_VERBS or prev_word[0] in REPORTING_VERBS
            or re.match(r",[ \t]+(?:who|an?|the|then|currently|now|former)\b", after)
            or re.match(r"[ \t]*\((?:[A-Z][\w.]*|L|R)", after)
            or is_role_copula(after)
            or re.match(r",[ \t]+[“\"]", after)
            or (any(w.lower() in ROLE_WORDS for w in re.findall(r"[\w-]+", before)[-4:])
            and before.rstrip().endswith(","))
            or re.fullmatch(r"[\s*_#>\d.()-]*" + re.escape(text[start:end])
                            + r"[\s*_.,]*(?:\([^)]*\))?[\s*_.]*", line)
        )

    # ------------------------------------------------------------ abbreviations and short names

    def _abbreviations(self, text: str, mentions: list[Mention], local: dict[str, Entity]) -> None:
        by_end = {m.end: m for m in mentions}
        for match in ABBREVIATION.finditer(text):
            abbr = match.group(1)
            if sum(ch.isupper() for ch in abbr) < 2:
                continue
            before = by_end.get(match.start() - 1) or by_end.get(match.start())
            if before is None or before.entity.cls == JT.Person:
                continue
            if initials_fit(abbr, text[before.start:before.end]) or before.entity.registry:
                local.setdefault(abbr, before.entity)
                if not before.entity.registry:  # registry entities are shared: never mutate
                    before.entity.aliases.add(abbr)

    def _resolve_short_names(self, text: str, sentences: list[Span], mentions: list[Mention],
                             local: dict[str, Entity],
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
            if word in local and local[word].cls != JT.Person:
                entity, how = local[word], "abbreviation"
            elif word in surnames:
                entity = _nearest(surnames[word], starts_of[word], start).entity
            elif word in self.registry_surnames and word not in NOT_NAME_WORDS:
                candidates = self.registry_surnames[word]
                titled = re.search(r"(?:President|Minister|Premier|Chairman|leader)[ \t]+$",
                                   text[max(0, start - 20):start])
                if len(candidates) == 1 and (titled or len(word) >= 4):
                    entity = candidates[0]
            if entity is not None:
                resolved.append(Mention(start, end, entity, 0.75, how))
                if max_mentions is not None and len(resolved) > max_mentions:
                    raise TooManyMentions(max_mentions)
        return resolved

def _registry_mentions(matches: list[Match]) -> list[Mention]:
    return [Mention(m.start, m.end, m.entity, 0.95, "registry") for m in matches]


def _nearest(candidates: list[Mention], starts: list[int], position: int) -> Mention:
    """The last candidate before ``position`` (else the first): candidates in text order,
    ``starts`` their starts; a bisection, where a scan of them all was quadratic."""
    i = bisect.bisect_left(starts, position)
    return candidates[i - 1] if i else candidates[0]
