"""Per-write cost through the server: a small INSERT DATA on the bundled store, median of N.

    python -m benchmarks.writes [--repeat 10]

Each write copies the published generation, applies the change, validates the whole dataset
with SHACL and publishes; since issue 12 it does so in a child process (fork server). The
figure is for the machine it runs on; nothing here is a test.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from jtkg.graph.build import build, bundled_corpus
from jtkg.graph.store import StoreLocation
from jtkg.server.app import create_app

TOKEN = "benchmark-token"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "store"
        build(bundled_corpus(), StoreLocation(path))
        app = create_app({"STORE": path, "UPDATE_TOKEN": TOKEN})
        client = app.test_client()
        headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
        times = []
        for i in range(args.repeat + 1):
            update = (f"INSERT DATA {{ GRAPH <urn:x:bench> {{ <urn:x:s{i}> <urn:x:p> {i} }} }}")
            started = time.perf_counter()
            response = client.post("/update", data=update, headers=headers)
            elapsed = time.perf_counter() - started
            assert response.status_code == 204, response.get_data(as_text=True)
            if i:  # the first write starts the fork server
                times.append(elapsed)
        app.extensions["jtkg.queries"].close()
    print(f"small INSERT DATA, median of {args.repeat}: {statistics.median(times) * 1000:.0f} ms "
          f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})")


if __name__ == "__main__":
    main()
