"""Issues and policies in text: the SKOS scheme's concepts (ontology/issues.ttl and the
registry's issues and policies) matched on their labels, and new ones discovered by cue
patterns (loaders.topic_cues). Each result is a ``TopicMention`` whose span is its evidence.

Matching is case-insensitive for concepts written in lower case ("gray-zone coercion") and
case-sensitive for names ("Senkaku Islands", "ADIZ"); a label matches in the singular or the
plural of its head noun, with hyphens, spaces or neither between its words ("cyber security",
"cybersecurity"), and in British or American spelling ("grey-zone", "defence"). Matches are
word-bounded, longest first, and never inside a longer capitalised name ("the Maritime
Security Bureau" is a body, not the issue of maritime security).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from jtkg.loaders.gazetteer import longest_first
from jtkg.loaders.recipe import Recipe
from jtkg.loaders.text import sentences as split_sentences
from jtkg.loaders.topic_cues import find_cues
from jtkg.loaders.topic_forms import AFTER, BEFORE, form_pattern, is_name_form
from jtkg.loaders.topic_phrases import Cue
from jtkg.loaders.topic_words import INSTITUTION_HEADS, is_capitalised, key
from jtkg.ontology import JT, load_issue_scheme


class _Span(Protocol):
    start: int
    end: int


@dataclass(frozen=True)
class TopicMention:
    start: int
    end: int
    #: JT.Issue or JT.Policy.
    cls: URIRef
    #: The concept's canonical English label (the scheme's rdfs:label), or for a discovered
    #: topic its name as the text gives it.
    label: str
    #: The scheme's IRI, or None for a discovered topic.
    concept: URIRef | None
    #: "scheme", or "cue:<name>" for a discovered topic.
    how: str
    confidence: float
    #: Other names of a discovered topic ("Okinotori reef" for "dispute over the Okinotori reef").
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Concept:
    iri: URIRef
    cls: URIRef
    label: str


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
#: Cues that name one instrument: they win over a general concept inside them ("a ban on
#: imports of pineapples" is one ban, more than the issue of import bans).
_SPECIFIC = {
    "ban-on",
    "x-ban",
    "law",
    "act",
    "bill",
    "strategy",
    "doctrine",
    "initiative",
    "guidelines",
    "program",
    "policy",
    "principles",
    "plan",
    "vision",
    "resolution",
    "white-paper",
}


class TopicFinder:
    """Issues and policies in text: the scheme's concepts and, with ``discover``, new ones
    from cue patterns. ``enabled=False`` (a recipe without ``issue_scheme``) finds nothing."""

    def __init__(self, scheme: Graph | None = None, enabled: bool = True, discover: bool = True) -> None:
        self.enabled, self.discover = enabled, discover
        self.concepts: dict[str, Concept] = {}  # key of a label -> concept
        self.collisions: list[tuple[str, URIRef, URIRef]] = []
        self._exact_forms: set[str] = set()
        self._regex: re.Pattern[str] | None = None
        self._cjk: dict[str, Concept] = {}
        self._cjk_regex: re.Pattern[str] | None = None
        if enabled:
            self._build(_scheme_table() if scheme is None else _table(scheme))

    @classmethod
    def from_recipe(cls, recipe: Recipe) -> TopicFinder:
        return cls(enabled=recipe.issue_scheme)

    def _build(self, table: Sequence[tuple[Concept, str, bool]]) -> None:
        patterns: dict[str, tuple[int, str]] = {}
        for concept, form, is_label in table:
            form = form.strip()
            if not form:
                continue
            if _CJK.search(form):
                self._cjk.setdefault(form, concept)
                continue
            k = key(form)
            known = self.concepts.get(k)
            if known is not None and known.iri != concept.iri:
                self.collisions.append((form, known.iri, concept.iri))
                continue
            self.concepts[k] = concept
            exact = is_name_form(form, is_label)
            if exact:
                self._exact_forms.add(k)
            pattern = form_pattern(form, exact)
            length = max(patterns.get(pattern, (0, ""))[0], len(form))
            patterns[pattern] = (length, form[0].lower())
        if patterns:
            self._regex = re.compile(f"{BEFORE}(?:{_dispatch(patterns)}){AFTER}", re.I)
        if self._cjk:
            self._cjk_regex = re.compile(
                "|".join(re.escape(f) for f in sorted(self._cjk, key=len, reverse=True))
            )

    # ---------------------------------------------------------------------------- finding

    def find(self, text: str, sentences: Iterable[_Span] | None = None) -> list[TopicMention]:
        """Topics in ``text`` (within ``sentences`` if given, else in all of it), in text
        order, not overlapping: the scheme's concepts first, then discovered ones."""
        if not self.enabled:
            return []
        spans = list(split_sentences(text) if sentences is None else sentences)
        found: list[TopicMention] = []
        for sent in spans:
            scheme = self.match(text, sent.start, sent.end)
            found.extend(scheme)
            if self.discover:
                found.extend(self._discovered(text, sent.start, sent.end, scheme))
        return sorted(longest_first(found), key=lambda m: m.start)

    def match(self, text: str, start: int = 0, end: int | None = None) -> list[TopicMention]:
        """The scheme's concepts in ``text[start:end]``, longest first, not overlapping."""
        end = len(text) if end is None else end
        found: list[TopicMention] = []
        if self._regex is not None:
            pos = start
            while pos < end:
                m = self._regex.search(text, pos, end)
                if m is None:
                    break
                mention = self._accept(text, m.start(), m.end(), start)
                if mention is not None:
                    found.append(mention)
                # Go on inside the match too: a longer label may start there ("bilateral
                # trade agreement" holds "trade agreement"); longest_first then chooses.
                pos = m.start() + 1
        if self._cjk_regex is not None:
            for m in self._cjk_regex.finditer(text, start, end):
                c = self._cjk[m.group()]
                found.append(
                    TopicMention(m.start(), m.end(), c.cls, c.label, c.iri, "scheme", 0.85, (m.group(),))
                )
        return longest_first(found)

    def _accept(self, text: str, a: int, b: int, sent_start: int) -> TopicMention | None:
        surface = text[a:b]
        k = key(surface)
        concept = self.concepts.get(k)
        if concept is None:
            return None
        if _inside_name(text, a, b, sent_start, exact=k in self._exact_forms):
            return None
        exact_label = surface.lower() == concept.label.lower()
        # The words as written are another name of the concept ("grey-zone operations").
        return TopicMention(
            a,
            b,
            concept.cls,
            concept.label,
            concept.iri,
            "scheme",
            0.9 if exact_label else 0.85,
            () if exact_label else (surface,),
        )

    def concept_for(self, name: str) -> Concept | None:
        """The scheme's concept a name stands for, by its labels and their variants."""
        return self.concepts.get(key(name)) if self.enabled else None

    def _discovered(self, text: str, start: int, end: int, scheme: list[TopicMention]) -> list[TopicMention]:
        out: list[TopicMention] = []
        for cue in find_cues(text, start, end):
            inside = [s for s in scheme if s.start < cue.end and cue.start < s.end]
            if inside and not (
                cue.name in _SPECIFIC
                and all(
                    cue.start <= s.start and s.end <= cue.end and (s.end - s.start) < (cue.end - cue.start)
                    for s in inside
                )
            ):
                continue  # the scheme's concept speaks for these words
            out.append(self._from_cue(cue))
        return out

    def _from_cue(self, cue: Cue) -> TopicMention:
        # A discovered name that is a scheme label (or an alias of one) is that concept.
        for name in (cue.label, *cue.aliases, _without_year(cue.label)):
            concept = self.concept_for(name)
            if concept is not None:
                return TopicMention(
                    cue.start, cue.end, concept.cls, concept.label, concept.iri, "scheme", 0.8
                )
        return TopicMention(
            cue.start, cue.end, cue.cls, cue.label, None, f"cue:{cue.name}", cue.confidence, cue.aliases
        )


def _dispatch(patterns: dict[str, tuple[int, str]]) -> str:
    """One alternation of all labels, grouped by first letter behind a lookahead, so that
    at each place the engine tries a few dozen labels, not all of them; longer labels first
    within a group."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for pattern, (length, first) in patterns.items():
        groups.setdefault(first, []).append((length, pattern))
    parts = []
    for first, members in sorted(groups.items()):
        body = "|".join(p for _, p in sorted(members, key=lambda m: -m[0]))
        look = (
            f"[{re.escape(first)}{re.escape(first.upper())}]"
            if first.isalpha()
            else "['’]"
            if first in "'’"
            else re.escape(first)
        )
        parts.append(f"(?={look})(?:{body})")
    return "|".join(parts)


def _without_year(label: str) -> str:
    """A name without the year of its edition: "2013 National Defense Program Guidelines",
    "National Security Strategy of 2022" are the scheme's documents."""
    return re.sub(r"^(?:19|20)\d\d\s+|\s+of\s+(?:19|20)\d\d$", "", label)


def _inside_name(text: str, a: int, b: int, sent_start: int, exact: bool) -> bool:
    """Whether a match lies inside a longer capitalised name: "Maritime Security" in "the
    Maritime Security Bureau", "Taiwan Strait" in "Taiwan Strait Forum"."""
    after = re.match(r"[ \t]+([A-Z][\w\-]*)", text[b : b + 40])
    before = re.search(r"([A-Z][\w\-.]*)[ \t]+$", text[max(sent_start, a - 40) : a])
    if not exact and is_capitalised(text[a:b]):
        # Across small words too: "Norvane Institute for Maritime Policy and Security".
        after = after or re.match(r"[ \t]+(?:of|and|for|on|the)[ \t]+([A-Z][\w\-]*)", text[b : b + 40])
        before = before or re.search(
            r"([A-Z][\w\-.]*)[ \t]+(?:of|and|for|on)[ \t]+$", text[max(sent_start, a - 40) : a]
        )
    if exact:
        # A name: only a following name word or a preceding one glued into it binds.
        if after and (after.group(1) in INSTITUTION_HEADS):
            return True
        return bool(before and before.group(1) in {"Greater", "Inner", "Outer", "New"})
    if not is_capitalised(text[a:b]):
        return False  # a concept written in lower case is no part of a name
    if after:
        return True
    if before:
        word = before.group(1)
        first = before.start(1) + max(sent_start, a - 40) == sent_start
        return not (
            first and word in {"The", "A", "An", "This", "That", "Its", "Their"}
        ) and not word.endswith(("'s", "’s"))
    return False


# ------------------------------------------------------------------------- the scheme table


def _table(scheme: Graph) -> list[tuple[Concept, str, bool]]:
    """(concept, label, is its canonical label) for every English or CJK label; canonical
    labels first, so that a label two concepts share stays with the one it names."""
    labels: list[tuple[Concept, str, bool]] = []
    others: list[tuple[Concept, str, bool]] = []
    subjects = sorted(
        {s for cls in (JT.Issue, JT.Policy) for s in scheme.subjects(RDF.type, cls) if isinstance(s, URIRef)}
    )
    for iri in subjects:
        cls = JT.Policy if (iri, RDF.type, JT.Policy) in scheme else JT.Issue
        label = scheme.value(iri, RDFS.label)
        if label is None:
            continue
        concept = Concept(iri, cls, str(label))
        labels.append((concept, str(label), True))
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for name in sorted(scheme.objects(iri, prop)):
                if isinstance(name, Literal) and name.language in (None, "en", "ja", "zh-Hant"):
                    others.append((concept, str(name), str(name) == str(label)))
    return labels + others


@cache
def _scheme_table() -> tuple[tuple[Concept, str, bool], ...]:
    return tuple(_table(load_issue_scheme()))
