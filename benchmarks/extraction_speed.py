"""Extraction speed and memory: the rules-only extractor, the spaCy model alone, and the full
extractor, on the bundled corpus and on synthetic documents (benchmarks/synthetic.py).

    python -m benchmarks.extraction_speed                 # 3 rounds, 10 synthetic documents
    python -m benchmarks.extraction_speed --rounds 5 --synthetic 20
    python -m benchmarks.extraction_speed --rows "full extractor" --build   # the issue's figures

Each measurement runs in a fresh interpreter (peak RSS is that process's own, as for one
build worker); rounds interleave the rows so a busy machine slows them alike. chars/s per
core is characters over CPU seconds (user + system) of the extraction itself; loading the
model is reported apart. The issue's figure is the "full extractor" row: end to end
(reading excepted) chars/s per core, CPU and wall, and peak RSS of that one process, which
is what one build worker holds (its model pages are shared with the parent). ``--build``
adds `jtkg build` of the bundled corpus: wall and CPU (parent and children), with the
model's load in a fresh interpreter reported apart. The figures are for the machine it runs
on; nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

#: What each row runs over the documents' text (after reading, which is not timed).
ROWS = {
    "rules only": "RULES_ONLY extractor",
    "model NER alone": "spaCy ner component over the sentence chunks",
    "model candidates": "NER + skip rule + filters (model_candidates)",
    "full pipeline on every sentence": "tagger + parser + NER over every chunk (for scale)",
    "full extractor": "FULL extractor",
}

ONE = """
import json, resource, sys, time
from pathlib import Path
from jtkg.loaders.reader import read_document
from jtkg.loaders.text import sentences
row, paths = sys.argv[1], [Path(p) for p in sys.argv[2:]]
docs = [read_document(p) for p in paths]
chars = sum(len(d.text) for d in docs)

def hwm():  # this process's own peak (ru_maxrss would carry the parent's over exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

load_cpu = 0.0
if row in ("rules only", "full extractor"):
    from jtkg.loaders.extract import Extractor
    from jtkg.loaders.recipe import FULL, RULES_ONLY
    extractor = Extractor(recipe=RULES_ONLY if row == "rules only" else FULL)
if row != "rules only":
    from jtkg.loaders import model
    c0 = cpu()
    model.preload()
    load_cpu = cpu() - c0
if row in ("rules only", "full extractor"):
    try:  # as a build's parent does before forking: the figure is a worker's
        from jtkg.graph.pipeline import warm_up
        warm_up(extractor)
    except ImportError:  # a tree from before warm_up (a before/after run): one document
        extractor.extract(docs[0])
rss_loaded = hwm()
c0, w0 = cpu(), time.perf_counter()
for doc in docs:
    spans = sentences(doc.text, doc.body_start)
    if row in ("rules only", "full extractor"):
        extractor.extract(doc)
    elif row == "model NER alone":
        model.entities(doc.text, spans)
    elif row == "model candidates":
        model.model_candidates(doc.text, spans, lambda line: None, str(doc.path))
    else:
        nlp = model.load()
        for piece in nlp.pipe(doc.text[a:b] for a, b in model.passages(doc.text, spans)):
            pass
print(json.dumps({"chars": chars, "cpu": cpu() - c0, "wall": time.perf_counter() - w0,
                  "load_cpu": load_cpu, "rss_loaded": rss_loaded,
                  "rss_peak": hwm()}))
"""


def measure(row: str, paths: list[Path]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", ONE, row, *map(str, paths)], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


LOAD = """
import json, resource, time
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
c0, w0 = cpu(), time.perf_counter()
from jtkg.loaders import model
model.preload()
print(json.dumps({"cpu": cpu() - c0, "wall": time.perf_counter() - w0}))
"""


def measure_build() -> dict[str, float]:
    """`jtkg build` of the bundled corpus into a fresh store: wall, and CPU of it and its
    workers (RUSAGE_CHILDREN after it exits: the build and every child it forked)."""
    import resource
    import time

    with tempfile.TemporaryDirectory() as tmp:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        w0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "jtkg.server", "build", "--store", str(Path(tmp) / "store")],
            check=True,
            capture_output=True,
        )
        wall = time.perf_counter() - w0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    out = subprocess.run([sys.executable, "-c", LOAD], check=True, capture_output=True, text=True)
    load = json.loads(out.stdout.strip().splitlines()[-1])
    return {"wall": wall, "cpu": cpu, "load_wall": load["wall"], "load_cpu": load["cpu"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--synthetic", type=int, default=10, help="synthetic documents")
    parser.add_argument("--rows", default=",".join(ROWS), help="comma-separated rows")
    parser.add_argument("--build", action="store_true", help="also time `jtkg build` of the bundled corpus")
    args = parser.parse_args()
    rows = [r for r in args.rows.split(",") if r in ROWS]
    with tempfile.TemporaryDirectory() as tmp:
        from benchmarks.synthetic import write_corpus

        corpora = {
            "bundled": sorted(CORPUS.glob("*.txt")),
            "synthetic": write_corpus(Path(tmp), args.synthetic),
        }
        results: dict[tuple[str, str], list[dict[str, float]]] = {}
        builds: list[dict[str, float]] = []
        for _ in range(args.rounds):  # interleaved: every row once per round
            for corpus, paths in corpora.items():
                for row in rows:
                    results.setdefault((corpus, row), []).append(measure(row, paths))
            if args.build:
                builds.append(measure_build())
    print(f"{args.rounds} rounds, medians; chars/s per core = characters / CPU s of extraction\n")
    print(
        "| corpus | row | chars | chars/s per core (CPU) | chars/s (wall) | CPU s | wall s "
        "| model load CPU s | RSS after load MB | peak RSS MB (one worker) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for (corpus, row), runs in results.items():

        def med(key: str, runs: list[dict[str, float]] = runs) -> float:
            return statistics.median(r[key] for r in runs)

        chars = runs[0]["chars"]
        print(
            f"| {corpus} | {row} | {chars:,.0f} | {chars / med('cpu'):,.0f} "
            f"| {chars / med('wall'):,.0f} | {med('cpu'):.2f} "
            f"| {med('wall'):.2f} | {med('load_cpu'):.2f} | {med('rss_loaded'):.0f} "
            f"| {med('rss_peak'):.0f} |"
        )

    if builds:

        def bmed(key: str) -> float:
            return statistics.median(b[key] for b in builds)

        print(
            "\n| `jtkg build` of the bundled corpus | wall s | CPU s (all processes) "
            "| of which model load (fresh interpreter): wall s | CPU s |"
        )
        print("|---|---|---|---|---|")
        print(
            f"| {len(builds)} runs, medians | {bmed('wall'):.2f} | {bmed('cpu'):.2f} "
            f"| {bmed('load_wall'):.2f} | {bmed('load_cpu'):.2f} |"
        )


if __name__ == "__main__":
    main()
