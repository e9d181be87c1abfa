"""Affiliations a reader sees at once: position rules beyond the title before a name.

Each rule is a small class whose ``positions(s, person)`` gives the positions sentence ``s``
gives ``person``. Where the recipe has the parse on, ``ParsedApposition`` and ``ParsedClause``
(loaders.affiliation_parse) read the dependency parse; the rules here read the words between
mentions and run whatever the recipe.
"""

from __future__ import annotations

import re

from jtkg.loaders.affiliation_parse import ParsedApposition, ParsedClause
from jtkg.loaders.facts import PositionFact
from jtkg.loaders.gazetteer import Entity
from jtkg.loaders.mentions import Mention
from jtkg.loaders.relation_context import SentenceContext
from jtkg.loaders.role_words import LEADING_FORMS as _LEADING_FORMS
from jtkg.loaders.role_words import ROLE_MODIFIERS as _ROLE_MODIFIERS
from jtkg.loaders.role_words import ROLES as _ROLES
from jtkg.loaders.role_words import is_role as _is_role
from jtkg.loaders.role_words import name_end
from jtkg.loaders.role_words import polities_in as _polities_in
from jtkg.loaders.role_words import polity_at as _polity_at
from jtkg.loaders.role_words import positions_in as _positions_in
from jtkg.loaders.role_words import role_text as _role_text
from jtkg.loaders.titles import is_demonym, title_of
from jtkg.ontology import JT


class PossessiveRoleAfter:
    """ "NAME, Ruritania's WTO ambassador" → ambassador of Ruritania, and of the WTO."""

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        text = s.text
        lead = re.match(r",[ \t]+(?:the[ \t]+|who[ \t]+is[ \t]+)?", text[name_end(s, person) : s.span.end])
        owner = _polity_at(s, name_end(s, person) + lead.end()) if lead else None
        if owner is None:
            return []
        tail = re.match(
            r"[’']s?[ \t]+(?P<former>former[ \t]+|then-|ex-)?(?P<role>[^,;:()\"“”]{2,60}?)"
            r"(?=[ \t]*(?:[,;:()\"“”]|\.(?:\s|$)|$|[ \t]+(?:said|says|told|and|who|has|"
            r"had|was|is|will|would|argued|noted|added|wrote)\b))",
            text[owner.end : s.span.end],
        )
        if tail is None:
            return []
        start, end = owner.end + tail.start("role"), owner.end + tail.end("role")
        # "representative to Japan", "envoy in Tokyo": the place after is not where it is held
        to = re.search(r"[ \t]+(?:to|in|for)[ \t]+", text[start:end])
        main_end = start + to.start() if to else end
        inside = _polities_in(s, start, main_end)
        role = _role_text(text, start, main_end, inside)
        if not _is_role(role.split()):
            return []
        former = bool(tail.group("former"))
        full = _role_text(text, start, end, [])  # the owner's ambassador is its "WTO ambassador"
        return _positions_in(person.entity, full, [owner], s, 0.75, former) + _positions_in(
            person.entity, role, inside, s, 0.7, former
        )


#: Government roles that a demonym before them places in the state ("a Japanese diplomat");
#: other roles with a demonym ("a Japanese economist") say only where someone is from.
GOVERNMENT_ROLES = {
    "diplomat",
    "official",
    "lawmaker",
    "legislator",
    "minister",
    "ambassador",
    "envoy",
    "senator",
    "parliamentarian",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "negotiator",
    "representative",
}
_ENDS_ROLE = (
    r"(?=[ \t]*(?:[,;:()\"“”]|\.(?:\s|$)|$|[ \t]+(?:said|says|told|and|who|has|had|"
    r"was|is|will|would|argued|noted|added|wrote)\b))"
)


class OrgRoleAfter:
    """ "NAME, a Elbonia University economist, said", "NAME, the ORG chairman"; "NAME, a
    Japanese diplomat" (government roles only) → the state."""

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        text = s.text
        lead = re.match(
            r",[ \t]+(?:(?:the|an?)[ \t]+)?(?P<former>(?:former[ \t]+|then-|ex-))?",
            text[name_end(s, person) : s.span.end],
        )
        if lead is None:
            return []
        at = name_end(s, person) + lead.end()
        org = next((m for m in s.polities if m.start == at), None)
        if org is None:
            return []
        tail = re.match(r"[ \t]+(?P<role>[A-Za-z][\w -]{1,50}?)" + _ENDS_ROLE, text[org.end : s.span.end])
        if tail is None or not _is_role(tail.group("role").split()):
            return []
        role = tail.group("role").strip()
        if is_demonym(s, org) and role.split()[-1].lower().rstrip("s") not in GOVERNMENT_ROLES:
            return []
        return [
            PositionFact(person.entity, role, org.entity, s.span, 0.75, former=bool(lead.group("former")))
        ]


class LeadsOrg:
    """ "NAME, who heads ORG" → head of ORG; "who founded", "who chairs", "who led"."""

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        m = re.match(
            r",?[ \t]+who[ \t]+(?:now[ \t]+|currently[ \t]+|also[ \t]+|once[ \t]+)?"
            r"(?P<verb>[a-z-]+)[ \t]+(?:the[ \t]+)?",
            s.text[name_end(s, person) : s.span.end],
        )
        if m is None or m.group("verb") not in _LEADING_FORMS:
            return []
        org = _polity_at(s, name_end(s, person) + m.end())
        if org is None or org.entity.cls != JT.Institution:
            return []
        former = m.group("verb").endswith("ed") or m.group("verb") in ("led", "ran")
        return [
            PositionFact(
                person.entity,
                _LEADING_FORMS[m.group("verb")],
                org.entity,
                s.span,
                0.75,
                former=former and m.group("verb") != "founded",
            )
        ]


class BareRoleAfter:
    """ "NAME, head of ORG", "NAME, Professor at ORG", "NAME, senior fellow with ORG":
    a role with no article before the preposition and the organization."""

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        text = s.text
        for org in s.polities:
            if org.start <= name_end(s, person):
                continue
            m = re.fullmatch(
                r",[ \t]+(?P<former>former[ \t]+|then-)?(?P<role>[A-Za-z][\w -]{1,60}?)"
                r"[ \t]+(?P<prep>at|of|with|for)[ \t]+(?:the[ \t]+)?",
                text[name_end(s, person) : org.start],
            )
            if m is None or not _is_role(m.group("role").split()):
                return []
            if org.entity.cls == JT.State and m.group("prep") != "of":
                return []  # "director for Ruritania" is a portfolio, not where the post is
            return [
                PositionFact(
                    person.entity,
                    m.group("role").strip(),
                    org.entity,
                    s.span,
                    0.75,
                    former=bool(m.group("former")),
                )
            ]
        return []


class OfOrg:
    """ "NAME of ORG said" → a member of ORG; "Minister NAME of STATE" → the title in STATE."""

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        m = re.match(r"[ \t]+of[ \t]+(?:the[ \t]+)?", s.text[person.end : s.span.end])
        org = _polity_at(s, person.end + m.end()) if m else None
        if org is None:
            return []
        title = title_of(s, person)
        if org.entity.cls == JT.State:
            if title is None or title[1] is not None:
                return []  # "NAME of Ruritania" without a title may be only where one is from
            return [PositionFact(person.entity, title[0], org.entity, s.span, 0.7)]
        after = s.text[org.end : org.end + 3]
        if after.startswith(("'s", "’s")):
            return []  # "NAME of the Institute's board": the owner's part, not the Institute
        role = title[0] if title is not None else "member"
        return [PositionFact(person.entity, role, org.entity, s.span, 0.7)]


class PartyInParentheses:
    """ "NAME (PARTY)" or "NAME (PARTY-Region)": a member of the party."""

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        m = re.match(r"[ \t]*\([ \t]*", s.text[person.end : s.span.end])
        org = _polity_at(s, person.end + m.end()) if m else None
        if org is None or not _is_party(org.entity):
            return []
        close = re.match(r"(?:[ \t]*[-–,][ \t]*[A-Z][\w. ]{0,30})?[ \t]*\)", s.text[org.end : s.span.end])
        if close is None:
            return []
        title = title_of(s, person)
        role = title[0] if title is not None and title[1] is None else "member"
        return [PositionFact(person.entity, role, org.entity, s.span, 0.75)]


def _is_party(entity: Entity) -> bool:
    names = [entity.label, *entity.aliases]
    return entity.cls == JT.Institution and any(re.search(r"\bPart(?:y|ies)\b", n) for n in names)


class RoleOfBefore:
    """ "Director of the Elbonia Institute NAME", "President of Ruritania NAME": the role and
    where it is held, both before the name."""

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        text = s.text
        start = person.title_start if person.title_start >= 0 else person.start
        org = next((m for m in reversed(s.polities) if m.end <= start), None)
        if org is None or not re.fullmatch(r"[ \t]*,?[ \t]*", text[org.end : start]):
            return []
        if person.title and org.end > person.title_start:
            return []
        of = re.search(r"[ \t]+of[ \t]+(?:the[ \t]+)?$", text[s.span.start : org.start])
        if of is None:
            return []
        # The title is the run of role words and capitalized words right before "of".
        words = re.findall(r"[\w.’'-]+|[^\w\s]", text[s.span.start : s.span.start + of.start()])
        role: list[str] = []
        for word in reversed(words):
            if len(role) == 4 or not (
                word.lower() in _ROLES
                or word.lower() in _ROLE_MODIFIERS
                or (word[:1].isupper() and word not in ("The", "A", "An"))
            ):
                break
            role.insert(0, word)
        while role and role[0].lower() in ("former", "then", "ex"):
            role = role[1:]
        if not _is_role(role):
            return []
        former = bool(
            re.search(
                r"\b(?:[Ff]ormer|[Tt]hen-|[Ee]x-)[ \t]*" + re.escape(role[0]),
                text[s.span.start : s.span.start + of.start()],
            )
        )
        return [PositionFact(person.entity, " ".join(role), org.entity, s.span, 0.75, former=former)]


class OwnersName:
    """ "the PARTY's NAME", "the Elbonia Institute's NAME": a member of the institution."""

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        start = person.title_start if 0 <= person.title_start < person.start else person.start
        m = re.search(r"[’']s[ \t]+$", s.text[max(s.span.start, start - 4) : start])
        if m is None:
            return []
        at = max(s.span.start, start - 4) + m.start()
        org = next((o for o in s.polities if o.end == at and o.entity.cls == JT.Institution), None)
        if org is None:
            return []
        title = title_of(s, person)
        role = title[0] if title is not None and title[1] in (None, org.entity) else "member"
        return [PositionFact(person.entity, role, org.entity, s.span, 0.7)]


class NameCommaOrg:
    """A line of credits, panelists or a byline: "NAME, ORG", "By NAME, ROLE, ORG", with
    nothing after the organization but the end of the line (or ";")."""

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        text = s.text
        line_start = text.rfind("\n", 0, person.start) + 1
        start = person.title_start if 0 <= person.title_start < person.start else person.start
        if not re.fullmatch(
            r"[\W\d]*(?:[Bb]y[ \t]+)?(?:(?:Dr|Mr|Ms|Mrs|Prof)\.?[ \t]+)?", text[line_start:start]
        ):
            return []  # the name opens the line (a byline's "By NAME, ORG" too)
        m = re.match(
            r",[ \t]+(?:(?P<role>[A-Za-z][\w -]{1,60}?),[ \t]+)?(?:the[ \t]+)?", text[person.end : s.span.end]
        )
        org = next(
            (
                o
                for o in s.polities
                if m and o.start == person.end + m.end() and o.entity.cls == JT.Institution
            ),
            None,
        )
        if org is None or not re.match(r"[ \t]*(?:[;\n]|$)", text[org.end :]):
            return []
        role = (m.group("role") or "").strip() if m else ""
        if role and not _is_role(role.split()):
            return []
        return [PositionFact(person.entity, role or "member", org.entity, s.span, 0.7)]


class AuthorNote:
    """ "The author is a senior fellow at ORG." (the document's one author); also "She is a
    senior fellow at ORG" right after the author was named. A sentence rule: the author need
    not be named in the sentence."""

    def facts(self, s: SentenceContext) -> list[PositionFact]:
        authors = s.doc.authors
        if len(authors) != 1:
            return []
        # "He"/"She" is the author where the person last named was the author.
        subject = r"The[ \t]+(?:author|writer)" + (r"|He|She" if s.doc.last_speaker == authors[0] else "")
        m = re.match(
            rf"[ \t]*(?:{subject})[ \t]+is[ \t]+(?:also[ \t]+|currently[ \t]+)?"
            r"(?:an?|the)?[ \t]*(?P<role>[^,;()]{1,60}?)[ \t]+(?:at|of|with|for|in)"
            r"[ \t]+(?:the[ \t]+)?",
            s.sentence,
        )
        if m is None or not _is_role(m.group("role").split()):
            return []
        org = _polity_at(s, s.span.start + m.end())
        if org is None:
            return []
        return [PositionFact(authors[0], m.group("role").strip(), org.entity, s.span, 0.75)]


#: The affiliation rules, run after positions.POSITION_RULES.
AFFILIATION_RULES = (
    PossessiveRoleAfter(),
    OrgRoleAfter(),
    LeadsOrg(),
    BareRoleAfter(),
    OfOrg(),
    PartyInParentheses(),
    RoleOfBefore(),
    OwnersName(),
    NameCommaOrg(),
    ParsedApposition(),
    ParsedClause(),
)


#: Group nouns whose list of names are members of the organization before them.
_GROUP = (
    r"(?:members?|lawmakers|legislators|parliamentarians|politicians|leaders|officials|"
    r"researchers|scholars|fellows|staff)"
)


class MembersIncluding:
    """ "ORG members, including NAME, NAME and NAME" / "members of ORG such as NAME": each
    name listed is a member of the organization."""

    def facts(self, s: SentenceContext) -> list[PositionFact]:
        text = s.text
        found: list[PositionFact] = []
        for org in s.polities:
            if org.entity.cls != JT.Institution:
                continue
            after = re.match(
                rf"[’']?s?[ \t]+(?:[a-z]+[ \t]+)?{_GROUP}[ \t]*[,—–(-]*[ \t]*"
                r"(?:including|such[ \t]+as|among[ \t]+them)[ \t]+",
                text[org.end : s.span.end],
            )
            before = re.search(rf"\b{_GROUP}[ \t]+of[ \t]+(?:the[ \t]+)?$", text[s.span.start : org.start])
            if after:
                pos = org.end + after.end()
            elif before:
                then = re.match(
                    r"[ \t]*[,—–(-]*[ \t]*(?:including|such[ \t]+as)[ \t]+", text[org.end : s.span.end]
                )
                if then is None:
                    continue
                pos = org.end + then.end()
            else:
                continue
            for person in s.persons:
                if person.start < pos:
                    continue
                start = person.title_start if 0 <= person.title_start < person.start else person.start
                gap = text[pos:start]
                # Between two names: ", and former Minister of Transport and Tourism "
                if not re.fullmatch(
                    r"[ \t]*(?:,[ \t]*)?(?:and[ \t]+)?(?:(?:former|then-|"
                    r"current|senior)[ \t]+)?(?:(?:[A-Z][\w-]*|of|and|for|the|"
                    r"[a-z]+(?=[ \t]+[A-Z])),?[ \t]+){0,10}",
                    gap,
                ):
                    break
                found.append(PositionFact(person.entity, "member", org.entity, s.span, 0.7))
                pos = person.end
        return found
