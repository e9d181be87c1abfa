"""Foreign RDF in its own named graph: imported, validated where it uses our vocabulary,
kept apart from extracted data, and removable as a whole."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from jtkg.graph.change import Change, DoesNotConform
from jtkg.graph.derive import owned
from jtkg.graph.foreign_checks import refusal
from jtkg.graph.rdf_input import ENDINGS, RdfInputError, parse_rdf, syntax_for_suffix
from jtkg.graph.relink import Relinked, commit_with_links
from jtkg.graph.store import StoreError, StoreLocation
from jtkg.graph.translation_publish import latest
from jtkg.graph.validate import Violation
from jtkg.loaders import errors
from jtkg.loaders.errors import BadInput, NotFound, Refused

#: Largest file imported, in bytes.
MAX_IMPORT_BYTES = 200_000_000


class ImportRefused(BadInput):
    """An import that was not stored: the message says why in one line. Unreadable input
    (exit 2, 400); with ``violations`` it is the shapes that refuse it (exit 1, 422)."""

    def __init__(self, message: str, violations: list[Violation] | None = None) -> None:
        super().__init__(message)
        self.violations = violations or []
        if self.violations:  # one class, two meanings today: the codes follow the meaning
            self.exit_code = errors.DoesNotConform.exit_code
            self.http_status = errors.DoesNotConform.http_status


class GraphNotFound(NotFound, ImportRefused):
    """No graph of that name in the store (exit 1, 404)."""


class OwnedGraphRefused(Refused, ImportRefused):
    """The graph is one the build writes (exit 1, 403), as for Update and the Graph Store."""


@dataclass(frozen=True)
class Imported:
    graph: str
    files: int
    triples: int
    generation: str
    #: What the links became, in a linked store (graph/relink.py); None: not linked.
    relinked: Relinked | None = None


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
        raise ImportRefused(f"no RDF files ({' '.join(ENDINGS)}) found")
    return found


def import_graph(
    paths: list[Path], graph: str, location: StoreLocation, relink_all: bool = False
) -> Imported:
    """Replaces named graph ``graph`` with the triples of ``paths`` (quads of TriG/N-Quads
    files are all put into ``graph``), if they conform to the shapes; else nothing changes.
    Through the change pipeline (graph/change.py): the graph is a source whose entailments
    are derived, and it is validated with its neighbourhood in the store. In a linked store
    its entities are linked in the same change (``relink_all``: every foreign entity is
    proposed again, as after a new mapping set)."""
    try:
        target = ox.NamedNode(graph)
    except ValueError:
        raise ImportRefused(f"not an absolute IRI: {graph!r}") from None
    if owned(graph):
        raise OwnedGraphRefused(f"{graph} is a graph the build writes; import into a graph of your own")
    if location.manifest() is None:  # a damaged store is refused here, before any reading
        raise StoreError(f"{location.describe()}: no graph has been built here yet (run `jtkg build`)")
    files = rdf_files(paths)
    triples: set[ox.Triple] = set()
    for path in files:
        triples |= {q.triple for q in _read(path, graph)}
    if problem := refusal(triples):  # redefines jt terms, or a sameAs chain (helper G)
        raise ImportRefused(problem)
    quads = [ox.Quad(t.subject, t.predicate, t.object, target) for t in triples]
    try:
        change = Change("replace", graph=target, quads=quads)
        latest.clear()  # what this change translates, for the command to print
        name, relinked = commit_with_links(location, change, graph, triples, everything=relink_all)
    except DoesNotConform as exc:
        raise ImportRefused(
            f"{len(exc.violations)} SHACL violation(s); nothing imported", exc.violations
        ) from None
    return Imported(graph, len(files), len(triples), name, relinked)


def remove_graph(graph: str, location: StoreLocation) -> str:
    """Drops an imported graph (and, in a linked store, the links only it made); returns
    the new generation."""
    return remove_graph_relinked(graph, location)[0]


def remove_graph_relinked(graph: str, location: StoreLocation) -> tuple[str, Relinked | None]:
    """Drops an imported graph; returns the new generation and what the links became."""
    if owned(graph):
        raise OwnedGraphRefused(f"{graph} is a graph the build writes; use `jtkg remove DOCUMENT`")
    try:
        target = ox.NamedNode(graph)
    except ValueError:
        raise ImportRefused(f"not an absolute IRI: {graph!r}") from None
    if location.manifest() is None:  # a damaged store is refused before anything else
        raise StoreError(f"{location.describe()}: no graph has been built here yet (run `jtkg build`)")
    if not location.open().contains_named_graph(target):
        raise GraphNotFound(f"no graph {graph} in the store")
    try:
        return commit_with_links(location, Change("drop", graph=target), graph, None)
    except DoesNotConform as exc:  # what is left would not conform without it
        raise ImportRefused(
            f"{len(exc.violations)} SHACL violation(s); nothing removed", exc.violations
        ) from None


def _read(path: Path, graph: str) -> list[ox.Quad]:
    syntax = syntax_for_suffix(path.name)
    if syntax is None:
        raise ImportRefused(f"{path}: unknown RDF syntax (name it {', '.join(ENDINGS)})")
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
