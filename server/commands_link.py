"""`jtkg link`: links between our entities and those of imported graphs, with review."""

from __future__ import annotations

from pathlib import Path

import click

from jtkg.graph.store import StoreError
from jtkg.server.command_support import location, store_option


@click.command("link")
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    help="Store proposals at or above this confidence [default: the last chosen, else 0.8].",
)
@click.option(
    "--review",
    "review",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write every proposal to this TSV file to edit (accept/reject); store nothing.",
)
@click.option(
    "--apply",
    "apply",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Store the links marked accept in this edited review file.",
)
@store_option
def link_command(
    threshold: float | None, review: Path | None, apply: Path | None, store_path: str | None
) -> None:
    """Propose owl:sameAs / skos:exactMatch links between jtkg entities and the entities of
    imported graphs: by shared Wikidata identifiers first, then by normalized names and
    aliases where the types agree, then by a name in another order. Accepted links replace
    the links graph, and linked entities then answer queries as one. Once linked, the store
    keeps its links current after every ingest, import and remove, at the threshold last
    chosen here (stored with the links)."""
    from jtkg.graph.link import DEFAULT_THRESHOLD, LINKS_GRAPH, LinkError, foreign_graphs, propose
    from jtkg.graph.link_review import read_decisions, write_review
    from jtkg.graph.link_store import store_links, stored
    from jtkg.graph.translation_publish import latest
    from jtkg.server.commands_mappings import print_translation

    if review and apply:
        raise click.UsageError("--review writes proposals and --apply stores them: use one")
    where = location(store_path)
    if threshold is None:  # the one last chosen, else the default
        last = stored(where.open()).threshold if where.manifest() is not None else None
        threshold = DEFAULT_THRESHOLD if last is None else last
    rejected: list = []
    # A LinkError (a bad review file) or a StoreError reaches cli.py's handler: exit 2.
    if apply is not None:
        accepted, rejected = read_decisions(apply)
    else:
        manifest = where.manifest()
        if manifest is None:
            raise StoreError(f"{where.describe()}: no graph has been built here yet (run `jtkg build`)")
        if not foreign_graphs(manifest.graphs):
            raise LinkError("no imported graphs to link with (first: jtkg import FILE --graph IRI)")
        proposals = propose(where.open(), manifest.graphs)
        for link in proposals:
            mark = "+" if link.confidence >= threshold else " "
            click.echo(f"{mark} {link.confidence:.3f}  {link.ours}  {link.theirs}  ({link.method})")
        if review is not None:
            write_review(proposals, review, threshold)
            click.echo(
                f"wrote {len(proposals)} proposals to {review}; edit the decisions, "
                f"then: jtkg link --apply {review}"
            )
            return
        accepted = [link for link in proposals if link.confidence >= threshold]
    latest.clear()
    generation = store_links(accepted, where, threshold, rejected)
    click.echo(
        f"stored {len(accepted)} link(s) in {LINKS_GRAPH} (threshold {threshold:g}, kept for "
        f"re-linking after ingest, import and remove); published {generation}"
    )
    print_translation()  # the imported graphs whose links changed, translated again


COMMANDS = [link_command]
