"""What provenance costs: the bundled build's triples and per-stage CPU (summed over the
per-document workers), best of N runs, plus wall time. Prints a table; asserts nothing.

    python -m benchmarks.provenance [runs]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from jtkg.graph.build import build, bundled_corpus
from jtkg.graph.store import StoreLocation


def main(runs: int = 3) -> None:
    best: dict[str, float] = {}
    triples = annotations = 0
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            started, cpu = time.perf_counter(), time.process_time()
            result = build(bundled_corpus(), StoreLocation(Path(tmp) / "store"))
            wall = time.perf_counter() - started
            assert result.published, result.report()
            store = StoreLocation(Path(tmp) / "store").open()
            annotations = len(list(store.query(
                "SELECT ?a { GRAPH ?g { ?a a <http://www.w3.org/ns/oa#Annotation> } }")))
            docs = sum(v for k, v in result.counts.items() if "/graph/doc/" in k)
            triples = docs
            row = {"wall": wall, "parent cpu": time.process_time() - cpu,
                   **{k: v for k, v in result.timings.items() if k.endswith("_cpu")}}
            for key, value in row.items():
                best[key] = min(best.get(key, value), value)
    print(f"documents: {len(bundled_corpus())}, document-graph triples: {triples}, "
          f"annotations: {annotations}")
    for key, value in best.items():
        print(f"  {key:<14} {value:7.2f} s (best of {runs})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
