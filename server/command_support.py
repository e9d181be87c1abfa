"""What every command module shares: the exit codes of outcomes (a report that does not
conform), the --store option, opening the store, the one-line printer, the progress bar.
Errors are raised (loaders/errors.py), and cli.py's one handler prints them.

Its own module so that the command modules need not import cli.py, which imports them
to register their commands: cli.py imports the command modules, they import this.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import click

from jtkg.graph.remote import open_location
from jtkg.graph.store import StoreLocation, default_store_path
from jtkg.server.settings import BY_NAME

EXIT_OK, EXIT_INVALID, EXIT_LOAD = 0, 1, 2


def store_option(func):  # type: ignore[no-untyped-def]
    # A string, not a path: an external store is a sparql+http:// URL.
    return click.option(
        "--store", "store_path", default=None, show_default=False, help=BY_NAME["store"].help
    )(func)


def location(store_path: str | Path | None) -> StoreLocation:
    """The store named (or the default); a StoreError reaches cli.py's handler."""
    return open_location(store_path or default_store_path())


def fail(message: str, code: int = EXIT_LOAD) -> NoReturn:
    """One line on standard error and the exit code: what cli.py's handler does with a
    JtkgError. Commands raise the error of their meaning instead of calling this."""
    click.echo(f"jtkg: {message}", err=True)
    sys.exit(code)


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[str, int, int], None]]:
    """A progress callback: a bar on a terminal, nothing when output is not one."""
    state: dict[str, object] = {}

    def update(stage: str, done: int, total: int) -> None:
        if not sys.stderr.isatty():
            return
        bar = state.get("bar")
        if bar is None:
            bar = click.progressbar(length=total, label=label, file=sys.stderr)
            bar.__enter__()
            state["bar"] = bar
        bar.update(done - bar.pos)  # type: ignore[attr-defined]

    try:
        yield update
    finally:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)  # type: ignore[attr-defined]
