"""Affiliations a reader sees at once: position rules beyond the title before a name.

Each rule is a small class whose ``positions(s, person)`` gives the positions sentence ``s``
gives ``person``. Where the recipe has the parse on, ``ParsedApposition`` and ``ParsedClause``
read the dependency parse (appositions, possessives, compounds, prep→pobj, relative clauses);
the other rules read the words between mentions and run whatever the recipe.
"""

from __future__ import annotations

import re
from typing import Any

from jtkg.loaders.facts import PositionFact
from jtkg.loaders.gazetteer import Entity
from jtkg.loaders.lexicon import ROLE_WORDS, TITLE_HEADS
from jtkg.loaders.mentions import Mention
from jtkg.loaders.positions import OFFICE_WORDS, is_demonym, title_of
from jtkg.loaders.relation_context import SentenceContext
from jtkg.ontology import JT

#: Verbs of leading an organization, and the role they give: "NAME, who heads ORG".
LEADING_VERBS = {"head": "head", "lead": "leader", "chair": "chair", "direct": "director",
                 "run": "head", "found": "founder", "co-found": "co-founder",
                 "cofound": "co-founder", "manage": "manager", "edit": "editor"}
_LEADING_FORMS = {"heads": "head", "headed": "head", "leads": "leader", "led": "leader",
                  "chairs": "chair", "chaired": "chair", "directs": "director",
                  "directed": "director", "runs": "head", "ran": "head", "founded": "founder",
                  "co-founded": "co-founder", "cofounded": "co-founder", "manages": "manager",
                  "managed": "manager", "edits": "editor", "edited": "editor"}
_HEADS = TITLE_HEADS | OFFICE_WORDS
_ROLES = ROLE_WORDS | OFFICE_WORDS
#: Prepositions that tie a role to where it is held ("professor at", "head of").
ROLE_PREPOSITIONS = {"at", "of", "with", "for", "in"}


def _is_role(words: list[str]) -> bool:
    """Words that make a role: the last one a title head ("senior fellow", "head")."""
    if not words or len(words) > 6:
        return False
    low = [w.lower().strip(".,") for w in words]
    return (low[-1] in _HEADS or low[-1].rstrip("s") in _HEADS) and all(
        w in _ROLES or word[:1].isupper() or w in ("of", "and", "for", "-") or
        w.rstrip("s") in _ROLES or w in _ROLE_MODIFIERS for w, word in zip(low, words, strict=True))


#: Lowercase words allowed inside a role before its head ("chief economist", "top envoy").
_ROLE_MODIFIERS = {"top", "new", "acting", "interim", "special", "foreign", "defense",
                   "defence", "trade", "finance", "economy", "economic", "political", "military",
                   "policy", "program", "programme", "managing", "general", "permanent",
                   "founding", "honorary", "emeritus", "distinguished", "adjunct", "lead",
                   "principal", "junior", "co-", "then", "former", "vice", "prime"}


def _polity_at(s: SentenceContext, start: int) -> Mention | None:
    return next((m for m in s.polities if m.start == start and not is_demonym(s, m)), None)


def _polities_in(s: SentenceContext, start: int, end: int) -> list[Mention]:
    return [m for m in s.polities if start <= m.start and m.end <= end and not is_demonym(s, m)]


def _role_text(text: str, start: int, end: int, inside: list[Mention]) -> str:
    """The words of a role phrase without the names inside it ("WTO ambassador" → ambassador
    for the WTO's own position is made separately)."""
    cut = text[start:end]
    for m in sorted(inside, key=lambda m: -m.start):
        cut = cut[:m.start - start] + cut[m.end - start:]
    words = [w for w in cut.split() if w.lower() not in ("the", "a", "an")]
    return " ".join(words).strip(" ,")


def _positions_in(person: Entity, role: str, polities: list[Mention], s: SentenceContext,
                  confidence: float, former: bool = False) -> list[PositionFact]:
    found = []
    for m in dict.fromkeys(p.entity for p in polities):
        found.append(PositionFact(person, role, m, s.span, confidence, former=former))
    return found


class PossessiveRoleAfter:
    """"NAME, Ruritania's WTO ambassador" → ambassador of Ruritania, and of the WTO."""

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        text = s.text
        lead = re.match(r",[ \t]+(?:the[ \t]+|who[ \t]+is[ \t]+)?", text[person.end:s.span.end])
        owner = _polity_at(s, person.end + lead.end()) if lead else None
        if owner is None:
            return []
        tail = re.match(r"[’']s?[ \t]+(?P<former>former[ \t]+|then-|ex-)?(?P<role>[^,;:()\"“”]{2,60}?)"
                        r"(?=[ \t]*(?:[,;:()\"“”]|\.(?:\s|$)|$|[ \t]+(?:said|says|told|and|who|has|"
                        r"had|was|is|will|would|argued|noted|added|wrote)\b))",
                        text[owner.end:s.span.end])
        if tail is None:
            return []
        start, end = owner.end + tail.start("role"), owner.end + tail.end("role")
        inside = _polities_in(s, start, end)
        role = _role_text(text, start, end, inside)
        if not _is_role(role.split()):
            return []
        former = bool(tail.group("former"))
        full = _role_text(text, start, end, [])  # the owner's ambassador is its "WTO ambassador"
        return (_positions_in(person.entity, full, [owner], s, 0.75, former)
                + _positions_in(person.entity, role, inside, s, 0.7, former))


class LeadsOrg:
    """"NAME, who heads ORG" → head of ORG; "who founded", "who chairs", "who led"."""

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        m = re.match(r",?[ \t]+who[ \t]+(?:now[ \t]+|currently[ \t]+|also[ \t]+|once[ \t]+)?"
                     r"(?P<verb>[a-z-]+)[ \t]+(?:the[ \t]+)?", s.text[person.end:s.span.end])
        if m is None or m.group("verb") not in _LEADING_FORMS:
            return []
        org = _polity_at(s, person.end + m.end())
        if org is None or org.entity.cls != JT.Institution:
            return []
        former = m.group("verb").endswith("ed") or m.group("verb") in ("led", "ran")
        return [PositionFact(person.entity, _LEADING_FORMS[m.group("verb")], org.entity, s.span,
                             0.75, former=former and m.group("verb") != "founded")]


class BareRoleAfter:
    """"NAME, head of ORG", "NAME, Professor at ORG", "NAME, senior fellow with ORG":
    a role with no article before the preposition and the organization."""

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        text = s.text
        for org in s.polities:
            if org.start <= person.end:
                continue
            m = re.fullmatch(r",[ \t]+(?P<former>former[ \t]+|then-)?(?P<role>[A-Za-z][\w -]{1,60}?)"
                             r"[ \t]+(?P<prep>at|of|with|for)[ \t]+(?:the[ \t]+)?",
                             text[person.end:org.start])
            if m is None or not _is_role(m.group("role").split()):
                return []
            if org.entity.cls == JT.State and m.group("prep") != "of":
                return []  # "director for Ruritania" is a portfolio, not where the post is
            return [PositionFact(person.entity, m.group("role").strip(), org.entity, s.span,
                                 0.75, former=bool(m.group("former")))]
        return []


class OfOrg:
    """"NAME of ORG said" → a member of ORG; "Minister NAME of STATE" → the title in STATE."""

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        m = re.match(r"[ \t]+of[ \t]+(?:the[ \t]+)?", s.text[person.end:s.span.end])
        org = _polity_at(s, person.end + m.end()) if m else None
        if org is None:
            return []
        title = title_of(s, person)
        if org.entity.cls == JT.State:
            if title is None or title[1] is not None:
                return []  # "NAME of Ruritania" without a title may be only where one is from
            return [PositionFact(person.entity, title[0], org.entity, s.span, 0.7)]
        after = s.text[org.end:org.end + 3]
        if after.startswith(("'s", "’s")):
            return []  # "NAME of the Institute's board": the owner's part, not the Institute
        role = title[0] if title is not None else "member"
        return [PositionFact(person.entity, role, org.entity, s.span, 0.7)]


class PartyInParentheses:
    """"NAME (PARTY)" or "NAME (PARTY-Region)": a member of the party."""

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        m = re.match(r"[ \t]*\([ \t]*", s.text[person.end:s.span.end])
        org = _polity_at(s, person.end + m.end()) if m else None
        if org is None or not _is_party(org.entity):
            return []
        close = re.match(r"(?:[ \t]*[-–,][ \t]*[A-Z][\w. ]{0,30})?[ \t]*\)", s.text[org.end:s.span.end])
        if close is None:
            return []
        title = title_of(s, person)
        role = title[0] if title is not None and title[1] is None else "member"
        return [PositionFact(person.entity, role, org.entity, s.span, 0.75)]


def _is_party(entity: Entity) -> bool:
    names = [entity.label, *entity.aliases]
    return entity.cls == JT.Institution and any(re.search(r"\bPart(?:y|ies)\b", n) for n in names)


class RoleOfBefore:
    """"Director of the Elbonia Institute NAME", "President of Ruritania NAME": the role and
    where it is held, both before the name."""

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        text = s.text
        start = person.title_start if person.title_start >= 0 else person.start
        org = next((m for m in reversed(s.polities) if m.end <= start), None)
        if org is None or not re.fullmatch(r"[ \t]*,?[ \t]*", text[org.end:start]):
            return []
        if person.title and org.end > person.title_start:
            return []
        of = re.search(r"[ \t]+of[ \t]+(?:the[ \t]+)?$", text[s.span.start:org.start])
        if of is None:
            return []
        # The title is the run of role words and capitalized words right before "of".
        words = re.findall(r"[\w.’'-]+|[^\w\s]", text[s.span.start:s.span.start + of.start()])
        role: list[str] = []
        for word in reversed(words):
            if len(role) == 4 or not (word.lower() in _ROLES or word.lower() in _ROLE_MODIFIERS
                                      or (word[:1].isupper() and word not in ("The", "A", "An"))):
                break
            role.insert(0, word)
        while role and role[0].lower() in ("former", "then", "ex"):
            role = role[1:]
        if not _is_role(role):
            return []
        former = bool(re.search(r"\b(?:[Ff]ormer|[Tt]hen-|[Ee]x-)[ \t]*" + re.escape(role[0]),
                                text[s.span.start:s.span.start + of.start()]))
        return [PositionFact(person.entity, " ".join(role), org.entity, s.span, 0.75,
                             former=former)]


class AuthorNote:
    """"The author is a senior fellow at ORG." (the document's one author); also "She is a
    senior fellow at ORG" right after the author was named. A sentence rule: the author need
    not be named in the sentence."""

    def facts(self, s: SentenceContext) -> list[PositionFact]:
        authors = s.doc.authors
        if len(authors) != 1:
            return []
        # "He"/"She" is the author where the person last named was the author.
        subject = r"The[ \t]+(?:author|writer)" + (r"|He|She" if s.doc.last_speaker == authors[0]
                                                   else "")
        m = re.match(rf"[ \t]*(?:{subject})[ \t]+is[ \t]+(?:also[ \t]+|currently[ \t]+)?"
                     r"(?:an?|the)?[ \t]*(?P<role>[^,;()]{1,60}?)[ \t]+(?:at|of|with|for|in)"
                     r"[ \t]+(?:the[ \t]+)?", s.sentence)
        if m is None or not _is_role(m.group("role").split()):
            return []
        org = _polity_at(s, s.span.start + m.end())
        if org is None:
            return []
        return [PositionFact(authors[0], m.group("role").strip(), org.entity, s.span, 0.75)]


class ParsedApposition:
    """With the parse: an apposition of a person whose head is a role ("NAME, the outspoken
    chief economist of ORG"; "Ruritania's WTO ambassador, NAME"): where the role is held is
    its possessive, its compounds, or the object of its at/of/with/for."""

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        # Parse only where an apposition may be: a comma beside the name, a polity elsewhere.
        if s.doc.parser is None or not any(m.end <= person.start or m.start >= person.end
                                           for m in s.polities) or not (
                re.match(r"[ \t]*,", s.text[person.end:s.span.end])
                or re.search(r",[ \t]*$", s.text[s.span.start:person.start])):
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

    def positions(self, s: SentenceContext, person: Mention) -> list[PositionFact]:
        if s.doc.parser is None or not re.match(r",?[ \t]+who\b", s.text[person.end:s.span.end]):
            return []  # parse only where a relative clause follows the name
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
        return found


def _mentions_of(s: SentenceContext, parse: Any, token: Any) -> list[Mention]:
    """The polity mentions inside a token's subtree."""
    lo = parse.offset(token.left_edge)
    right = token.right_edge
    hi = parse.offset(right) + len(right.text)
    return _polities_in(s, lo, hi)


def _from_role_token(s: SentenceContext, parse: Any, person: Mention, role_token: Any
                     ) -> list[PositionFact]:
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
                holders += [m for m in mine if m.entity.cls == JT.Institution
                            or child.text.lower() == "of"][:1]
                for conj in (t for t in obj.children if t.dep_ == "conj"):
                    holders += [m for m in _mentions_of(s, parse, conj)
                                if m.entity.cls == JT.Institution][:1]
    role_words = [t.text for t in words if not any(
        m.start <= parse.offset(t) < m.end for m in s.polities)]
    if not role_words:
        return []
    role = " ".join(role_words)
    former = any(t.lower_ in ("former", "ex") for t in role_token.lefts)
    return (_positions_in(person.entity, role, holders, s, 0.75, former)
            + _positions_in(person.entity, role, named, s, 0.7, former))


#: The affiliation rules, run after positions.POSITION_RULES.
AFFILIATION_RULES = (PossessiveRoleAfter(), LeadsOrg(), BareRoleAfter(), OfOrg(),
                     PartyInParentheses(), RoleOfBefore(), ParsedApposition(), ParsedClause())


#: Offices held in a state (the head word of the role): an unqualified "Prime Minister NAME"
#: takes its state from the document, never from a guess.
STATE_OFFICES = {"president", "minister", "premier", "chancellor", "ambassador", "envoy",
                 "king", "queen", "emperor", "vice-president", "president-elect"}


def _office(role: str) -> str:
    words = [w for w in role.lower().split() if w not in ("former", "then", "the")]
    return " ".join(words).removeprefix("then-").removeprefix("ex-")


#: Words of a title that name a unit of an organization ("East Asia Program Director").
UNIT_WORDS = {"Program", "Programme", "Department", "Division", "Initiative", "Project",
              "Office", "Unit", "Desk"}


def resolve_offices(positions: list[PositionFact], publisher: Entity | None = None
                    ) -> list[PositionFact]:
    """An office with no state named ("Prime Minister NAME") takes the state of the same
    person's other positions when they name one state; else the state the document names
    for that same office elsewhere ("Ruritanian Prime Minister NAME2"), when only one and
    no one beside the person in that sentence holds it there. A title naming a unit of an
    organization and no organization ("Asia Program Director NAME") is held at the
    document's publisher: an institution writing about its own staff."""
    by_person: dict[object, set[Entity]] = {}
    by_office: dict[str, set[Entity]] = {}
    #: (office, sentence start) where someone holds the office in a named state: "Prime
    #: Minister A met Ruritanian Prime Minister B" says A is not Ruritania's.
    beside: set[tuple[str, int]] = set()
    for p in positions:
        if p.polity is not None and p.polity.cls == JT.State:
            by_person.setdefault(p.person.iri, set()).add(p.polity)
            by_office.setdefault(_office(p.role), set()).add(p.polity)
            beside.add((_office(p.role), p.span.start))
    resolved: list[PositionFact] = []
    for p in positions:
        office = _office(p.role)
        if p.polity is None and publisher is not None and publisher.cls == JT.Institution \
                and UNIT_WORDS & set(p.role.split()) and not by_person.get(p.person.iri):
            p = PositionFact(p.person, p.role, publisher, p.span, min(p.confidence, 0.6),
                             p.start, p.end, p.former, "unit-of-publisher")
        if p.polity is not None or not office or office.split()[-1] not in STATE_OFFICES:
            resolved.append(p)
            continue
        states = by_person.get(p.person.iri, set())
        if len(states) != 1 and (office, p.span.start) not in beside:
            states = by_office.get(office, set())
        if len(states) == 1:
            p = PositionFact(p.person, p.role, next(iter(states)), p.span, min(p.confidence, 0.7),
                             p.start, p.end, p.former, "office-state")
        resolved.append(p)
    return resolved


#: Group nouns whose list of names are members of the organization before them.
_GROUP = (r"(?:members?|lawmakers|legislators|parliamentarians|politicians|leaders|officials|"
          r"researchers|scholars|fellows|staff)")


class MembersIncluding:
    """"ORG members, including NAME, NAME and NAME" / "members of ORG such as NAME": each
    name listed is a member of the organization."""

    def facts(self, s: SentenceContext) -> list[PositionFact]:
        text = s.text
        found: list[PositionFact] = []
        for org in s.polities:
            if org.entity.cls != JT.Institution:
                continue
            after = re.match(rf"[’']?s?[ \t]+(?:[a-z]+[ \t]+)?{_GROUP}[ \t]*[,—–(-]*[ \t]*"
                             r"(?:including|such[ \t]+as|among[ \t]+them)[ \t]+",
                             text[org.end:s.span.end])
            before = re.search(rf"\b{_GROUP}[ \t]+of[ \t]+(?:the[ \t]+)?$",
                               text[s.span.start:org.start])
            if after:
                pos = org.end + after.end()
            elif before:
                then = re.match(r"[ \t]*[,—–(-]*[ \t]*(?:including|such[ \t]+as)[ \t]+",
                                text[org.end:s.span.end])
                if then is None:
                    continue
                pos = org.end + then.end()
            else:
                continue
            for person in s.persons:
                if person.start < pos:
                    continue
                start = person.title_start if 0 <= person.title_start < person.start else \
                    person.start
                gap = text[pos:start]
                # Between two names: ", and former Minister of Economy, Trade and Industry "
                if not re.fullmatch(r"[ \t]*(?:,[ \t]*)?(?:and[ \t]+)?(?:(?:former|then-|"
                                    r"current|senior)[ \t]+)?(?:(?:[A-Z][\w-]*|of|and|for|the|"
                                    r"[a-z]+(?=[ \t]+[A-Z])),?[ \t]+){0,10}", gap):
                    break
                found.append(PositionFact(person.entity, "member", org.entity, s.span, 0.7))
                pos = person.end
        return found
