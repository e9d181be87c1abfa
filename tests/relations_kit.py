"""Running the relation rules on a sentence of our own with the mentions given by hand, so a
test reads one relation rule and not mention finding (which other tests cover)."""

from __future__ import annotations

import importlib.util
import re
from functools import cache

from jtkg.loaders.facts import Relations
from jtkg.loaders.gazetteer import Entity, Gazetteer
from jtkg.loaders.mentions import Mention, MentionIndex
from jtkg.loaders.recipe import RULES_ONLY, Recipe
from jtkg.loaders.relations import RelationFinder
from jtkg.loaders.text import sentences
from jtkg.ontology import JT


@cache
def gazetteer(all_states: bool) -> Gazetteer:
    try:
        return Gazetteer(all_states=all_states)  # type: ignore[call-arg]
    except TypeError:  # a gazetteer of the registry's states only
        return Gazetteer()


def model_installed() -> bool:
    try:
        from jtkg.loaders import model
    except ImportError:
        return False
    return importlib.util.find_spec("spacy") is not None and model.check_model() is None


def _state(g: Gazetteer, name: str) -> Entity:
    found = g.lookup(name)
    return found if found is not None and found.cls == JT.State else Entity.discovered(JT.State, name)


def find(
    text: str,
    persons: list[str] = (),
    orgs: list[str] = (),  # type: ignore[assignment]
    states: list[str] = (),
    issues: list[str] = (),  # type: ignore[assignment]
    events: list[str] = (),  # type: ignore[assignment]
    demonyms: dict[str, str] | None = None,  # type: ignore[assignment]
    titles: dict[str, str] | None = None,
    same: dict[str, str] | None = None,
    authors: list[str] = (),
    publisher: str | None = None,  # type: ignore[assignment]
    recipe: Recipe = RULES_ONLY,
    all_states: bool = False,
    based_in: dict[str, str] | None = None,
) -> Relations:
    """The relations found in ``text``: every occurrence of each name is a mention; ``titles``
    gives a person's title words glued before the name; ``same`` maps a short name to the
    full name it stands for; ``demonyms`` mentions a state by its adjective."""
    g = gazetteer(all_states)
    recipe = Recipe(all_states=all_states, model=False, parse=recipe.parse, issue_scheme=False)
    entities: dict[str, Entity] = {}
    for name in persons:
        entities[name] = Entity.discovered(JT.Person, name)
    for name in orgs:
        entities[name] = g.lookup(name) or Entity.discovered(JT.Institution, name)
    for name in states:
        entities[name] = _state(g, name)
    for name in issues:
        entities[name] = Entity.discovered(JT.Issue, name)
    for name in events:
        entities[name] = Entity.discovered(JT.Event, name)
    for word, name in (demonyms or {}).items():
        entities[word] = _state(g, name)
    for short, full in (same or {}).items():
        entities[short] = entities.get(full) or _state(g, full)
    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for name in sorted(entities, key=len, reverse=True):  # the longest name first
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            mention = Mention(m.start(), m.end(), entities[name], 0.9, "test")
            title = (titles or {}).get(name)
            if title:
                at = text.rfind(title, 0, m.start())
                mention = Mention(m.start(), m.end(), entities[name], 0.9, "test", title, at)
            mentions.append(mention)
    mentions = [
        m
        for m in mentions
        if not (
            m.title
            and any(
                o is not m and m.title_start <= o.start and o.end <= m.start and o.entity.cls == JT.Person
                for o in mentions
            )
        )
    ]
    placed = [(entities[org], _state(g, state), 0, 0) for org, state in (based_in or {}).items()]
    index = MentionIndex.of(mentions, placed)
    author_entities = [entities.get(a) or Entity.discovered(JT.Person, a) for a in authors]
    pub = Entity.discovered(JT.Institution, publisher) if publisher else None
    finder = RelationFinder(g, recipe)
    rel = finder.find(text, sentences(text, 0), index, author_entities, pub)
    rel.given = index  # type: ignore[attr-defined]  # the index the rules were given
    return rel


def affiliations(text: str, **kwargs: object) -> set[tuple[str, str, str]]:
    """(person, role, where) of each position with a polity."""
    rel = find(text, **kwargs)  # type: ignore[arg-type]
    return {(p.person.label, p.role, p.polity.label) for p in rel.positions if p.polity is not None}
