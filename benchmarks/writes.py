"""Per-write cost: an INSERT DATA of a few triples, by the size of the store written into.

    python -m benchmarks.writes [--repeat 5] [--documents 0,100] [--store BUILT_STORE]

``--documents``: 0 is the bundled corpus; N > 0 a synthetic corpus of N documents
(benchmarks/synthetic.py; 100 take a few minutes to build, 1,000 about twenty). For each
store it prints the median CPU and wall seconds of

- *before*: the write path before the change pipeline (issue 13): apply, copy the whole
  store into rdflib, validate all of it with SHACL, recount every graph, publish — kept
  here as ``write_before`` (the code of server/write_worker.write at 4e4ac2b);
- *after*: graph/change.py ``commit`` in this process: apply, re-derive the changed graph,
  validate its neighbourhood, publish;
- *after, child*: the same through ``run_write`` (fork server child, as the server runs it;
  wall only: the child's CPU is not this process's).

Each write inserts a new person (type and label: 2 triples, 4 inferred) into its own graph.
For the machine it runs on; nothing here is a test.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from jtkg.graph.build import build, bundled_corpus
from jtkg.graph.change import Change, apply, commit
from jtkg.graph.store import StoreLocation, to_rdflib
from jtkg.graph.validate import validate
from jtkg.server.write_worker import run_write


def _insert(i: int) -> Change:
    person = f"https://w3id.org/jtkg/id/person/bench-{i}"
    return Change(
        "update",
        text=(
            "INSERT DATA { GRAPH <https://w3id.org/jtkg/graph/bench> { "
            f"<{person}> a <https://w3id.org/jtkg/ontology#Person> ; "
            f'<http://www.w3.org/2000/01/rdf-schema#label> "Bench Person {i}"@en }} }}'
        ),
    )


def write_before(location: StoreLocation, change: Change) -> str:
    """The write before issue 13: the whole dataset copied into rdflib and validated."""
    with location.next_generation(recount=True) as generation:
        apply(generation.store, change)
        data = Graph()
        for quad in generation.store:
            data.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        report = validate(data)
        if not report.conforms:
            raise RuntimeError(report.violations[0].line())
        return generation.name


def _measure(repeat: int, once: Callable[[int], object], start: int) -> tuple[float, float]:
    cpu, wall = [], []
    for i in range(repeat):
        c, w = time.process_time(), time.perf_counter()
        once(start + i)
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return statistics.median(cpu), statistics.median(wall)


def _store(size: int, folder: Path) -> Path:
    path = folder / f"store-{size}"
    if size == 0:
        documents = bundled_corpus()
    else:
        from benchmarks.synthetic import write_corpus

        documents = write_corpus(folder / f"corpus-{size}", size)
    result = build(documents, StoreLocation(path))
    assert result.published, result.report()
    return path


Row = tuple[str, int, tuple[float, float], tuple[float, float], tuple[float, float]]


def figures(name: str, path: Path, repeat: int, before_too: bool) -> Row:
    location = StoreLocation(path)
    quads = sum(location.manifest().graphs.values())  # type: ignore[union-attr]
    commit(location, _insert(-1))  # warms the base, shapes and parser in this process
    after = _measure(repeat, lambda i: commit(location, _insert(i)), 0)
    run_write(location, _insert(-2), "update")  # starts the fork server
    child = _measure(repeat, lambda i: run_write(location, _insert(i), "update"), 1000)
    nothing = (float("nan"), float("nan"))
    before = _measure(repeat, lambda i: write_before(location, _insert(i)), 2000) if before_too else nothing
    return name, quads, before, after, child


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--documents", default="0,100", help="store sizes, comma-separated (0: bundled)")
    parser.add_argument("--store", type=Path, help="a built store to use instead (copied)")
    parser.add_argument("--no-before", action="store_true", help="skip the slow before figures")
    args = parser.parse_args()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.store:
            shutil.copytree(args.store, folder / "given")
            rows.append(figures(str(args.store), folder / "given", args.repeat, not args.no_before))
        for size in [] if args.store else [int(n) for n in args.documents.split(",")]:
            name = "bundled corpus" if size == 0 else f"{size} synthetic documents"
            rows.append(figures(name, _store(size, folder), args.repeat, not args.no_before))
    print(
        f"| INSERT DATA of 2 triples, median of {args.repeat} | quads | before CPU / wall s "
        "| after CPU / wall s | after, child process wall s |"
    )
    print("|---|---:|---:|---:|---:|")
    for name, quads, before, after, child in rows:
        print(
            f"| {name} | {quads:,} | {before[0]:.2f} / {before[1]:.2f} | {after[0]:.2f} / {after[1]:.2f} "
            f"| {child[1]:.2f} |"
        )


if __name__ == "__main__":
    main()
