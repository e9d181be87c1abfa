"""Forked workers and the readers' heavy imports: a build of 10 HTML pages with the parent's
``warm()`` (trafilatura imported once, inherited by every child) and without it (each child
imports it again).

    python -m benchmarks.warm              # 3 rounds each, 2 workers
    python -m benchmarks.warm --rounds 5

Each round runs in a fresh interpreter, as `jtkg build` does, so nothing is imported
beforehand. The figures are for the machine it runs on; nothing here is a test.
"""

from __future__ import annotations

import argparse
import html
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

ROUND = """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
import jtkg.graph.pipeline as pipeline
from jtkg.graph.build import build
from jtkg.graph.store import StoreLocation
if sys.argv[3] == "cold":
    pipeline.warm = lambda *args: None  # as before warm(): each child imports trafilatura
pages = sorted(Path(sys.argv[1]).glob("*.html"))
t0 = time.perf_counter()
result = build(pages, StoreLocation(Path(sys.argv[2])), workers=2)
print(json.dumps({"build": time.perf_counter() - t0, "total": time.perf_counter() - started,
                  "documents": result.documents, "published": result.published,
                  "extract_cpu": result.timings.get("extract_cpu", 0.0)}))
"""


def write_pages(folder: Path, count: int = 10) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    for i in range(count):
        text = texts[i % len(texts)]
        body = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n"))
        (folder / f"page-{i:02d}.html").write_text(
            f"<html><head><title>Page {i}</title><script>var x = {i};</script></head><body>"
            f"<nav>Home | About | Subscribe</nav><article>{body}</article>"
            f"<footer>Copyright</footer></body></html>",
            encoding="utf-8",
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp) / "pages"
        pages.mkdir()
        write_pages(pages)
        figures: dict[str, list[dict[str, float]]] = {"cold": [], "warm": []}
        for r in range(args.rounds):
            for mode in ("cold", "warm"):
                store = Path(tmp) / f"store-{mode}-{r}"
                out = subprocess.run(
                    [sys.executable, "-c", ROUND, str(pages), str(store), mode],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                figures[mode].append(json.loads(out.strip().splitlines()[-1]))
    print(
        "| children import trafilatura | documents | build wall s (median) | "
        "extract CPU s in children (median) |"
    )
    print("|---|---|---|---|")
    for mode, label in (("cold", "each child (before warm())"), ("warm", "once, in the parent")):
        rows = figures[mode]
        print(
            f"| {label} | {rows[0]['documents']} | "
            f"{statistics.median(r['build'] for r in rows):.2f} | "
            f"{statistics.median(r['extract_cpu'] for r in rows):.2f} |"
        )


if __name__ == "__main__":
    main()
