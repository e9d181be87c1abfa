"""Load test: many concurrent clients on 127.0.0.1 against a jtkg server it starts.

    python -m benchmarks.load                     # 32 clients, 60 s, bundled corpus
    python -m benchmarks.load --clients 8 --seconds 10

Most clients loop over the competency queries; a few send expensive queries (a cartesian
product, a deep property path) that the server must cut at its time limit. Reports requests
per second, p50/p99 latency of the cheap queries, and failures other than the intended
timeouts. Traffic goes only to the server it starts on 127.0.0.1, and the run stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from benchmarks.run import CQ, _listening, free_port

EXPENSIVE = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a (<http://www.w3.org/2000/01/rdf-schema#label>|!<x:y>)* ?b }",
]


def client(port: int, queries: list[str], until: float, samples: list[tuple[bool, float, int]],
           expensive: bool) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    i = 0
    while time.monotonic() < until:
        query = queries[i % len(queries)]
        i += 1
        started = time.monotonic()
        try:
            connection.request("POST", "/sparql", body=urllib.parse.urlencode({"query": query}),
                               headers={"Content-Type": "application/x-www-form-urlencoded",
                                        "Accept": "application/sparql-results+json"})
            response = connection.getresponse()
            response.read()
            status = response.status
        except OSError:
            status = 0
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        samples.append((expensive, (time.monotonic() - started) * 1000, status))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--expensive-clients", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=6, help="server query workers")
    parser.add_argument("--timeout", type=float, default=3, help="server query time limit (s)")
    parser.add_argument("--store", type=Path, default=None,
                        help="a built store (default: build the bundled corpus in a temp folder)")
    args = parser.parse_args()
    store = args.store or Path(tempfile.mkdtemp(prefix="jtkg-load-")) / "store"
    if not (store / "CURRENT").exists():
        subprocess.run([sys.executable, "-m", "jtkg.server", "build", "--store", str(store)],
                       check=True, capture_output=True)
    port = free_port()
    env = {**os.environ, "JTKG_QUERY_WORKERS": str(args.workers),
           "JTKG_QUERY_TIMEOUT": str(args.timeout), "JTKG_THREADS": str(args.clients + 4)}
    server = subprocess.Popen([sys.executable, "-m", "jtkg.server", "serve", "--store",
                               str(store), "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while not _listening(port):
            if time.time() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)
        cheap = [p.read_text(encoding="utf-8") for p in CQ]
        samples: list[tuple[bool, float, int]] = []
        until = time.monotonic() + args.seconds
        threads = [threading.Thread(target=client, args=(
            port, EXPENSIVE if i < args.expensive_clients else cheap, until, samples,
            i < args.expensive_clients)) for i in range(args.clients)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    fast = sorted(ms for expensive, ms, status in samples if not expensive and status == 200)
    timeouts = sum(1 for expensive, _, status in samples if expensive and status == 503)
    failures = [(e, s) for e, _, s in samples if (s != 200 and not e) or (e and s not in (200, 503))]
    print(f"| clients | seconds | requests | req/s | cheap p50 ms | cheap p99 ms | "
          f"intended timeouts | failures |\n|---|---|---|---|---|---|---|---|\n"
          f"| {args.clients} ({args.expensive_clients} expensive) | {elapsed:.0f} | "
          f"{len(samples)} | {len(samples) / elapsed:.0f} | {statistics.median(fast):.1f} | "
          f"{fast[int(0.99 * (len(fast) - 1))]:.1f} | {timeouts} | {len(failures)} |")


if __name__ == "__main__":
    main()
