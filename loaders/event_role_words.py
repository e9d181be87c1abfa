"""Words of the parts people and organizations play at an event: the headings of a list of
names ("Panelists:"), the words in parentheses after a name ("(Moderator)"), and the phrases
around a name in a sentence ("moderated by", "who chaired", "keynote speaker").

A role is one of the keys of ``ROLE_PROPERTIES``, each the local name of the jt: property
that links an event to an actor in that role (ontology/jtkg.ttl); "" is a plain participant.
"""

from __future__ import annotations

import re

#: The roles, each the jt: sub-property of jt:participant it is written as.
ROLE_PROPERTIES = {
    "": "participant",
    "host": "host",
    "moderator": "moderator",
    "chair": "chair",
    "speaker": "speaker",
    "keynote": "keynoteSpeaker",
    "panelist": "panelist",
    "discussant": "discussant",
}

#: Roles only a person plays (a host may be an organization).
PERSON_ROLES = frozenset(ROLE_PROPERTIES) - {"", "host"}

#: A role word as written (singular or plural, any case) → its role.
ROLE_WORDS = {
    "participant": "",
    "participants": "",
    "attendees": "",
    "host": "host",
    "hosts": "host",
    "hosted by": "host",
    "organizer": "host",
    "organizers": "host",
    "organiser": "host",
    "organisers": "host",
    "moderator": "moderator",
    "moderators": "moderator",
    "moderated by": "moderator",
    "facilitator": "moderator",
    "facilitators": "moderator",
    "chair": "chair",
    "chairs": "chair",
    "chairperson": "chair",
    "chairman": "chair",
    "chairwoman": "chair",
    "co-chair": "chair",
    "co-chairs": "chair",
    "session chair": "chair",
    "speaker": "speaker",
    "speakers": "speaker",
    "presenter": "speaker",
    "presenters": "speaker",
    "featured speakers": "speaker",
    "keynote": "keynote",
    "keynote speaker": "keynote",
    "keynote speakers": "keynote",
    "keynote address": "keynote",
    "keynote remarks": "keynote",
    "panelist": "panelist",
    "panelists": "panelist",
    "panellist": "panelist",
    "panellists": "panelist",
    "panel": "panelist",
    "discussant": "discussant",
    "discussants": "discussant",
    "commentator": "discussant",
    "commentators": "discussant",
    "respondent": "discussant",
    "respondents": "discussant",
    "opening remarks": "speaker",
    "welcome remarks": "speaker",
    "welcoming remarks": "speaker",
    "closing remarks": "speaker",
    "introductory remarks": "speaker",
}


def _alternatives(words: object) -> str:
    """A regex alternation of ``words``, the longest first (so "keynote speaker" wins over
    "keynote")."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # type: ignore[call-overload]


_ANY_ROLE = _alternatives(ROLE_WORDS)

#: A heading line over a list of names: "Panelists:", "*Speakers*", "Moderator", "Panel".
HEADING = re.compile(rf"^[^\w\n]*(?P<role>{_ANY_ROLE})[^\w\n]*$", re.MULTILINE | re.IGNORECASE)
#: A heading with its names on the same line: "Moderator: Jane Roe", "Speakers: A, B and C".
INLINE_HEADING = re.compile(
    rf"^[^\w\n]*(?P<role>{_ANY_ROLE})[*_]*[ \t]*[:–—][*_]*[ \t]*(?P<names>\S.*)$",
    re.MULTILINE | re.IGNORECASE,
)
#: A role in parentheses, or after a dash or comma, right after a name on a list line or in
#: a sentence: "Jane Roe (Moderator)", "Jane Roe – moderator".
AFTER_NAME = re.compile(
    rf"[ \t]*(?:\([ \t]*(?P<paren>{_ANY_ROLE})[ \t]*\)|[–—][ \t]*(?P<dash>{_ANY_ROLE})\b[ \t]*$)",
    re.IGNORECASE,
)

#: Phrases that give the role of the names right after them: "moderated by", "keynote by",
#: "opening remarks by", "with moderator".
BY_PHRASE = re.compile(
    r"\b(?P<cue>moderated|hosted|chaired|organi[sz]ed|co-hosted|facilitated|"
    r"(?:a |the )?keynote(?: address| speech| remarks| lecture)?|"
    r"(?:opening|welcome|welcoming|closing|introductory) remarks)"
    r"(?:[ \t]+(?:were|was|are|is))?(?:[ \t]+(?:given|delivered|made))?[ \t]+by[ \t]+(?:the[ \t]+)?$",
    re.IGNORECASE,
)
BY_ROLES = {
    "moderated": "moderator",
    "facilitated": "moderator",
    "hosted": "host",
    "co-hosted": "host",
    "organized": "host",
    "organised": "host",
    "chaired": "chair",
}

#: A role word directly before the names: "moderator Jane Roe", "keynote speaker Jane Roe",
#: "panelists Jane Roe and John Doe" (title words between are the name's own).
BEFORE_NAME = re.compile(
    r"\b(?P<role>moderator|facilitator|chair(?:person)?|discussants?|panell?ists?|"
    r"keynote speakers?|speakers|presenters)"
    r"(?:[ \t]+(?:included|include|were|are|was|is|featured|features|comprised))?[ \t,:]+(?:the[ \t]+)?$",
    re.IGNORECASE,
)

#: What follows a name to give its role: ", who moderated", " served as moderator",
#: " chaired the session".
AFTER_PHRASE = re.compile(
    r"(?:[ \t]*,[ \t]*(?:the|a|an|our)[ \t]+(?P<appos>moderator|keynote speaker|discussant|panell?ist)\b)|"
    r"(?:[ \t]*,[ \t]*who|[ \t]+(?:also|then|later))?[ \t]+(?:"
    r"(?P<verb>moderated|chaired|hosted|co-hosted|facilitated)"
    r"(?P<object>(?:[ \t]+(?:the|a|an|this|that|our|its|their|\w+-\w+|[a-z]+)){0,3}?[ \t]+"
    r"(?:panel|discussion|session|webinar|event|conference|symposium|forum|dialogue|meeting|"
    r"seminar|roundtable|workshop|briefing|talks|debate|q&a|conversation|proceedings))?|"
    r"(?:(?:served|acted|was|were)[ \t]+)?as[ \t]+(?:the[ \t]+|an?[ \t]+)?(?P<as>" + _ANY_ROLE + r")|"
    r"(?:delivered|gave|made|offered|provided)[ \t]+(?:the[ \t]+|an?[ \t]+)?(?P<gave>" + _ANY_ROLE + r"))\b",
    re.IGNORECASE,
)
#: The verbs after a name that make a role only with an event as their object ("hosted the
#: forum", not "hosted a delegation"); opening an event is no role of its own (the
#: moderator often does).
VERB_ROLES = {
    "moderated": "moderator",
    "facilitated": "moderator",
    "chaired": "chair",
    "hosted": "host",
    "co-hosted": "host",
}
#: The verbs that make a role without an object, where the clause ends after them
#: ("NAME, who moderated, said ..."; not "NAME chaired the committee").
VERBS_ALONE = frozenset({"moderated", "chaired", "facilitated"})
#: Roles that are also posts ("chair of the committee", "host of the show"): given by "as"
#: only in a sentence about an event, and not before "of".
POST_ROLES = frozenset({"chair", "host"})


#: A stem every role word, cue and verb above holds: a sentence without one gives no role
#: (read first, so most sentences cost one search).
ANY_CUE = re.compile(
    r"moderat|facilitat|host|chair|organi[sz]|keynote|remarks|speaker|presenter|panel|"
    r"discussant|commentator|respondent|participant|attendee",
    re.IGNORECASE,
)


def role_of(word: str | None) -> str | None:
    """The role a written role word stands for, or None."""
    if not word:
        return None
    return ROLE_WORDS.get(re.sub(r"\s+", " ", word.lower().strip()))
