"""Positions and affiliations: titles, appositions, parentheses, bylines, representation."""

from __future__ import annotations

import re

from jtkg.loaders.facts import POLITIES, PositionFact, has_role_word
from jtkg.loaders.gazetteer import Entity, Gazetteer
from jtkg.loaders.lexicon import DEMONYMS, ROLE_WORDS, TITLE_HEADS
from jtkg.loaders.mentions import Mention
from jtkg.loaders.text import Span
from jtkg.ontology import JT


class PositionRules:
    """Mixin of RelationFinder: the positions a sentence gives a person."""

    gazetteer: Gazetteer
    demonym_states: dict[str, Entity | None]
    _persons: list[Mention]

    def _positions(self, text: str, sent: Span, person: Mention,
                   mentions: list[Mention]) -> list[PositionFact]:
        found: list[PositionFact] = []
        polities = [m for m in mentions if m.entity.cls in POLITIES]
        self._persons = [m for m in mentions if m.entity.cls == JT.Person]
        # "DPP legislator Lo Chih-cheng", "Taiwanese President Tsai Ing-wen"
        prefix = self._title_prefix(text, sent, person, polities)
        if prefix is None:
            prefix = self._shared_title(text, sent, person, mentions, polities)
        if prefix is not None and prefix[1] is None:
            # "President Tsai": the registry knows where a head of state holds that office
            office = next((polity for role, polity in self.gazetteer.offices.get(
                person.entity.iri, []) if role.lower() == prefix[0].lower()), None)
            prefix = (prefix[0], office)
        if prefix is not None:
            found.append(PositionFact(person.entity, prefix[0], prefix[1], sent, 0.8))
        after = text[person.end:sent.end]
        # "Dr. Madoka Fukuda (Ph.D., Professor, Department ..., Hosei University)"
        paren = re.match(r"[ \t]*\(([^()]*(?:\([^()]*\)[^()]*)*)\)", after)
        if paren and not re.search(r"\b(?:1[89]|20)\d\d\b|;", paren.group(1)):  # not a citation
            inner_start = person.end + paren.start(1)
            inner_end = person.end + paren.end(1)
            orgs = [m for m in polities if inner_start <= m.start and m.end <= inner_end]
            parts = [p.strip() for p in paren.group(1).split(",")]
            role = next((p for p in parts if has_role_word(p) and len(p.split()) <= 8), None)
            if role and orgs:
                found.append(PositionFact(person.entity, role, orgs[-1].entity, sent, 0.85))
        # "Corey Wallace, an assistant professor at Kanagawa University"; "X is President, Y"
        for org in polities:
            if org.start <= person.end:
                continue
            between = text[person.end:org.start]
            m = re.fullmatch(r",[ \t]+(?:who[ \t]+is[ \t]+)?(?:an?|the)[ \t]+(?P<role>[^,;()]{1,80}?)"
                             r"[ \t]+(?:at|of|with|for|in)[ \t]+(?:the[ \t]+)?", between) or \
                re.fullmatch(r"[ \t]+is[ \t]+(?:also[ \t]+)?(?:(?:an?|the)[ \t]+)?(?P<role>[^;()]{1,80}?)"
                             r"(?:,|[ \t]+(?:at|of|with|for|in))[ \t]+(?:the[ \t]+)?", between)
            if m and has_role_word(m.group("role")):
                role = re.sub(r"[ \t]+(?:at|of|in)[ \t]+[A-Z][\w ]+$", "", m.group("role"))
                found.append(PositionFact(person.entity, role.strip(), org.entity, sent, 0.8))
                # "... at King's College London and the National University of Singapore"
                tail = text[org.end:sent.end]
                also = re.match(r"[ \t]+and[ \t]+(?:the[ \t]+)?", tail)
                nxt = next((p for p in polities if also and p.start == org.end + also.end()), None)
                if nxt is not None:
                    found.append(PositionFact(person.entity, role.strip(), nxt.entity, sent, 0.7))
                break
        # "Lo and Tsai represent Taiwan's ruling Democratic Progressive Party"
        sentence = text[sent.start:sent.end]
        rep = re.search(r"\brepresent(?:s|ed|ing)?\b", sentence)
        if rep and person.end <= sent.start + rep.start():
            org = next((m for m in polities if m.start >= sent.start + rep.end()
                        and m.entity.cls == JT.Institution), None)
            if org is not None:
                title = prefix[0] if prefix else "representative"
                found.append(PositionFact(person.entity, title, org.entity, sent, 0.7))
        # "Japan's then-representative to Taiwan, Masaki Saito"
        owned = re.search(r"(?P<owner>\S+)[’']s[ \t]+(?:then-|former[ \t]+)?(?P<role>[a-z][\w -]{2,40}?)"
                          r"(?:[ \t]+to[ \t]+[A-Z][\w.]*)?,[ \t]*$", text[sent.start:person.start])
        if owned and has_role_word(owned.group("role")):
            owner = next((m for m in polities if m.start == sent.start + owned.start("owner")), None)
            if owner is not None:
                found.append(PositionFact(person.entity, owned.group("role").strip(),
                                          owner.entity, sent, 0.7))
        # "Renho Murata, as the Democratic Party's leader"
        as_owner = re.match(r",?[ \t]+as[ \t]+(?:the[ \t]+)?", text[person.end:sent.end])
        if as_owner:
            at = person.end + as_owner.end()
            org = next((m for m in polities if m.start == at), None)
            role = re.match(r"[’']s[ \t]+(?:new[ \t]+|next[ \t]+)?([a-z][\w-]*(?:[ \t][a-z][\w-]*)?)",
                            text[org.end:sent.end]) if org else None
            if org is not None and role and has_role_word(role.group(1)):
                found.append(PositionFact(person.entity, role.group(1), org.entity, sent, 0.7))
        # "inauguration of Lai as the next president of Taiwan"
        role_as = re.match(r"[ \t]+as[ \t]+(?:the[ \t]+)?(?:next|new|former|incoming|then)?[ \t]*"
                           r"(?P<role>[a-z][\w -]{1,40}?)[ \t]+(?:of|in|at)[ \t]+(?:the[ \t]+)?$",
                           text[person.end:min(sent.end, person.end + 60)].split(",")[0] + " ")
        if role_as is None:
            role_as = re.match(r"[ \t]+as[ \t]+(?:the[ \t]+)?(?:next|new|former|incoming|then)?[ \t]*"
                               r"(?P<role>[a-z][\w -]{1,40}?)[ \t]+(?:of|in|at)[ \t]+(?:the[ \t]+)?",
                               text[person.end:sent.end])
        if role_as and has_role_word(role_as.group("role")):
            org = next((m for m in polities if m.start == person.end + role_as.end()), None)
            if org is not None:
                found.append(PositionFact(person.entity, role_as.group("role").strip(),
                                          org.entity, sent, 0.7))
        # "Sato, who was in attendance with fellow LDP parliamentarian Otsuka": Sato is LDP too
        fellow = re.search(r"\bwith[ \t]+fellow[ \t]+$", text[sent.start:person.title_start
                                                          if person.title_start >= 0 else person.start])
        if fellow is None and prefix is not None:
            window = text[sent.start:person.start]
            fellow = re.search(r"\bwith[ \t]+fellow[ \t]+\S+(?:[ \t]+\S+)?[ \t]+$", window)
        if fellow is not None and prefix is not None and prefix[1] is not None:
            earlier = [m for m in mentions if m.entity.cls == JT.Person and m.end <= sent.start
                       + fellow.start() and m.entity != person.entity]
            if earlier:
                found.append(PositionFact(earlier[-1].entity, prefix[0], prefix[1], sent, 0.65))
        # "a fellow with the Japan Forum for Strategic Studies, Newsham"; "ROLE at ORG NAME"
        for org in reversed(polities):
            if org.end > person.start:
                continue
            before = text[sent.start:org.start]
            gap = text[org.end:person.start]
            m = re.search(r"\b(?:an?|the)[ \t]+(?P<role>[^,;()]{1,80}?)[ \t]+(?:at|with|of|for)"
                          r"[ \t]+(?:the[ \t]+)?$", before) or re.search(
                r"^(?P<role>[^,;()]{1,80}?)[ \t]+(?:at|with|of|for)[ \t]+(?:the[ \t]+)?$", before)
            if m and re.fullmatch(r",?[ \t]*", gap) and has_role_word(m.group("role")):
                found.append(PositionFact(person.entity, m.group("role").strip(" */"),
                                          org.entity, sent, 0.75))
            break
        return found

    def _shared_title(self, text: str, sent: Span, person: Mention, mentions: list[Mention],
                      polities: list[Mention]) -> tuple[str, Entity | None] | None:
        """'Japanese parliamentarians Masahisa Sato (L) and Taku Otsuka': the title before the
        first name of a pair applies to the second."""
        earlier = [m for m in mentions if m.entity.cls == JT.Person and m.end <= person.start]
        if not earlier:
            return None
        first = earlier[-1]
        if not re.fullmatch(r"[ \t]*(?:\([A-Z]\)[ \t]*)?(?:,[ \t]*)?and[ \t]+",
                            text[first.end:person.start]):
            return None
        shared = self._title_prefix(text, sent, first, polities)
        if shared is not None and shared[0].endswith("s") is False and not re.search(
                r"(?:s|ers|ians|ists)[ \t]+$", text[sent.start:first.title_start if
                                                  first.title_start >= 0 else first.start]):
            return None  # a singular title belongs to the first name only
        return shared

    def _polity_word(self, word: str, polities: list[Mention], at: int) -> Entity | None:
        if word in DEMONYMS:
            return self.demonym_states.get(word)
        return next((m.entity for m in polities if m.start == at), None)

    def _title_prefix(self, text: str, sent: Span, person: Mention,
                      polities: list[Mention]) -> tuple[str, Entity | None] | None:
        start = person.title_start if person.title_start >= 0 else person.start
        window = text[sent.start:start]
        words = list(re.finditer(r"[\w.’'&+-]+", window))
        role_words: list[str] = []
        polity: Entity | None = None
        i = len(words) - 1
        while i >= 0:
            w = words[i]
            token = w.group()
            absolute = sent.start + w.start()
            if window[w.end():].strip(" \t") and not re.fullmatch(r"[ \t]*", window[w.end():
                                                                   words[i + 1].start()
                                                                   if i + 1 < len(words)
                                                                   else len(window)]):
                break  # punctuation between words ends the title
            if any(m.start <= absolute < m.end for m in self._persons):
                break  # another person's name ends the title
            owner = next((m for m in polities if m.start <= absolute < m.end
                          or absolute <= m.start < sent.start + w.end()), None)  # "then-DPP"
            if owner is not None:
                polity = owner.entity
                break
            if token in DEMONYMS:
                polity = self.demonym_states.get(token)
                break
            if token.lower() in ROLE_WORDS or token.lower().rstrip("s") in ROLE_WORDS or (
                    role_words and (token[0].isupper() or token in ("and", "of"))):
                role_words.insert(0, token)
                i -= 1
                continue
            break
        if person.title:
            role_words = person.title.split()
            owner = self._polity_word(role_words[0], polities, person.title_start)
            if owner is not None and len(role_words) > 1:  # "U.S. President Joe Biden"
                polity, role_words = owner, role_words[1:]
        while role_words and role_words[0].lower() in ("and", "of", "former", "fellow"):
            role_words = role_words[1:]
        if not role_words or not any(w.lower().rstrip("s") in TITLE_HEADS or w.lower() in TITLE_HEADS
                                     for w in role_words):
            return None
        role = " ".join(role_words)
        if role.endswith("s") and role.lower().rstrip("s") in TITLE_HEADS | {"lawmaker"}:
            role = role[:-1]
        return role, polity
