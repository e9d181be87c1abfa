"""PDF text extraction: pypdf against pdfminer.six, and jtkg's reader, on generated reports.

    python -m benchmarks.pdf              # a 40-page report (needs reportlab, pypdf)
    python -m benchmarks.pdf --pages 100

The report is written by tests/pdf_maker.py from the tests' own text: two columns drawn
interleaved line by line, a running header and a "Page N" footer on every page, words
hyphenated across line ends. For each extractor the table shows

  order   paragraphs whose opening words come in the order written (of all paragraphs)
  header  running header / footer lines left in the text
  hyph    hyphenated words read whole (of those the writer broke)
  pages/s CPU and wall

pypdf and pdfminer are shown raw (their own text); jtkg is pdfminer plus the reader's
reading order, running-line removal and hyphen joining.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def _extractors() -> dict[str, Callable[[bytes], str]]:
    import io

    def pypdf_plain(data: bytes) -> str:
        from pypdf import PdfReader

        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)

    def pypdf_layout(data: bytes) -> str:
        from pypdf import PdfReader

        return "\n".join(p.extract_text(extraction_mode="layout") for p in PdfReader(io.BytesIO(data)).pages)

    def pdfminer_plain(data: bytes) -> str:
        from pdfminer.high_level import extract_text

        return extract_text(io.BytesIO(data))

    def jtkg(data: bytes) -> str:
        from jtkg.loaders.pdf import read_pdf

        return read_pdf(Path("bench.pdf"), data).text

    return {
        "pypdf": pypdf_plain,
        "pypdf (layout)": pypdf_layout,
        "pdfminer.six": pdfminer_plain,
        "jtkg (pdfminer.six)": jtkg,
    }


def _score(text: str, openings: list[str], header: str, hyphenated: list[str]) -> tuple[str, int, str]:
    flat = " ".join(text.split())
    at, in_order = 0, 0
    for words in openings:
        found = flat.find(words, at)
        if found >= 0:
            in_order += 1
            at = found + len(words)
    left = flat.count(header) + len(re.findall(r"\bPage \d+\b", flat))
    whole = sum(1 for w in hyphenated if re.search(rf"\b{w}\b", flat))
    return f"{in_order}/{len(openings)}", left, f"{whole}/{len(hyphenated)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=40, help="pages of the report (about)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per extractor (best kept)")
    args = parser.parse_args()
    from tests.pdf_maker import HEADER, make_report
    from tests.test_pdf import FRONT, NOTE, PARAGRAPHS, plain

    folder = Path(tempfile.mkdtemp(prefix="jtkg-pdf-bench-"))
    # About six of the test's paragraphs fill a page.
    paragraphs = PARAGRAPHS * max(1, round(args.pages * 6 / len(PARAGRAPHS)))
    made = make_report(
        folder / "report.pdf",
        FRONT,
        paragraphs,
        title=FRONT[0],
        author="Naomi Ferreira",
        date="2025-03-12",
        notes=[NOTE],
    )
    data = made.path.read_bytes()
    openings = [" ".join(plain(p).split()[:5]) for p in paragraphs]
    print(
        f"report: {made.pages} pages, {len(data):,} bytes, {len(paragraphs)} paragraphs, "
        f"{len(made.hyphenated)} words hyphenated at line ends"
    )
    print(
        f"{'extractor':22} {'order':>9} {'header':>7} {'hyph':>9} {'CPU s':>7} {'wall s':>7} "
        f"{'pages/s CPU':>12} {'pages/s wall':>13}"
    )
    for name, extract in _extractors().items():
        best_cpu = best_wall = float("inf")
        text = ""
        for _ in range(args.repeat):
            cpu, wall = time.process_time(), time.perf_counter()
            text = extract(data)
            best_cpu = min(best_cpu, time.process_time() - cpu)
            best_wall = min(best_wall, time.perf_counter() - wall)
        order, header, hyph = _score(text, openings, HEADER, made.hyphenated)
        print(
            f"{name:22} {order:>9} {header:>7} {hyph:>9} {best_cpu:7.2f} {best_wall:7.2f} "
            f"{made.pages / best_cpu:12.1f} {made.pages / best_wall:13.1f}"
        )


if __name__ == "__main__":
    main()
