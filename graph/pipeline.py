"""One document through the graph layer: extract, reason, validate — in worker processes.

Reasoning and validation are per document: every entity a document states is typed in its
own graph or the registry, positions and statements are document-scoped, and the registry
and ontology are closed once ("the base"), so the union of per-document entailments is the
entailment of the union (a test checks this on the bundled corpus). That makes ingest
incremental and lets a build use every core.
"""

from __future__ import annotations

import contextlib
import copy
import gc
import multiprocessing
import multiprocessing.process
import os
import resource
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from jtkg.graph.base import Base, default_base
from jtkg.graph.child_limits import cap_memory as _cap_memory
from jtkg.graph.child_limits import die_with_parent as _die_with_parent
from jtkg.graph.derive import entailments
from jtkg.graph.handoff import Packed, pack, unpack
from jtkg.graph.validate import Violation, validate
from jtkg.loaders.emit import recorded_stamp
from jtkg.loaders.extract import Extraction, Extractor
from jtkg.loaders.formats import warm
from jtkg.loaders.limits import DEFAULT_LIMITS, Limits, option, refusal
from jtkg.loaders.metadata_file import metadata_record
from jtkg.loaders.provenance import model_module, stamp
from jtkg.loaders.reader import DocumentError
from jtkg.loaders.recipe import FULL, Recipe

__all__ = ["Base", "DocumentResult", "Progress", "default_base", "process", "process_all"]

Triple = tuple[Node, Node, Node]
Progress = Callable[[str, int, int], None]


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
    #: What produced the extraction (extractor version, registry hash, recipe, model), as
    #: its graph's activity records it: kept in the manifest to tell when it is out of date.
    stamp: dict[str, str] = field(default_factory=dict)

    #: The layers as N-Quads (graph/handoff.py), set in a worker before the result is sent:
    #: then facts, evidence and inferred travel only as these bytes, and are rebuilt (once)
    #: if read.
    packed: Packed | None = field(default=None, repr=False)

    @property
    def conforms(self) -> bool:
        return not self.violations

    def pack(self) -> None:
        self.packed = pack(self.graph_iri, self.facts, self.evidence, self.inferred)

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        if self.packed is not None:
            for layer in _LAYERS:
                state.pop(layer, None)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)

    def __getattr__(self, name: str) -> object:
        """A shipped result's layers, rebuilt from its N-Quads the first time one is read."""
        packed = self.__dict__.get("packed")
        if name not in _LAYERS or packed is None:
            raise AttributeError(name)
        self.facts, self.evidence, self.inferred = unpack(packed)
        self.packed = None  # the layers may now be changed (one label each): no longer it
        return self.__dict__[name]


_LAYERS = ("facts", "evidence", "inferred")


def process(extraction: Extraction, base: Base | None = None) -> DocumentResult:
    """Reason over one document's facts and validate its graph with its entailments."""
    base = base or default_base()
    started = time.perf_counter()
    inferred = entailments(extraction.facts, base)  # a source's reasoning (graph/derive.py)
    reasoned = time.perf_counter()
    data: list[Triple] = []  # not an rdflib Graph: validate() indexes it itself (~10x cheaper)
    named: set[Node] = set()
    for layer in (extraction.facts, extraction.evidence, inferred):
        for triple in layer:
            data.append(triple)
            named.add(triple[0])
            if not isinstance(triple[2], Literal):
                named.add(triple[2])
    data.extend(base.around(named))
    graph_name = str(extraction.graph_iri)
    report = validate(
        data,
        sources_of=lambda node: (
            [graph_name]
            if (node, None, None) in extraction.facts or (node, None, None) in extraction.evidence
            else []
        ),
        reported=named,
    )
    doc = extraction.document
    timings = {"reason": reasoned - started, "validate": time.perf_counter() - reasoned}
    return DocumentResult(
        doc.slug,
        str(doc.path),
        doc.sha256,
        extraction.graph_iri,
        extraction.facts,
        extraction.evidence,
        inferred,
        report.violations,
        list(extraction.warnings),
        timings,
        recorded_stamp(extraction.evidence, extraction.graph_iri) | metadata_record(doc.path),
    )


def _extract_and_process(extractor: Extractor, path: str | Path) -> DocumentResult:
    started = time.perf_counter()
    extraction = extractor.extract_file(path)
    extracted = time.perf_counter() - started
    result = process(extraction)
    result.timings["extract"] = extracted
    return result


# ------------------------------------------------------------------ one worker per document
#
# Each document is extracted, reasoned over and validated in a child process forked for it,
# with its address space capped and a wall-clock deadline: a document that needs more is
# refused with one line, like an unreadable one, and the rest go on. Forking (not a pool of
# fresh interpreters) lets every child inherit the caller's extractor and the closed base,
# so an injected extractor is used for any number of documents, and a child costs
# milliseconds to start.

_FORK = "fork" in multiprocessing.get_all_start_methods()


Work = Callable[[Extractor, str], object]


def _child(conn: Connection, work: Work, extractor: Extractor, path: str, megabytes: int) -> None:
    _die_with_parent()
    _cap_memory(megabytes)
    outcome: tuple[str, object]
    try:
        result = work(extractor, path)
        if isinstance(result, DocumentResult):
            result.pack()  # N-Quads bytes, not pickled graphs (graph/handoff.py)
            usage = resource.getrusage(resource.RUSAGE_SELF)
            result.timings["cpu"] = usage.ru_utime + usage.ru_stime
        outcome = ("ok", result)
    except DocumentError as exc:
        outcome = ("refused", str(exc))
    except MemoryError:
        outcome = ("memory", "")
    except Exception:  # a bug, not a refusal: the parent raises it with the traceback
        outcome = ("error", traceback.format_exc())
    try:
        conn.send(outcome)
    except MemoryError:
        conn.send(("memory", ""))
    conn.close()


@dataclass
class _Job:
    path: str
    process: multiprocessing.process.BaseProcess
    conn: Connection
    deadline: float


def _start(work: Work, extractor: Extractor, path: str, limits: Limits) -> _Job:
    parent, child = multiprocessing.get_context("fork").Pipe(duplex=False)
    process = multiprocessing.get_context("fork").Process(
        target=_child, args=(child, work, extractor, path, limits.max_document_memory_mb), daemon=True
    )
    process.start()
    child.close()  # the parent's copy: without it, a dead child would never read as EOF
    return _Job(path, process, parent, time.monotonic() + limits.max_document_seconds)


def _finish(job: _Job, limits: Limits) -> object:
    """The result or one-line refusal of a child whose pipe is readable (data or EOF)."""
    try:
        kind, value = job.conn.recv()
    except (EOFError, OSError):
        kind, value = "died", None
    job.conn.close()
    job.process.join(5)
    megabytes = limits.max_document_memory_mb
    if kind == "ok":
        return value
    if kind == "refused":
        return str(value)
    if kind == "memory":
        return refusal(
            job.path,
            f"needs more than {megabytes:,} MB of memory",
            f"{megabytes:,} MB",
            "max_document_memory_mb",
        )
    if kind == "error":
        raise RuntimeError(f"{job.path}: extraction failed:\n{value}")
    code = job.process.exitcode
    return (
        f"{job.path}: extraction stopped unexpectedly (exit code {code}); the memory limit "
        f"is {megabytes:,} MB ({option('max_document_memory_mb')})"
    )


def _expire(job: _Job, limits: Limits) -> str:
    job.process.kill()
    job.process.join()
    job.conn.close()
    seconds = f"{limits.max_document_seconds:g} s"
    return refusal(job.path, f"took more than {seconds}", seconds, "max_document_seconds")


def isolated(
    work: Work, paths: list[str], extractor: Extractor, workers: int | None = None
) -> Iterator[tuple[str, object]]:
    """(path, ``work(extractor, path)`` or a one-line refusal) for each document, each in
    its own child under the extractor's limits, ``workers`` at a time, in the order given."""
    limits = extractor.limits
    workers = workers or os.cpu_count() or 1
    todo = list(enumerate(paths))[::-1]
    running: dict[int, _Job] = {}
    done: dict[int, object] = {}
    following = 0
    # The parent's objects (the model, the base) out of the collector's reach: a child's
    # collections would otherwise visit, and so copy, every page it inherited.
    gc.freeze()
    try:
        while todo or running:
            while todo and len(running) < workers:
                i, path = todo.pop()
                running[i] = _start(work, extractor, path, limits)
            now = time.monotonic()
            timeout = max(0.0, min(job.deadline for job in running.values()) - now)
            ready = set(wait([job.conn for job in running.values()], timeout))
            for i, job in list(running.items()):
                if job.conn in ready:
                    done[i] = _finish(job, limits)
                elif job.deadline <= time.monotonic():
                    done[i] = _expire(job, limits)
                else:
                    continue
                del running[i]
            while following in done:
                yield paths[following], done.pop(following)
                following += 1
    finally:  # a caller that stops early (or an error) leaves no child behind
        gc.unfreeze()
        for job in running.values():
            job.process.kill()
            job.process.join()
            job.conn.close()


def process_all(
    paths: list[Path],
    extractor: Extractor | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    limits: Limits | None = None,
    recipe: Recipe | None = None,
) -> Iterator[tuple[str, DocumentResult | str]]:
    """(path, result or one-line reason) for each document, in the order given. ``limits``
    (default: the extractor's) bounds each document; where processes cannot be forked,
    documents run here and only the character and mention limits hold. Without an
    extractor, one is built from ``recipe`` (default: everything on); with one, its own
    recipe holds, and every worker uses that very extractor (forked, not rebuilt)."""
    workers = workers or os.cpu_count() or 1
    if extractor is None:
        extractor = Extractor(limits=limits or DEFAULT_LIMITS, recipe=recipe or FULL)
    elif limits is not None and limits != extractor.limits:
        extractor = copy.copy(extractor)  # same registry and recipe, these limits
        extractor.limits = limits
    prepare(getattr(extractor, "recipe", FULL))
    warm_up(extractor, process_too=True)
    for i, (path, outcome) in enumerate(run_each(_extract_and_process, paths, extractor, workers), start=1):
        assert isinstance(outcome, DocumentResult | str)
        yield path, outcome
        if progress:
            progress("process", i, len(paths))


def prepare(recipe: Recipe, base: bool = True) -> None:
    """What every child would otherwise load for itself, done once here before forking so
    children share it copy-on-write: the closed base (for reasoning), the registry's hash
    and the recipe's stamp, and (where the recipe has the model on) the statistical model."""
    if base:
        default_base()
    if recipe.model:
        preload = getattr(model_module(), "preload", None)
        if preload is not None:
            # A missing model is the children's one-line refusal (ModelUnavailable) per
            # document, as without preloading; here it must not stop the others.
            with contextlib.suppress(DocumentError):
                preload()
    stamp(recipe)


#: A short invented document for ``warm_up``: a byline, an affiliation, a state, a date, an
#: institution with its abbreviation, an issue and an agreement, so that each part's lazily
#: built tables and patterns are built (the names are generic, of nobody).
WARM_UP_TEXT = """Example Ties Deepen

By Jane Example, Senior Fellow, Example Research Institute

Tokyo, Japan, March 3, 2024. Jane Example, a senior fellow at the Example Research Institute
(ERI), said that Japan and Taiwan signed a memorandum of understanding on trade. Prime
Minister John Sample met Dr. Ann Sample, director of the Example Agency, in Taipei to discuss
regional security and the economic security policy.
"""


def warm_up(extractor: Extractor, process_too: bool = False) -> None:
    """One extraction of ``WARM_UP_TEXT`` here, in the parent, before any child is forked:
    whatever the extractor's parts build on first use (the issue scheme's topic finder,
    compiled patterns, the model's first calls, the shapes) is then built once and shared
    copy-on-write, not rebuilt in every child (that cost each child 1-3 CPU s). Only for the
    stock extract: a subclass's own (a test's slow or greedy one) must not run unbounded
    here. A failure is left to the children, which report it per document."""
    extractor = getattr(extractor, "extractor", extractor)  # a cache's reader wraps one
    if getattr(type(extractor), "extract", None) is not Extractor.extract:
        return
    import tempfile

    with tempfile.TemporaryDirectory() as tmp, contextlib.suppress(Exception):
        path = Path(tmp) / "warm-up.txt"
        path.write_text(WARM_UP_TEXT, encoding="utf-8")
        extraction = extractor.extract_file(path)
        if process_too:
            process(extraction)


def extract_all(
    paths: list[Path], extractor: Extractor, workers: int | None = None
) -> Iterator[tuple[str, Extraction | str]]:
    """(path, extraction or one-line reason) for each document, bounded like process_all."""
    prepare(getattr(extractor, "recipe", FULL), base=False)
    warm_up(extractor)
    for path, outcome in run_each(_extract, paths, extractor, workers):
        assert isinstance(outcome, Extraction | str)
        yield path, outcome


def _extract(extractor: Extractor, path: str) -> Extraction:
    return extractor.extract_file(path)


def run_each(
    work: Work, paths: list[Path], extractor: Extractor, workers: int | None = None
) -> Iterator[tuple[str, object]]:
    names = [str(path) for path in paths]
    if _FORK:
        warm(names)  # readers' heavy modules imported once here, inherited by every child
        yield from isolated(work, names, extractor, workers)
        return
    for path in names:  # no fork here: the characters and mentions are still bounded
        try:
            yield path, work(extractor, path)
        except DocumentError as exc:
            yield path, str(exc)
