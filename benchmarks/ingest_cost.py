"""Ingest of one new document into a built store, in a fresh process, timed in parts:

- *start*: interpreter start and jtkg's imports (what `jtkg ingest` costs before any work);
- *model*: loading the pinned spaCy model and warming the extractor (once per process);
- *ingest*: graph/ingest.py ``ingest`` of one synthetic document: extraction in a forked
  worker, reasoning, validation, copying the published generation, writing, publishing.

    python -m benchmarks.ingest_cost --store BUILT_STORE [--repeat 3]

Each repeat is a new process and a new document (the store grows by one each time; the
``--store`` given is copied first and left as it was). CPU from getrusage (this process and
its children), wall beside it. For the machine it runs on; nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def child(store: Path, document: Path) -> dict[str, float]:
    """In a fresh process: the three parts' CPU and wall."""
    import psutil

    started = psutil.Process().create_time()
    from jtkg.graph.ingest import ingest
    from jtkg.graph.pipeline import prepare, warm_up
    from jtkg.graph.store import StoreLocation
    from jtkg.loaders.extract import Extractor
    from jtkg.loaders.recipe import FULL

    imported_wall, imported_cpu = time.time(), _cpu()
    extractor = Extractor()
    prepare(FULL)
    warm_up(extractor, process_too=True)
    model_wall, model_cpu = time.time(), _cpu()
    result = ingest([document], StoreLocation(store), extractor=extractor)
    assert result.added, result.rejected
    peak = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    return {
        "start_wall": imported_wall - started,
        "start_cpu": imported_cpu,
        "model_wall": model_wall - imported_wall,
        "model_cpu": model_cpu - imported_cpu,
        "ingest_wall": time.time() - model_wall,
        "ingest_cpu": _cpu() - model_cpu,
        "peak_mb": peak / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child[0]), Path(args.child[1]))))
        return
    from benchmarks.synthetic import write_corpus

    work = Path(tempfile.mkdtemp(prefix="jtkg-ingest-"))
    store = work / "store"
    shutil.copytree(args.store, store, symlinks=True)
    runs = []
    for i, document in enumerate(write_corpus(work / "new", args.repeat, seed=99)):
        renamed = document.with_name(f"ingested-document-{i}.txt")
        document.rename(renamed)
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.ingest_cost", "--child", str(store), str(renamed)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(runs[-1], flush=True)
    print("| part | CPU s (median) | wall s (median) |\n|---|---|---|")
    for part in ("start", "model", "ingest"):
        cpu = statistics.median(r[f"{part}_cpu"] for r in runs)
        wall = statistics.median(r[f"{part}_wall"] for r in runs)
        print(f"| {part} | {cpu:.2f} | {wall:.2f} |")
    print(f"largest process: {max(r['peak_mb'] for r in runs):.0f} MB")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
