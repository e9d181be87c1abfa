"""Building the dataset: every document extracted, reasoned and validated (in parallel),
published as one new generation only if all of it conforms."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from jtkg.graph.ingest import DocumentWriter, write_base
from jtkg.graph.pipeline import DocumentResult, Progress, default_base, process_all
from jtkg.graph.sources import CachedSource, with_sources
from jtkg.graph.store import StoreLocation
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
) -> BuildResult:
    """Extracts, reasons and validates every document, writing each into a new generation as
    it arrives; the generation is published only if every readable document conforms, and
    thrown away otherwise. A document that cannot be read is skipped and reported.
    ``sources`` are fetched documents (graph/sources.py), read from the cache by URL."""
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
    try:
        with store.next_generation(fresh=True) as generation:
            write_base(generation, default_base())
            with DocumentWriter(generation, bulk=True) as writer:
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
            timings["process"] = time.perf_counter() - started
            if violations:
                raise _Refused
    except _Refused:
        timings["total"] = time.perf_counter() - started
        return BuildResult(False, violations, failures, warnings, timings, documents=len(seen))
    timings["total"] = time.perf_counter() - started
    timings["publish"] = timings["total"] - timings["process"]
    manifest = store.manifest()
    return BuildResult(
        True, [], failures, warnings, timings, manifest.graphs if manifest else {}, generation.name, written
    )


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
