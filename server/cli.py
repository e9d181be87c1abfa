"""The `jtkg` command line: the group, which registers the commands of the
commands_*.py modules (what they share is in command_support.py).

Exit codes follow pySHACL: 0 success (or conforms), 1 the data does not conform (or the
request was refused), 2 something could not be loaded (store, documents, arguments).
"""

from __future__ import annotations

import signal

import click

from jtkg.graph.store import RECOVERY, is_storage_failure
from jtkg.loaders.errors import JtkgError
from jtkg.server import (
    commands_admin,
    commands_link,
    commands_mappings,
    commands_read,
    commands_retired,
    commands_serve,
    commands_store,
)
from jtkg.server.command_support import fail


class _Commands(click.Group):
    """The group, and the one handler: every JtkgError (loaders/errors.py) a command raises
    is its one line on standard error and its meaning's exit code, no traceback; a database
    file that fails under any command is one line, exit 2. No command picks a code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except JtkgError as exc:
            fail(exc.line(), exc.exit_code)
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


for _module in (
    commands_store,
    commands_read,
    commands_serve,
    commands_link,
    commands_admin,
    commands_retired,
    commands_mappings,
):
    for _command in _module.COMMANDS:
        main.add_command(_command)
