"""Commands that read: query, export, extract (nothing stored), evaluate."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from jtkg.graph.build import bundled_corpus, collect_documents
from jtkg.graph.formats import TRIPLES
from jtkg.graph.store import RECOVERY, StoreDamaged
from jtkg.loaders.errors import BadInput
from jtkg.loaders.extract import Extractor
from jtkg.server.command_support import location, progress_bar, store_option
from jtkg.server.commands_mappings import export_in, vocabulary_option
from jtkg.server.commands_store import document_limits, limit_options, require_model
from jtkg.server.errors import for_status
from jtkg.server.format_option import FormatOption

#: The one line a query gets when the store fails under it (server/sparql.py).
STORE_UNAVAILABLE = "the graph store is not available"


@click.command("query")
@click.argument("query")
@click.option(
    "--format",
    "fmt",
    type=FormatOption(),
    default=None,
    help="A format of the table (as over HTTP): json, xml, csv, tsv for SELECT/ASK (default json); "
    "turtle, ntriples, n3, rdfxml, jsonld, trig, nquads for CONSTRUCT/DESCRIBE (default turtle).",
)
@store_option
def query_command(query: str, fmt: str | None, store_path: str | None) -> None:
    """Run a SPARQL QUERY against the published dataset (the default graph is the union of
    all graphs). QUERY may be '-' to read it from standard input, or @FILE."""
    from jtkg.server.sparql import execute

    if query == "-":
        query = sys.stdin.read()
    elif query.startswith("@"):
        try:
            query = Path(query[1:]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise BadInput(f"{query[1:]}: cannot read the query: {exc}") from None
    where = location(store_path)
    store = where.published().get()  # a StoreError reaches cli.py's handler
    result = execute(store, query, accept=None, format_param=fmt)
    if result.status == 503 and result.body.startswith(STORE_UNAVAILABLE.encode()):
        # A database file failed while the query read it (opening worked).
        raise StoreDamaged(f"{where.describe()}: the database could not be read while answering; {RECOVERY}")
    if result.status != 200:  # the answer's status is its error's (a malformed query: 400, exit 2)
        raise for_status(result.status, result.body.decode())
    sys.stdout.buffer.write(result.body)
    if not result.body.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=FormatOption(TRIPLES),
    default="trig",
    show_default=True,
    help="RDF syntax (trig, nquads and jsonld keep the graphs).",
)
@click.option("--graph", default=None, help="Export only this named graph (an IRI).")
@click.option(
    "--scope",
    type=click.Choice(["all", "asserted"]),
    default="all",
    show_default=True,
    help="'asserted' leaves out the inferred graph.",
)
@vocabulary_option
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
@store_option
def export_command(
    fmt: str,
    graph: str | None,
    scope: str,
    vocabulary: str | None,
    output: Path | None,
    store_path: str | None,
) -> None:
    """Export the published dataset. Triple formats get the union of all graphs."""
    from jtkg.graph.export import export, retired_links

    store = (place := location(store_path)).open()
    if vocabulary:
        return export_in(store, fmt, vocabulary, output)
    retired = retired_links(place)  # retired IRIs: owl:sameAs in their own graph
    try:
        with progress_bar("exporting") as progress:
            if output is None:
                export(store, fmt, sys.stdout.buffer, graph, scope, progress, retired)
            else:
                with open(output, "wb") as handle:
                    export(store, fmt, handle, graph, scope, progress, retired)
    except OSError as exc:  # an ExportError (unknown graph: exit 1) reaches cli.py's handler
        if output is not None:
            output.unlink(missing_ok=True)  # a half-written export is worse than none
        raise BadInput(f"{output or 'standard output'}: cannot write: {exc.strerror or exc}") from None


@click.command("extract")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=FormatOption(TRIPLES),
    default="trig",
    show_default=True,
    help="RDF syntax of the output (trig, nquads and jsonld keep one graph per document).",
)
@limit_options
def extract_command(files: tuple[Path, ...], fmt: str, **limits: str | None) -> None:
    """Extract FILES to RDF on standard output; nothing is stored. TriG, N-Quads and
    JSON-LD keep one named graph per document; the other syntaxes merge them. A document
    that cannot be read, or is over a --max-document-* limit, is skipped."""
    import pyoxigraph as ox

    from jtkg.graph.formats import find, serialize
    from jtkg.graph.pipeline import extract_all

    require_model()
    extractor = Extractor(limits=document_limits(limits))
    extractions = []
    for _, outcome in extract_all(collect_documents(files), extractor):
        if isinstance(outcome, str):
            click.echo(f"skipped: {outcome}", err=True)
        else:
            extractions.append(outcome)
    for message in (w for ex in extractions for w in ex.warnings):
        click.echo(f"warning: {message}", err=True)
    if not extractions:  # nothing on standard output: an empty document is not RDF to pipe on
        raise BadInput("no document could be read" if files else "no documents to extract")
    quads = [  # one named graph per document; formats that cannot name graphs merge them
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(str(ex.graph_iri)))
        for ex in extractions
        for layer in (ex.facts, ex.evidence)
        for t in ox.parse(layer.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    ]
    serialize(quads, find(fmt, TRIPLES), sys.stdout.buffer)


@click.command("evaluate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--gold",
    "gold_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("tests/gold"),
    show_default=True,
    help="Folder of gold annotations (one YAML file per document).",
)
@click.option(
    "--leave-one-out",
    is_flag=True,
    help="Score each document with the registry entities only it introduces removed: "
    "the number that predicts behaviour on new documents.",
)
@click.option(
    "--devset",
    "devset_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Score a development set instead (a folder of docs/*.md and gold/*.json, "
    "by the matching rules of its gold/FORMAT.md).",
)
@click.option(
    "--ablation",
    is_flag=True,
    help="One row per recipe of the ablation (rules only, + states, + model, + parse "
    "patterns, + issue scheme): the devset (with --devset) and the bundled "
    "leave-one-out side by side.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--errors", is_flag=True, help="Also list every false positive and negative.")
@click.option(
    "--per-document",
    is_flag=True,
    help="With --devset: also the counts of each document (named by file; off by "
    "default, so that a figure is read as a whole, not document by document).",
)
@click.option(
    "--show-errors",
    is_flag=True,
    help="With --devset: list the misses and false positives by name. For your own "
    "documents, not the devset (rules must not be tuned to its names).",
)
def evaluate_command(
    paths: tuple[Path, ...],
    gold_dir: Path,
    leave_one_out: bool,
    devset_dir: Path | None,
    ablation: bool,
    fmt: str,
    errors: bool,
    per_document: bool,
    show_errors: bool,
) -> None:
    """Score extraction of PATHS (default: the bundled corpus) against gold annotations:
    precision, recall and F1 per entity class, affiliations, parties/participants and
    statements, and micro-averaged totals. With --devset, score a development set by its
    own rules (per document only counts are shown, never names)."""
    import json

    from jtkg.loaders.devset import evaluate_devset, load_devset
    from jtkg.loaders.evaluate import evaluate, load_gold

    # A DevsetError (not a devset) reaches cli.py's handler: exit 2.
    if devset_dir is not None:
        load_devset(devset_dir)  # refuse a wrong folder before any extraction
    has_gold = gold_dir.is_dir() and bool(load_gold(gold_dir))
    if ablation:
        _ablation(devset_dir, paths, gold_dir if has_gold else None, fmt)
        return
    if devset_dir is not None:
        dev = evaluate_devset(devset_dir)
        if fmt == "json":
            click.echo(json.dumps(dev.to_json(per_document=per_document), indent=2))
            return
        click.echo(f"extraction scored against the devset {devset_dir} (its gold/FORMAT.md rules)")
        click.echo(dev.table())
        if per_document:
            click.echo("")
            click.echo(dev.per_document_table())
        if show_errors:
            click.echo(dev.errors())
        return
    if not has_gold:
        raise BadInput(f"{gold_dir}: no gold annotations here (run from the repository root, or give --gold)")
    documents = collect_documents(paths) if paths else bundled_corpus()
    result = evaluate(documents, gold_dir, leave_one_out=leave_one_out)
    if not result.documents:
        raise BadInput("none of the documents has gold annotations")
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), indent=2))
    else:
        mode = "leave-one-out" if leave_one_out else "full registry"
        click.echo(f"extraction scored against {gold_dir} ({mode})")
        click.echo(result.table())
        if errors or show_errors:
            click.echo(result.errors())


def _ablation(devset_dir: Path | None, paths: tuple[Path, ...], gold_dir: Path | None, fmt: str) -> None:
    """The ablation table: each recipe of loaders.recipe.ABLATION, as Extractor runs it."""
    import json

    from jtkg.loaders.devset import (
        ablation_table,
        evaluate_devset,
        headline_json,
        headline_of_bundled,
        headline_of_devset,
    )
    from jtkg.loaders.evaluate import evaluate
    from jtkg.loaders.recipe import ABLATION

    if devset_dir is None and gold_dir is None:
        raise BadInput("nothing to score: give --devset DIR, or run from the repository root (tests/gold)")
    documents = collect_documents(paths) if paths else bundled_corpus()
    rows = []
    for name, recipe in ABLATION:
        dev = headline_of_devset(evaluate_devset(devset_dir, recipe)) if devset_dir else None
        bundled = (
            headline_of_bundled(evaluate(documents, gold_dir, leave_one_out=True, recipe=recipe))
            if gold_dir
            else None
        )
        rows.append((name, dev, bundled))
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {"recipe": n, "devset": headline_json(d), "bundled_leave_one_out": headline_json(b)}
                    for n, d, b in rows
                ],
                indent=2,
            )
        )
        return
    click.echo("ablation: entity micro P/R/F1 (Person, Institution, State), affiliation F1, issue recall")
    click.echo(ablation_table(rows))


COMMANDS = [query_command, export_command, extract_command, evaluate_command]
