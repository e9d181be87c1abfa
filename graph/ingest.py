"""Writing documents into a store generation, and taking them out again.

Shared by `build` (a fresh generation) and `ingest`/`remove` (a copy of the published one):
a document's named graph is replaced whole, its entailments are re-derived, and only the
entailments no other document supports leave the inferred graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDFS, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from jtkg.graph.bulk_writer import write_packed
from jtkg.graph.derive import record
from jtkg.graph.inferred_index import BASE, InferredIndex
from jtkg.graph.pipeline import Base, DocumentResult, Progress, default_base, process_all
from jtkg.graph.sources import CachedSource, SourceExtractor, with_sources
from jtkg.graph.store import Generation, StoreError, StoreLocation, to_ox
from jtkg.loaders.errors import NotFound
from jtkg.loaders.extract import Extractor
from jtkg.loaders.metadata_file import row_digest
from jtkg.loaders.provenance import stamp
from jtkg.loaders.reader import DocumentError, read_document
from jtkg.loaders.recipe import FULL
from jtkg.ontology import INFERRED_GRAPH, ONTOLOGY_GRAPH, REGISTRY_GRAPH, slugify

Triple = tuple[Node, Node, Node]
#: Quads gathered before one bulk write during a build.
BULK_BATCH = 500_000


class RemoveRefused(NotFound):
    """A removal that names nothing in the store: refused in one line, nothing changed."""


@dataclass
class IngestResult:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    #: Same file, but extracted by another extractor version, registry or recipe than this
    #: ingest's: extracted again and replaced.
    reextracted: list[str] = field(default_factory=list)
    #: One line per rejected document: unreadable, or its facts violate the shapes.
    rejected: list[str] = field(default_factory=list)
    rejected_results: list[DocumentResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    generation: str | None = None


def write_base(generation: Generation, base: Base) -> None:
    """The ontology, registry and their own entailments, into a fresh generation."""
    store = generation.store
    store.bulk_extend(_quads(base.ontology, ONTOLOGY_GRAPH))
    store.bulk_extend(_quads(base.registry, REGISTRY_GRAPH))
    index = InferredIndex(generation.path)
    added, _ = index.replace(BASE, base.inferred)
    index.close()
    store.bulk_extend(_quads(added, INFERRED_GRAPH))


class DocumentWriter:
    """Writes processed documents into a generation one at a time, so a build holds one
    document in memory, not the corpus. Use as a context manager."""

    def __init__(self, generation: Generation, bulk: bool = False) -> None:
        self.generation = generation
        self.bulk = bulk
        self.index = InferredIndex(generation.path)
        self.pending: list[ox.Quad] = []
        self.labels: dict[Node, Literal] = {}

    def __enter__(self) -> DocumentWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self.pending and exc[0] is None:
                self.generation.store.bulk_extend(self.pending)
        finally:
            self.index.close()

    def write(self, result: DocumentResult) -> None:
        """Replaces the document's graph and its entailments."""
        if result.packed is not None and not self.bulk:  # N-Quads from a worker: loaded as such
            write_packed(self, result)
            return
        store = self.generation.store
        self._one_label_each(result)
        graph = ox.NamedNode(str(result.graph_iri))
        if not self.bulk and store.contains_named_graph(graph):
            store.clear_graph(graph)
        quads = [*_quads(result.facts, result.graph_iri), *_quads(result.evidence, result.graph_iri)]
        record(self.generation, result.slug, result.inferred, self.index, quads)
        if self.bulk:  # few large writes: each bulk write makes its own files on disk
            self.pending += quads
            if len(self.pending) >= BULK_BATCH:
                store.bulk_extend(self.pending)
                self.pending = []
        else:
            store.extend(quads)
        self.generation.manifest.documents[result.slug] = {
            "path": result.path,
            "sha256": result.sha256,
            "graph": str(result.graph_iri),
            **result.stamp,
        }  # what extracted it: ingest re-extracts when it is out of date
        self.generation.changed |= {str(result.graph_iri), str(INFERRED_GRAPH)}

    def _one_label_each(self, result: DocumentResult) -> None:
        """Where a document names an entity differently from the store (or from a document
        written before it), the earlier label stays rdfs:label; this one becomes an
        skos:altLabel."""
        own = str(result.graph_iri)
        for subject, label in list(result.facts.subject_objects(RDFS.label)):
            if not isinstance(label, Literal) or label.language != "en":
                continue
            keep = self.labels.get(subject) or _stored_label(self.generation.store, subject, own)
            if keep is None:
                self.labels[subject] = label
            elif keep != label:
                result.facts.remove((subject, RDFS.label, label))
                result.facts.add((subject, SKOS.altLabel, Literal(str(label))))
                self.labels.setdefault(subject, keep)


def ingest(
    paths: list[Path],
    location: StoreLocation,
    extractor: Extractor | None = None,
    progress: Progress | None = None,
    sources: Sequence[CachedSource] = (),
) -> IngestResult:
    """Adds new documents and replaces changed ones; unchanged ones (same SHA-256, extracted
    by this extractor version with this registry and recipe) are left alone, and ones whose
    extraction is out of date (or unrecorded: an older manifest) are extracted again. A
    document that cannot be read or whose facts violate the shapes is rejected with its
    reason; it changes nothing. Nothing changed means no new generation.
    ``sources`` are fetched documents (graph/sources.py), named by their URL."""
    result = IngestResult()
    manifest = location.manifest()  # a damaged store stops here, before any work
    known = manifest.documents if manifest else {}
    current = stamp(getattr(extractor, "recipe", FULL))  # None: the default extractor's
    extractor = with_sources(extractor, sources)
    todo: list[Path | str] = []
    stale: set[str] = set()
    for path in [*paths, *(source.url for source in sources)]:
        try:
            if isinstance(extractor, SourceExtractor):
                doc = extractor.read(path)
            else:
                doc = read_document(path, (extractor or Extractor).limits.max_document_chars)
        except DocumentError as exc:
            result.rejected.append(str(exc))
            continue
        record = known.get(doc.slug, {})
        if record.get("sha256") != doc.sha256 or record.get("metadata", "") != row_digest(doc.path):
            todo.append(path)  # the file or its row in the folder's metadata.tsv changed
        elif current.is_current(record):
            result.unchanged.append(doc.slug)
        else:
            stale.add(doc.slug)
            todo.append(path)
    accepted: list[DocumentResult] = []
    for path, outcome in process_all(todo, extractor, progress):  # type: ignore[arg-type]
        if isinstance(outcome, str):
            result.rejected.append(outcome)
        elif not outcome.conforms:
            result.rejected.append(
                f"{path}: its facts violate the shapes ({len(outcome.violations)} violation(s))"
            )
            result.rejected_results.append(outcome)
        else:
            accepted.append(outcome)
            result.warnings.extend(outcome.warnings)
            kind = (
                result.reextracted
                if outcome.slug in stale
                else result.replaced
                if outcome.slug in known
                else result.added
            )
            kind.append(outcome.slug)
    if not accepted:
        return result
    with location.next_generation(fresh=manifest is None) as generation:
        if manifest is None:
            write_base(generation, default_base())
        with DocumentWriter(generation) as writer:
            for outcome in sorted(accepted, key=lambda r: r.slug):
                writer.write(outcome)
        result.generation = generation.name
    return result


def remove(documents: Iterable[str], location: StoreLocation) -> tuple[list[str], str]:
    """Takes documents (by slug, file name or graph IRI) and their facts out of the store.
    Returns the slugs removed and the new generation."""
    manifest = location.manifest()
    if manifest is None:
        raise StoreError(f"{location.describe()}: no graph has been built here yet")
    slugs = []
    for name in documents:
        slug = _slug_of(name, manifest.documents)
        if slug is None:
            raise RemoveRefused(f"no document {name!r} in the store")
        slugs.append(slug)
    with location.next_generation() as generation:
        for slug in slugs:
            graph = generation.manifest.documents.pop(slug)["graph"]
            generation.store.remove_graph(ox.NamedNode(graph))
            generation.changed.add(graph)
            record(generation, slug, [])  # what no other source supports leaves
        name = generation.name
    return slugs, name


def _slug_of(name: str, documents: dict[str, dict[str, str]]) -> str | None:
    for slug, info in documents.items():
        if name in (slug, info.get("graph"), info.get("path")) or (
            slugify(Path(name).stem) == slug and Path(name).suffix
        ):
            return slug
    return None


def _quads(triples: Iterable[Triple], graph: URIRef) -> list[ox.Quad]:
    name = ox.NamedNode(str(graph))
    return [ox.Quad(to_ox(s), to_ox(p), to_ox(o), name) for s, p, o in triples]


def _stored_label(store: ox.Store, subject: Node, own_graph: str) -> Literal | None:
    node = to_ox(subject)
    for quad in store.quads_for_pattern(node, ox.NamedNode(str(RDFS.label)), None):
        graph = quad.graph_name
        if isinstance(graph, ox.NamedNode) and graph.value != own_graph and quad.object.language == "en":
            return Literal(quad.object.value, lang="en")
    return None
