"""Foreign RDF in its own named graph: imported, validated where it uses our vocabulary,
kept apart from extracted data, and removable as a whole."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from jtkg.graph.link import rederive
from jtkg.graph.rdf_input import RdfInputError, parse_rdf, syntax_for_suffix
from jtkg.graph.store import StoreError, StoreLocation, to_rdflib
from jtkg.graph.validate import Violation, validate
from jtkg.ontology import GRAPH, load_ontology, load_registry

#: Largest file imported, in bytes.
MAX_IMPORT_BYTES = 200_000_000
#: Graphs the build owns: an import may not replace them.
_RESERVED = (str(GRAPH["doc/"]), str(GRAPH["ontology"]), str(GRAPH["registry"]), str(GRAPH["inferred"]))


class ImportRefused(Exception):
    """An import that was not stored: the message says why in one line."""

    def __init__(self, message: str, violations: list[Violation] | None = None) -> None:
        super().__init__(message)
        self.violations = violations or []


@dataclass(frozen=True)
class Imported:
    graph: str
    files: int
    triples: int
    generation: str


def rdf_files(paths: list[Path]) -> list[Path]:
    """The RDF files named, or found (by suffix) in the folders named."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and syntax_for_suffix(p.name))
        elif path.is_file():
            found.append(path)
        else:
            raise ImportRefused(f"{path}: no such file or folder")
    if not found:
        raise ImportRefused("no RDF files (.ttl .nt .rdf .owl .xml .jsonld .json .trig .nq) found")
    return found


def import_graph(paths: list[Path], graph: str, location: StoreLocation) -> Imported:
    """Replaces named graph ``graph`` with the triples of ``paths`` (quads of TriG/N-Quads
    files are all put into ``graph``), if they conform to the shapes; else nothing changes."""
    try:
        target = ox.NamedNode(graph)
    except ValueError:
        raise ImportRefused(f"not an absolute IRI: {graph!r}") from None
    if graph.startswith(_RESERVED):
        raise ImportRefused(f"{graph} is a graph the build writes; import into a graph of your own")
    if location.manifest() is None:  # a damaged store is refused here, before any reading
        raise StoreError(f"{location.path}: no graph has been built here yet (run `jtkg build`)")
    files = rdf_files(paths)
    triples: set[ox.Triple] = set()
    for path in files:
        triples |= {q.triple for q in _read(path, graph)}
    violations = _validate(triples)
    if violations:
        raise ImportRefused(f"{len(violations)} SHACL violation(s); nothing imported", violations)
    with location.next_generation() as generation:
        generation.store.remove_graph(target)
        generation.store.extend(ox.Quad(t.subject, t.predicate, t.object, target) for t in triples)
        generation.changed.add(graph)
        rederive(generation)
        name = generation.name
    return Imported(graph, len(files), len(triples), name)


def remove_graph(graph: str, location: StoreLocation) -> str:
    """Drops an imported graph; returns the new generation."""
    if graph.startswith(_RESERVED):
        raise ImportRefused(f"{graph} is a graph the build writes; use `jtkg remove DOCUMENT`")
    try:
        target = ox.NamedNode(graph)
    except ValueError:
        raise ImportRefused(f"not an absolute IRI: {graph!r}") from None
    if location.manifest() is None:  # a damaged store is refused before anything else
        raise StoreError(f"{location.path}: no graph has been built here yet (run `jtkg build`)")
    if not location.open().contains_named_graph(target):
        raise ImportRefused(f"no graph {graph} in the store")
    with location.next_generation() as generation:
        generation.store.remove_graph(target)
        generation.changed.add(graph)
        rederive(generation)
        name = generation.name
    return name


def _read(path: Path, graph: str) -> list[ox.Quad]:
    syntax = syntax_for_suffix(path.name)
    if syntax is None:
        raise ImportRefused(f"{path}: unknown RDF syntax (name it .ttl, .nt, .rdf, .jsonld, .trig or .nq)")
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise ImportRefused(f"{path}: {size} bytes is over the {MAX_IMPORT_BYTES}-byte limit")
        data = path.read_bytes()
    except OSError as exc:
        raise ImportRefused(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        return parse_rdf(data, syntax, base_iri=graph)
    except RdfInputError as exc:
        raise ImportRefused(f"{path}: {exc}") from None


def _validate(triples: set[ox.Triple]) -> list[Violation]:
    """The imported triples against the shapes, with the ontology and registry as context,
    so that shapes apply exactly where the import uses our vocabulary."""
    data = load_ontology() + load_registry()
    for t in triples:
        data.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return validate(data).violations
