"""Extraction cost of one huge document, by size and shape: is any step worse than linear?

    python -m benchmarks.huge_document                     # 1k, 2k, 4k and 8k lines, every shape
    python -m benchmarks.huge_document --lines 10000 --shapes names

Each run extracts one generated document in a fresh child process (so memory is that
document's alone) and prints a Markdown table: CPU and wall seconds, peak memory, mentions
and triples. Linear steps keep seconds per 1,000 lines flat as the size doubles. The figures
are for the machine it runs on; nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.syllables import SYLLABLES

TITLES = ["President", "Prime Minister", "Minister", "Ambassador", "Legislator"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _name(rng: random.Random) -> str:
    return f"{_word(rng)} {_word(rng)}"


def document(shape: str, lines: int, seed: int = 7) -> str:
    """``lines`` lines of one shape, each with new names (the cost is in the new ones)."""
    rng = random.Random(seed)
    out: list[str] = []
    if shape == "panel":
        out.append("Webinar on March 17, 2021\n\nPanelists:")
    for i in range(lines):
        if shape == "names":  # the document: a name on every line
            out.append(f"{rng.choice(TITLES)} {_name(rng)} met {_name(rng)} in Taipei.")
        elif shape == "surnames":  # full names, then surnames alone, sharing few surnames
            surname = ["Kato", "Lin", "Wang", "Abe"][i % 4]
            out.append(f"Minister {_word(rng)} {surname} spoke in Tokyo. {surname} said so.")
        elif shape == "dates":
            out.append(
                f"On {rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(1990, 2024)} "
                f"Minister {_name(rng)} visited Taipei; on {rng.choice(MONTHS)} "
                f"{rng.randint(1, 28)} he left."
            )
        elif shape == "panel":  # a list of names under "Panelists:"
            out.append(f"{_name(rng)}, Senior Fellow")
        elif shape == "prose":  # one long paragraph: sentences that run on
            out.append(
                f"{rng.choice(TITLES)} {_name(rng)} said that Japan and Taiwan should "
                f"talk, and {_name(rng)} agreed with Mr. {_word(rng)} of the council"
            )
    return "\n".join(out) + "\n"


SHAPES = ("names", "surnames", "dates", "panel", "prose")

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from jtkg.loaders.extract import Extractor
try:  # no limit here: the point is to see how the cost grows
    from jtkg.loaders.limits import Limits
    extractor = Extractor(limits=Limits(max_document_chars=10**9, max_document_mentions=10**9))
except (ImportError, TypeError):  # a checkout from before the limits, to compare
    extractor = Extractor()
path = Path(sys.argv[1])
before = resource.getrusage(resource.RUSAGE_SELF)
wall = time.perf_counter()
extraction = extractor.extract_file(path)
wall = time.perf_counter() - wall
after = resource.getrusage(resource.RUSAGE_SELF)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
print(json.dumps({"cpu": cpu, "wall": wall, "rss_mb": after.ru_maxrss / 1024,
                  "triples": len(extraction), "chars": len(extraction.document.text)}))
"""


def measure(shape: str, lines: int, folder: Path) -> dict[str, float]:
    path = folder / f"{shape}-{lines}.txt"
    path.write_text(document(shape, lines), encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{path.name}: {done.stderr.strip().splitlines()[-1]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--lines", default="1000,2000,4000,8000", help="comma-separated document sizes, in lines"
    )
    parser.add_argument("--shapes", default=",".join(SHAPES), help=f"any of {', '.join(SHAPES)}")
    args = parser.parse_args()
    sizes = [int(n) for n in args.lines.split(",")]
    print("| shape | lines | characters | CPU s | wall s | CPU s per 1k lines | peak MB | triples |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for shape in args.shapes.split(","):
            for lines in sizes:
                r = measure(shape, lines, Path(tmp))
                print(
                    f"| {shape} | {lines:,} | {int(r['chars']):,} | {r['cpu']:.2f} | "
                    f"{r['wall']:.2f} | {1000 * r['cpu'] / lines:.2f} | {r['rss_mb']:.0f} | "
                    f"{int(r['triples']):,} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
