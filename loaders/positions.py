"""Positions and affiliations: titles, appositions, parentheses, bylines, representation.

Each rule is a small class: ``positions(s, person)`` gives the positions that sentence ``s``
gives ``person``. ``title_of`` (the role words before a name, loaders.titles) is shared,
computed once per person and sentence.
"""

from __future__ import annotations

import re

from jtkg.loaders.facts import PositionFact, has_role_word
from jtkg.loaders.mentions import Mention
from jtkg.loaders.relation_context import SentenceContext
from jtkg.loaders.titles import ROLE, is_demonym, title_of
from jtkg.ontology import JT


class TitleBefore:
    """ "DPP legislator NAME", "Taiwanese President NAME", "President NAME"; "former
    President NAME" is a position that has ended."""

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        prefix = title_of(s, person)
        if prefix is None:
            return []
        start = person.title_start if person.title_start >= 0 else person.start
        window = s.text[max(s.span.start, start - 80) : start]
        former = re.search(r"(?:^|[\s(“\"])(?:[Ff]ormer|[Ee]x-|[Tt]hen-)[ \t]*([^,;:.()“”\"]*)$", window)
        ended = (
            former is not None
            and len(former.group(1).split()) <= 6
            and (
                "former" in prefix[0].lower()
                or prefix[0].split()[-1] in former.group(1)
                or prefix[0].split()[-1] in (person.title or "")
            )
        )
        return [PositionFact(person.entity, prefix[0], prefix[1], s.span, 0.8, former=ended)]


class ParenthesisAfter:
    """ "NAME (Ph.D., Professor, Department ..., ORG)"."""

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        text = s.text
        after = text[person.end : s.span.end]
        paren = re.match(r"[ \t]*\(([^()]*(?:\([^()]*\)[^()]*)*)\)", after)
        if not paren or re.search(r"\b(?:1[89]|20)\d\d\b|;", paren.group(1)):  # a citation
            return []
        inner_start = person.end + paren.start(1)
        inner_end = person.end + paren.end(1)
        orgs = [m for m in s.polities if inner_start <= m.start and m.end <= inner_end]
        parts = [p.strip() for p in paren.group(1).split(",")]
        role = next((p for p in parts if has_role_word(p) and len(p.split()) <= 8), None)
        if role and orgs:
            return [PositionFact(person.entity, role, orgs[-1].entity, s.span, 0.85)]
        return []


class RoleAtAfter:
    """ "NAME, an assistant professor at ORG (and ORG2)"; "NAME is President, ORG"."""

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        text = s.text
        polities = s.polities
        for org in polities:
            if org.start <= person.end or is_demonym(s, org):
                continue
            between = text[person.end : org.start]
            m = re.fullmatch(
                r",[ \t]+(?:who[ \t]+is[ \t]+)?(?:an?|the)[ \t]+(?P<role>[^,;()]{1,80}?)"
                r"[ \t]+(?:at|of|with|for|in)[ \t]+(?:the[ \t]+)?",
                between,
            ) or re.fullmatch(
                r"[ \t]+is[ \t]+(?:also[ \t]+)?(?:(?:an?|the)[ \t]+)?(?P<role>[^;()]{1,80}?)"
                r"(?:,|[ \t]+(?:at|of|with|for|in))[ \t]+(?:the[ \t]+)?",
                between,
            )
            if m and has_role_word(m.group("role")):
                role = re.sub(r"[ \t]+(?:at|of|in)[ \t]+[A-Z][\w ]+$", "", m.group("role"))
                found = [PositionFact(person.entity, role.strip(), org.entity, s.span, 0.8)]
                # "... at Norvane University and the Elbonia Policy Institute"
                tail = text[org.end : s.span.end]
                also = re.match(r"[ \t]+and[ \t]+(?:the[ \t]+)?", tail)
                nxt = next((p for p in polities if also and p.start == org.end + also.end()), None)
                if nxt is not None:
                    found.append(PositionFact(person.entity, role.strip(), nxt.entity, s.span, 0.7))
                return found
        return []


class Represents:
    """ "NAME and NAME represent Taiwan's ruling PARTY"."""

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        rep = re.search(r"\brepresent(?:s|ed|ing)?\b", s.sentence)
        if not rep or person.end > s.span.start + rep.start():
            return []
        org = next(
            (m for m in s.polities if m.start >= s.span.start + rep.end() and m.entity.cls == JT.Institution),
            None,
        )
        if org is None:
            return []
        prefix = title_of(s, person)
        title = prefix[0] if prefix else "representative"
        return [PositionFact(person.entity, title, org.entity, s.span, 0.7)]


class OwnersRoleComma:
    """ "STATE's then-representative to PLACE, NAME"."""

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        owned = re.search(
            r"(?P<owner>\S+)[’']s[ \t]+(?:then-|former[ \t]+)?(?P<role>[a-z][\w -]{2,40}?)"
            r"(?:[ \t]+to[ \t]+[A-Z][\w.]*)?,[ \t]*$",
            s.text[s.span.start : person.start],
        )
        if not owned or not has_role_word(owned.group("role")):
            return []
        at = s.span.start + owned.end("owner")  # the owner's name ends at its "'s"
        owner = next((m for m in s.polities if m.end == at and m.start <= at - 2), None)
        if owner is None:
            return []
        return [PositionFact(person.entity, owned.group("role").strip(), owner.entity, s.span, 0.7)]


class AsOwnersRole:
    """ "NAME, as the PARTY's leader"."""

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        text = s.text
        as_owner = re.match(r",?[ \t]+as[ \t]+(?:the[ \t]+)?", text[person.end : s.span.end])
        if not as_owner:
            return []
        at = person.end + as_owner.end()
        org = next((m for m in s.polities if m.start == at), None)
        role = (
            re.match(
                r"[’']s[ \t]+(?:new[ \t]+|next[ \t]+)?([a-z][\w-]*(?:[ \t][a-z][\w-]*)?)",
                text[org.end : s.span.end],
            )
            if org
            else None
        )
        if org is not None and role and has_role_word(role.group(1)):
            return [PositionFact(person.entity, role.group(1), org.entity, s.span, 0.7)]
        return []


class AsRoleOf:
    """ "NAME was sworn in as the new premier of STATE"."""

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        text, end = s.text, s.span.end
        role_as = re.match(
            r"[ \t]+as[ \t]+(?:the[ \t]+)?(?:next|new|former|incoming|then)?[ \t]*"
            r"(?P<role>[a-z][\w -]{1,40}?)[ \t]+(?:of|in|at)[ \t]+(?:the[ \t]+)?$",
            text[person.end : min(end, person.end + 60)].split(",")[0] + " ",
        )
        if role_as is None:
            role_as = re.match(
                r"[ \t]+as[ \t]+(?:the[ \t]+)?(?:next|new|former|incoming|then)?[ \t]*"
                r"(?P<role>[a-z][\w -]{1,40}?)[ \t]+(?:of|in|at)[ \t]+(?:the[ \t]+)?",
                text[person.end : end],
            )
        if not role_as or not has_role_word(role_as.group("role")):
            return []
        org = next((m for m in s.polities if m.start == person.end + role_as.end()), None)
        if org is None:
            return []
        return [PositionFact(person.entity, role_as.group("role").strip(), org.entity, s.span, 0.7)]


class WithFellow:
    """ "NAME, who attended with fellow PARTY parliamentarian NAME2": NAME is PARTY too."""

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        text, start = s.text, s.span.start
        prefix = title_of(s, person)
        fellow = re.search(
            r"\bwith[ \t]+fellow[ \t]+$",
            text[start : person.title_start if person.title_start >= 0 else person.start],
        )
        if fellow is None and prefix is not None:
            window = text[start : person.start]
            fellow = re.search(r"\bwith[ \t]+fellow[ \t]+\S+(?:[ \t]+\S+)?[ \t]+$", window)
        if fellow is None or prefix is None or prefix[1] is None:
            return []
        earlier = [
            m
            for m in s.mentions
            if m.entity.cls == JT.Person and m.end <= start + fellow.start() and m.entity != person.entity
        ]
        if not earlier:
            return []
        return [PositionFact(earlier[-1].entity, prefix[0], prefix[1], s.span, 0.65)]


class RoleAtBefore:
    """ "a fellow with ORG, NAME"; "ROLE at ORG NAME"."""

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        text = s.text
        for org in reversed(s.polities):
            if org.end > person.start or is_demonym(s, org):
                continue
            before = text[s.span.start : org.start]
            gap = text[org.end : person.start]
            m = re.search(
                r"\b(?:an?|the)[ \t]+(?P<role>[^,;()]{1,80}?)[ \t]+(?:at|with|of|for)"
                r"[ \t]+(?:the[ \t]+)?$",
                before,
            ) or re.search(r"^(?P<role>[^,;()]{1,80}?)[ \t]+(?:at|with|of|for)[ \t]+(?:the[ \t]+)?$", before)
            if m and m.start() == 0 and not _title_like(m.group("role").split()):
                return []  # "The report was welcomed by Director of ...": not a title
            if m and re.fullmatch(r",?[ \t]*", gap) and has_role_word(m.group("role")):
                return [PositionFact(person.entity, m.group("role").strip(" */"), org.entity, s.span, 0.75)]
            return []
        return []


def _title_like(words: list[str]) -> bool:
    """Words of a title at the start of a sentence: each a role word, capitalized, or "of"."""
    return all(
        w.lower() in ROLE
        or (w[:1].isupper() and w not in ("The", "A", "An"))
        or w in ("of", "and", "for", "the", "/", "&", "-")
        for w in words
    )


#: The position rules, in the order they run (the order changes nothing but the list's order).
POSITION_RULES = (
    TitleBefore(),
    ParenthesisAfter(),
    RoleAtAfter(),
    Represents(),
    OwnersRoleComma(),
    AsOwnersRole(),
    AsRoleOf(),
    WithFellow(),
    RoleAtBefore(),
)
