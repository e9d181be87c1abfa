"""`jtkg mappings`: the vocabulary mapping sets in force, bundled and imported; and the
options that add one (`jtkg import --mapping FILE`) and take one out (`jtkg remove
--mapping NAME`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pyoxigraph as ox

from jtkg.graph.mapping_sets import loaded_sets
from jtkg.graph.mappings import MappingSet
from jtkg.loaders.errors import BadInput
from jtkg.server.command_support import location, store_option


def describe(mapping_set: MappingSet) -> tuple[str, str, str, int, int, int]:
    """(set, where it comes from, direction, rows, rows read into jt, rows written out)."""
    into = sum(m.inward or m.guarded for m in mapping_set.mappings)
    out = sum(m.outward for m in mapping_set.mappings)
    origin = "bundled" if mapping_set.bundled else mapping_set.source
    return mapping_set.id, origin, mapping_set.direction(), len(mapping_set.mappings), into, out


@click.command("mappings")
@store_option
def mappings_command(store_path: str | None) -> None:
    """List the SSSOM mapping sets in force: the bundled ones (ontology/mappings) and those
    imported with `jtkg import --mapping FILE.sssom.tsv`, with their direction and how many
    rows translate other vocabularies into jt terms (into) and jt terms into them (out).
    `jtkg remove --mapping NAME` takes one of yours out again."""
    # A StoreError (exit 2) or a MappingError (exit 1) reaches cli.py's handler.
    where = location(store_path)
    store = where.open() if where.manifest() is not None else None
    sets = loaded_sets(store)
    rows = [describe(s) for s in sets]
    width = max(len(r[0]) for r in rows)
    click.echo(f"{'mapping set':<{width}}  {'direction':<9}  rows  into   out  source")
    for set_id, origin, direction, count, into, out in rows:
        click.echo(f"{set_id:<{width}}  {direction:<9}  {count:>4}  {into:>4}  {out:>4}  {origin}")
    click.echo(f"{len(sets)} set(s), {sum(r[3] for r in rows)} mappings")


COMMANDS = [mappings_command]


def mapping_option(command):  # type: ignore[no-untyped-def]
    return click.option(
        "--mapping",
        "mappings",
        multiple=True,
        type=click.Path(dir_okay=False, path_type=Path),
        metavar="FILE.sssom.tsv",
        help=(
            "Your own SSSOM TSV mapping set, checked against the ontology and kept in the store "
            "(repeatable); every imported graph is translated with it."
        ),
    )(command)


def import_mappings(
    paths: tuple[Path, ...], graph: str | None, mappings: tuple[Path, ...], store_path: str | None
) -> bool:
    """`jtkg import --mapping`: stores each set (a bad one: one line, exit 1, nothing
    stored). Returns whether RDF files are to be imported too."""
    if not paths and not mappings:
        raise click.UsageError("name RDF files to import (with --graph IRI), or --mapping FILE.sssom.tsv")
    if paths and not graph:
        raise click.UsageError("--graph IRI names the graph to import RDF files into")
    if mappings:
        from jtkg.graph.mapping_store import import_mapping

        where = location(store_path)
        for path in mappings:
            stored = import_mapping(path, where)  # a MappingError: exit 1, nothing stored
            click.echo(f"stored mapping set {stored.id} ({stored.rows} rows); published {stored.generation}")
            if stored.relinked is not None:
                click.echo(stored.relinked.line())
            print_translation()
    return bool(paths)


def remove_mapping_option(command):  # type: ignore[no-untyped-def]
    return click.option(
        "--mapping",
        "mappings",
        multiple=True,
        metavar="NAME",
        help=(
            "A mapping set of yours to take out (its mapping_set_id as `jtkg mappings` lists it, "
            "or the file name it was imported from; repeatable); every imported graph is "
            "translated again without it."
        ),
    )(command)


def remove_mappings(names: tuple[str, ...], store_path: str | None) -> None:
    """`jtkg remove --mapping NAME`: each set taken out through the change pipeline (a
    bundled set: refused, exit 1; an unknown name: not found, exit 1; nothing changed)."""
    from jtkg.graph.mapping_store import remove_mapping

    where = location(store_path)
    for name in names:
        removed = remove_mapping(name, where)
        click.echo(f"removed mapping set {removed.id}; published {removed.generation}")
        if removed.relinked is not None:
            click.echo(removed.relinked.line())
        print_translation()


def print_translation(graph: str | None = None) -> None:
    """What the translation of the imported graph(s) did in the change just made."""
    from jtkg.graph.translation_publish import latest

    for name, lines in sorted(latest.items()):
        if graph is None or name == graph:
            for line in lines:
                click.echo(f"  {line}")
    latest.clear()


def vocabulary_option(command):  # type: ignore[no-untyped-def]
    return click.option(
        "--vocabulary",
        type=click.Choice(["schema", "org", "wikidata"]),
        default=None,
        help=(
            "Write the dataset in schema.org, W3C ORG + FOAF or Wikidata terms through the "
            "mapping sets (jt terms no set maps are left out; evidence stays Web Annotations)."
        ),
    )(command)


def export_in(store: ox.Store, fmt: str, vocabulary: str, output: Path | None) -> None:
    """`jtkg export --vocabulary`: the export, then one line on what was left out."""
    from jtkg.graph.vocabulary_export import export_vocabulary

    try:
        if output is None:
            left_out = export_vocabulary(store, fmt, sys.stdout.buffer, vocabulary)
        else:
            with open(output, "wb") as handle:
                left_out = export_vocabulary(store, fmt, handle, vocabulary)
    except OSError as exc:
        if output is not None:
            output.unlink(missing_ok=True)
        raise BadInput(f"{output or 'standard output'}: cannot write: {exc.strerror or exc}") from None
    if left_out:
        terms = ", ".join(f"{t.rsplit('#', 1)[-1]} {n}" for t, n in left_out.most_common(5))
        count = sum(left_out.values())
        click.echo(f"left out {count} quad(s) with jt terms no {vocabulary} row maps ({terms}…)", err=True)
