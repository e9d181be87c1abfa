"""Dates of events: a date written beside a name, and the year of a month and day written
without one."""

from __future__ import annotations

import re
from collections import Counter

from jtkg.loaders.mentions import Mention
from jtkg.loaders.text import DateMention


def adjacent_date(text: str, mention: Mention, dates: list[DateMention]) -> DateMention | None:
    for d in dates:
        if d.end <= mention.start and re.fullmatch(r"[ \t]*(?:[-–][ \t]*)?", text[d.end : mention.start]):
            return d  # "the 1998 Elbonia-Japan Trade Accord"
        if re.fullmatch(r"[ \t]+(?:of|in|on|signed in|adopted in)[ \t]+", text[mention.end : d.start]):
            return d  # "the Elbonia-Japan Trade Accord of 1998"
    return None


def most_common_year(dates: list[DateMention]) -> int | None:
    years = [d.year for d in dates if d.day and d.year != NO_YEAR]
    counts = Counter(years)  # years.count per distinct year was quadratic; same order, same pick
    return max(set(years), key=counts.__getitem__) if years else None


def years_by_day(full: list[DateMention]) -> dict[tuple[int | None, int | None], int]:
    """The first year written for each month and day: what ``with_year`` looks up."""
    table: dict[tuple[int | None, int | None], int] = {}
    for d in full:
        if d.year != NO_YEAR:
            table.setdefault((d.month, d.day), d.year)
    return table


NO_YEAR = -1


def with_year(
    date: DateMention, years: dict[tuple[int | None, int | None], int], default: int | None
) -> DateMention | None:
    """A month and day without a year take the year of the same day written in full elsewhere
    in the document ("August 27" and "August 27, 2021"), else the document's usual year.
    ``years`` is ``years_by_day`` of the document's dates."""
    if date.year != NO_YEAR:
        return date
    year = years.get((date.month, date.day), default)
    if year is None:
        return None
    return DateMention(date.start, date.end, year, date.month, date.day)
