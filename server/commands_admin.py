"""Commands that look after the store itself: doctor, backup, restore."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from jtkg.graph.remote import RemoteLocation
from jtkg.graph.store import StoreError, StoreLocation
from jtkg.loaders.errors import BadInput
from jtkg.server.command_support import EXIT_INVALID, EXIT_OK, location, store_option


def _local(store_path: str | None, what: str) -> StoreLocation:
    where = location(store_path)
    if isinstance(where, RemoteLocation):
        raise BadInput(
            f"{what} works on a store folder; an external store has its own tools (its local "
            f"mirror is {where.mirror.path})"
        )
    return where


def _damaged(message: str) -> NoReturn:
    """doctor's outcome "damaged": the way out on one line, exit 1."""
    click.echo(f"jtkg: {message}", err=True)
    sys.exit(EXIT_INVALID)


@click.command("doctor")
@click.option("--fix", is_flag=True, help="Point CURRENT at the newest intact generation without asking.")
@store_option
def doctor_command(fix: bool, store_path: str | None) -> None:
    """Check the store: CURRENT names a generation, its manifest reads, its database opens and
    holds the triples the manifest counts, and its sidecar reads. If it is damaged, name the
    newest intact generation and (with --fix, or when you confirm) point CURRENT at it.
    Exit 0 healthy, 1 damaged, 2 not a store."""
    from jtkg.graph.doctor import diagnose, point_current

    where = _local(store_path, "doctor")
    diagnosis = diagnose(where)  # a StoreError reaches cli.py's handler: exit 2
    if not diagnosis.is_store:
        raise StoreError(f"{where.path}: not a jtkg store (no CURRENT and no generation folder)")
    click.echo(f"store {where.path}")
    for line in diagnosis.generations:
        click.echo(f"  {line}")
    if diagnosis.healthy:
        click.echo(f"healthy: {diagnosis.current} is published and intact")
        sys.exit(EXIT_OK)
    for problem in diagnosis.problems:
        click.echo(f"damaged: {problem}", err=True)
    if diagnosis.fallback is None:  # the check's outcome (exit 1, damaged), not an error
        _damaged(
            "no intact generation to fall back to: run `jtkg build` to rebuild (or `jtkg "
            "restore DIR` from a backup)"
        )
    click.echo(f"newest intact generation: {diagnosis.fallback} (changes published after it are not in it)")
    if not fix and not (
        sys.stdin.isatty()
        and click.confirm(f"Point CURRENT at {diagnosis.fallback}?", default=False, err=True)
    ):
        _damaged(
            f"to recover: jtkg doctor --fix --store {where.path} (points CURRENT at "
            f"{diagnosis.fallback}), or jtkg build"
        )
    # A StoreError here (CURRENT cannot be written: full disk, permissions) is the store's
    # being unusable, exit 2 as everywhere, not the "damaged" outcome.
    point_current(where, diagnosis.fallback)
    click.echo(f"fixed: CURRENT now names {diagnosis.fallback}")


@click.command("backup")
@click.argument("target", type=click.Path(path_type=Path))
@store_option
def backup_command(target: Path, store_path: str | None) -> None:
    """Copy the published dataset into TARGET (a new or empty folder) as a store folder of its
    own, consistently, while a server runs and others write. The copy is checked before this
    reports success; `--store TARGET` reads it, `jtkg restore TARGET` puts it back."""
    from jtkg.graph.backup import backup

    where = _local(store_path, "backup")
    copied = backup(where, target)
    click.echo(
        f"backed up {copied.generation} ({copied.triples} triples in "
        f"{len(copied.manifest.graphs)} graphs) to {target}"
    )


@click.command("restore")
@click.argument("source", type=click.Path(path_type=Path))
@store_option
def restore_command(source: Path, store_path: str | None) -> None:
    """Check the backup in SOURCE and publish it as a new generation of the store (atomically;
    the generations before it are kept as after any publish). A running server serves it
    from its next request."""
    from jtkg.graph.backup import restore

    where = _local(store_path, "restore")
    copied = restore(where, source)
    click.echo(
        f"restored {source} as {copied.generation} ({copied.triples} triples in "
        f"{len(copied.manifest.graphs)} graphs) in {where.path}"
    )


COMMANDS = [doctor_command, backup_command, restore_command]
