"""Building the dataset: every document extracted, reasoned and validated (in parallel),
published as one new generation only if all of it conforms."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from jtkg.graph.ingest import write_base, write_documents
from jtkg.graph.pipeline import DocumentResult, Progress, default_base, process_all
from jtkg.graph.store import StoreLocation
from jtkg.graph.validate import Violation
from jtkg.loaders.extract import Extractor
from jtkg.loaders.reader import SUPPORTED_SUFFIXES


def bundled_corpus() -> list[Path]:
    """The documents shipped with the package, in a stable order."""
    folder = Path(str(resources.files("jtkg.corpus")))
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES)


def collect_documents(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the supported documents inside folders named."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*")
                                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES))
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


def build(paths: Iterable[str | Path], store: StoreLocation,
          extractor: Extractor | None = None, progress: Progress | None = None,
          workers: int | None = None) -> BuildResult:
    """Extracts, reasons and validates every document, then publishes one new generation.
    Nothing is published unless every readable document conforms to the shapes; a document
    that cannot be read is skipped and reported."""
    store.check_writable()
    started = time.perf_counter()
    results, failures, warnings = process_documents(collect_documents(paths), extractor,
                                                    progress, workers)
    processed = time.perf_counter()
    timings = {"process": processed - started}
    for stage in ("extract", "reason", "validate"):  # summed over documents (and workers)
        timings[f"{stage}_cpu"] = sum(r.timings.get(stage, 0.0) for r in results)
    violations = [v for r in results for v in r.violations]
    if violations:
        timings["total"] = time.perf_counter() - started
        return BuildResult(False, violations, failures, warnings, timings,
                           documents=len(results))
    with store.next_generation(fresh=True) as generation:
        write_base(generation, default_base())
        write_documents(generation, results, bulk=True)
    timings["publish"] = time.perf_counter() - processed
    timings["total"] = time.perf_counter() - started
    manifest = store.manifest()
    return BuildResult(True, [], failures, warnings, timings,
                       manifest.graphs if manifest else {}, generation.name, len(results))


def process_documents(documents: list[Path], extractor: Extractor | None = None,
                      progress: Progress | None = None, workers: int | None = None,
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
