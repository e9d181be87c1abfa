"""Institution mentions found without a cue: a rule source beside the registry and the model.

Three general rules of English and of the field, none written from any document:
- companies by their legal or corporate suffix ("X Corp.", "X Co., Ltd.", "X Holdings Inc.");
- government bodies whose name holds a list of portfolios ("the Ministry of A, B, C and D"),
  with the parenthesised abbreviation right after taken as an alias;
- a world-knowledge table of major international organisations and news agencies with their
  usual abbreviations (``KNOWN``; ``find_institutions(..., known=False)`` turns it off).
An abbreviation defined in the text ("... Co. (ABC)") is found again where it stands alone
later on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jtkg.loaders.text import Span


@dataclass(frozen=True)
class InstitutionSpan:
    start: int
    end: int
    #: The canonical name (for the table) or the name as written (without a leading "the").
    label: str
    #: Other names: the abbreviation given in parentheses, the table's other forms.
    aliases: tuple[str, ...] = ()
    #: Which rule: "rule:company", "rule:agency", "rule:known", "rule:alias".
    how: str = ""
    confidence: float = 0.8


#: International organisations and news agencies: (canonical name, other names). From general
#: knowledge of the field; states are not here (they come from the list of states).
KNOWN: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("United Nations", ("UN", "U.N.")),
    ("United Nations Security Council", ("UN Security Council", "U.N. Security Council", "UNSC")),
    ("United Nations General Assembly", ("UN General Assembly", "U.N. General Assembly", "UNGA")),
    ("World Trade Organization", ("World Trade Organisation", "WTO")),
    ("World Health Organization", ("World Health Organisation", "WHO")),
    ("International Monetary Fund", ("IMF",)),
    ("World Bank", ()),
    ("Asian Development Bank", ("ADB",)),
    ("Asian Infrastructure Investment Bank", ("AIIB",)),
    ("Association of Southeast Asian Nations", ("ASEAN",)),
    ("ASEAN Regional Forum", ()),
    ("Asia-Pacific Economic Cooperation", ("Asia Pacific Economic Cooperation", "APEC")),
    ("Group of Seven", ("G7", "G-7")),
    ("Group of Twenty", ("G20", "G-20")),
    ("North Atlantic Treaty Organization", ("North Atlantic Treaty Organisation", "NATO")),
    ("European Union", ("EU",)),
    ("European Commission", ()),
    ("European Parliament", ()),
    (
        "Organisation for Economic Co-operation and Development",
        ("Organization for Economic Cooperation and Development", "OECD"),
    ),
    ("Quadrilateral Security Dialogue", ("Quad",)),
    ("International Atomic Energy Agency", ("IAEA",)),
    ("International Civil Aviation Organization", ("International Civil Aviation Organisation", "ICAO")),
    ("International Maritime Organization", ("International Maritime Organisation", "IMO")),
    ("Interpol", ("International Criminal Police Organization", "INTERPOL")),
    ("International Court of Justice", ("ICJ",)),
    ("International Criminal Court", ("ICC",)),
    ("Permanent Court of Arbitration", ()),
    ("International Tribunal for the Law of the Sea", ("ITLOS",)),
    ("International Energy Agency", ("IEA",)),
    ("International Labour Organization", ("International Labor Organization", "ILO")),
    ("Food and Agriculture Organization", ("FAO",)),
    ("UNESCO", ("United Nations Educational, Scientific and Cultural Organization",)),
    ("UNICEF", ("United Nations Children's Fund",)),
    ("UNHCR", ("United Nations High Commissioner for Refugees",)),
    ("Shanghai Cooperation Organisation", ("Shanghai Cooperation Organization", "SCO")),
    ("BRICS", ()),
    ("African Union", ()),
    ("Pacific Islands Forum", ()),
    ("International Committee of the Red Cross", ("ICRC",)),
    # News agencies.
    ("Kyodo News", ("Kyodo", "Kyodo News Agency")),
    ("Jiji Press", ("Jiji",)),
    ("Reuters", ()),
    ("Associated Press", ("AP",)),
    ("Agence France-Presse", ("Agence France Presse", "AFP")),
    ("Xinhua News Agency", ("Xinhua",)),
    ("Central News Agency", ("CNA",)),
    ("Yonhap News Agency", ("Yonhap",)),
    ("Bloomberg", ("Bloomberg News",)),
    ("TASS", ()),
    ("Press Trust of India", ("PTI",)),
    ("Deutsche Presse-Agentur", ()),
    ("Antara", ()),
    ("Bernama", ()),
)

#: Capitalised words that start sentences or clauses and so are no part of a name before them.
_NOT_NAME = frozenset(
    "The A An In On At By For From To Of With And Or But As If When While After Before Since "
    "Its His Her Their Our Your My This That These Those Both Each Every Some Many Most Yet So "
    "Meanwhile However Also Then Now Last Next Earlier Later Today Yesterday Still Even Only "
    "Under Over Through Against Between Among Amid Despite According Said Says Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday January February March April May June July "
    "August September October November December".split()
)

#: Legal and corporate suffixes, longest first. "Group"/"Holdings" are weak (see _weak_ok).
_SUFFIX = (
    r"(?:Co\.,?\s+Ltd\.?|Co\.,?\s+Limited|Pte\.?\s+Ltd\.?|Corp\.|Corporation|Inc\.|Inc\b|"
    r"Incorporated|Ltd\.|Ltd\b|Limited|L\.L\.C\.|LLC|PLC|plc|GmbH|S\.A\.|N\.V\.|K\.K\.|"
    r"AG\b|Co\.|Company|Holdings|Group)"
)
_WORD = r"(?:[A-Z][\w’'&-]*|[A-Z]\.(?:[A-Z]\.)+|\d[\w-]*)"
_COMPANY = re.compile(rf"(?<![\w.-]){_WORD}(?:\s+(?:{_WORD}|&|of|de))*?(?:,?\s+{_SUFFIX})+(?![\w-])")
_WEAK = {"Group", "Holdings"}
#: Capitalised nouns that make "X Group" a kind of group, not a company's name.
_GENERIC = frozenset(
    "Working Study Task Advisory Expert Contact Youth Research Friendship Parliamentary Carrier "
    "Strike Battle Support Interest Pressure Rebel Militant Armed Lobby Industry Business Civic "
    "Advocacy Ethnic Terror Terrorist Focus Peer Age Blood Control Test Target Minority "
    "Majority Opposition Consultative Coordination Action Liaison Steering Drafting".split()
)

#: A body whose name lists its portfolios: "Ministry of Land, Infrastructure and Transport".
_HEADS = (
    r"(?:Ministry|Department|Bureau|Office|Agency|Council|Commission|Committee|"
    r"Administration|Authority|Board|Secretariat|Institute|Center|Centre|Service)"
)
_QUALIFIERS = r"(?:(?:Federal|National|State|Central|Joint|Presidential|Royal|Supreme)\s+)?"
_PART = r"[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2}"
_AGENCY = re.compile(
    rf"(?<![\w-]){_QUALIFIERS}{_HEADS}\s+(?:for|of|on)\s+(?:the\s+)?{_PART}"
    rf"(?:(?:,\s+{_PART})*,?\s+(?:and|&)\s+{_PART})(?![\w-])"
)
#: Portfolios of governments, for a list named with no abbreviation after it (so that
#: "the Ministry of Defense, Japan and Taiwan" is not read as one body).
PORTFOLIOS = frozenset(
    "affairs agriculture commerce communications construction culture defence defense "
    "development digital economy economic education employment energy environment finance "
    "fisheries foreign forestry health home housing industry information infrastructure "
    "interior internal justice labor labour land maritime national planning policy post "
    "posts public research resources science security services social sport sports "
    "technology telecommunications tourism trade transport transportation treasury urban "
    "veterans water welfare women works youth innovation climate family food".split()
)
_ABBREVIATION = re.compile(r"\s*\(([A-Z][A-Za-z&.-]{1,11})\)")


def find_institutions(text: str, sentences: list[Span], known: bool = True) -> list[InstitutionSpan]:
    """Institution mentions in ``sentences`` of ``text``: disjoint, in text order. ``known``
    switches the world-knowledge table (an Extractor's recipe flag passes through here)."""
    found: list[InstitutionSpan] = []
    for sent in sentences:
        found += _companies(text, sent) + _agencies(text, sent)
        if known:
            found += _known(text, sent)
    found = _disjoint(found)
    return _disjoint(found + _later_aliases(text, sentences, found))


def _companies(text: str, sent: Span) -> list[InstitutionSpan]:
    out = []
    for m in _COMPANY.finditer(text, sent.start, sent.end):
        words = m.group().split()
        lead = 0
        while lead < len(words) - 1 and words[lead] in _NOT_NAME:
            lead += 1  # "Yesterday Foo Corp." is Foo Corp.
        if (
            lead == 0
            and m.start() == sent.start
            and len(words) > 3
            and words[1] == "of"
            and words[0].endswith("s")
            and not words[0].isupper()
        ):
            lead = 2  # a sentence's first word, a plural: "Shares of Foo Corp. rose"
        name_words = [w for w in words[lead:] if w.rstrip(",.") not in _SUFFIX_WORDS]
        if not name_words or (words[-1].rstrip(".") in _WEAK and not _weak_ok(name_words)):
            continue
        start = m.start() + _offset_of_word(m.group(), lead)
        out.append(_with_abbreviation(text, start, m.end(), "rule:company", sent.end))
    return out


_SUFFIX_WORDS = {
    "Co",
    "Ltd",
    "Limited",
    "Pte",
    "Corp",
    "Corporation",
    "Inc",
    "Incorporated",
    "L.L.C",
    "LLC",
    "PLC",
    "plc",
    "GmbH",
    "S.A",
    "N.V",
    "K.K",
    "AG",
    "Company",
    "Holdings",
    "Group",
}


def _weak_ok(name_words: list[str]) -> bool:
    """'Rakuten Group' is a company, 'Working Group' and 'Youth Group' are not names."""
    content = [w for w in name_words if w not in {"&", "of", "de"}]
    return bool(content) and not all(w in _GENERIC for w in content)


def _agencies(text: str, sent: Span) -> list[InstitutionSpan]:
    out = []
    for m in _AGENCY.finditer(text, sent.start, sent.end):
        span = _with_abbreviation(text, m.start(), m.end(), "rule:agency", sent.end)
        if span.aliases:
            out.append(span)
            continue
        # No abbreviation to confirm it: the longest start of the match whose list is all
        # portfolios ("... Trade and Industry Minister X" ends at "Industry").
        ends = [m.start() + w.end() for w in re.finditer(r"\S+", m.group())]
        for end in reversed(ends):
            name = text[m.start() : end]
            if _AGENCY.fullmatch(name) and _all_portfolios(name):
                out.append(_with_abbreviation(text, m.start(), end, "rule:agency", sent.end))
                break
    return out


def _all_portfolios(name: str) -> bool:
    listed = re.split(r"\s+(?:for|of|on)\s+(?:the\s+)?", name, maxsplit=1)[-1]
    words = [w for w in re.split(r"[\s,]+", listed) if w and w not in {"and", "&"}]
    return all(w.lower().strip("’'") in PORTFOLIOS for w in words)


def _known(text: str, sent: Span) -> list[InstitutionSpan]:
    out = []
    for m in _known_pattern().finditer(text, sent.start, sent.end):
        name = m.group()
        if " " not in name and not name.isupper() and _glued(text, m.start(), m.end(), sent):
            continue  # "Michael Bloomberg", "Thomson Reuters": part of another name
        label, aliases = _KNOWN_BY_NAME[name]
        out.append(InstitutionSpan(m.start(), m.end(), label, aliases, "rule:known", 0.85))
    return out


def _glued(text: str, start: int, end: int, sent: Span) -> bool:
    """A capitalised word (not a sentence's first word of function) right before it."""
    before = re.search(r"([A-Z][a-z][\w’'-]*)[ -]$", text[sent.start : start])
    return bool(before and before.group(1) not in _NOT_NAME)


#: Every form of the table -> (canonical name, its other forms).
_KNOWN_BY_NAME = {name: (label, aliases) for label, aliases in KNOWN for name in (label, *aliases)}
_KNOWN_RE: list[re.Pattern[str]] = []


def canonical_name(name: str) -> str | None:
    """The table's canonical name of a well-known body ("Kyodo" -> "Kyodo News"), else None."""
    entry = _KNOWN_BY_NAME.get(name.strip())
    return entry[0] if entry else None


def _known_pattern() -> re.Pattern[str]:
    if not _KNOWN_RE:  # compiled once, longest name first
        names = sorted(_KNOWN_BY_NAME, key=len, reverse=True)
        _KNOWN_RE.append(re.compile(r"(?<![\w.-])(?:" + "|".join(map(re.escape, names)) + r")(?![\w-]|\.\w)"))
    return _KNOWN_RE[0]


def _with_abbreviation(text: str, start: int, end: int, how: str, limit: int) -> InstitutionSpan:
    name = text[start:end]
    label = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    if label != name:
        start += len(name) - len(label)
    m = _ABBREVIATION.match(text, end, limit)
    aliases = (m.group(1),) if m and _abbreviates(m.group(1), label) else ()
    return InstitutionSpan(start, end, " ".join(label.split()), aliases, how)


def _abbreviates(abbr: str, name: str) -> bool:
    """The abbreviation's capitals are the name's initials in order, first to first."""
    letters = [c.lower() for c in abbr if c.isupper()]
    initials = [w[0].lower() for w in re.findall(r"[A-Za-z][\w’'-]*", name)]
    if not letters or not initials or letters[0] != initials[0]:
        return False
    it = iter(initials[1:])
    return all(any(c == i for i in it) for c in letters[1:])


def _later_aliases(text: str, sentences: list[Span], found: list[InstitutionSpan]) -> list[InstitutionSpan]:
    """An abbreviation defined in the text, standing alone after its definition."""
    defined = {a: s for s in found if s.how != "rule:known" for a in s.aliases}
    if not defined:
        return []
    pattern = re.compile(r"(?<![\w.-])(?:" + "|".join(map(re.escape, defined)) + r")(?![\w-])")
    out = []
    for sent in sentences:
        for m in pattern.finditer(text, sent.start, sent.end):
            first = defined[m.group()]
            if m.start() > first.end and text[m.start() - 1] != "(":
                out.append(InstitutionSpan(m.start(), m.end(), first.label, (m.group(),), "rule:alias", 0.75))
    return out


def _disjoint(spans: list[InstitutionSpan]) -> list[InstitutionSpan]:
    """Longest first, then earliest: no two spans overlap. Returned in text order."""
    kept: list[InstitutionSpan] = []
    for s in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if all(s.end <= k.start or s.start >= k.end for k in kept):
            kept.append(s)
    return sorted(kept, key=lambda s: s.start)


def _offset_of_word(chunk: str, index: int) -> int:
    return [m.start() for m in re.finditer(r"\S+", chunk)][index] if index else 0
