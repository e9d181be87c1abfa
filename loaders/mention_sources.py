"""Mention sources behind one interface, and the merge of their candidates by precedence.

Each source reads the same ``Context`` and returns ``Candidate``s; none sees another's output
except the registry's matches, which are part of the context. The merge keeps, in this
declared order of precedence (``PRECEDENCE``):

1. ``registry``: reviewed names of the registry (exact, case-sensitive for names);
2. ``rules``: the hand-written rules of English names (loaders.mention_rules);
3. ``institutions``, ``topics``: named bodies and the issue scheme (same tier);
4. ``model``: the statistical model's PERSON, ORG and GPE spans.

Where candidates overlap, the higher tier wins, then the longer span, then the earlier one.
Two declared exceptions. First: a model ORG that opens with a state's name and has two more
words ("Ruritania Salt Works Corporation") replaces the state inside it. Second: a source
that *extends* a tier built its candidates over that tier's
matches (the rules read the registry's: "Japan's Foreign Ministry" over "Japan", "Taiwan
Brain Trust" over "Taiwan"), so its candidate replaces the ones of that tier it overlaps.
"""

from __future__ import annotations

import bisect
import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from rdflib import URIRef

from jtkg.loaders.gazetteer import Entity, Gazetteer, person_surname
from jtkg.loaders.lexicon import NOT_NAME_WORDS, PLACE_HEADS, ROLE_WORDS
from jtkg.loaders.types import Candidate, Context, Span, TooManyMentions
from jtkg.ontology import JT


class MentionSource(Protocol):
    #: A name from PRECEDENCE: its tier in the merge.
    name: str

    def find(self, ctx: Context) -> list[Candidate]: ...


#: Tier of each source, highest precedence first (equal numbers: the same tier).
PRECEDENCE: dict[str, int] = {"registry": 0, "rules": 1, "institutions": 2, "topics": 2, "model": 3}
#: Tiers a source read before it proposed (see the module's doc): it replaces their overlaps.
EXTENDS: dict[str, frozenset[str]] = {"rules": frozenset({"registry"})}


class RegistrySource:
    """The registry's matches of every sentence (headings included)."""

    name = "registry"

    def find(self, ctx: Context) -> list[Candidate]:
        found = [
            Candidate(m.start, m.end, m.entity.cls, m.entity.label, "registry", 0.95, m.entity)
            for sent in ctx.sentences
            for m in ctx.registry.get(sent.start, [])
        ]
        if ctx.max_mentions is not None and len(found) > ctx.max_mentions:
            raise TooManyMentions(ctx.max_mentions)  # registry matches never overlap
        return found


def merge(found: Sequence[tuple[str, list[Candidate]]]) -> list[Candidate]:
    """Non-overlapping candidates of all sources by PRECEDENCE (then length, then start), in
    text order; each is marked with the source that proposed it. O(n log n) but for the
    candidates an extending source replaces."""
    ranked = sorted(
        (
            (PRECEDENCE[source], -(c.end - c.start), c.start, i, replace(c, source=source))
            for i, (source, candidates) in enumerate(found)
            for c in candidates
        ),
        key=lambda r: r[:4],
    )
    starts: list[int] = []
    kept: list[Candidate] = []  # disjoint, in text order
    titles: list[tuple[int, int, int]] = []  # (start, end, tier) of kept persons' titles
    for tier, *_, cand in ranked:
        j = bisect.bisect_left(titles, (cand.end, -1, -1))
        if any(b > cand.start and t < tier for _a, b, t in titles[max(0, j - 2) : j]):
            continue  # a title is the rules' claim: "Health ... Secretary" is no body
        i = bisect.bisect_right(starts, cand.start)
        low = i - 1 if i and kept[i - 1].end > cand.start else i
        high = i
        while high < len(kept) and kept[high].start < cand.end:
            high += 1
        clash = kept[low:high]
        if clash and not all(
            k.source in EXTENDS.get(cand.source, ()) or _names_owner(cand, k) for k in clash
        ):
            continue
        kept[low:high] = [cand]
        starts[low:high] = [cand.start]
        if cand.title_start >= 0:
            bisect.insort(titles, (cand.title_start, cand.start, tier))
    return kept


def _names_owner(cand: Candidate, kept: Candidate) -> bool:
    """A body's name that opens with a state's ("Ruritania Salt Works Corporation"): the
    model's ORG of two more words replaces the state inside it."""
    return (
        cand.source == "model"
        and cand.cls == JT.Institution
        and kept.cls == JT.State
        and cand.start == kept.start
        and kept.end < cand.end
        and len(cand.label.split()) >= len(kept.label.split()) + 2
    )


class Entities:
    """One entity per class and label in a document: candidates that came without one take
    the registry's (same class) or a discovered one, shared by all its mentions."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.table: dict[tuple[URIRef, str], Entity] = {}

    def of(self, cand: Candidate) -> Entity:
        key = (cand.cls, cand.label)
        if cand.entity is not None and (cand.entity.registry or key not in self.table):
            self.table.setdefault(key, cand.entity)
            return cand.entity
        if key not in self.table:
            known = self.gazetteer.lookup(cand.label)
            self.table[key] = (
                known
                if known is not None and known.cls == cand.cls
                else Entity.discovered(cand.cls, cand.label)
            )
        entity = self.table[key]
        if not entity.registry:  # registry entities are shared: never mutate
            entity.aliases.update(a for a in cand.aliases if a != entity.label)
        return entity


# -- adapters over the parts other modules provide (each optional: absent, it finds nothing) --


def _module(name: str) -> Any:
    try:
        return importlib.import_module(f"jtkg.loaders.{name}")
    except ImportError:
        return None


@dataclass
class ModelSource:
    """The pinned model's filtered PERSON, ORG and GPE spans (loaders.model)."""

    gazetteer: Gazetteer
    name: str = "model"

    def find(self, ctx: Context, claimed: Sequence[Candidate] | None = None) -> list[Candidate]:
        """With ``claimed`` (the merge of the higher tiers), only sentences with a name-like
        word outside every claimed span are read: elsewhere each model span would overlap a
        higher tier's candidate (the filters keep none that starts or ends lowercase), so
        the merge would drop it. A quarter to a half of the model's time, same mentions."""
        model = _module("model")
        if model is None:
            return []
        body = [s for s in ctx.sentences if s.start not in ctx.headings]
        warn: Callable[[str], None] = ctx.warn or (lambda line: None)
        needed = None if claimed is None else _unclaimed_names(ctx.text, claimed)
        found = []
        for span in model.model_candidates(ctx.text, body, warn, ctx.where, needed):
            cand = self._candidate(ctx.text, span)
            if cand is not None:
                found.append(cand)
        return found

    def _candidate(self, text: str, span: Any) -> Candidate | None:
        before, after = text[max(0, span.start - 1) : span.start], text[span.end : span.end + 1]
        if before in "'\"‘“" and before and after in "'\"’”" and after:
            return None  # a quoted phrase ("Stand Together"), not a name
        words = span.text.split()
        if span.label == "PERSON":
            if after == "/" or words[-1] in PLACE_HEADS:
                return None  # a picture's credit ("NAME/AGENCY"), an address ("... District")
            return Candidate(span.start, span.end, JT.Person, span.text, "model:PERSON", span.confidence)
        if span.label == "ORG":
            if "/" in span.text or words[0].lower() in ROLE_WORDS:
                return None  # "Fellow / Advisory Committee": a role, not a body
            return Candidate(span.start, span.end, JT.Institution, span.text, "model:ORG", span.confidence)
        state = self.gazetteer.by_label.get(span.state or "") or self.gazetteer.lookup(span.text)
        if state is not None and state.cls == JT.State:  # GPE/NORP: only what names a state
            return Candidate(
                span.start, span.end, JT.State, state.label, f"model:{span.label}", span.confidence, state
            )
        return None


_WORD = re.compile(r"\w+")
#: Capitalised only because they open a sentence (or always, "I"): no name begins with them.
_OPENERS = frozenset(
    """a an the this that these those it its he she his her they their them
we our us you your i but and or nor so yet as for with by from to of in on at if when while
after before since although though however there here such what which who whom whose how why
where then thus also still both each every all some many most more few one no not meanwhile
moreover instead today yesterday tomorrow""".split()
)


#: The model reads these as dates, never as a name's word ("May" can be a surname: kept).
_CALENDAR = frozenset(
    """January February March April June July August September October November December
Monday Tuesday Wednesday Thursday Friday Saturday Sunday""".split()
)
#: A word of prose in lowercase: between spaces or before punctuation, not inside a link's
#: or an address's letters ("…/linto-rota", "name@host").
_LOWER_WORD = re.compile(r"(?<=\s)[a-z]+(?=[\s,;:.!?)])")


def _unclaimed_names(text: str, claimed: Sequence[Candidate]) -> Callable[[Span], bool]:
    """Whether a sentence has a word that may open a name (a capital or a caseless letter,
    not a month's or a weekday's name) outside every claimed span. A sentence's first word
    does not count when it is capitalised only there: an opening function word, a word the
    lexicon says begins no name, or one the document also writes in lowercase ("Experts
    say", "Growing ties"), and a claimed person's surname after the full name does not
    either (the resolution stage resolves it). Measured on the bundled corpus, those
    sentences were 45% of what the model read; the merge kept nothing it found there but
    those surnames, which the resolution stage finds anyway (at its own confidence, 0.75)."""
    spans = sorted((c.start, c.end) for c in claimed)
    starts = [a for a, _ in spans]
    lowercase = {m.group() for m in _LOWER_WORD.finditer(text)}
    # A surname after its person's full name is the resolution stage's (loaders.resolution).
    named_at: dict[str, int] = {}
    for c in claimed:
        if c.cls == JT.Person and len(c.label.split()) > 1:
            surname = person_surname(c.label)
            named_at[surname] = min(named_at.get(surname, c.end), c.end)

    def claimed_at(offset: int) -> bool:
        i = bisect.bisect_right(starts, offset) - 1
        return i >= 0 and offset < spans[i][1]

    def needed(sent: Span) -> bool:
        for n, word in enumerate(_WORD.finditer(text, sent.start, sent.end)):
            written = word.group()
            first = written[0]
            if first.islower() or not first.isalpha() or written in _CALENDAR:
                continue
            if written == "I" or (n == 0 and _opener(written, lowercase)):
                continue
            if named_at.get(written, len(text)) <= word.start():
                continue
            if not claimed_at(word.start()):
                return True
        return False

    return needed


def _opener(word: str, lowercase: set[str]) -> bool:
    """A sentence's first word that is capitalised only because it opens the sentence."""
    lower = word.lower()
    return lower in _OPENERS or word in NOT_NAME_WORDS or (lower != word and lower in lowercase)


@dataclass
class InstitutionSource:
    """Named bodies found without a cue: well-known ones, companies, agencies
    (loaders.institutions)."""

    name: str = "institutions"

    def find(self, ctx: Context) -> list[Candidate]:
        module = _module("institutions")
        if module is None:
            return []
        body = [s for s in ctx.sentences if s.start not in ctx.headings]
        return [
            Candidate(
                s.start,
                s.end,
                JT.Institution,
                s.label,
                s.how or "institutions",
                s.confidence,
                aliases=tuple(s.aliases),
            )
            for s in module.find_institutions(ctx.text, body)
        ]


@dataclass
class TopicSource:
    """Issues and policies of the SKOS scheme and found by cue patterns (loaders.topics)."""

    gazetteer: Gazetteer
    name: str = "topics"

    def find(self, ctx: Context) -> list[Candidate]:
        module = _module("topics")
        if module is None:
            return []
        finder = getattr(self, "_finder", None)
        if finder is None:
            finder = self._finder = module.TopicFinder()
        body = [s for s in ctx.sentences if s.start not in ctx.headings]
        # A concept of the scheme is its own entity (its IRI); a discovered topic gets one.
        return [
            Candidate(
                t.start,
                t.end,
                t.cls,
                t.label,
                t.how or "scheme",
                t.confidence,
                Entity(t.cls, t.label, t.concept) if t.concept is not None else None,
                aliases=tuple(t.aliases),
            )
            for t in finder.find(ctx.text, body)
        ]
