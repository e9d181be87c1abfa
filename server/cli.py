"""The `jtkg` command line.

Exit codes follow pySHACL: 0 success (or conforms), 1 the data does not conform (or the
query was refused), 2 something could not be loaded (store, documents, arguments).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from jtkg.graph.build import BuildResult, build, bundled_corpus, collect_documents, extract_all
from jtkg.graph.store import PublishedStore, StoreError, StoreLocation, default_store_path
from jtkg.loaders.extract import Extractor
from jtkg.server.settings import BY_NAME

EXIT_OK, EXIT_INVALID, EXIT_LOAD = 0, 1, 2
QUERY_FORMATS = ("json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld", "rdfxml", "trig",
                 "nquads")


def _store_option(func):  # type: ignore[no-untyped-def]
    return click.option("--store", "store_path", type=click.Path(path_type=Path),
                        default=None, show_default=False,
                        help=BY_NAME["store"].help)(func)


def _location(store_path: Path | None) -> StoreLocation:
    return StoreLocation(store_path or default_store_path())


def _fail(message: str, code: int = EXIT_LOAD) -> None:
    click.echo(f"jtkg: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="jtkg")
def main() -> None:
    """jtkg: a knowledge graph of Japan-Taiwan relations, from documents to SPARQL."""


# ------------------------------------------------------------------ build and validate

@main.command("build")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_store_option
def build_command(paths: tuple[Path, ...], store_path: Path | None) -> None:
    """Extract, reason, validate and publish PATHS (files or folders; default: the bundled
    corpus). Nothing is published unless the whole dataset conforms to the shapes."""
    location = _location(store_path)
    try:
        result = _run_build(list(paths) or bundled_corpus(), location)
    except StoreError as exc:
        _fail(str(exc))
    for failure in result.failures:
        click.echo(f"skipped: {failure}", err=True)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if not result.published:
        click.echo(result.report.render("text") if result.report else "not published", err=True)
        click.echo(f"jtkg: not published; the store at {location.path} is unchanged", err=True)
        sys.exit(EXIT_INVALID)
    _print_summary(result, location)


def _run_build(paths: list[Path], location: StoreLocation) -> BuildResult:
    documents = collect_documents(paths)
    if not documents:
        _fail("no documents to build from")
    bar = None
    if sys.stderr.isatty():
        bar = click.progressbar(length=len(documents), label="extracting", file=sys.stderr)
        bar.__enter__()

    def progress(stage: str, done: int, total: int) -> None:
        if bar is not None:
            bar.update(1)

    try:
        return build(documents, location, progress=progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def _print_summary(result: BuildResult, location: StoreLocation) -> None:
    t = result.timings
    click.echo(f"published {result.generation} to {location.path}")
    click.echo(f"  {sum(result.counts.values())} triples in {len(result.counts)} graphs; "
               f"took {t['total']:.2f} s (extract {t['extract']:.2f}, reason {t['reason']:.2f}, "
               f"validate {t['validate']:.2f}, publish {t.get('publish', 0):.2f})")
    for graph, count in sorted(result.counts.items()):
        click.echo(f"  {count:>8}  {graph}")


@main.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "turtle", "json"]), default="text",
              show_default=True, help="Report format.")
@_store_option
def validate_command(paths: tuple[Path, ...], fmt: str, store_path: Path | None) -> None:
    """Validate the published dataset (or, given PATHS, those documents without publishing)
    against the SHACL shapes. Exit 0 conforms, 1 does not conform, 2 could not load."""
    from jtkg.graph.build import assemble
    from jtkg.graph.reason import materialize
    from jtkg.graph.validate import validate
    from jtkg.ontology import INFERRED_GRAPH

    if paths:
        extractions, failures, _ = extract_all(collect_documents(paths), Extractor())
        for failure in failures:
            click.echo(f"skipped: {failure}", err=True)
        data = assemble(extractions)
        data.graphs[INFERRED_GRAPH] = materialize(data.fact_triples())
        report = validate(data.union(), sources_of=data.sources_of)
    else:
        try:
            store = _location(store_path).open()
        except StoreError as exc:
            _fail(str(exc))
        from rdflib import Graph

        from jtkg.graph.store import to_rdflib

        graph = Graph()
        for quad in store:
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate),
                       to_rdflib(quad.object)))
        report = validate(graph)
    click.echo(report.render(fmt))
    sys.exit(EXIT_OK if report.conforms else EXIT_INVALID)


# ------------------------------------------------------------------ reading the store

@main.command("query")
@click.argument("query")
@click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS), default=None,
              help="Result format (default: json for SELECT/ASK, turtle for CONSTRUCT/DESCRIBE).")
@_store_option
def query_command(query: str, fmt: str | None, store_path: Path | None) -> None:
    """Run a SPARQL QUERY against the published dataset (the default graph is the union of
    all graphs). QUERY may be '-' to read it from standard input, or @FILE."""
    from jtkg.server.sparql import execute

    if query == "-":
        query = sys.stdin.read()
    elif query.startswith("@"):
        try:
            query = Path(query[1:]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            _fail(f"{query[1:]}: cannot read the query: {exc}")
    try:
        store = PublishedStore(_location(store_path)).get()
    except StoreError as exc:
        _fail(str(exc))
    result = execute(store, query, accept=None, format_param=fmt)
    if result.status != 200:
        _fail(result.body.decode().strip(), EXIT_INVALID)
    sys.stdout.buffer.write(result.body)
    if not result.body.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")


@main.command("export")
@click.option("--format", "fmt",
              type=click.Choice(["turtle", "trig", "nquads", "ntriples", "jsonld", "xml"]),
              default="trig", show_default=True, help="RDF syntax.")
@click.option("--graph", default=None, help="Export only this named graph (an IRI).")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="Write to this file instead of standard output.")
@_store_option
def export_command(fmt: str, graph: str | None, output: Path | None,
                   store_path: Path | None) -> None:
    """Export the published dataset. Triple formats get the union of all graphs."""
    from jtkg.graph.export import ExportError, export

    try:
        store = _location(store_path).open()
    except StoreError as exc:
        _fail(str(exc))
    try:
        if output is None:
            export(store, fmt, sys.stdout.buffer, graph)
        else:
            with open(output, "wb") as handle:
                export(store, fmt, handle, graph)
    except ExportError as exc:
        _fail(str(exc), EXIT_INVALID)
    except OSError as exc:
        _fail(f"{output}: cannot write: {exc.strerror or exc}")


@main.command("extract")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["trig", "nquads", "turtle"]),
              default="trig", show_default=True, help="RDF syntax of the output.")
def extract_command(files: tuple[Path, ...], fmt: str) -> None:
    """Extract FILES to RDF on standard output; nothing is stored. Turtle merges the
    documents' graphs; TriG and N-Quads keep one named graph per document."""
    from rdflib import Dataset, Graph

    from jtkg.ontology import PREFIXES

    extractions, failures, warnings = extract_all(collect_documents(files), Extractor())
    for message in failures:
        click.echo(f"skipped: {message}", err=True)
    for message in warnings:
        click.echo(f"warning: {message}", err=True)
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
    if not extractions:
        sys.exit(EXIT_LOAD)


@main.command("evaluate")
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
        _fail(f"{gold_dir}: no gold annotations here (run from the repository root, or "
              "give --gold)")
    documents = collect_documents(paths) if paths else bundled_corpus()
    result = evaluate(documents, gold_dir, leave_one_out=leave_one_out)
    if not result.documents:
        _fail("none of the documents has gold annotations")
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), indent=2))
    else:
        mode = "leave-one-out" if leave_one_out else "full registry"
        click.echo(f"extraction scored against {gold_dir} ({mode})")
        click.echo(result.table())
        if errors:
            click.echo(result.errors())


# ------------------------------------------------------------------ serving

@main.command("serve")
@click.option("--host", default=None, help=BY_NAME["host"].help + " [default: 127.0.0.1]")
@click.option("--port", type=int, default=None, help=BY_NAME["port"].help + " [default: 5000]")
@click.option("--threads", type=int, default=None, help=BY_NAME["threads"].help)
@_store_option
def serve_command(host: str | None, port: int | None, threads: int | None,
                  store_path: Path | None) -> None:
    """Serve the store over HTTP with waitress (a production WSGI server): /sparql and the
    linked-data pages. Builds the bundled corpus first if the store holds no graph."""
    import waitress

    from jtkg.server.app import create_app

    app = create_app({"STORE": store_path, "HOST": host, "PORT": port, "THREADS": threads})
    location = StoreLocation(app.config["STORE"])
    try:
        if not location.exists():
            click.echo(f"no graph in {location.path}: building the bundled corpus first", err=True)
            result = _run_build(bundled_corpus(), location)
            if not result.published:
                click.echo(result.report.render("text") if result.report else "", err=True)
                _fail("the bundled corpus did not validate; nothing to serve", EXIT_INVALID)
            _print_summary(result, location)
    except StoreError as exc:
        _fail(str(exc))
    host, port = app.config["HOST"], int(app.config["PORT"])
    try:
        server = waitress.create_server(app, host=host, port=port,
                                        threads=int(app.config["THREADS"]),
                                        max_request_body_size=int(app.config["MAX_BODY_BYTES"]))
    except OSError as exc:
        _fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"jtkg serving {location.path} at http://{shown}:{server.effective_port}/ "
               f"(SPARQL: http://{shown}:{server.effective_port}/sparql); Ctrl-C stops", err=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


if __name__ == "__main__":  # pragma: no cover
    main()
