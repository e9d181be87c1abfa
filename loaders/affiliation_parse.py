"""Affiliation rules that read the dependency parse (recipe.parse): appositions of a
person whose head is a role (its possessive, compounds, and the object of at/of/with/for)
and relative clauses ("who heads ORG", "who is a professor at ORG", "who serves as ...").
A sentence is parsed only when a cheap look at its words says a rule may apply
(``wants_parse``, which the runner also asks beforehand, to parse those sentences in one
batch: the model's per-call cost is half of a one-sentence parse)."""

from __future__ import annotations

import re
from typing import Any

from jtkg.loaders.facts import PositionFact
from jtkg.loaders.mentions import Mention
from jtkg.loaders.relation_context import SentenceContext
from jtkg.loaders.role_words import LEADING_VERBS, ROLE_PREPOSITIONS
from jtkg.loaders.role_words import is_role as _is_role
from jtkg.loaders.role_words import polities_in as _polities_in
from jtkg.loaders.role_words import positions_in as _positions_in
from jtkg.ontology import JT


class ParsedApposition:
    """With the parse: an apposition of a person whose head is a role ("NAME, the outspoken
    chief economist of ORG"; "Ruritania's WTO ambassador, NAME"): where the role is held is
    its possessive, its compounds, or the object of its at/of/with/for."""

    def wants_parse(self, s: SentenceContext, person: Mention) -> bool:
        """Parse only where an apposition may be: a comma beside the name, a polity elsewhere."""
        return (
            s.doc.parser is not None
            and any(m.end <= person.start or m.start >= person.end for m in s.polities)
            and bool(
                re.match(r"[ \t]*,", s.text[person.end : s.span.end])
                or re.search(r",[ \t]*$", s.text[s.span.start : person.start])
            )
        )

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        if not self.wants_parse(s, person):
            return []
        parse = s.parse
        span = parse.span(person.start, person.end) if parse is not None else None
        if span is None:
            return []
        root = span.root
        roles = [t for t in root.children if t.dep_ == "appos"]
        if root.dep_ == "appos":
            roles.append(root.head)
        found: list[PositionFact] = []
        for role_token in roles:
            if role_token.i in range(span.start, span.end):
                continue
            found += _from_role_token(s, parse, person, role_token)
        return found


class ParsedClause:
    """With the parse: "NAME, who heads ORG" (a relative clause of a leading verb), "NAME,
    who is a professor at ORG" (its attribute's at/of)."""

    def wants_parse(self, s: SentenceContext, person: Mention) -> bool:
        """Parse only where a relative clause follows the name."""
        return s.doc.parser is not None and bool(re.match(r",?[ \t]+who\b", s.text[person.end : s.span.end]))

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        if not self.wants_parse(s, person):
            return []
        parse = s.parse
        span = parse.span(person.start, person.end) if parse is not None else None
        if span is None:
            return []
        found: list[PositionFact] = []
        for verb in (t for t in span.root.children if t.dep_ == "relcl"):
            lemma = verb.lemma_.lower()
            if lemma in LEADING_VERBS:
                for obj in (t for t in verb.children if t.dep_ == "dobj"):
                    orgs = [m for m in _mentions_of(s, parse, obj) if m.entity.cls == JT.Institution]
                    found += _positions_in(person.entity, LEADING_VERBS[lemma], orgs[:1], s, 0.75)
            if lemma == "be":
                for attr in (t for t in verb.children if t.dep_ == "attr"):
                    found += _from_role_token(s, parse, person, attr)
            if lemma in ("serve", "act", "work"):  # "who serves as director of ORG"
                for prep in (t for t in verb.children if t.dep_ == "prep" and t.lower_ == "as"):
                    for obj in (t for t in prep.children if t.dep_ == "pobj"):
                        found += _from_role_token(s, parse, person, obj)
        return found


def _mentions_of(s: SentenceContext, parse: Any, token: Any) -> list[Mention]:
    """The polity mentions inside a token's subtree."""
    lo = parse.offset(token.left_edge)
    right = token.right_edge
    hi = parse.offset(right) + len(right.text)
    return _polities_in(s, lo, hi)


def _from_role_token(s: SentenceContext, parse: Any, person: Mention, role_token: Any) -> list[PositionFact]:
    if role_token.pos_ not in ("NOUN", "PROPN"):
        return []
    words = [t for t in role_token.lefts if t.dep_ in ("compound", "amod")] + [role_token]
    if not _is_role([t.text for t in words][-3:]):
        return []
    holders: list[Mention] = []
    named: list[Mention] = []
    for child in role_token.children:
        if child.dep_ == "poss":
            holders += _mentions_of(s, parse, child)
        elif child.dep_ == "compound":
            named += _mentions_of(s, parse, child)
        elif child.dep_ == "prep" and child.text.lower() in ROLE_PREPOSITIONS:
            for obj in (t for t in child.children if t.dep_ == "pobj"):
                mine = _mentions_of(s, parse, obj)
                if obj.ent_type_ == "" and not mine:
                    continue
                holders += [m for m in mine if m.entity.cls == JT.Institution or child.text.lower() == "of"][
                    :1
                ]
                for conj in (t for t in obj.children if t.dep_ == "conj"):
                    holders += [m for m in _mentions_of(s, parse, conj) if m.entity.cls == JT.Institution][:1]
    role_words = [t.text for t in words if not any(m.start <= parse.offset(t) < m.end for m in s.polities)]
    if not role_words:
        return []
    role = " ".join(role_words)
    former = any(t.lower_ in ("former", "ex") for t in role_token.lefts)
    return _positions_in(person.entity, role, holders, s, 0.75, former) + _positions_in(
        person.entity, role, named, s, 0.7, former
    )
