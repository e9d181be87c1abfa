"""`--format` for the commands, from graph/formats.py's one table: a name (or alias, or
media type) means what it means over HTTP, and one that cannot carry what the command
writes is refused with the line naming the formats that can (exit 2, like any bad option)."""

from __future__ import annotations

from typing import Any

import click

from jtkg.graph.formats import FORMATS, Format, FormatError, carrying, find, lookup, refusal


class FormatOption(click.ParamType):
    """A format of the table carrying ``what``; with None, any format of the table (a query
    decides once it knows its form). The value stays as given (an alias, a media type), so
    a refusal names it as the same request over HTTP would."""

    name = "format"

    def __init__(self, what: str | None = None) -> None:
        self.what = what
        self.formats: tuple[Format, ...] = carrying(what) if what else FORMATS

    def get_metavar(self, param: click.Parameter, *args: Any, **kwargs: Any) -> str:
        return "[" + "|".join(f.name for f in self.formats) + "]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            if self.what is not None:
                find(str(value), self.what)
            elif lookup(str(value)) is None:
                raise FormatError(refusal(str(value), FORMATS))
            return str(value)
        except FormatError as exc:
            self.fail(str(exc), param, ctx)
