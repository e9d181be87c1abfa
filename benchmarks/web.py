"""Main text of web pages: trafilatura against the project's own stripper.

    python -m benchmarks.web              # every page in tests/fixtures/web, 20 rounds each
    python -m benchmarks.web --rounds 50

Each page ``NAME.html`` (navigation, related-article lists, comments, cookie banners, share
buttons, newsletter boxes) has its known main text in ``NAME.main.txt``. For each method the
table gives precision and recall of the main text's word tokens (counted as a multiset, so a
paragraph read twice costs precision) per page and overall, and the speed in pages per second
of CPU and of wall time. The figures are for the machine it runs on; nothing here is a test.
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import trafilatura

from jtkg.loaders.web import html_to_text, main_text

PAGES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "web"


def _trafilatura(**options: object) -> Callable[[str], str]:
    def run(html: str) -> str:
        return trafilatura.extract(html, include_comments=False, **options) or ""

    return run


METHODS: dict[str, Callable[[str], str]] = {
    "stripper (html_to_text)": html_to_text,
    "trafilatura (defaults)": _trafilatura(),
    "trafilatura favor_precision": _trafilatura(favor_precision=True),
    "trafilatura favor_recall": _trafilatura(favor_recall=True),
    "jtkg reader (precision, stripper fallback)": lambda html: main_text(html)[0],
}


def tokens(text: str) -> Counter[str]:
    return Counter(w.lower() for w in re.findall(r"\w+", text))


def score(found: str, gold: str) -> tuple[int, int, int]:
    """(true positives, tokens found, tokens of the main text)."""
    f, g = tokens(found), tokens(gold)
    return sum((f & g).values()), sum(f.values()), sum(g.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="timed passes over every page")
    args = parser.parse_args()
    pages = [
        (p.stem, p.read_text(encoding="utf-8"), p.with_suffix(".main.txt").read_text(encoding="utf-8"))
        for p in sorted(PAGES.glob("*.html"))
        if p.with_suffix(".main.txt").exists()
    ]
    for method in METHODS.values():  # warm-up: imports and trafilatura's caches
        method(pages[0][1])
    names = [name for name, _, _ in pages]
    print(f"{len(pages)} pages, {args.rounds} rounds; P/R = precision/recall of main-text tokens\n")
    print("| method | " + " | ".join(names) + " | all P | all R | F1 | pages/s CPU | pages/s wall |")
    print("|---" * (len(names) + 6) + "|")
    for label, method in METHODS.items():
        cells, tp, nf, ng = [], 0, 0, 0
        for _, html, gold in pages:
            t, f, g = score(method(html), gold)
            tp, nf, ng = tp + t, nf + f, ng + g
            cells.append(f"{t / f if f else 0:.2f}/{t / g:.2f}")
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(args.rounds):
            for _, html, _ in pages:
                method(html)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        runs = args.rounds * len(pages)
        p, r = tp / nf if nf else 0.0, tp / ng
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(
            f"| {label} | "
            + " | ".join(cells)
            + f" | {p:.3f} | {r:.3f} | {f1:.3f} | {runs / cpu:.0f} | {runs / wall:.0f} |"
        )


if __name__ == "__main__":
    main()
