"""Commands that read: query, export, extract (nothing stored), evaluate."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from jtkg.graph.build import bundled_corpus, collect_documents
from jtkg.graph.store import RECOVERY, PublishedStore, StoreError
from jtkg.loaders.extract import Extractor
from jtkg.server.cli import (
    EXIT_INVALID,
    fail,
    location,
    progress_bar,
    store_option,
)
from jtkg.server.commands_store import document_limits, limit_options

#: The one line a query gets when the store fails under it (server/sparql.py).
STORE_UNAVAILABLE = "the graph store is not available"
QUERY_FORMATS = ("json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld", "rdfxml", "trig",
                 "nquads")


@click.command("query")
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS), default=None,
              help="Result format (default: json for SELECT/ASK, turtle for CONSTRUCT/DESCRIBE).")
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
            fail(f"{query[1:]}: cannot read the query: {exc}")
    where = location(store_path)
    try:
        store = PublishedStore(where).get()
    except StoreError as exc:
        fail(str(exc))
    result = execute(store, query, accept=None, format_param=fmt)
    if result.status == 503 and result.body.startswith(STORE_UNAVAILABLE.encode()):
        # A database file failed while the query read it (opening worked).
        fail(f"{where.describe()}: the database could not be read while answering; {RECOVERY}")
    if result.status != 200:
        fail(result.body.decode().strip(), EXIT_INVALID)
    sys.stdout.buffer.write(result.body)
    if not result.body.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")


@click.command("export")
@click.option("--format", "fmt",
              type=click.Choice(["turtle", "trig", "nquads", "ntriples", "jsonld", "xml"]),
              default="trig", show_default=True, help="RDF syntax.")
@click.option("--graph", default=None, help="Export only this named graph (an IRI).")
@click.option("--scope", type=click.Choice(["all", "asserted"]), default="all", show_default=True,
              help="'asserted' leaves out the inferred graph.")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@store_option
def export_command(fmt: str, graph: str | None, scope: str, output: Path | None,
                   store_path: str | None) -> None:
    """Export the published dataset. Triple formats get the union of all graphs."""
    from jtkg.graph.export import ExportError, export

    try:
        store = location(store_path).open()
    except StoreError as exc:
        fail(str(exc))
    try:
        with progress_bar("exporting") as progress:
            if output is None:
                export(store, fmt, sys.stdout.buffer, graph, scope, progress)
            else:
                with open(output, "wb") as handle:
                    export(store, fmt, handle, graph, scope, progress)
    except ExportError as exc:
        fail(str(exc), EXIT_INVALID)
    except OSError as exc:
        if output is not None:
            output.unlink(missing_ok=True)  # a half-written export is worse than none
        fail(f"{output or 'standard output'}: cannot write: {exc.strerror or exc}")


@click.command("extract")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["trig", "nquads", "turtle"]),
              default="trig", show_default=True, help="RDF syntax of the output.")
@limit_options
def extract_command(files: tuple[Path, ...], fmt: str, **limits: str | None) -> None:
    """Extract FILES to RDF on standard output; nothing is stored. Turtle merges the
    documents' graphs; TriG and N-Quads keep one named graph per document. A document
    that cannot be read, or is over a --max-document-* limit, is skipped."""
    from rdflib import Dataset, Graph

    from jtkg.graph.pipeline import extract_all
    from jtkg.ontology import PREFIXES

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
        fail("no document could be read" if files else "no documents to extract")
    if fmt == "turtle":
        out = Graph()
        for ex in extractions:
            out += ex.facts
            out += ex.evidence
    else:
        out = Dataset()
        for ex in extractions:
            named = out.graph(ex.graph_iri)
            named += ex.facts
            named += ex.evidence
    for prefix, ns in PREFIXES.items():
        out.bind(prefix, ns)
    out.bind("id", "https://w3id.org/jtkg/id/")
    click.echo(out.serialize(format=fmt), nl=False)



@click.command("evaluate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--gold", "gold_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("tests/gold"), show_default=True,
              help="Folder of gold annotations (one YAML file per document).")
@click.option("--leave-one-out", is_flag=True,
              help="Score each document with the registry entities only it introduces removed: "
                   "the number that predicts behaviour on new documents.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--errors", is_flag=True, help="Also list every false positive and negative.")
def evaluate_command(paths: tuple[Path, ...], gold_dir: Path, leave_one_out: bool, fmt: str,
                     errors: bool) -> None:
    """Score extraction of PATHS (default: the bundled corpus) against gold annotations:
    precision, recall and F1 per entity class, affiliations, parties/participants and
    statements, and micro-averaged totals."""
    import json

    from jtkg.loaders.evaluate import evaluate, load_gold

    if not gold_dir.is_dir() or not load_gold(gold_dir):
        fail(f"{gold_dir}: no gold annotations here (run from the repository root, or "
              "give --gold)")
    documents = collect_documents(paths) if paths else bundled_corpus()
    result = evaluate(documents, gold_dir, leave_one_out=leave_one_out)
    if not result.documents:
        fail("none of the documents has gold annotations")
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), indent=2))
    else:
        mode = "leave-one-out" if leave_one_out else "full registry"
        click.echo(f"extraction scored against {gold_dir} ({mode})")
        click.echo(result.table())
        if errors:
            click.echo(result.errors())




COMMANDS = [query_command, export_command, extract_command, evaluate_command]
