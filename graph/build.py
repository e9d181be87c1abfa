"""Building the dataset: every document extracted, reasoned and validated (in parallel),
published as one new generation only if all of it conforms."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from jtkg.graph.bulk_writer import BulkWriter
from jtkg.graph.change import settle
from jtkg.graph.derive import DEFAULT, owned, term
from jtkg.graph.ingest import write_base
from jtkg.graph.pipeline import DocumentResult, Progress, default_base, process_all
from jtkg.graph.sources import CachedSource, with_sources
from jtkg.graph.store import Generation, StoreError, StoreLocation
from jtkg.graph.validate import Violation
from jtkg.loaders.extract import Extractor
from jtkg.loaders.reader import media_type_of


def bundled_corpus() -> list[Path]:
    """The documents shipped with the package, in a stable order."""
    folder = Path(str(resources.files("jtkg.corpus")))
    return sorted(p for p in folder.iterdir() if media_type_of(p) is not None)


def collect_documents(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the supported documents inside folders named."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and media_type_of(p) is not None))
        else:
            found.append(path)
    return found


@dataclass
class BuildResult:
    published: bool
    violations: list[Violation]
    failures: list[str]
    warnings: list[str]
    timings: dict[str, float]
    counts: dict[str, int] = field(default_factory=dict)
    generation: str | None = None
    documents: int = 0
    #: Graphs that did not come from the documents (imports, links, Update and Graph Store
    #: writes): kept from the published generation and re-derived (or dropped by ``fresh``).
    kept: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    def report(self) -> str:
        if not self.violations:
            return "Conforms: the data satisfies every shape."
        lines = [f"Does not conform: {len(self.violations)} violation(s)"]
        return "\n".join(lines + [f"  - {v.line()}" for v in self.violations])


class _Refused(Exception):
    """Raised inside a generation to discard it."""


def build(
    paths: Iterable[str | Path],
    store: StoreLocation,
    extractor: Extractor | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    sources: Sequence[CachedSource] = (),
    fresh: bool = False,
) -> BuildResult:
    """Extracts, reasons and validates every document, writing each into a new generation as
    it arrives; the generation is published only if every readable document conforms, and
    thrown away otherwise. A document that cannot be read is skipped and reported.
    ``sources`` are fetched documents (graph/sources.py), read from the cache by URL.
    The user graphs of the published generation (every graph the build does not write) are
    sources too: copied, re-derived and validated with the documents; ``fresh`` drops them
    (``BuildResult.dropped`` names them)."""
    documents: list[Path | str] = [*collect_documents(paths), *(s.url for s in sources)]
    extractor = with_sources(extractor, sources)
    store.check_writable()
    started = time.perf_counter()
    timings = {"extract_cpu": 0.0, "reason_cpu": 0.0, "validate_cpu": 0.0}
    failures: list[str] = []
    warnings: list[str] = []
    violations: list[Violation] = list(validate_base())
    seen: dict[str, str] = {}
    written = 0
    published, unreadable = user_graphs(store)
    kept, dropped = ([], sorted(published)) if fresh else (sorted(published), [])
    warnings += [unreadable] if unreadable else []
    try:
        with store.next_generation(fresh=True) as generation:
            write_base(generation, default_base())
            with BulkWriter(generation) as writer:  # N-Quads from the workers, bulk-loaded
                for path, outcome in process_all(
                    documents,
                    extractor,
                    progress,  # type: ignore[arg-type]
                    workers,
                ):
                    if isinstance(outcome, str):
                        failures.append(outcome)
                        continue
                    if outcome.slug in seen:
                        failures.append(f"{path}: skipped: same document name as {seen[outcome.slug]}")
                        continue
                    seen[outcome.slug] = path
                    for stage in ("extract", "reason", "validate"):  # summed over workers
                        timings[f"{stage}_cpu"] += outcome.timings.get(stage, 0.0)
                    warnings.extend(outcome.warnings)
                    violations.extend(outcome.violations)
                    if not violations:
                        writer.write(outcome)
                        written += 1
            if not violations and kept:
                violations.extend(keep_graphs(generation, store, kept))
            timings["process"] = time.perf_counter() - started
            if violations:
                raise _Refused
    except _Refused:
        timings["total"] = time.perf_counter() - started
        return BuildResult(
            False, violations, failures, warnings, timings, documents=len(seen), kept=kept, dropped=dropped
        )
    timings["total"] = time.perf_counter() - started
    timings["publish"] = timings["total"] - timings["process"]
    manifest = store.manifest()
    counts = manifest.graphs if manifest else {}
    return BuildResult(True, [], failures, warnings, timings, counts, generation.name, written, kept, dropped)


def user_graphs(store: StoreLocation) -> tuple[list[str], str]:
    """The published generation's graphs that did not come from documents or the base:
    imports, links, and whatever SPARQL Update and the Graph Store wrote (``DEFAULT``: a
    non-empty default graph); and, when they cannot be read, why (the build goes on: it is
    also the way back from a damaged store)."""
    if not isinstance(store, StoreLocation):
        return [], "the user graphs of an external store are not kept by a build"
    try:
        if store.current_generation() is None:
            return [], ""
        published = store.open()
    except StoreError as exc:
        return [], f"the user graphs of the published generation are not kept: {exc}"
    graphs = [g.value for g in published.named_graphs() if not owned(g.value)]
    if next(iter(published.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
        graphs.append(DEFAULT)
    return graphs, ""


def keep_graphs(generation: Generation, store: StoreLocation, graphs: list[str]) -> list[Violation]:
    """Copies ``graphs`` from the published generation into the new one, then re-derives
    and validates them as the change pipeline does a write (graph/change.py ``settle``)."""
    published = store.open()
    for graph in graphs:
        quads = list(published.quads_for_pattern(None, None, None, term(graph)))
        generation.store.extend(quads)
        if graph != DEFAULT:
            generation.store.add_graph(ox.NamedNode(graph))  # an empty graph stays a graph
    return settle(generation, {graph: set() for graph in graphs})


def validate_base() -> list[Violation]:
    """The ontology and registry with their entailments: checked once per build."""
    from rdflib import Graph

    from jtkg.graph.validate import validate

    graph = Graph()
    for triple in default_base().closed:
        graph.add(triple)
    return validate(graph).violations


def process_documents(
    documents: list[Path],
    extractor: Extractor | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> tuple[list[DocumentResult], list[str], list[str]]:
    results: list[DocumentResult] = []
    failures: list[str] = []
    warnings: list[str] = []
    seen: dict[str, str] = {}
    for path, outcome in process_all(documents, extractor, progress, workers):
        if isinstance(outcome, str):
            failures.append(outcome)
        elif outcome.slug in seen:
            failures.append(f"{path}: skipped: same document name as {seen[outcome.slug]}")
        else:
            seen[outcome.slug] = path
            results.append(outcome)
            warnings.extend(outcome.warnings)
    return results, failures, warnings
