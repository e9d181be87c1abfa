"""What the issue scheme costs: building the topic finder (reading the scheme, compiling its
labels) in a fresh process, and finding topics in the bundled documents (scheme labels and
cue patterns apart), CPU and wall, best of five.

    python benchmarks/topics_speed.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

_CHILD = r"""
import json, time
import rdflib  # loaded in both cases: not what is measured
from jtkg.ontology import load_registry
load_registry(scheme=False)
wall, cpu = time.perf_counter(), time.process_time()
from jtkg.loaders.topics import TopicFinder
TopicFinder()
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}))
"""


def _best(run, repeat: int = 5) -> tuple[float, float]:
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        best = min(best, (time.process_time() - cpu, time.perf_counter() - wall))
    return best


def main() -> None:
    from jtkg.graph.build import bundled_corpus
    from jtkg.loaders.text import sentences
    from jtkg.loaders.topic_cues import find_cues
    from jtkg.loaders.topics import TopicFinder

    built = json.loads(
        subprocess.run([sys.executable, "-c", _CHILD], check=True, capture_output=True, text=True).stdout
    )
    finder = TopicFinder()
    texts = [p.read_text(encoding="utf-8") for p in bundled_corpus()]
    spans = [sentences(t) for t in texts]
    chars = sum(map(len, texts))

    def scheme() -> None:
        for text, sents in zip(texts, spans, strict=True):
            for s in sents:
                finder.match(text, s.start, s.end)

    def cues() -> None:
        for text, sents in zip(texts, spans, strict=True):
            for s in sents:
                find_cues(text, s.start, s.end)

    def both() -> None:
        for text, sents in zip(texts, spans, strict=True):
            finder.find(text, sents)

    print(f"build (fresh process): {built['cpu']:.2f} s CPU, {built['wall']:.2f} s wall")
    print(f"{'part':<16}{'CPU s':>8}{'wall s':>8}{'chars/CPU s':>14}")
    for name, run in (("scheme labels", scheme), ("cue patterns", cues), ("find (both)", both)):
        cpu, wall = _best(run)
        print(f"{name:<16}{cpu:>8.3f}{wall:>8.3f}{chars / cpu:>14,.0f}")
    print(f"{len(texts)} bundled documents, {chars:,} characters")


if __name__ == "__main__":
    main()
