"""Where a build's CPU goes: real CPU seconds (not wall) per stage, and wall beside it.

The build's own ``timings`` are wall clock per stage (``perf_counter`` in the workers), which
overstate CPU on a busy machine. Here, inside the benchmark's build child only, the stages
are wrapped to measure ``time.process_time`` (CPU of the worker process) and wall both;
each worker's figures ride back on its result's ``timings`` and are summed in the parent.
The workers' whole CPU (fork, pickling the result, the stages) comes from
``getrusage(RUSAGE_CHILDREN)``, the main process's (base, warm-up, unpickling, publishing)
from ``getrusage(RUSAGE_SELF)``. Nothing in jtkg itself is changed.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from typing import Any

STAGES = ("extract", "reason", "validate")
#: This process's (a worker's) stage figures: stage -> [cpu s, wall s].
_SPENT: dict[str, list[float]] = {}


def _timed(stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent = _SPENT.setdefault(stage, [0.0, 0.0])
            spent[0] += time.process_time() - cpu
            spent[1] += time.perf_counter() - wall

    return run


def instrument() -> dict[str, float]:
    """Wraps the stages (in this process, inherited by forked workers) and returns the
    totals that fill as the build's results arrive. Raises if a stage is not where it is
    looked for (the pipeline was reorganised): better no figure than a wrong one."""
    from jtkg.graph import build, pipeline
    from jtkg.loaders.extract import Extractor

    totals: dict[str, float] = {"documents": 0}
    Extractor.extract_file = _timed("extract", Extractor.extract_file)  # type: ignore[method-assign]
    # The names process() calls the stages by (reasoning was materialize_increment, then
    # derive's entailments, the reasoning every source gets).
    for names, stage in ((("entailments", "materialize_increment"), "reason"), (("validate",), "validate")):
        name = next((n for n in names if hasattr(pipeline, n)), None)
        if name is None:
            raise RuntimeError(f"benchmark: jtkg.graph.pipeline has none of {names} to time")
        setattr(pipeline, name, _timed(stage, getattr(pipeline, name)))
    work = pipeline._extract_and_process

    @wraps(work)
    def per_document(extractor: Any, path: Any) -> Any:
        _SPENT.clear()
        result = work(extractor, path)
        for stage, (cpu, wall) in _SPENT.items():
            result.timings[f"bench_{stage}_cpu"] = cpu
            result.timings[f"bench_{stage}_wall"] = wall
        return result

    pipeline._extract_and_process = per_document  # type: ignore[assignment]
    process_all = build.process_all

    @wraps(process_all)
    def summed(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for path, outcome in process_all(*args, **kwargs):
            if not isinstance(outcome, str):
                totals["documents"] += 1
                for key, value in outcome.timings.items():
                    if key.startswith("bench_"):
                        totals[key[6:]] = totals.get(key[6:], 0.0) + value
            yield path, outcome

    build.process_all = summed  # type: ignore[assignment]
    return totals


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def measured_build(documents: list[Path], store: Path) -> dict[str, object]:
    """Builds ``documents`` into ``store`` and returns CPU and wall figures by stage."""
    from jtkg.graph.build import build
    from jtkg.graph.store import StoreLocation

    totals = instrument()
    main_cpu, workers_cpu = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = build(documents, StoreLocation(store))
    wall = time.perf_counter() - started
    peak = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    return {
        "published": result.published,
        "wall": wall,
        "timings": result.timings,
        "stages": totals,
        "main_cpu": _cpu(resource.RUSAGE_SELF) - main_cpu,
        "workers_cpu": _cpu(resource.RUSAGE_CHILDREN) - workers_cpu,
        "triples": sum(result.counts.values()),
        "peak_mb": peak / 1024,
        "violations": len(result.violations),
    }


def stage_rows(figures: dict[str, Any]) -> list[list[str]]:
    """stage, CPU s, wall s, CPU s per document: the workers' stages, the rest of the
    workers' CPU (fork, pickling results: the hand-off), the main process (base, warm-up,
    receiving and publishing), and everything but extraction."""
    s: dict[str, float] = figures["stages"]
    n = max(1, int(s.get("documents", 0)))
    stage_cpu = sum(s.get(f"{k}_cpu", 0.0) for k in STAGES)
    rows = [(k, s.get(f"{k}_cpu", 0.0), s.get(f"{k}_wall", 0.0)) for k in STAGES]
    rows.append(("workers, rest (fork, hand-off)", figures["workers_cpu"] - stage_cpu, None))
    rows.append(("main process (base, warm-up, publish)", figures["main_cpu"], figures["wall"]))
    total = figures["workers_cpu"] + figures["main_cpu"]
    rows.append(("total", total, figures["wall"]))
    rows.append(("all but extraction", total - s.get("extract_cpu", 0.0), None))
    return [
        [name, f"{cpu:.2f}", "" if wall is None else f"{wall:.2f}", f"{cpu / n:.3f}"]
        for name, cpu, wall in rows
    ]


STAGE_HEADER = ["stage", "CPU s", "wall s", "CPU s / document"]


SUMMARY_HEADER = [
    "documents",
    "wall s",
    "CPU s",
    "extract CPU s",
    "reason CPU s",
    "validate CPU s",
    "main process CPU s",
    "all but extraction CPU s / doc",
    "triples",
    "peak MB",
    "ingest 1 doc s",
]


def summary_row(size: int, figures: dict[str, Any]) -> list[str]:
    """One build's row under ``SUMMARY_HEADER`` (the ingest column left for the caller)."""
    s = figures["stages"]
    n = max(1, int(s.get("documents", 0)))
    cpu = figures["workers_cpu"] + figures["main_cpu"]
    return [
        str(size),
        f"{figures['wall']:.1f}",
        f"{cpu:.1f}",
        f"{s.get('extract_cpu', 0):.1f}",
        f"{s.get('reason_cpu', 0):.2f}",
        f"{s.get('validate_cpu', 0):.1f}",
        f"{figures['main_cpu']:.1f}",
        f"{(cpu - s.get('extract_cpu', 0)) / n:.3f}",
        f"{figures['triples']:,}",
        f"{figures['peak_mb']:.0f}",
    ]


def time_ingest(folder: Path) -> float:
    from benchmarks.synthetic import write_corpus
    from jtkg.graph.ingest import ingest
    from jtkg.graph.store import StoreLocation

    new = write_corpus(folder / "new", 1, seed=99)[0]
    renamed = new.with_name("synthetic-new-document.txt")
    new.rename(renamed)
    started = time.perf_counter()
    result = ingest([renamed], StoreLocation(folder / "store"))
    assert result.added, result.rejected
    return time.perf_counter() - started
