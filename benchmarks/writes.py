"""Per-write cost: a small INSERT DATA on the bundled store, median of N.

    python -m benchmarks.writes [--repeat 10] [--store BUILT_STORE]

Each write copies the published generation, applies the change, validates the whole dataset
with SHACL and publishes. Since issue 12 it runs in a child process (fork server) under a
time limit; the figures compare that with the same write in the calling process, and give
the whole request through the app. For the machine it runs on; nothing here is a test.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from jtkg.graph.build import build, bundled_corpus
from jtkg.graph.store import StoreLocation
from jtkg.server.app import create_app
from jtkg.server.write_worker import Change, run_write, write

TOKEN = "benchmark-token"


def _insert(i: int) -> str:
    return f"INSERT DATA {{ GRAPH <urn:x:bench> {{ <urn:x:s{i}> <urn:x:p> {i} }} }}"


def _figure(times: list[float]) -> str:
    return (
        f"{statistics.median(times) * 1000:.0f} ms (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})"
    )


def _alternate(repeat: int, runs: dict[str, Callable[[int], None]]) -> dict[str, str]:
    """Runs each way in turn, ``repeat`` times, so that a busy machine slows all alike."""
    times: dict[str, list[float]] = {what: [] for what in runs}
    for i in range(repeat + 1):
        for what, once in runs.items():
            started = time.perf_counter()
            once(i)
            if i:  # the first round starts the fork server and warms caches
                times[what].append(time.perf_counter() - started)
    return {what: _figure(spent) for what, spent in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--store", type=Path, help="a built store to copy (else one is built)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "store"
        if args.store:
            shutil.copytree(args.store, path)
        else:
            build(bundled_corpus(), StoreLocation(path))
        location = StoreLocation(path)
        app = create_app({"STORE": path, "UPDATE_TOKEN": TOKEN})
        client = app.test_client()
        headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}

        def request(i: int) -> None:
            response = client.post("/update", data=_insert(2000 + i), headers=headers)
            assert response.status_code == 204, response.get_data(as_text=True)

        rows = _alternate(
            args.repeat,
            {
                "in the calling process (as before issue 12)": lambda i: write(
                    location, Change("update", text=_insert(i)), "update"
                ),
                "in a child process": lambda i: run_write(
                    location, Change("update", text=_insert(1000 + i)), "update"
                ),
                "POST /update (the whole request, child process)": request,
            },
        )
        app.extensions["jtkg.queries"].close()
    print(f"| small INSERT DATA on the bundled store, median of {args.repeat} | time |")
    print("|---|---|")
    for what, figure in rows.items():
        print(f"| {what} | {figure} |")


if __name__ == "__main__":
    main()
