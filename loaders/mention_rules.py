"""The hand-written rules of English names: a mention source (see mention_sources).

Capitalized runs of one sentence are split at possessives, titles and "and", and classed by
their head word ("... University", "... Act") or, for persons, by a cue nearby (a title, an
honorific, a reporting verb, an apposition). The rules read the registry's matches of the
sentence (a name inside a registry name defers to it; "Japan's Foreign Ministry" extends
it), so in the merge they may replace the registry candidates they overlap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from jtkg.loaders.gazetteer import Entity, Gazetteer, Match, person_surname
from jtkg.loaders.lexicon import (
    DEMONYMS,
    HEAD_WORDS,
    HONORIFICS,
    NOT_NAME_WORDS,
    PERSON_VERBS,
    PLACE_HEADS,
    REPORTING_VERBS,
    ROLE_WORDS,
    TITLE_HEADS,
)
from jtkg.loaders.names import (
    LEADING_WORDS,
    NAME_TOKEN,
    OPENING_HEADS,
    POSSESSIVE,
    RUN,
    class_by_head,
    is_generic,
    is_role_copula,
    lowercase_head,
    standalone_words,
    title_end,
)
from jtkg.loaders.types import BasedIn, Candidate, Context, Span, TooManyMentions
from jtkg.ontology import JT


@dataclass
class _Doc:
    """One document's state while the rules read it: its names so far (one entity per
    name) and its capitalized words standing alone (likely surnames)."""

    names: dict[str, Entity] = field(default_factory=dict)
    singles: dict[str, int] = field(default_factory=dict)


#: A verb only a person does, right after the name: "Ilse Marten spoke first".
_PERSON_VERB = re.compile(
    r"[ \t]+(?:(?:has|had|also|later|then)[ \t]+)?(?:"
    + "|".join(sorted(PERSON_VERBS, key=len, reverse=True))
    + r")\b"
)
#: Where a person stands in a picture: "Ilse Marten, left, and ...", "Ann Vole (right)".
_CAPTION_PLACE = re.compile(
    r"(?:,[ \t]*(?:left|right|centre|center|second from (?:left|right)"
    r"|far (?:left|right)),|[ \t]*\((?:left|right|centre|center|"
    r"second from (?:left|right)|far (?:left|right))\))"
)


def _role_apposition(after: str) -> bool:
    """ ", ROLE ...," or ", OWNER's ROLE ...," right after the name: "NAME, spokesperson for
    the council," "NAME, Ruritania's trade envoy," (a role word within its first words)."""
    m = re.match(r",[ \t]+((?:[\w.’'-]+[ \t]+){0,3}[\w.’'-]+)", after)
    if m is None:
        return False
    words = m.group(1).split()
    if words[0][0].isupper() and not re.search(r"[’']s$", words[0]):
        return False  # "NAME, Elm Street ..." lists names; an owner's possessive may open
    return any(w.lower() in TITLE_HEADS for w in words)


def _candidate(start: int, end: int, entity: Entity, confidence: float, how: str) -> Candidate:
    return Candidate(start, end, entity.cls, entity.label, how, confidence, entity)


def _located(m: Candidate, state: Entity, start: int) -> Candidate:
    return replace(m, based_in=(*m.based_in, BasedIn(state, start, m.end)))


class RuleSource:
    """Mention source: discovered names (and registry names the rules rebuilt) per sentence;
    headings are left to the registry."""

    name = "rules"

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def find(self, ctx: Context) -> list[Candidate]:
        doc = _Doc(singles=standalone_words(ctx.text, ctx.body_start))
        found: list[Candidate] = []
        count = 0  # mentions so far, as the merge will count them: to stop early
        for sent in ctx.sentences:
            registry = ctx.registry.get(sent.start, [])
            if sent.start in ctx.headings:
                count += len(registry)
            else:
                rules = self._discover(ctx.text, sent, registry, doc)
                found.extend(rules)
                count += len(rules) + sum(
                    all(m.end <= f.start or m.start >= f.end for f in rules) for m in registry
                )
            if ctx.max_mentions is not None and count > ctx.max_mentions:
                raise TooManyMentions(ctx.max_mentions)
        return found

    # ------------------------------------------------------------ discovery in one sentence

    def _discover(self, text: str, sent: Span, registry: list[Match], doc: _Doc) -> list[Candidate]:
        found: list[Candidate] = []
        for run in RUN.finditer(text, sent.start, sent.end):
            found.extend(self._classify_run(text, run.start(), run.end(), registry, doc, sent))
        return found

    def _classify_run(
        self,
        text: str,
        start: int,
        end: int,
        registry: list[Match],
        doc: _Doc,
        sent: Span,
        after_title: bool = False,
    ) -> list[Candidate]:
        tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[start:end])]
        tokens = [(start + a, start + b) for a, b in tokens]
        # Leading articles and honorifics are not part of a name.
        while tokens and (
            text[tokens[0][0] : tokens[0][1]] in LEADING_WORDS
            or text[tokens[0][0] : tokens[0][1]] in HONORIFICS
        ):
            tokens = tokens[1:]
        if not tokens:
            return []
        whole = text[tokens[0][0] : tokens[-1][1]]
        if self.gazetteer.lookup(whole) or doc.names.get(whole):
            entity = self.gazetteer.lookup(whole) or doc.names[whole]
            return [
                _candidate(
                    tokens[0][0],
                    tokens[-1][1],
                    entity,
                    0.95 if entity.registry else 0.85,
                    "registry" if entity.registry else "rule:again",
                )
            ]
        inside = [m for m in registry if tokens[0][0] <= m.start and m.end <= tokens[-1][1]]
        # Persons are left to the title split ("President Lin Wei-ting" keeps its title).
        named = [m for m in inside if m.entity.cls not in (JT.State, JT.Person) and m.end == tokens[-1][1]]
        if named and all(class_by_head(whole.split(), "") in (None, m.entity.cls) for m in named):
            return []  # "Chinese People's Liberation Army Navy": the registry name speaks
        # A possessive splits a run: "Japan's National Institute ..." names two things.
        for i, (a, b) in enumerate(tokens[:-1]):
            word = text[a:b]
            owner_name = POSSESSIVE.sub("", word)
            # Only a known owner splits: "People's Liberation Army" and "Children's Hospital" stay.
            # ... and so does a body's head: "the Elmwood Policy Institute's Dana Okoye".
            if POSSESSIVE.search(word) and (
                self.gazetteer.lookup(owner_name)
                or owner_name in DEMONYMS
                or owner_name in doc.names
                or HEAD_WORDS.get(word[:-2]) == JT.Institution
            ):
                head = self._classify_run(text, tokens[0][0], b - 2, registry, doc, sent)
                rest = self._classify_run(text, tokens[i + 1][0], tokens[-1][1], registry, doc, sent)
                owner = next((m.entity for m in head if m.entity.cls == JT.State), None)
                if (
                    owner is not None
                    and rest
                    and rest[0].entity.cls == JT.Institution
                    and not rest[0].entity.registry
                    and is_generic(rest[0].entity.label)
                ):
                    # "China's Foreign Ministry": a generic name is only a name with its owner
                    label = text[tokens[0][0] : rest[0].end]
                    entity = doc.names.get(label) or Entity.discovered(JT.Institution, label)
                    doc.names.setdefault(label, entity)
                    rest[0] = _candidate(tokens[0][0], rest[0].end, entity, 0.75, "rule:owner")
                    head = [m for m in head if m.end <= tokens[0][0]]
                rest = [
                    _located(m, owner, a)
                    if owner and m.entity.cls == JT.Institution and m.start == tokens[i + 1][0]
                    else m
                    for m in rest
                ]
                return head + rest
        start, end = tokens[0][0], tokens[-1][1]
        if POSSESSIVE.search(text[start:end]):
            end -= 2
        name = (
            text[start:end].rstrip(".")
            if not text[start:end].endswith(("Co.", "Inc.", "Ltd.", "Corp.", "Jr.", "U.S.", "U.K."))
            else text[start:end]
        )
        end = start + len(name)
        words = name.split()
        if not words:
            return []
        # Inside (or equal to) a registry name: the registry speaks for it.
        if any(m.start <= start and m.end >= end for m in registry):
            return []
        known = self.gazetteer.lookup(name) or doc.names.get(name)
        if known is not None:
            return [
                _candidate(
                    start,
                    end,
                    known,
                    0.95 if known.registry else 0.85,
                    "registry" if known.registry else "rule:again",
                )
            ]
        # An organization's head followed by a name: "Norvane Policy Institute Kao Shu-fen".
        for i, word in enumerate(words[:-2]):
            rest = words[i + 1 :]
            if (
                HEAD_WORDS.get(word) == JT.Institution
                and 2 <= len(rest) <= 3
                and rest[0].lower() not in ROLE_WORDS
                and all(NAME_TOKEN.match(w) and w not in NOT_NAME_WORDS and w not in HEAD_WORDS for w in rest)
            ):
                cut = start + len(" ".join(words[: i + 1]))
                person_name = " ".join(rest)
                person = doc.names.get(person_name) or Entity.discovered(JT.Person, person_name)
                doc.names.setdefault(person_name, person)
                return [
                    *self._classify_run(text, start, cut, registry, doc, sent),
                    _candidate(cut + 1, end, person, 0.75, "rule:after-body"),
                ]
        # Two titled names: "Elbonian President Sora Veld and Japanese Prime Minister Marren".
        pair = re.split(r"[ \t]+and[ \t]+", name, maxsplit=1)
        if len(pair) == 2 and all(title_end(p.split()) for p in pair):
            second = start + len(pair[0]) + len(name[len(pair[0]) :]) - len(pair[1])
            return self._classify_run(
                text, start, start + len(pair[0]), registry, doc, sent
            ) + self._classify_run(text, second, end, registry, doc, sent)
        # A title splits a run: "Housing and Urban Works Secretary Jane Roe".
        cut = title_end(words)
        if cut and cut < len(words):
            offset = start + len(" ".join(words[:cut])) + 1
            found = self._classify_run(text, offset, end, registry, doc, sent, after_title=True)
            found = [
                replace(m, title=" ".join(words[:cut]), title_start=start, how="rule:title")
                if m.entity.cls == JT.Person and m.start == offset
                else m
                for m in found
            ]
            if any(m.entity.cls == JT.Person for m in found):
                return self._title_owner(text, start, words[:cut], registry, doc, sent) + found
            return found
        strong_head = any(w in OPENING_HEADS for w in words[1:])
        if not strong_head and (
            words[0].lower() in ROLE_WORDS
            or (words[0] in DEMONYMS and len(words) > 1 and words[1].lower() in ROLE_WORDS)
        ):
            return []  # a role title ("Research Fellow for ... Policy"), not a name
        cls = class_by_head(words, text[end : sent.end])
        parts = re.split(r"[ \t]+and[ \t]+(?:the[ \t]+)?", name)
        if (
            cls is not None
            and len(parts) > 1
            and all(self.gazetteer.lookup(p) or class_by_head(p.split(), "") for p in parts)
        ):
            cls = None  # "Norvane University and the Elbonia Policy Institute"
        if cls is not None and all(w in NOT_NAME_WORDS for w in words):
            return []  # "September election": a date, not a name
        if cls is not None and len(words) == 1 and (words[0] in HEAD_WORDS or words[0].islower()):
            return []  # a bare head word ("Navy", "Times") names nothing in particular
        if cls is not None:
            if cls != JT.Institution and any(
                m.start >= start and m.end <= end and m.entity.cls == cls for m in registry
            ):
                return []
            head_extra = lowercase_head(text[end : sent.end]) if cls != class_by_head(words, "") else ""
            full = name + head_extra
            if words[0] in DEMONYMS and cls == JT.Institution:
                return self._with_demonym(text, start, end, words, registry, doc, sent)
            entity = doc.names.get(full) or self.gazetteer.lookup(full) or Entity.discovered(cls, full)
            doc.names.setdefault(full, entity)
            return [_candidate(start, end + len(head_extra), entity, 0.8, "rule:head")]
        if (" and " in name or " & " in name) and cls is None:
            parts = re.split(r"[ \t]+(?:and|&)[ \t]+(?:the[ \t]+)?", name)
            found = []
            offset = start
            for part in parts:
                p_start = text.index(part, offset)
                found.extend(self._classify_run(text, p_start, p_start + len(part), registry, doc, sent))
                offset = p_start + len(part)
            return found
        if len(words) == 3 and re.search(r"[A-Z][\w-]*,[ \t]+$", text[max(sent.start, start - 30) : start]):
            # "Minister of Transport, Tourism, Fisheries Kari Nesland": the list's last item
            # is not part of the name
            titled = any(
                w.lower() in TITLE_HEADS
                for w in re.findall(r"[\w-]+", text[max(sent.start, start - 40) : start])
            )
            return self._classify_run(
                text, start + len(words[0]) + 1, end, registry, doc, sent, after_title or titled
            )
        if (
            after_title
            and 2 <= len(words) <= 3
            and all(NAME_TOKEN.match(w) and w not in NOT_NAME_WORDS for w in words)
        ) or self._looks_like_person(text, start, end, words, sent, doc):
            entity = doc.names.get(name) or Entity.discovered(JT.Person, name)
            doc.names.setdefault(name, entity)
            return [_candidate(start, end, entity, 0.8, "rule:cue")]
        return []

    def _title_owner(
        self, text: str, start: int, title: list[str], registry: list[Match], doc: _Doc, sent: Span
    ) -> list[Candidate]:
        """The body a title names before its role words is its own mention ("Northwind
        Industries" of "Northwind Industries Chairman"): a known name, or one with an
        institution's head that is neither generic nor a portfolio ("Health and Human
        Services")."""
        role = next((i for i, w in enumerate(title) if w.lower() in ROLE_WORDS), 0)
        owner = title[:role]
        if not owner or "and" in owner or "&" in owner:
            return []
        name = " ".join(owner)
        if any(m.start == start and m.end == start + len(name) for m in registry):
            return []  # the registry has it already ("Ruritania President ...")
        known = self.gazetteer.lookup(name) or doc.names.get(name)
        if known is None and (
            class_by_head(owner, "") != JT.Institution or is_generic(name) or owner[0] in DEMONYMS
        ):
            return []
        entity = known or Entity.discovered(JT.Institution, name)
        doc.names.setdefault(name, entity)
        return [_candidate(start, start + len(name), entity, 0.8, "rule:title-owner")]

    def _with_demonym(
        self, text: str, start: int, end: int, words: list[str], registry: list[Match], doc: _Doc, sent: Span
    ) -> list[Candidate]:
        offset = start + len(words[0]) + 1
        found = self._classify_run(text, offset, end, registry, doc, sent)
        state = self.gazetteer.by_label.get(DEMONYMS[words[0]])
        return [
            _located(m, state, start) if state is not None and m.entity.cls == JT.Institution else m
            for m in found
        ]

    def _looks_like_person(
        self, text: str, start: int, end: int, words: list[str], sent: Span, doc: _Doc
    ) -> bool:
        if not 2 <= len(words) <= 4 or any(w in NOT_NAME_WORDS or w in DEMONYMS for w in words):
            return False
        if not all(NAME_TOKEN.match(w) for w in words) or words[-1].endswith("."):
            return False
        if words[-1] in PLACE_HEADS:
            return False  # "Elm Street, a busy road": a place, whatever follows
        if any(self.gazetteer.lookup(p) for w in words for p in (w, *w.split("-"))):
            return False
        before = text[max(sent.start, start - 40) : start]
        after = text[end : min(sent.end + 1, end + 40)]
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        prev_word = re.findall(r"[\w.-]+", before)[-1:] or [""]
        next_word = re.findall(r"[\w.-]+", after)[:1] or [""]
        surname = person_surname(" ".join(words))
        return bool(
            (doc.singles.get(surname, 0) >= 1 and len(words) <= 3 and surname not in NOT_NAME_WORDS)
            or prev_word[0].lower() in TITLE_HEADS
            or prev_word[0] in HONORIFICS
            or prev_word[0].rstrip(".") + "." in HONORIFICS
            or re.search(r"\b[Bb]y:?[ \t*_]*$", before)
            or next_word[0] in REPORTING_VERBS
            or prev_word[0] in REPORTING_VERBS
            or _PERSON_VERB.match(after)
            or _role_apposition(after)
            or _CAPTION_PLACE.match(after)
            or re.match(r",[ \t]+(?:who|an?|the|then|currently|now|former)\b", after)
            or re.match(r"[ \t]*\((?:[A-Z][\w.]*|L|R)", after)
            or is_role_copula(after)
            or re.match(r",[ \t]+[“\"]", after)
            or (
                any(w.lower() in ROLE_WORDS for w in re.findall(r"[\w-]+", before)[-4:])
                and before.rstrip().endswith(",")
            )
            or re.fullmatch(
                r"[\s*_#>\d.()-]*" + re.escape(text[start:end]) + r"[\s*_.,]*(?:\([^)]*\))?[\s*_.]*", line
            )
        )

    # ------------------------------------------------------------ abbreviations and short names
