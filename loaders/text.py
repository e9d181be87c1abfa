"""Text utilities for extraction: sentence spans and dates, with exact character offsets."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9

#: Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = {
    "dr",
    "mr",
    "mrs",
    "ms",
    "prof",
    "st",
    "no",
    "co",
    "inc",
    "ltd",
    "jr",
    "sr",
    "vs",
    "etc",
    "gen",
    "lt",
    "col",
    "capt",
    "rep",
    "sen",
    "gov",
    "u.s",
    "u.k",
    "e.g",
    "i.e",
    "ph.d",
    "pp",
    "vol",
    "fig",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "adm",
    "amb",
    "sec",
    "dept",
    "corp",
    "mt",
    "ft",
    "a.m",
    "p.m",
}


@dataclass(frozen=True)
class Span:
    start: int
    end: int


_BOUNDARY = re.compile(r"""[.!?]+["”’')\]*]*(?=\s)|\n""")


def sentences(text: str, start: int = 0) -> list[Span]:
    """Sentence spans (trimmed) of ``text[start:]``; a line break always ends a sentence."""
    spans: list[Span] = []
    begin = start
    for match in _BOUNDARY.finditer(text, start):
        end = match.end()
        if match.group() == "\n" and _continues(text, match.start()):
            continue
        if match.group() != "\n":
            word = re.search(r"([\w.]+)\.+$", text[begin : match.start() + 1])
            token = word.group(1).lower() if word else ""
            if token in ABBREVIATIONS or re.fullmatch(r"[a-z]", token):
                continue
            rest = text[end : end + 3].lstrip()
            if rest and rest[0].islower():
                continue
        _push(text, begin, end, spans)
        begin = end
    _push(text, begin, len(text), spans)
    return spans


def _continues(text: str, newline: int) -> bool:
    """A line break inside a sentence: the line before does not end one, and the text after
    the break (past blank lines) goes on in lowercase, as in hard-wrapped prose."""
    before = text[max(0, newline - 200) : newline].rstrip()
    if not before or before[-1] in '.!?:;"”’)]*#|' or len(before.split("\n")[-1].split()) < 6:
        return False
    after = text[newline : newline + 200].lstrip()
    return bool(re.match(r"[“\"‘']?[a-z]", after))


def _push(text: str, begin: int, end: int, spans: list[Span]) -> None:
    chunk = text[begin:end]
    stripped = chunk.strip()
    if stripped:
        lead = len(chunk) - len(chunk.lstrip())
        spans.append(Span(begin + lead, begin + lead + len(stripped)))


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def iso(self) -> str:
        if self.day and self.month:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


_MONTH = (
    r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_YEAR = r"((?:1[89]|20)\d\d)"
_DATE_PATTERNS = [
    # March 17, 2021 / March 17 2021
    (re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}\b"), ("m", "d", "y")),
    # 17 March 2021
    (re.compile(rf"\b(\d{{1,2}})\s+{_MONTH}\s+{_YEAR}\b"), ("d", "m", "y")),
    # 2021-03-17
    (re.compile(r"\b((?:1[89]|20)\d\d)-(\d\d)-(\d\d)\b"), ("y", "mn", "d")),
    # March 2021
    (re.compile(rf"\b{_MONTH}\s+(?:of\s+)?{_YEAR}\b"), ("m", "y")),
    # March 17 (year resolved from context)
    (re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*,?\s*\d)"), ("m", "d")),
    # a bare year
    (re.compile(rf"(?<![\w./-]){_YEAR}(?:[–-](\d\d))?(?![\w/%]|\.\d)"), ("y", "y2")),
]


def find_dates(
    text: str, start: int = 0, end: int | None = None, default_year: int | None = None
) -> list[DateMention]:
    """Dates in ``text[start:end]``, most precise reading first where readings overlap.

    A month and day with no year take ``default_year`` (or are dropped without one).
    """
    end = len(text) if end is None else end
    found: list[DateMention] = []
    # Spans taken by earlier (more precise) patterns: disjoint, so sorted by start they are
    # sorted by end too, and one bisection finds an overlap (a scan of all was quadratic).
    starts: list[int] = []
    ends: list[int] = []
    for pattern, fields in _DATE_PATTERNS:
        for match in pattern.finditer(text, start, end):
            before = bisect.bisect_left(starts, match.end())  # taken spans starting before it
            if before and ends[before - 1] > match.start():
                continue
            values = dict(zip(fields, match.groups(), strict=False))
            month = MONTHS.get(values["m"].lower().rstrip(".")) if "m" in values else None
            if "mn" in values:
                month = int(values["mn"])
            day = int(values["d"]) if values.get("d") else None
            year = int(values["y"]) if values.get("y") else default_year
            if year is None or (month and not 1 <= month <= 12) or (day and not 1 <= day <= 31):
                continue
            found.append(DateMention(match.start(), match.end(), year, month, day))
            starts.insert(before, match.start())
            ends.insert(before, match.end())
    return sorted(found, key=lambda d: d.start)


def words(text: str) -> list[str]:
    return re.findall(r"[\w’'-]+", text)
