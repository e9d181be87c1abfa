"""One document through the graph layer: extract, reason, validate — in worker processes.

Reasoning and validation are per document: every entity a document states is typed in its
own graph or the registry, positions and statements are document-scoped, and the registry
and ontology are closed once ("the base"), so the union of per-document entailments is the
entailment of the union (a test checks this on the bundled corpus). That makes ingest
incremental and lets a build use every core.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Node

from jtkg.graph.reason import materialize, materialize_increment
from jtkg.graph.validate import Violation, validate
from jtkg.loaders.extract import Extraction, Extractor
from jtkg.loaders.reader import DocumentError
from jtkg.ontology import load_ontology, load_registry

Triple = tuple[Node, Node, Node]
Progress = Callable[[str, int, int], None]
#: Below this many documents, worker processes cost more than they save.
PARALLEL_THRESHOLD = 8


@dataclass
class Base:
    """The ontology and registry, closed under reasoning once."""

    ontology: Graph
    registry: Graph
    inferred: set[Triple]
    closed: set[Triple]

    @classmethod
    def load(cls) -> Base:
        ontology, registry = load_ontology(), load_registry()
        facts = set(ontology) | set(registry)
        inferred = set(materialize(facts))
        return cls(ontology, registry, inferred, facts | inferred)


@cache
def default_base() -> Base:
    return Base.load()


@dataclass
class DocumentResult:
    """A processed document: its graph, its own entailments, and whether it conforms."""

    slug: str
    path: str
    sha256: str
    graph_iri: URIRef
    facts: Graph
    evidence: Graph
    inferred: set[Triple]
    violations: list[Violation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Seconds spent per stage on this document: extract, reason, validate.
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        return not self.violations


def process(extraction: Extraction, base: Base | None = None) -> DocumentResult:
    """Reason over one document's facts and validate its graph with its entailments."""
    base = base or default_base()
    started = time.perf_counter()
    inferred = materialize_increment(base.closed, extraction.facts)
    reasoned = time.perf_counter()
    data = Graph()
    for triple in base.closed:
        data.add(triple)
    for layer in (extraction.facts, extraction.evidence):
        for triple in layer:
            data.add(triple)
    for triple in inferred:
        data.add(triple)
    graph_name = str(extraction.graph_iri)
    report = validate(data, sources_of=lambda node: [graph_name]
                      if (node, None, None) in extraction.facts
                      or (node, None, None) in extraction.evidence else [])
    doc = extraction.document
    timings = {"reason": reasoned - started, "validate": time.perf_counter() - reasoned}
    return DocumentResult(doc.slug, str(doc.path), doc.sha256, extraction.graph_iri,
                          extraction.facts, extraction.evidence, inferred,
                          report.violations, list(extraction.warnings), timings)


def _extract_and_process(extractor: Extractor, path: str | Path) -> DocumentResult:
    started = time.perf_counter()
    extraction = extractor.extract_file(path)
    extracted = time.perf_counter() - started
    result = process(extraction)
    result.timings["extract"] = extracted
    return result


# ------------------------------------------------------------------ many documents

_worker_extractor: Extractor | None = None


def _init_worker() -> None:
    global _worker_extractor
    _worker_extractor = Extractor()
    default_base()


def _work(path: str) -> tuple[str, DocumentResult | str]:
    assert _worker_extractor is not None
    try:
        return path, _extract_and_process(_worker_extractor, path)
    except DocumentError as exc:
        return path, str(exc)


def process_all(paths: list[Path], extractor: Extractor | None = None,
                progress: Progress | None = None,
                workers: int | None = None) -> Iterator[tuple[str, DocumentResult | str]]:
    """(path, result or one-line reason) for each document, in the order given."""
    workers = workers or os.cpu_count() or 1
    if len(paths) < PARALLEL_THRESHOLD or workers == 1:
        extractor = extractor or Extractor()
        for i, path in enumerate(paths, start=1):
            try:
                yield str(path), _extract_and_process(extractor, path)
            except DocumentError as exc:
                yield str(path), str(exc)
            if progress:
                progress("process", i, len(paths))
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker) as pool:
        for i, item in enumerate(pool.map(_work, map(str, paths), chunksize=4), start=1):
            yield item
            if progress:
                progress("process", i, len(paths))
