"""What a folder's metadata.tsv costs a document's reading, by folder size.

A build reads each document in a forked worker. The parent parses each folder's metadata
file before forking (loaders.formats.warm -> metadata_file.preload), so a worker inherits
the rows and only lists the folder; without that, each worker would parse the whole file
(O(rows) a document). This reads a sample of documents three ways, interleaved: no
metadata.tsv, one of a row per document parsed once (as preloaded), and the same parsed
again for each document (a cold worker); it prints CPU and wall milliseconds a document.
Run: python benchmarks/metadata_file.py [--sizes 1000,4000] [--sample 200]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from jtkg.loaders import metadata_file
from jtkg.loaders.reader import read_document

MODES = ("none", "preloaded", "cold worker")
TEXT = "Harbour Talks Resume\n\nMarch 3, 2022\n\nShinzo Abe said the talks would resume.\n"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _folder(root: Path, size: int) -> Path:
    folder = root / f"docs-{size}"
    folder.mkdir()
    rows = ["file\ttitle\tauthors\tpublisher\tdate\tsource\tlanguage"]
    for i in range(size):
        (folder / f"brief-{i:05d}.txt").write_text(TEXT, encoding="utf-8")
        rows.append(
            f"brief-{i:05d}.txt\tBrief {i}\tJane Roe; Sora Veld\tHarbour Ledger\t2022-03-{1 + i % 28:02d}"
            f"\thttps://example.org/briefs/{i}\ten"
        )
    (folder / "metadata.tsv.off").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def _read(paths: list[Path], cold: bool) -> tuple[float, float]:
    metadata_file._cache.clear()
    metadata_file.preload(paths)
    cpu, wall = _cpu(), time.perf_counter()
    for path in paths:
        if cold:
            metadata_file._cache.clear()  # as in a worker whose parent did not preload
        read_document(path)
    return (_cpu() - cpu) * 1000 / len(paths), (time.perf_counter() - wall) * 1000 / len(paths)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,4000")
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="jtkg-metadata-bench-"))
    try:
        print("documents  metadata.tsv       CPU ms/doc  wall ms/doc  (best of rounds, interleaved)")
        for size in (int(s) for s in args.sizes.split(",")):
            folder = _folder(root, size)
            sample = sorted(folder.glob("*.txt"))[:: max(1, size // args.sample)][: args.sample]
            best: dict[str, tuple[float, float]] = {}
            for _ in range(args.rounds):
                for mode in MODES:
                    off, live = folder / "metadata.tsv.off", folder / "metadata.tsv"
                    if mode != "none":
                        off.rename(live)
                    try:
                        cpu, wall = _read(sample, mode == "cold worker")
                    finally:
                        if mode != "none":
                            live.rename(off)
                    best[mode] = min(best.get(mode, (cpu, wall)), (cpu, wall))
            for mode in MODES:
                cpu, wall = best[mode]
                print(f"{size:>9}  {mode:>16}   {cpu:>10.3f}  {wall:>11.3f}")
    finally:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
