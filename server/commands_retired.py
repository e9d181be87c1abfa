"""`jtkg retired`: the entity IRIs a rebuild or re-ingest stopped minting, and what replaced
them (graph/retired.py). The server answers each with 301; exports carry owl:sameAs."""

from __future__ import annotations

import json

import click
import pyoxigraph as ox

from jtkg.graph.retired import read_table, same_as_quads
from jtkg.graph.store import StoreDamaged
from jtkg.server.command_support import location, store_option


@click.command("retired")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "ntriples"]),
    default="text",
    show_default=True,
    help="One line per IRI, JSON, or owl:sameAs in N-Triples.",
)
@store_option
def retired_command(fmt: str, store_path: str | None) -> None:
    """List retired entity IRIs, each with the IRI that replaced it."""
    place = location(store_path)
    name = place.current_generation()
    if name is None:
        place.open()  # says why (a StoreError): nothing built yet, or CURRENT lost
    try:
        table = read_table(place.local.path / str(name))
    except (OSError, ValueError) as exc:
        raise StoreDamaged(f"the retired-IRI table cannot be read: {exc}") from None
    rows = sorted(table.values(), key=lambda r: r.iri)
    if fmt == "json":
        click.echo(
            json.dumps(
                [{"iri": r.iri, "current": r.current, "generation": r.generation} for r in rows], indent=2
            )
        )
    elif fmt == "ntriples":
        triples = [q.triple for q in same_as_quads({r.iri: r.current for r in rows})]
        click.echo(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode(), nl=False)
    elif not rows:
        click.echo("no retired IRIs", err=True)
    else:
        for r in rows:
            click.echo(f"{r.iri}\t{r.current}\t{r.generation}")


COMMANDS = [retired_command]
