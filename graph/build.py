"""Building the dataset: extract every document, reason, validate, publish only if valid."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from rdflib import RDFS, Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from jtkg.graph.reason import materialize
from jtkg.graph.store import Manifest, StoreLocation, quads_to_ox
from jtkg.graph.validate import ValidationReport, validate
from jtkg.loaders.extract import Extraction, Extractor
from jtkg.loaders.reader import SUPPORTED_SUFFIXES, DocumentError
from jtkg.ontology import (
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    REGISTRY_GRAPH,
    load_ontology,
    load_registry,
)

Quad = tuple[Node, Node, Node, URIRef]
Progress = Callable[[str, int, int], None]


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
class Dataset:
    """A whole dataset in memory, graph by graph, before it is published."""

    graphs: dict[URIRef, Graph] = field(default_factory=dict)
    #: Per document graph, the fact layer (the rest of that graph is evidence).
    facts: dict[URIRef, Graph] = field(default_factory=dict)
    documents: dict[str, dict[str, str]] = field(default_factory=dict)

    def quads(self) -> Iterator[Quad]:
        for name, graph in self.graphs.items():
            for s, p, o in graph:
                yield s, p, o, name

    def fact_triples(self) -> Iterator[tuple[Node, Node, Node]]:
        for name in (ONTOLOGY_GRAPH, REGISTRY_GRAPH):
            yield from self.graphs[name]
        for facts in self.facts.values():
            yield from facts

    def union(self) -> Graph:
        union = Graph()
        for graph in self.graphs.values():
            union += graph
        return union

    def sources_of(self, node: Node) -> list[str]:
        return sorted(str(name) for name, graph in self.graphs.items()
                      if name not in (INFERRED_GRAPH,) and (node, None, None) in graph)

    def counts(self) -> dict[str, int]:
        return {str(name): len(graph) for name, graph in self.graphs.items()}


def assemble(extractions: Iterable[Extraction]) -> Dataset:
    """The ontology, registry and document graphs, with one English label per entity."""
    data = Dataset()
    data.graphs[ONTOLOGY_GRAPH] = load_ontology()
    data.graphs[REGISTRY_GRAPH] = load_registry()
    for ex in extractions:
        graph = Graph()
        for layer in (ex.facts, ex.evidence):
            graph += layer
        data.graphs[ex.graph_iri] = graph
        data.facts[ex.graph_iri] = ex.facts
        data.documents[ex.document.slug] = {"path": str(ex.document.path),
                                            "sha256": ex.document.sha256,
                                            "graph": str(ex.graph_iri)}
    _one_label_each(data)
    return data


def _one_label_each(data: Dataset) -> None:
    """Where documents (or the registry) name one entity differently, the registry's label,
    else the first document's, stays rdfs:label; the others become skos:altLabel."""
    labels: dict[Node, list[tuple[URIRef, Literal]]] = defaultdict(list)
    for name in [REGISTRY_GRAPH, *sorted(data.facts)]:
        graph = data.graphs[name]
        for s, label in graph.subject_objects(RDFS.label):
            if isinstance(label, Literal) and label.language == "en":
                labels[s].append((name, label))
    for subject, found in labels.items():
        keep = found[0][1]
        for name, label in found[1:]:
            if label != keep:
                for graph in (data.graphs[name], data.facts.get(name)):
                    if graph is not None:
                        graph.remove((subject, RDFS.label, label))
                        graph.add((subject, SKOS.altLabel, Literal(str(label))))


@dataclass
class BuildResult:
    published: bool
    report: ValidationReport | None
    failures: list[str]
    warnings: list[str]
    timings: dict[str, float]
    counts: dict[str, int]
    generation: str | None = None


def build(paths: Iterable[str | Path], store: StoreLocation,
          extractor: Extractor | None = None, progress: Progress | None = None) -> BuildResult:
    """Extracts, reasons, validates and publishes. Nothing is published unless the whole
    dataset conforms to the shapes; a document that cannot be read is skipped and reported."""
    store.check_writable()
    timings: dict[str, float] = {}
    extractor = extractor or Extractor()
    documents = collect_documents(paths)
    started = time.perf_counter()
    extractions, failures, warnings = extract_all(documents, extractor, progress)
    timings["extract"] = time.perf_counter() - started

    data = assemble(extractions)
    mark = time.perf_counter()
    data.graphs[INFERRED_GRAPH] = materialize(data.fact_triples())
    timings["reason"] = time.perf_counter() - mark

    mark = time.perf_counter()
    report = validate(data.union(), sources_of=data.sources_of)
    timings["validate"] = time.perf_counter() - mark
    if not report.conforms:
        timings["total"] = time.perf_counter() - started
        return BuildResult(False, report, failures, warnings, timings, data.counts())

    mark = time.perf_counter()
    manifest = Manifest(generation="", built_at=time.time(), documents=data.documents,
                        graphs=data.counts())
    generation = store.publish(quads_to_ox(data.quads()), manifest)
    timings["publish"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    return BuildResult(True, report, failures, warnings, timings, data.counts(), generation)


def extract_all(documents: list[Path], extractor: Extractor,
                progress: Progress | None = None) -> tuple[list[Extraction], list[str], list[str]]:
    extractions: list[Extraction] = []
    failures: list[str] = []
    warnings: list[str] = []
    seen: dict[str, Path] = {}
    for i, path in enumerate(documents, start=1):
        if progress:
            progress("extract", i, len(documents))
        try:
            ex = extractor.extract_file(path)
        except DocumentError as exc:
            failures.append(str(exc))
            continue
        if ex.document.slug in seen:
            failures.append(f"{path}: skipped: same document name as {seen[ex.document.slug]}")
            continue
        seen[ex.document.slug] = path
        extractions.append(ex)
        warnings.extend(ex.warnings)
    return extractions, failures, warnings
