"""What relation finding produces: positions, statements, dated facts, involvements."""

from __future__ import annotations

from dataclasses import dataclass, field

from jtkg.loaders.gazetteer import Entity
from jtkg.loaders.lexicon import ROLE_WORDS
from jtkg.loaders.mentions import Mention, MentionIndex
from jtkg.loaders.text import DateMention, Span
from jtkg.ontology import JT

ACTORS = (JT.Person, JT.Institution, JT.State)
POLITIES = (JT.Institution, JT.State)
TOPICS = (JT.Issue, JT.Agreement, JT.Policy, JT.Event)


@dataclass
class PositionFact:
    person: Entity
    role: str
    polity: Entity | None
    span: Span
    confidence: float
    start: DateMention | None = None
    end: DateMention | None = None
    #: "former Prime Minister NAME": the position has ended (no date is given for the end).
    former: bool = False
    #: The rule that found it (provenance: the annotation's jt:extractedBy).
    rule: str = ""


@dataclass
class StatementFact:
    speaker: Entity
    span: Span
    recommendation: bool
    addressees: list[Entity]
    concerns: list[Entity]
    confidence: float
    rule: str = ""


@dataclass
class Part:
    """One actor's part in an event: its role ("" for a plain participant, else a key of
    event_role_words.ROLE_PROPERTIES) and the words that name it there (a sentence or a
    list line), the evidence of that one participant."""

    actor: Entity
    role: str
    span: Span
    rule: str = ""


@dataclass
class DatedFact:
    """An event or agreement: its date, parties or participants, and where it is said."""

    entity: Entity
    span: Span
    date: DateMention | None = None
    actors: list[Entity] = field(default_factory=list)
    confidence: float = 0.7
    rule: str = ""
    #: What an agreement is about (jt:concerns: issues its topic phrase names).
    concerns: list[Entity] = field(default_factory=list)
    #: Each participant's role and own evidence (events; an actor without one is evidenced
    #: by ``span``).
    parts: list[Part] = field(default_factory=list)

    def join(self, actor: Entity, span: Span, role: str = "", rule: str = "") -> None:
        """``actor`` takes part (in ``role``), as the words at ``span`` say."""
        if actor not in self.actors:
            self.actors.append(actor)
        if not any(p.actor == actor and p.role == role and p.span == span for p in self.parts):
            self.parts.append(Part(actor, role, span, rule))


@dataclass
class Involvement:
    issue: Entity
    actor: Entity
    span: Span
    rule: str = ""


@dataclass
class BasedInFact:
    """An institution based in a state ("a Taipei-based think tank")."""

    entity: Entity
    state: Entity
    span: Span
    confidence: float
    rule: str = ""


@dataclass
class Relations:
    positions: list[PositionFact] = field(default_factory=list)
    statements: list[StatementFact] = field(default_factory=list)
    dated: dict[str, DatedFact] = field(default_factory=dict)
    involvements: list[Involvement] = field(default_factory=list)
    new_entities: list[Mention] = field(default_factory=list)
    based_in: list[BasedInFact] = field(default_factory=list)
    #: The mention index after relation finding, where a rule merged two entities (an
    #: undated heading event into the dated one); the mention stage's index is not edited.
    index: MentionIndex | None = None


def has_role_word(phrase: str) -> bool:
    return any(w.lower().strip(".,") in ROLE_WORDS for w in phrase.split())


def in_parentheses(text: str, sent: Span, position: int) -> bool:
    """Dates in parentheses are citations ("(Harbour Ledger, March 4)"), not event dates."""
    before = text[sent.start : position]
    return before.count("(") > before.count(")")
