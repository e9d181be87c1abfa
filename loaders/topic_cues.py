"""Discovery of issues and policies no scheme names, from general cue patterns of English:
"the dispute over X", "the X issue", "the issue of X", capitalised "X Law/Act/Strategy/
Doctrine/Initiative/Guidelines/Program/Policy", "the X doctrine", a quoted concept
("so-called 'X'"), "the threat of X", "an existential threat", "a ban on X", "an X ban".

Guards keep junk out: a noun phrase read after a cue stops at a verb, pronoun, conjunction,
preposition or punctuation and is at most six words; it must hold a word that is not a
function word or a vague modifier ("the same issue" is none); capitalised cues are skipped
in headline-cased lines and where the name is a body's ("School of Public Policy")."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from jtkg.loaders.gazetteer import longest_first
from jtkg.loaders.topic_phrases import NAME_STATES as _NAME_STATES
from jtkg.loaders.topic_phrases import Cue
from jtkg.loaders.topic_phrases import cap_first as _cap_first
from jtkg.loaders.topic_phrases import drop_determiner as _drop_determiner
from jtkg.loaders.topic_phrases import meaningful as _meaningful
from jtkg.loaders.topic_phrases import np_after as _np_after
from jtkg.loaders.topic_words import (
    BODY_WORDS,
    GENERIC_MODIFIERS,
    LOWER_POLICY_HEADS,
    OPENERS,
    POLICY_HEADS,
    POLICY_WORDS,
    SMALL,
    STOP,
    THREAT_KINDS,
    VAGUE,
)
from jtkg.ontology import JT

# ------------------------------------------------------------------------------ the cues

_DISPUTE = re.compile(
    r"\b(?P<noun>disputes?|rows?|feuds?|quarrels?|spats?|wrangles?|standoffs?"
    r"|stand-offs?|controvers(?:y|ies)|tensions|conflicts?)\s+over\s+",
    re.I,
)


def _phrases_after(
    pattern: re.Pattern[str],
    text: str,
    start: int,
    end: int,
) -> Iterator[tuple[re.Match[str], int, list[str], list[str]]]:
    """Each cue match with the noun phrase after it: (match, phrase end, its words, its words
    without a determiner), for phrases that name something."""
    for m in pattern.finditer(text, start, end):
        np = _np_after(text, m.end(), end)
        if np is None:
            continue
        _, b, words = np
        core = _drop_determiner(words)
        if core and _meaningful(core):
            yield m, b, words, core


def _dispute_over(text: str, start: int, end: int) -> list[Cue]:
    found = []
    for m, b, words, core in _phrases_after(_DISPUTE, text, start, end):
        noun = m.group("noun").lower()
        noun = "tensions" if noun == "tensions" else "conflict" if noun.startswith("conflict") else "dispute"
        x = " ".join(core)
        found.append(
            Cue(
                m.start(),
                b,
                JT.Issue,
                _cap_first(f"{noun} over {' '.join(words)}"),
                "dispute-over",
                0.65,
                (x, f"{x} dispute"),
            )
        )
    return found


_HEAD = re.compile(r"\b(?P<head>issues?|questions?|problems?|disputes?|controvers(?:y|ies))\b")
_THE = re.compile(r"\b[Tt]he\s+")
_FOLLOW_OK = STOP | {"of", "and", "or"}


def _followed_well(text: str, pos: int, end: int) -> bool:
    """After a noun phrase: end, punctuation, or a function word (not an object noun)."""
    m = re.match(r"[ \t]*([\w'’]+)?", text[pos:end])
    word = m.group(1) if m else None
    return word is None or word.lower() in _FOLLOW_OK


def _the_x_issue(text: str, start: int, end: int) -> list[Cue]:
    found = []
    for m in _HEAD.finditer(text, start, end):
        prefix = text[max(start, m.start() - 80) : m.start()]
        base = max(start, m.start() - 80)
        the = None
        for t in _THE.finditer(prefix):
            rest = prefix[t.end() :]
            if re.fullmatch(r"(?:[\w'’.\-]+ ){1,4}", rest):
                the = t
                break
        if the is None or not _followed_well(text, m.end(), end):
            continue
        words = prefix[the.end() :].split()
        if any(w.lower() in STOP | SMALL for w in words):
            continue
        while words and words[0].lower() in VAGUE:
            words = words[1:]
        if not words or not _meaningful(words) or words[-1].lower() in VAGUE:
            continue
        x_start = base + the.end() + prefix[the.end() :].index(words[0])
        head = _singular_head(m.group("head"))
        x = " ".join(words)
        found.append(Cue(x_start, m.end(), JT.Issue, _cap_first(f"{x} {head}"), "the-x-issue", 0.6, (x,)))
    return found


def _singular_head(word: str) -> str:
    low = word.lower()
    return "controversy" if low.startswith("controvers") else low.rstrip("s")


_ISSUE_OF = re.compile(r"\b[Tt]he\s+(?P<head>issue|question|problem|matter)s?\s+of\s+")


def _issue_of(text: str, start: int, end: int) -> list[Cue]:
    found = []
    for m, b, _words, core in _phrases_after(_ISSUE_OF, text, start, end):
        x, head = " ".join(core), m.group("head")
        lower = any(w[0].islower() for w in core if w.lower() not in SMALL)
        label = x if lower else f"{x} {head}"  # "forced labor"; "Taiwan question"
        found.append(
            Cue(
                m.start() + m.group().index(head),
                b,
                JT.Issue,
                _cap_first(label),
                "issue-of",
                0.55,
                (f"{head} of {x}",),
            )
        )
    return found


_CAP = r"(?:[A-Z][\w'’\-\u2010\u2011&]*\.?|\d{1,4})"
_CONN = r"(?:of|and|the|on|for|to|in|against|concerning|regarding|&)"
_RUN = re.compile(rf"(?<![\w'’\-]){_CAP}(?:[ \t]+(?:{_CONN}[ \t]+){{0,2}}{_CAP})*")


def _is_headline(text: str, start: int, end: int) -> bool:
    words = re.findall(r"[A-Za-z][\w'’\-]*", text[start:end])
    big = [w for w in words if w.lower() not in SMALL]
    return len(big) >= 4 and all(w[0].isupper() for w in big)  # "Japan Passes New Law"


def _named_policies(text: str, start: int, end: int) -> list[Cue]:
    """Capitalised names ending (or opening) with a policy's head: "Economic Security
    Promotion Act", "Act on the Protection of ...", "Taiwan Policy Act of 2022"."""
    if _is_headline(text, start, end):
        return []
    found = []
    for m in _RUN.finditer(text, start, end):
        words = m.group().split()
        offsets = [m.start() + o.start() for o in re.finditer(r"\S+", m.group())]
        # A possessive owner ("Japan's ...") and openers are no part of the name.
        cut = max((i + 1 for i, w in enumerate(words[:-1]) if w.endswith(("'s", "’s"))), default=0)
        while cut < len(words) and (words[cut] in OPENERS or words[cut].lower() in SMALL):
            cut += 1
        words, offsets = words[cut:], offsets[cut:]
        last = len(words)
        if last >= 3 and words[-2] == "of" and re.fullmatch(r"(?:19|20)\d\d", words[-1]):
            last -= 2  # "... Act of 2022"
        if last == 0:
            continue
        head = words[last - 1].rstrip(".")
        first = words[0].rstrip(".")
        if head in POLICY_HEADS:
            before = [w for w in words[: last - 1] if w.lower() not in SMALL]
            # The words after the last connector are the name's own ("... of Foreign Policy").
            own = list(itertools.takewhile(lambda w: w.lower() not in SMALL, reversed(words[: last - 1])))
            if not before or (len(own) == 1 and own[0] in GENERIC_MODIFIERS):
                continue
            name, conf = POLICY_HEADS[head]
        elif (
            first in POLICY_HEADS and len(words) >= 3 and words[1] in ("on", "for", "of", "to", "concerning")
        ):
            name, conf = POLICY_HEADS[first]
        else:
            continue
        if first in BODY_WORDS or any(
            w in BODY_WORDS and nxt in ("of", "for", "on") for w, nxt in itertools.pairwise(words)
        ):
            continue  # "Institute for ... Policy", "School of Public Policy": a body
        if name in ("program", "initiative", "plan") and any(w in BODY_WORDS for w in words):
            continue  # "the Harbor Forum Fellows Program": a body's project, not a policy
        b = offsets[len(words) - 1] + len(words[-1].rstrip("."))
        label = text[offsets[0] : b]
        found.append(Cue(offsets[0], b, JT.Policy, label, name, conf))
    return found


_LOWER_HEAD = re.compile(
    rf"(?<![\w'’\-.])(?P<x>(?:{_CAP}[ \t]+){{1,4}})(?P<head>"
    + "|".join(sorted(LOWER_POLICY_HEADS, key=len, reverse=True))
    + r")\b"
)


def _lower_heads(text: str, start: int, end: int) -> list[Cue]:
    """A capitalised modifier and a lower-case policy head: "the Fukuda doctrine"."""
    found = []
    for m in _LOWER_HEAD.finditer(text, start, end):
        words = m.group("x").split()
        offset = m.start("x")
        while words and (words[0] in OPENERS or words[0].endswith(("'s", "’s"))):
            offset = text.index(words[1], offset) if len(words) > 1 else m.start("head")
            words = words[1:]
        if not words or all(w.rstrip(".") in _NAME_STATES for w in words):
            continue  # "the Japanese strategy", "U.S. policy": a state's, not a named one
        if any(w in BODY_WORDS for w in words) or words[-1] in POLICY_HEADS:
            continue
        label = f"{' '.join(words)} {m.group('head')}"
        found.append(Cue(offset, m.end(), JT.Policy, label, m.group("head").replace(" ", "-"), 0.6))
    return found


_QUOTE = re.compile(
    r"(?P<pre>\b(?:so-called|so called|the|a|an|of|to|its|their|our|as|called|dubbed|termed"
    r"|labell?ed|branded|known as|term|concept|notion|idea|principle|policy of|it)[ \t]+)"
    r"(?P<open>[\"“‘'])(?P<x>[^\"“”‘’'\n]{2,60})(?P<close>[\"”’'])",
    re.I,
)
_PAIRS = {'"': '"', "“": "”", "‘": "’", "'": "'"}


def _quoted(text: str, start: int, end: int) -> list[Cue]:
    """A quoted lower-case concept used as a noun phrase: the so-called "X", a "X" policy."""
    found = []
    for m in _QUOTE.finditer(text, start, end):
        if _PAIRS[m.group("open")] != m.group("close"):
            continue
        if m.group("open") == "'" and re.match(r"\w", text[m.end() : m.end() + 1]):
            continue  # an apostrophe, not a closing quote
        x = m.group("x").strip()
        words = x.split()
        so_called = m.group("pre").lower().startswith("so")
        if not 1 <= len(words) <= 5 or re.search(r"[.!?,;:]", x):
            continue
        if not so_called and not x[0].islower():
            continue  # a quoted title or name, not a concept
        if any(w.lower() in STOP - {"one"} for w in words) or not _meaningful(words):
            continue
        if words[-1].lower().endswith("ly"):
            continue
        end_at, label = m.end(), x
        nxt = re.match(r"[ \t]+([a-z][a-z\-]*(?: paper)?)", text[m.end() : end])
        if nxt and nxt.group(1) in POLICY_WORDS | {"issue", "question", "problem"}:
            end_at, label = m.end() + nxt.end(), f"{x} {nxt.group(1)}"
        elif nxt and nxt.group(1) not in STOP | {"of", "and", "or"}:
            if not so_called:
                continue  # a quoted modifier ("a 'historic' visit"), not the concept
            end_at, label = m.end() + nxt.end(), f"{x} {nxt.group(1)}"  # so-called "X" tactics
        cls = JT.Policy if label.split()[-1].lower() in POLICY_WORDS else JT.Issue
        found.append(Cue(m.start("open"), end_at, cls, _cap_first(label), "quoted", 0.55))
    for m in re.finditer(r"\bso[- ]called[ \t]+(?=[A-Za-z])", text[start:end], re.I):
        np = _np_after(text, start + m.end(), end, max_words=4)
        if np is None or not _meaningful(np[2]):
            continue
        a, b, words = np
        label = " ".join(words)
        cls = JT.Policy if words[-1].lower() in POLICY_WORDS else JT.Issue
        found.append(Cue(a, b, cls, _cap_first(label), "so-called", 0.55))
    return found


_THREAT_OF = re.compile(r"\b(?:[Tt]he|[Aa])\s+(?P<t>threats?\s+of\s+)")
_THREAT_KIND = re.compile(r"\b(?P<kind>" + "|".join(sorted(THREAT_KINDS)) + r")\s+threats?\b", re.I)


def _threats(text: str, start: int, end: int) -> list[Cue]:
    found = []
    for m in _THREAT_OF.finditer(text, start, end):
        np = _np_after(text, m.end(), end)
        if np is None:
            continue
        _, b, words = np
        core = _drop_determiner(words)
        if not core or not _meaningful(core):
            continue
        found.append(
            Cue(
                m.start("t"),
                b,
                JT.Issue,
                f"Threat of {' '.join(words)}",
                "threat-of",
                0.55,
                (" ".join(core),),
            )
        )
    for m in _THREAT_KIND.finditer(text, start, end):
        label = f"{m.group('kind').lower()} threat"
        found.append(Cue(m.start(), m.end(), JT.Issue, _cap_first(label), "threat", 0.6))
    return found


_BAN_ON = re.compile(r"\bbans?\s+on\s+")
_X_BAN = re.compile(
    r"\b(?:[Aa]n?|[Tt]he|[Ii]ts|[Tt]heir|[A-Z][\w]*['’]s)[ \t]+(?P<x>(?:[a-z][\w\-]*[ \t]+)"
    r"{1,3})(?P<ban>bans?|embargo(?:es)?)\b"
)


def _bans(text: str, start: int, end: int) -> list[Cue]:
    found = []
    for m in _BAN_ON.finditer(text, start, end):
        np = _np_after(text, m.end(), end, allow=frozenset({"of", "from"}))
        if np is None:
            continue
        _, b, words = np
        core = _drop_determiner(words)
        if not core or not _meaningful(core):
            continue
        found.append(Cue(m.start(), b, JT.Policy, f"Ban on {' '.join(words)}", "ban-on", 0.6))
    for m in _X_BAN.finditer(text, start, end):
        words = m.group("x").split()
        while words and words[0].lower() in VAGUE:
            words = words[1:]
        if not words or any(w in STOP or w in SMALL for w in words) or not _meaningful(words):
            continue
        x_start = m.start("x") + m.group("x").index(words[0])
        ban = "embargo" if m.group("ban").startswith("embargo") else "ban"
        found.append(Cue(x_start, m.end(), JT.Policy, _cap_first(f"{' '.join(words)} {ban}"), "x-ban", 0.6))
    return found


def find_cues(text: str, start: int, end: int) -> list[Cue]:
    """Discovered issues and policies in ``text[start:end]`` (one sentence), longest first,
    not overlapping."""
    found: list[Cue] = []
    for cue in (
        _dispute_over,
        _the_x_issue,
        _issue_of,
        _named_policies,
        _lower_heads,
        _quoted,
        _threats,
        _bans,
    ):
        found.extend(cue(text, start, end))
    return [c for c in longest_first(found) if len(c.label) <= 90]
