"""Relations between mentions: positions, statements, events, agreements and disputes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jtkg.loaders.gazetteer import Entity, Gazetteer
from jtkg.loaders.lexicon import (
    DEMONYMS,
    RECOMMENDING_VERBS,
    REPORTING_VERBS,
    ROLE_WORDS,
    TITLE_HEADS,
)
from jtkg.loaders.mentions import Mention, MentionIndex
from jtkg.loaders.text import DateMention, Span, find_dates
from jtkg.ontology import JT

ACTORS = (JT.Person, JT.Institution, JT.State)
POLITIES = (JT.Institution, JT.State)
TOPICS = (JT.Issue, JT.Agreement, JT.Policy, JT.Event)
#: Reporting verbs that introduce questions, agendas or narration, not positions.
NOT_STATEMENT_VERBS = {"asked", "opened", "discussed", "defined", "identified", "described",
                       "lists", "listed", "found"}
STATEMENT_VERBS = (REPORTING_VERBS - NOT_STATEMENT_VERBS) | {"offered", "pledged", "voiced"}
MODAL = re.compile(r"\b(?:should|must|(?<!the )needs? to|ought to|would be the best|it is hoped|"
                   r"it is necessary|has to|have to)\b", re.IGNORECASE)
DISPUTE_WORDS = re.compile(r"\b(?:disput\w*|claim\w*|sovereignty|territorial|asserted|"
                           r"encroach\w*|-controlled|controlled)\b", re.IGNORECASE)
EVENT_NOUNS = ("webinar", "talks", "dialogue", "summit", "meeting", "election", "exercises",
               "exercise", "symposium", "conference", "crisis", "disaster", "meltdown",
               "earthquake", "drill", "visit")
PARTICIPATION = re.compile(r"\b(?:joined|attended|in attendance|took part|participated|"
                           r"represents?|represented|alongside)\b")
PRONOUNS = {"He": "he", "She": "she", "he": "he", "she": "she"}


@dataclass
class PositionFact:
    person: Entity
    role: str
    polity: Entity | None
    span: Span
    confidence: float


@dataclass
class StatementFact:
    speaker: Entity
    span: Span
    recommendation: bool
    addressees: list[Entity]
    concerns: list[Entity]
    confidence: float


@dataclass
class DatedFact:
    """An event or agreement: its date, parties or participants, and where it is said."""

    entity: Entity
    span: Span
    date: DateMention | None = None
    actors: list[Entity] = field(default_factory=list)
    confidence: float = 0.7


@dataclass
class Involvement:
    issue: Entity
    actor: Entity
    span: Span


@dataclass
class Relations:
    positions: list[PositionFact] = field(default_factory=list)
    statements: list[StatementFact] = field(default_factory=list)
    dated: dict[str, DatedFact] = field(default_factory=dict)
    involvements: list[Involvement] = field(default_factory=list)
    new_entities: list[Mention] = field(default_factory=list)


class RelationFinder:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.demonym_states = {w: gazetteer.by_label.get(label) for w, label in DEMONYMS.items()}

    def find(self, text: str, sentences: list[Span], index: MentionIndex,
             authors: list[Entity]) -> Relations:
        rel = Relations()
        full_dates = find_dates(text, default_year=_NO_YEAR)
        default_year = _most_common_year(full_dates)
        last_speaker: Entity | None = None
        last_event: DatedFact | None = None
        for sent in sentences:
            mentions = index.within(sent.start, sent.end)
            for person in (m for m in mentions if m.entity.cls == JT.Person):
                rel.positions.extend(self._positions(text, sent, person, mentions))
            statement = self._statement(text, sent, mentions, last_speaker, authors)
            if statement is not None:
                rel.statements.append(statement)
                last_speaker = statement.speaker
            else:
                persons = [m.entity for m in mentions if m.entity.cls == JT.Person]
                last_speaker = persons[-1] if persons else last_speaker
            dates = [d for d in (_with_year(d, full_dates, default_year) for d in
                                 find_dates(text, sent.start, sent.end, default_year=_NO_YEAR))
                     if d is not None and not _in_parentheses(text, sent, d.start)]
            for fact in self._dated(text, sent, mentions, dates, rel):
                last_event = fact if fact.entity.cls == JT.Event else last_event
            if last_event is not None and PARTICIPATION.search(text, sent.start, sent.end):
                for m in mentions:
                    if m.entity.cls == JT.Person and m.entity not in last_event.actors:
                        last_event.actors.append(m.entity)
            rel.involvements.extend(self._involvements(text, sent, mentions))
        self._listed_participants(text, index, rel)
        return rel

    # ------------------------------------------------------------ positions

    def _positions(self, text: str, sent: Span, person: Mention,
                   mentions: list[Mention]) -> list[PositionFact]:
        found: list[PositionFact] = []
        polities = [m for m in mentions if m.entity.cls in POLITIES]
        # "DPP legislator Lo Chih-cheng", "Taiwanese President Tsai Ing-wen"
        prefix = self._title_prefix(text, sent, person, polities)
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
            role = next((p for p in parts if _has_role_word(p) and len(p.split()) <= 8), None)
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
            if m and _has_role_word(m.group("role")):
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
        # "inauguration of Lai as the next president of Taiwan"
        role_as = re.match(r"[ \t]+as[ \t]+(?:the[ \t]+)?(?:next|new|former|incoming|then)?[ \t]*"
                           r"(?P<role>[a-z][\w -]{1,40}?)[ \t]+(?:of|in|at)[ \t]+(?:the[ \t]+)?$",
                           text[person.end:min(sent.end, person.end + 60)].split(",")[0] + " ")
        if role_as is None:
            role_as = re.match(r"[ \t]+as[ \t]+(?:the[ \t]+)?(?:next|new|former|incoming|then)?[ \t]*"
                               r"(?P<role>[a-z][\w -]{1,40}?)[ \t]+(?:of|in|at)[ \t]+(?:the[ \t]+)?",
                               text[person.end:sent.end])
        if role_as and _has_role_word(role_as.group("role")):
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
            if m and re.fullmatch(r",?[ \t]*", gap) and _has_role_word(m.group("role")):
                found.append(PositionFact(person.entity, m.group("role").strip(" */"),
                                          org.entity, sent, 0.75))
            break
        return found

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
            owner = next((m for m in polities if m.start <= absolute < m.end), None)
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
        while role_words and role_words[0].lower() in ("and", "of", "former", "fellow"):
            role_words = role_words[1:]
        if not role_words or not any(w.lower().rstrip("s") in TITLE_HEADS or w.lower() in TITLE_HEADS
                                     for w in role_words):
            return None
        role = " ".join(role_words)
        if role.endswith("s") and role.lower().rstrip("s") in TITLE_HEADS | {"lawmaker"}:
            role = role[:-1]
        return role, polity

    # ------------------------------------------------------------ statements

    def _statement(self, text: str, sent: Span, mentions: list[Mention],
                   last_speaker: Entity | None, authors: list[Entity]) -> StatementFact | None:
        sentence = text[sent.start:sent.end]
        speaker: Entity | None = None
        verb = ""
        confidence = 0.75
        for vm in re.finditer(r"\b([A-Za-z]+)\b", sentence):
            if vm.group(1) not in STATEMENT_VERBS:
                continue
            if vm.group(1) in ("called", "calls") and not re.match(r"\s+(?:for|on|upon)\b",
                                                                 sentence[vm.end():]):
                continue  # "which Taiwan calls Diaoyutai" names, it does not urge
            pos = sent.start + vm.start()
            before = [m for m in mentions if m.end <= pos and m.entity.cls in ACTORS
                      and not _closes_parenthesis(text[m.end:pos])]
            after = [m for m in mentions if m.start >= pos + len(vm.group(1))
                     and m.entity.cls == JT.Person]
            subject = before[-1] if before else None
            persons = [m for m in before if m.entity.cls == JT.Person]
            if persons and _subject_gap(text[persons[-1].end:pos]):
                subject = persons[-1]  # "Tanabe, a senior researcher at the X Center, said"
            if subject is not None and _subject_gap(text[subject.end:pos]):
                speaker, verb = subject.entity, vm.group(1)
                break
            pronoun = re.search(r"(?:^|[,;“\"]\s*|\b(?:and|but)\s+)(He|She|he|she)\s+(?:\w+\s+)?$",
                                text[sent.start:pos])
            if pronoun and last_speaker is not None:
                speaker, verb, confidence = last_speaker, vm.group(1), 0.65
                break
            if vm.group(1) in ("said", "added", "says") and after and \
                    len(re.findall(r"\w+", text[pos:after[0].start])) <= 4:
                speaker, verb = after[0].entity, vm.group(1)
                break
        if speaker is None and len(authors) == 1 and MODAL.search(sentence) and any(
                m.entity.cls in TOPICS or m.entity.cls == JT.State for m in mentions):
            speaker, verb, confidence = authors[0], "should", 0.55
        if speaker is None:
            return None
        recommendation = verb in RECOMMENDING_VERBS or verb == "should" or bool(MODAL.search(sentence))
        addressees = self._addressees(text, sent, mentions, verb, speaker)
        concerns = []
        for m in mentions:
            if m.entity in concerns or m.entity == speaker or m.entity in addressees:
                continue
            if m.entity.cls in TOPICS or m.entity.cls in POLITIES:
                concerns.append(m.entity)
        return StatementFact(speaker, sent, recommendation, addressees, concerns, confidence)

    def _addressees(self, text: str, sent: Span, mentions: list[Mention], verb: str,
                    speaker: Entity) -> list[Entity]:
        if verb not in RECOMMENDING_VERBS:
            return []
        vm = re.search(rf"\b{verb}\b(?:\s+(?:for|on|upon))?(?:\s+that)?\s+", text[sent.start:sent.end])
        if not vm:
            return []
        pos = sent.start + vm.end()
        found: list[Entity] = []
        for m in sorted((m for m in mentions if m.start >= pos), key=lambda m: m.start):
            gap = text[pos:m.start]
            if m.entity.cls not in ACTORS or not re.fullmatch(r"(?:\s|,|and|the)*", gap):
                break
            if m.entity != speaker and m.entity not in found:
                found.append(m.entity)
            pos = m.end
        return found

    # ------------------------------------------------------------ events and agreements

    def _dated(self, text: str, sent: Span, mentions: list[Mention], dates: list[DateMention],
               rel: Relations) -> list[DatedFact]:
        facts: list[DatedFact] = []
        for m in mentions:
            if m.entity.cls not in (JT.Event, JT.Agreement, JT.Policy):
                continue
            fact = rel.dated.setdefault(str(m.entity.iri), DatedFact(m.entity, sent))
            adjacent = _adjacent_date(text, m, dates)
            if adjacent is not None and fact.date is None:
                fact.date, fact.span = adjacent, sent
            for actor in self._actors_in_name(text[m.start:m.end]):
                if actor not in fact.actors:
                    fact.actors.append(actor)
            facts.append(fact)
        # A common noun for a happening, dated in the same sentence: "a webinar ... on March 17".
        sentence = text[sent.start:sent.end]
        for noun in EVENT_NOUNS:
            nm = re.search(rf"\b{noun}\b", sentence)
            if not nm or not dates or any(f.entity.cls == JT.Event for f in facts):
                continue
            if any(m.start <= sent.start + nm.start() < m.end for m in mentions):
                continue
            noun_at = sent.start + nm.start()
            near = [d for d in dates if 0 <= d.start - noun_at <= 80 or
                    (0 <= noun_at - d.end <= 40 and not re.search(r"[,;.]", text[d.end:noun_at]))]
            if not near or (re.search(r"(?:[’']s|\bthe|\bthese|\bthose)\s+$",
                                     text[max(sent.start, noun_at - 6):noun_at]) and \
                    not any(0 <= d.start - noun_at <= 80 for d in near)):
                continue
            date = min(near, key=lambda d: abs(d.start - noun_at))
            same_day = next((f for f in rel.dated.values() if f.entity.cls == JT.Event
                             and f.date is not None and f.date.iso() == date.iso()
                             and f.date.precision == "day"), None)
            if same_day is not None:  # "the talks" and "a dialogue" on one day are one event
                entity = same_day.entity
                rel.new_entities.append(Mention(noun_at, noun_at + len(noun), entity, 0.6,
                                                "discovered"))
                facts.append(same_day)
                break
            label = self._event_label(text, sent, nm.start(), noun, date, mentions)
            entity = Entity.discovered(JT.Event, label)
            start = sent.start + nm.start()
            rel.new_entities.append(Mention(start, start + len(noun), entity, 0.6, "discovered"))
            fact = rel.dated.setdefault(str(entity.iri), DatedFact(entity, sent, date,
                                                                   confidence=0.6))
            between = re.search(r"\bbetween\b", sentence[nm.end():])
            if between:
                cut = sent.start + nm.end() + between.end()
                for m in mentions:
                    if m.start >= cut and m.entity.cls in ACTORS and m.entity not in fact.actors:
                        fact.actors.append(m.entity)
            facts.append(fact)
            break
        return facts

    def _event_label(self, text: str, sent: Span, offset: int, noun: str, date: DateMention,
                     mentions: list[Mention]) -> str:
        before = text[sent.start:sent.start + offset]
        words = re.findall(r"[\w+’'-]+|[“”\"]", before)
        modifier: list[str] = []
        for word in reversed(words):
            if word in "“”\"":
                continue
            if word.lower() in _NOT_MODIFIERS or re.fullmatch(r"\d{4}|[a-z]+ed", word) \
                    or word.endswith(("’s", "'s")) or len(modifier) == 4:
                break
            modifier.insert(0, word)
        host = re.search(r"(?:^|\s)hosted\s+(?:an?|the)\s", before)
        if host:
            owner = [m for m in mentions if m.end <= sent.start + host.start() + 1
                     and m.entity.cls in ACTORS]
            if owner:
                modifier = [owner[-1].entity.label, *[w for w in modifier if w != "hosted"
                                                      and w.lower() not in ("a", "an")]]
                modifier = [owner[-1].entity.label]
        label = " ".join([*modifier, noun]).strip()
        return f"{label[0].upper()}{label[1:]} ({date.iso()})"

    def _actors_in_name(self, name: str) -> list[Entity]:
        """States and parties named inside a name: "Taiwan-Japan Fisheries Agreement"."""
        first = re.split(r"\s+", name.strip())[0]
        parts = re.split(r"[-–—/]", first) if re.search(r"[-–—/]", first) else []
        actors: list[Entity] = []
        for part in parts:
            entity = self.gazetteer.lookup(part) or self.demonym_states.get(part)
            if entity is not None and entity.cls in ACTORS and entity not in actors:
                actors.append(entity)
        return actors if len(actors) >= 2 else []

    def _listed_participants(self, text: str, index: MentionIndex, rel: Relations) -> None:
        """Names listed under a "Panelists:" / "Speakers:" heading take part in the first event."""
        header = re.search(r"^\W*(?:Panelists|Speakers|Participants|Panel)\W*:?\W*$", text,
                           re.MULTILINE | re.IGNORECASE)
        events = [f for f in rel.dated.values() if f.entity.cls == JT.Event]
        events = [f for f in events if f.date is not None] or events  # the dated one is the event
        if not header or not events:
            return
        event = min(events, key=lambda f: f.span.start)
        pos = header.end()
        for line in re.finditer(r"^(.*)$", text[pos:], re.MULTILINE):
            content = line.group(1).strip()
            if not content:
                continue
            start = pos + line.start(1)
            persons = [m for m in index.mentions if m.entity.cls == JT.Person
                       and start <= m.start <= start + len(line.group(1))]
            if not persons or len(content.split()) > 8:
                break
            for m in persons:
                if m.entity not in event.actors:
                    event.actors.append(m.entity)

    # ------------------------------------------------------------ disputes

    def _involvements(self, text: str, sent: Span, mentions: list[Mention]) -> list[Involvement]:
        sentence = text[sent.start:sent.end]
        if not DISPUTE_WORDS.search(sentence):
            return []
        issues = [m.entity for m in mentions if m.entity.cls == JT.Issue]
        if not issues:
            return []
        states = [m.entity for m in mentions if m.entity.cls == JT.State]
        for word in re.findall(r"\b(" + "|".join(DEMONYMS) + r")\b", sentence):
            state = self.demonym_states.get(word)
            if state is not None:
                states.append(state)
        return [Involvement(issue, state, sent) for issue in dict.fromkeys(issues)
                for state in dict.fromkeys(states)]


#: Words that end the modifiers of an event noun ("... held talks" gives "talks").
_NOT_MODIFIERS = {"a", "an", "the", "its", "their", "this", "that", "of", "on", "in", "at", "by",
                  "with", "to", "and", "as", "after", "before", "since", "during", "her", "his",
                  "our", "my", "your", "held", "hold", "holds", "had", "has", "have", "was",
                  "were", "is", "are", "will", "would", "began", "started"}

#: Words that may stand between a speaker and the verb: "Koshino also recommended".
_GAP_WORDS = {"also", "then", "further", "later", "again", "has", "had", "have", "was", "once",
              "repeatedly", "recently", "previously", "subsequently", "initially", "first"}


def _subject_gap(gap: str) -> bool:
    gap = re.sub(r"^[ \t]*\([^()\n]{0,200}\)", "", gap)  # "Morimoto (Professor, ...) argued"
    if re.fullmatch(r",[ \t]+(?:an?|the)[ \t]+[^,;()]{1,80},[ \t]+", gap):
        return True  # "Tanabe, a senior researcher at the Center, said"
    words = gap.split()
    return not gap.strip(" \t") or (len(words) <= 2 and all(
        w in _GAP_WORDS or w.endswith("ly") for w in words) and "\n" not in gap)


def _closes_parenthesis(gap: str) -> bool:
    """A mention inside "(...)" before the verb is not its subject."""
    depth = 0
    for ch in gap:
        depth += ch == "("
        depth -= ch == ")"
        if depth < 0:
            return True
    return False


def _in_parentheses(text: str, sent: Span, position: int) -> bool:
    """Dates in parentheses are citations ("(Taipei Times, January 18)"), not event dates."""
    before = text[sent.start:position]
    return before.count("(") > before.count(")")


def _has_role_word(phrase: str) -> bool:
    return any(w.lower().strip(".,") in ROLE_WORDS for w in phrase.split())


def _adjacent_date(text: str, mention: Mention, dates: list[DateMention]) -> DateMention | None:
    for d in dates:
        if d.end <= mention.start and re.fullmatch(r"[ \t]*(?:[-–][ \t]*)?",
                                                   text[d.end:mention.start]):
            return d  # "the 2013 Taiwan-Japan Fisheries Agreement"
        if re.fullmatch(r"[ \t]+(?:of|in|on|signed in|adopted in)[ \t]+", text[mention.end:d.start]):
            return d  # "the Japan-China Joint Communiqué of 1972"
    return None


def _most_common_year(dates: list[DateMention]) -> int | None:
    years = [d.year for d in dates if d.day and d.year != _NO_YEAR]
    return max(set(years), key=years.count) if years else None


_NO_YEAR = -1


def _with_year(date: DateMention, full: list[DateMention],
               default: int | None) -> DateMention | None:
    """A month and day without a year take the year of the same day written in full elsewhere
    in the document ("August 27" and "August 27, 2021"), else the document's usual year."""
    if date.year != _NO_YEAR:
        return date
    same = [d.year for d in full if d.month == date.month and d.day == date.day
            and d.year != _NO_YEAR]
    year = same[0] if same else default
    if year is None:
        return None
    return DateMention(date.start, date.end, year, date.month, date.day)


__all__ = ["DatedFact", "Involvement", "PositionFact", "RelationFinder", "Relations",
           "StatementFact"]
