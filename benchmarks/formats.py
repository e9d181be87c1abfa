"""What the formats table's serializations cost: an entity description (the largest, Japan)
in each RDF format, and a whole-dataset export in each, on a built store.

    python -m benchmarks.formats --store PATH     # a store built by `jtkg build`

Prints a Markdown table, CPU and wall seconds (the best of --repeat runs). Nothing here is
a test; figures are for the machine it runs on.
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable
from pathlib import Path

from jtkg.graph.export import export
from jtkg.graph.formats import RDF_FORMATS, described
from jtkg.graph.store import StoreLocation

JAPAN = "https://w3id.org/jtkg/id/state/japan"


def best(run: Callable[[], int], repeat: int) -> tuple[float, float, int]:
    """(CPU seconds, wall seconds, bytes) of the fastest of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        size = run()
        times.append((time.process_time() - cpu, time.perf_counter() - wall, size))
    return min(times, key=lambda t: t[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    store = StoreLocation(args.store).open()
    query = (
        f"CONSTRUCT {{ <{JAPAN}> ?p ?o . ?s ?q <{JAPAN}> }} "
        f"WHERE {{ {{ <{JAPAN}> ?p ?o }} UNION {{ ?s ?q <{JAPAN}> }} }}"
    )
    triples = list(store.query(query, use_default_graph_as_union=True))
    print(f"store: {len(store)} quads; Japan's description: {len(triples)} triples\n")
    print("| format | description CPU s | wall s | bytes | export CPU s | wall s | MB |")
    print("|---|---|---|---|---|---|---|")
    for fmt in RDF_FORMATS:
        d = best(lambda f=fmt: len(described(store, triples, f.media_type, about=JAPAN)), args.repeat)

        def whole(f: str = fmt.name) -> int:
            out = io.BytesIO()
            export(store, f, out)
            return len(out.getvalue())

        e = best(whole, 1)
        cells = [fmt.name, f"{d[0]:.3f}", f"{d[1]:.3f}", f"{d[2]:,}", f"{e[0]:.2f}", f"{e[1]:.2f}"]
        print("| " + " | ".join([*cells, f"{e[2] / 1e6:.1f}"]) + " |")


if __name__ == "__main__":
    main()
