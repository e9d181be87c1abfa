"""The `jtkg` command line: the group and what every command shares.

Exit codes follow pySHACL: 0 success (or conforms), 1 the data does not conform (or the
request was refused), 2 something could not be loaded (store, documents, arguments).
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import click

from jtkg.graph.remote import open_location
from jtkg.graph.store import RECOVERY, StoreError, StoreLocation, default_store_path, is_storage_failure
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


class _Commands(click.Group):
    """The group; a database file that fails under any command is one line, exit 2."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (RuntimeError, OSError) as exc:
            if not is_storage_failure(exc):
                raise
            fail(f"the store could not be read ({' '.join(str(exc).split())[:200]}); {RECOVERY}")


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="jtkg")
def main() -> None:
    """jtkg: a knowledge graph of Japan-Taiwan relations, from documents to SPARQL."""
    if hasattr(signal, "SIGXFSZ"):
        # Past a file-size limit (ulimit -f) a write fails with EFBIG, reported in one line,
        # instead of the signal killing the process halfway.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def _register() -> None:
    from jtkg.server import (
        commands_admin,
        commands_link,
        commands_read,
        commands_retired,
        commands_serve,
        commands_store,
    )

    for module in (
        commands_store,
        commands_read,
        commands_serve,
        commands_link,
        commands_admin,
        commands_retired,
    ):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
