"""What every command module shares: the exit codes, the --store option, opening the
store, one-line failure, the progress bar.

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
from jtkg.graph.store import StoreError, StoreLocation, default_store_path
from jtkg.server.settings import BY_NAME

EXIT_OK, EXIT_INVALID, EXIT_LOAD = 0, 1, 2


def store_option(func):  # type: ignore[no-untyped-def]
    # A string, not a path: an external store is a sparql+http:// URL.
    return click.option(
        "--store", "store_path", default=None, show_default=False, help=BY_NAME["store"].help
    )(func)


def location(store_path: str | Path | None) -> StoreLocation:
    try:
        return open_location(store_path or default_store_path())
    except StoreError as exc:
        fail(str(exc))


def fail(message: str, code: int = EXIT_LOAD) -> NoReturn:
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
