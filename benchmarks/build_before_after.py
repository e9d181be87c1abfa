"""Build cost before / after, interleaved in one run: the same benchmark child
(benchmarks.run --child-build) run on two source trees in turn, each size on both before
the next size, so that both meet the same load on a shared machine.

    python -m benchmarks.build_before_after --before /path/to/old/tree --sizes 5,100

``--before`` is a folder holding a ``jtkg`` package of the old code (e.g. ``git archive``
of an older commit, its layer folders under ``jtkg/``); the after side is this checkout.
Prints the summary rows (CPU from getrusage, wall, largest process RSS) of each.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from benchmarks.build_cost import STAGE_HEADER, SUMMARY_HEADER, stage_rows, summary_row
from benchmarks.run import run_build, table


def child(size: int, folder: Path, pythonpath: str | None) -> dict[str, object]:
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    else:
        env.pop("PYTHONPATH", None)
    return run_build(size, folder, env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", required=True, help="a folder holding the old jtkg package")
    parser.add_argument("--sizes", default="5,100")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="jtkg-before-after-"))
    rows, stages = [], []
    for size in (int(s) for s in args.sizes.split(",")):
        for name, path in (("before", args.before), ("after", None)):
            figures = child(size, work / f"{name}-{size}", path)
            row = [name, *summary_row(size, figures)]
            rows.append(row)
            stages.append(f"### {name}, {size} documents\n\n{table(stage_rows(figures), STAGE_HEADER)}\n")
            print(row, flush=True)
    text = "\n".join([table(rows, ["code", *SUMMARY_HEADER[:-1]]), "", *stages])
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
