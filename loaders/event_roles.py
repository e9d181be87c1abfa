"""The parts actors play at an event, each with the words that name that one actor there.

Run once over a document after the sentence rules (an event write-up often lists its panel
before the sentence that dates the event). Two kinds of evidence, general to the genre:

- a list of names under a role heading ("Panelists:", "*Speakers*", "Moderator: NAME"), one
  name a line, a line's own role overriding the heading's ("NAME (Moderator)");
- a sentence that gives a name its role: "moderated by NAME", "hosted by ORG", "keynote
  speaker NAME", "NAME, who chaired the session", "NAME served as discussant",
  "NAME (Moderator)".

Each part is filed on the event with ``DatedFact.join``: the actor, its role, and the span
that names it (the list line, or the sentence), so the actor's evidence is its own words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from jtkg.loaders.event_role_words import (
    AFTER_NAME,
    AFTER_PHRASE,
    ANY_CUE,
    BEFORE_NAME,
    BY_PHRASE,
    BY_ROLES,
    HEADING,
    INLINE_HEADING,
    PERSON_ROLES,
    POST_ROLES,
    VERB_ROLES,
    VERBS_ALONE,
    role_of,
)
from jtkg.loaders.event_words import EVENT_NOUNS
from jtkg.loaders.facts import ACTORS, DatedFact, Relations
from jtkg.loaders.mentions import Mention, MentionIndex
from jtkg.loaders.text import Span
from jtkg.ontology import JT

#: Most words of a list line that names a person and nothing else ("Dr. Jane Roe").
_SHORT_LINE = 8
#: Most words of a list line that starts with a name and goes on with who the person is
#: ("Jane Roe, Senior Fellow, Norvane Institute"): no sentence.
_LONG_LINE = 20
#: Between two names that share a role: "A, B and C", "A (ORG) and B".
_AND_GAP = re.compile(
    r"[ \t]*(?:\([^()\n]{0,80}\))?[ \t]*(?:,[ \t]*(?:and[ \t]+)?|and[ \t]+|&[ \t]*)"
    r"(?:[A-Z][\w.’'-]*[ \t]+){0,5}"
)
#: Words that make a sentence about an event (a cue such as "chaired by" needs one).
_EVENT_CONTEXT = re.compile(
    r"\b(?:"
    + "|".join(EVENT_NOUNS)
    + r"|panel|discussion|session|forum|seminar|roundtable|workshop|briefing|event|lecture)s?\b",
    re.IGNORECASE,
)
#: How far before a name a cue and the name's title words are looked for.
_CUE_REACH = 120
#: Cues that are about an event whatever else the sentence says.
_EVENT_CUES = frozenset({"moderator", "keynote", "speaker", "discussant", "panelist"})


def find_roles(text: str, sentences: list[Span], index: MentionIndex, rel: Relations) -> None:
    """Files every listed or sentence-given part on the document's events (see module)."""
    events = [f for f in rel.dated.values() if f.entity.cls == JT.Event]
    events = [f for f in events if f.date is not None] or events  # the dated one is the event
    if not events:
        return
    first = min(events, key=lambda f: f.span.start)
    for actor, role, span in listed(text, index):
        first.join(actor.entity, span, role, "listed-participants")
    named = _event_mentions(index, rel, events)
    for sent in sentences:
        found = list(in_sentence(text, sent, index.within(sent.start, sent.end)))
        if not found:
            continue
        event = _event_of(sent, events, named, first)
        for actor, role in found:
            event.join(actor.entity, sent, role, "event-role")


def listed(text: str, index: MentionIndex) -> Iterator[tuple[Mention, str, Span]]:
    """(person, role, line) for each name listed under a role heading, or on its line."""
    for heading in INLINE_HEADING.finditer(text):
        role = role_of(heading["role"])
        if role is None:
            continue
        line = _line_span(text, heading.start(), heading.end())
        for m in _named(index, heading.start("names"), heading.end("names"), role):
            yield m, _own_role(text, m, line, 1) or role, line
    for heading in HEADING.finditer(text):
        role = role_of(heading["role"])
        if role is None:
            continue
        pos = heading.end()
        for found in re.finditer(r"^(.*)$", text[pos:], re.MULTILINE):
            content = found.group(1)
            if not content.strip():
                continue
            line = _line_span(text, pos + found.start(1), pos + found.end(1))
            persons = _named(index, line.start, line.end, role)
            if not persons or not _is_list_line(text, line, persons[0]):
                break
            for m in persons:
                yield m, _own_role(text, m, line, len(persons)) or role, line


def in_sentence(text: str, sent: Span, mentions: list[Mention]) -> Iterator[tuple[Mention, str]]:
    """(actor, role) for each name a sentence gives a role at an event."""
    actors = [m for m in mentions if m.entity.cls in ACTORS]
    if not actors or ANY_CUE.search(text, sent.start, sent.end) is None:
        return
    about_event = _EVENT_CONTEXT.search(text, sent.start, sent.end) is not None
    seen: set[tuple[int, str]] = set()
    for i in range(len(actors)):
        for role, chain in _roles_at(text, sent, actors, i, about_event):
            for named in chain:
                if (named.start, role) in seen or not _fits(named, role):
                    continue
                seen.add((named.start, role))
                yield named, role


def _roles_at(
    text: str, sent: Span, actors: list[Mention], i: int, about_event: bool
) -> Iterator[tuple[str, list[Mention]]]:
    """The roles the words around ``actors[i]`` give it (and the names coordinated after it)."""
    m = actors[i]
    start = m.title_start if 0 <= m.title_start < m.start else m.start
    cue = _cue_before(text[max(sent.start, start - _CUE_REACH) : start])
    if cue is not None:
        role, needs_event = cue
        if about_event or not needs_event:
            yield role, _coordinated(text, sent, actors, i)
    after = AFTER_NAME.match(text, m.end, sent.end)
    if after is not None and after["paren"]:
        role = role_of(after["paren"])
        if role is not None and role != "":
            yield role, [m]
    phrase = AFTER_PHRASE.match(text, after.end() if after else m.end, sent.end)
    if phrase is None:
        return
    rest = text[phrase.end() : sent.end]
    if phrase["verb"]:
        verb = phrase["verb"].lower()
        alone = verb in VERBS_ALONE and re.match(r"[ \t]*(?:[,.;:)]|$)", rest) is not None
        if (phrase["object"] or alone) and verb in VERB_ROLES:
            yield VERB_ROLES[verb], [m]
        return
    role = role_of(phrase["appos"] or phrase["as"] or phrase["gave"])
    if role in POST_ROLES and (not about_event or re.match(r"[ \t]+of\b", rest)):
        return  # "served as chair of the committee": a post, not a part in the event
    if role:
        yield role, [m]


def _cue_before(before: str) -> tuple[str, bool] | None:
    """The role a cue right before a name gives it ("moderated by", "keynote speaker"), maybe
    past the name's title words ("moderated by Dr."), and whether the cue needs the sentence
    to be about an event ("chaired by" may be a committee's)."""
    end = len(before)
    for _ in range(7):  # the cue at the name, then past one title word more each time
        found = _cue_at_end(before[:end])
        if found is not None:
            return found
        word = re.search(r"(?:[A-Z][\w.’'-]*|of|for|and)[ \t]+$", before[:end])
        if word is None:
            return None
        end = word.start()
    return None


def _cue_at_end(before: str) -> tuple[str, bool] | None:
    by = BY_PHRASE.search(before)
    if by is not None:
        word = by["cue"].lower().removeprefix("a ").removeprefix("the ")
        if word in BY_ROLES:
            role = BY_ROLES[word]
            return role, role in ("host", "chair")
        found = role_of(word) or ("keynote" if word.startswith("keynote") else None)
        return (found, False) if found is not None else None
    named = BEFORE_NAME.search(before)
    if named is not None:
        role = role_of(named["role"])
        if role is not None:
            return role, role not in _EVENT_CUES
    return None


def _coordinated(text: str, sent: Span, actors: list[Mention], i: int) -> list[Mention]:
    """``actors[i]`` and the names joined to it by "," / "and": "moderated by A and B"."""
    chain = [actors[i]]
    for nxt in actors[i + 1 :]:
        last = chain[-1]
        start = nxt.title_start if 0 <= nxt.title_start < nxt.start else nxt.start
        if nxt.entity.cls != actors[i].entity.cls or not _AND_GAP.fullmatch(text, last.end, start):
            break
        chain.append(nxt)
    return chain


def _fits(m: Mention, role: str) -> bool:
    """A moderator, speaker or panelist is a person; a host may be an organization."""
    return m.entity.cls == JT.Person if role in PERSON_ROLES else m.entity.cls in ACTORS


def _named(index: MentionIndex, start: int, end: int, role: str) -> list[Mention]:
    """The persons named from ``start`` to ``end``; under a "Host:" heading, any actor."""
    kinds = ACTORS if role == "host" else (JT.Person,)
    return [m for m in index.starting_in(start, end) if m.entity.cls in kinds and m.end <= end]


def _line_span(text: str, start: int, end: int) -> Span:
    """The line's words, without the spaces and list marks around them."""
    line = text[start:end]
    lead = len(line) - len(re.sub(r"^[ \t]*(?:[-*•·][ \t]+)?", "", line))
    return Span(start + lead, start + len(line.rstrip()))


def _is_list_line(text: str, line: Span, first: Mention) -> bool:
    """A short line of names, or a line that starts with a name and says who it is."""
    words = text[line.start : line.end].split()
    if len(words) <= _SHORT_LINE:
        return True
    starts_with_name = not text[line.start : first.start].strip(" *_")
    return (
        starts_with_name
        and len(words) <= _LONG_LINE
        and re.match(r"[ \t]*[*_]*[ \t]*[,(–—:-]", text[first.end : line.end]) is not None
        and not re.search(r"[.!?][ \t]+[A-Z]", text[first.end : line.end])
    )


def _own_role(text: str, m: Mention, line: Span, persons: int) -> str | None:
    """A line's role for the name: right after it ("NAME (Moderator)", "NAME – chair"), or,
    for the one name of its line, anywhere on it ("NAME, Professor, ORG (Moderator)")."""
    after = AFTER_NAME.match(text, m.end, line.end)
    if after is not None:
        return role_of(after["paren"] or after["dash"])
    if persons == 1:
        tail = re.search(
            r"\(([^()]{1,25})\)[ \t*_]*$|[,–—][ \t]*([^,–—]{1,25}?)[ \t*_]*$", text[m.end : line.end]
        )
        if tail is not None:
            return role_of(tail[1] or tail[2])
    return None


def _event_mentions(index: MentionIndex, rel: Relations, events: list[DatedFact]) -> dict[str, list[int]]:
    """Where each event is named: its mentions, and the words that made it (a "webinar")."""
    iris = {str(f.entity.iri) for f in events}
    found: dict[str, list[int]] = {}
    for m in [*index.mentions, *rel.new_entities]:
        if str(m.entity.iri) in iris:
            found.setdefault(str(m.entity.iri), []).append(m.start)
    return found


def _event_of(
    sent: Span, events: list[DatedFact], named: dict[str, list[int]], first: DatedFact
) -> DatedFact:
    """The event a sentence is about: one it names, else the last one said before it, else
    the first."""
    for fact in events:
        if any(sent.start <= at < sent.end for at in named.get(str(fact.entity.iri), ())):
            return fact
    before = [f for f in events if f.span.start <= sent.start]
    return max(before, key=lambda f: f.span.start) if before else first
