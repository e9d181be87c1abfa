"""Commands that write the store: build, ingest, remove; and validate."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from jtkg.graph.build import BuildResult, build, bundled_corpus, collect_documents
from jtkg.graph.sources import CachedSource, FetchOptions, fetch_all, read_url_list
from jtkg.graph.store import StoreLocation
from jtkg.loaders.errors import BadInput, DoesNotConform
from jtkg.loaders.extract import Extractor
from jtkg.loaders.limits import Limits, option
from jtkg.loaders.model import ModelUnavailable, check_model
from jtkg.server.command_support import EXIT_INVALID, EXIT_OK, location, progress_bar, store_option
from jtkg.server.commands_mappings import (
    import_mappings,
    mapping_option,
    print_translation,
    remove_mapping_option,
    remove_mappings,
)
from jtkg.server.settings import BY_NAME

#: The per-document bounds (loaders/limits.py): options of build, ingest and extract.
LIMIT_SETTINGS = (
    "max_document_chars",
    "max_document_mentions",
    "max_document_seconds",
    "max_document_memory_mb",
)


def limit_options(command):  # type: ignore[no-untyped-def]
    """One option per document limit; each also reads its environment variable."""
    for name in reversed(LIMIT_SETTINGS):
        setting = BY_NAME[name]
        command = click.option(
            option(name),
            setting.key,
            type=str,
            default=None,
            metavar=type(setting.default).__name__.upper(),
            help=f"{setting.help} [default: {setting.default:,}; ${setting.env}]",
        )(command)
    return command


def fetch_options(command):  # type: ignore[no-untyped-def]
    command = click.option(
        "--allow-private",
        is_flag=True,
        help=(
            "Fetch from private, loopback and link-local addresses too (refused by default, so "
            "a list of links cannot reach into your network)."
        ),
    )(command)
    return click.option(
        "--refetch", is_flag=True, help=("Fetch links again even when the source cache holds them.")
    )(command)


def document_limits(options: dict[str, object] | None = None) -> Limits:
    """The limits from options given, else the environment, else the defaults (a value out
    of type or range is a SettingError, a BadInput: one line and exit 2)."""
    return Limits(**{name: BY_NAME[name].value(options) for name in LIMIT_SETTINGS})


@click.command("build")
@click.argument("paths", nargs=-1)
@click.option(
    "--urls",
    "url_list",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="A file of links to fetch, one a line (# comments).",
)
@click.option(
    "--fresh",
    is_flag=True,
    help=(
        "Drop the graphs that did not come from the documents (imports, links, Update and "
        "Graph Store writes), saying which; by default a build keeps and re-derives them."
    ),
)
@fetch_options
@store_option
@limit_options
def build_command(
    paths: tuple[str, ...],
    url_list: Path | None,
    fresh: bool,
    refetch: bool,
    allow_private: bool,
    store_path: str | None,
    **limits: str | None,
) -> None:
    """Extract, reason, validate and publish PATHS (files, folders or http(s) URLs; default:
    the bundled corpus). Nothing is published unless the whole dataset conforms to the
    shapes. A document that cannot be read or fetched, or is over a --max-document-* limit,
    is skipped. Fetched documents are kept in STORE/sources: a rebuild does not fetch."""
    require_model()  # before fetching anything
    bounds = document_limits(limits)
    where = location(store_path)
    files, urls = split_urls(paths, url_list)
    if not files and not urls and url_list is None:
        files = bundled_corpus()
    sources = fetch_sources(urls, where, refetch, allow_private, "skipped")
    if urls and not sources and not files:
        raise BadInput("no documents to build from: no link could be fetched")
    result = run_build(files, where, bounds, sources, fresh)
    if not result.published:
        click.echo(result.report(), err=True)
        raise DoesNotConform(f"not published; the store at {where.describe()} is unchanged")
    print_summary(result, where)


def require_model() -> None:
    """The pinned spaCy model, checked before any extraction: one line saying what to install."""
    problem = check_model()
    if problem:
        raise ModelUnavailable(problem)


def run_build(
    paths: list[Path],
    where: StoreLocation,
    limits: Limits | None = None,
    sources: list[CachedSource] | None = None,
    fresh: bool = False,
) -> BuildResult:
    require_model()
    documents = collect_documents(paths)
    if not documents and not sources:
        raise BadInput("no documents to build from")
    extractor = Extractor(limits=limits or document_limits())
    with progress_bar("building") as progress:  # a StoreError reaches cli.py's handler
        result = build(
            documents, where, extractor=extractor, progress=progress, sources=sources or (), fresh=fresh
        )
    for failure in result.failures:
        click.echo(f"skipped: {failure}", err=True)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for graph in result.dropped:  # --fresh: what is gone, one line each
        click.echo(f"dropped graph {graph} (not from the documents; --fresh)", err=True)
    if result.kept:
        names = ", ".join(result.kept)
        click.echo(f"kept {len(result.kept)} graph(s) not from the documents: {names}", err=True)
    return result


def print_summary(result: BuildResult, where: StoreLocation) -> None:
    t = result.timings
    click.echo(f"published {result.generation} to {where.describe()}")
    click.echo(
        f"  {result.documents} documents, {sum(result.counts.values())} triples in "
        f"{len(result.counts)} graphs; took {t['total']:.2f} s (extract, reason and "
        f"validate {t['process']:.2f}, publish {t.get('publish', 0):.2f})"
    )
    for graph, count in sorted(result.counts.items()):
        click.echo(f"  {count:>8}  {graph}")


@click.command("ingest")
@click.argument("files", nargs=-1, required=True)
@fetch_options
@store_option
@limit_options
def ingest_command(
    files: tuple[str, ...], refetch: bool, allow_private: bool, store_path: str | None, **limits: str | None
) -> None:
    """Add new documents (files, folders or http(s) URLs) to the published graph and replace
    changed ones (by content hash), without a rebuild; unchanged ones whose extraction is out
    of date (another extractor version, registry or recipe) are extracted again. Each is
    reasoned over and validated; one that cannot be read or fetched, is over a
    --max-document-* limit or does not conform is rejected with the reason and changes
    nothing. Exit 1 if any is rejected."""
    from jtkg.graph.ingest import ingest

    require_model()
    extractor = Extractor(limits=document_limits(limits))
    where = location(store_path)
    paths, urls = split_urls(files, None)
    failed: list[str] = []
    sources = fetch_sources(urls, where, refetch, allow_private, None, failed)
    before = where.open() if where.manifest() is not None else None  # for re-linking after
    with progress_bar("ingesting") as progress:  # a StoreError reaches cli.py's handler
        result = ingest(
            collect_documents(paths), where, extractor=extractor, progress=progress, sources=sources
        )
    changed = [*result.added, *result.replaced, *result.reextracted]
    if result.generation and before is not None and changed:
        from jtkg.graph.relink import after_documents

        documents = where.manifest().documents  # type: ignore[union-attr]
        if relinked := after_documents(where, before, {documents[s]["graph"] for s in changed}):
            click.echo(relinked.line())
    result.rejected[:0] = failed
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for outcome in result.rejected_results:
        for violation in outcome.violations:
            click.echo(f"  - {violation.line()}", err=True)
    for line in result.rejected:
        click.echo(f"rejected: {line}", err=True)
    if result.reextracted:
        count = len(result.reextracted)
        click.echo(
            f"re-extracted {count} document{'s' if count != 1 else ''} whose extraction was out of date"
        )
    click.echo(
        f"added {len(result.added)}, replaced {len(result.replaced)}, unchanged "
        f"{len(result.unchanged)}, rejected {len(result.rejected)}"
        + (f"; published {result.generation}" if result.generation else "; the store is unchanged")
    )
    sys.exit(EXIT_INVALID if result.rejected else EXIT_OK)


def split_urls(args: tuple[str, ...], url_list: Path | None) -> tuple[list[Path], list[str]]:
    """(files, URLs) from arguments and a --urls file (one line and exit 2 if unreadable)."""
    from jtkg.loaders.fetch import looks_like_url

    urls = [arg for arg in args if looks_like_url(arg)]
    if url_list is not None:
        try:
            urls += read_url_list(url_list)
        except (OSError, UnicodeDecodeError) as exc:
            raise BadInput(
                f"{url_list}: cannot read the list of links: {getattr(exc, 'strerror', None) or exc}"
            ) from None
    return [Path(arg) for arg in args if not looks_like_url(arg)], urls


def fetch_sources(
    urls: list[str],
    where: StoreLocation,
    refetch: bool,
    allow_private: bool,
    label: str | None,
    failed: list[str] | None = None,
) -> list[CachedSource]:
    """The links from the source cache or the network; each redirect is shown as one line,
    each failure as one line (printed with ``label``, or collected into ``failed``)."""
    if not urls:
        return []
    options = FetchOptions(
        refetch=refetch,
        allow_private=allow_private,
        on_redirect=lambda a, b: click.echo(f"{a} -> {b}", err=True),
    )
    sources, failures = fetch_all(urls, where, options)
    for failure in failures:
        if failed is not None:
            failed.append(failure)
        else:
            click.echo(f"{label}: {failure}", err=True)
    return sources


@click.command("remove")
@click.argument("documents", nargs=-1)
@click.option(
    "--graph", "graphs", multiple=True, metavar="IRI", help="An imported graph to drop (repeatable)."
)
@remove_mapping_option
@store_option
def remove_command(
    documents: tuple[str, ...], graphs: tuple[str, ...], mappings: tuple[str, ...], store_path: str | None
) -> None:
    """Take DOCUMENTS (by name, file name or graph IRI) and the facts only they support out
    of the published graph, drop imported graphs with --graph, or your mapping sets with
    --mapping."""
    from jtkg.graph.imports import remove_graph_relinked
    from jtkg.graph.ingest import remove

    if not documents and not graphs and not mappings:
        raise click.UsageError("name documents to remove, --graph IRI or --mapping NAME")
    where = location(store_path)
    # Unknown document or graph: exit 1; damaged, full or missing store: exit 2 (cli.py).
    if documents:
        from jtkg.graph.relink import after_documents

        before, manifest = where.open(), where.manifest()
        slugs, generation = remove(documents, where)
        click.echo(f"removed {', '.join(slugs)}; published {generation}")
        graphs_of = {manifest.documents[slug]["graph"] for slug in slugs} if manifest else set()
        if relinked := after_documents(where, before, graphs_of):  # a linked store's links
            click.echo(relinked.line())
    for graph in graphs:
        generation, relinked = remove_graph_relinked(graph, where)
        click.echo(f"removed graph {graph}; published {generation}")
        if relinked is not None:
            click.echo(relinked.line())
    remove_mappings(mappings, store_path)  # a bundled or unknown set: exit 1


@click.command("import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--graph",
    default=None,
    metavar="IRI",
    help="The named graph to hold the import (replaced if it exists).",
)
@mapping_option
@store_option
def import_command(
    paths: tuple[Path, ...], graph: str | None, mappings: tuple[Path, ...], store_path: str | None
) -> None:
    """Import foreign RDF (Turtle, N-Triples, RDF/XML, JSON-LD, TriG, N-Quads; files or
    folders) into its own named graph, kept apart from extracted data. It is validated
    against the jtkg shapes where it uses the jtkg vocabulary; if it does not conform,
    nothing is stored (exit 1). What the mapping sets cover is translated into jt terms
    (`jtkg mappings`); --mapping adds your own SSSOM set first."""
    from jtkg.graph.imports import ImportRefused, import_graph

    if not import_mappings(paths, graph, mappings, store_path):
        return
    try:
        result = import_graph(list(paths), graph, location(store_path), relink_all=bool(mappings))
    except ImportRefused as exc:
        for violation in exc.violations[:20]:
            click.echo(violation.line(), err=True)
        raise  # its exit code is its meaning's: 1 does not conform or refused, 2 unreadable
    click.echo(
        f"imported {result.triples} triples from {result.files} file(s) into "
        f"{result.graph}; published {result.generation}"
    )
    if result.relinked is not None:
        click.echo(result.relinked.line())
    print_translation()  # its own and those of graphs whose links changed


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "turtle", "json"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@store_option
def validate_command(paths: tuple[Path, ...], fmt: str, store_path: str | None) -> None:
    """Validate the published dataset (or, given PATHS, those documents without publishing)
    against the SHACL shapes. Exit 0 conforms, 1 does not conform, 2 could not load."""
    from rdflib import Graph

    from jtkg.graph.build import process_documents
    from jtkg.graph.pipeline import default_base
    from jtkg.graph.store import to_rdflib
    from jtkg.graph.validate import validate

    graph = Graph()
    if paths:
        results, failures, _ = process_documents(collect_documents(paths))
        for failure in failures:
            click.echo(f"skipped: {failure}", err=True)
        for triple in default_base().closed:
            graph.add(triple)
        for result in results:
            for layer in (result.facts, result.evidence, result.inferred):
                for triple in layer:
                    graph.add(triple)
    else:
        store = location(store_path).open()
        for quad in store:
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    report = validate(graph)
    click.echo(report.render(fmt))
    sys.exit(EXIT_OK if report.conforms else EXIT_INVALID)


@click.command("push")
@store_option
def push_command(store_path: str | None) -> None:
    """Send every graph of an external store's local mirror to the store again (after a push
    that was cut short, or to fill a new store from the mirror)."""
    from jtkg.graph.remote import RemoteLocation

    where = location(store_path)
    if not isinstance(where, RemoteLocation):
        raise BadInput("push sends a mirror to an external store: give --store sparql+http://...")
    written = where.push(where.manifest(), everything=True)
    click.echo(f"pushed {written} graphs of {where.mirror.path} to {where.describe()}")


COMMANDS = [build_command, ingest_command, import_command, remove_command, validate_command, push_command]
