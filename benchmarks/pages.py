"""Page load: a long document's page under concurrent requests, and what it costs a cheap
query meanwhile (issue 12, item 11).

    python -m benchmarks.pages                        # builds a 20,000-line document first
    python -m benchmarks.pages --lines 5000 --clients 10 --seconds 20
    python -m benchmarks.pages --store DIR --document IRI   # an existing store

It starts `jtkg serve` (default settings) on 127.0.0.1, then for the given seconds runs
``--clients`` clients looping over the document's pages (page 1, a later page, a citation
link) while one client loops ``ASK {}``. It prints page and ASK p50/p99, refusals (503) and
the server process's peak resident memory (VmHWM: page data are computed in the query
workers, so this stays flat). Traffic goes only to the server it starts.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from benchmarks.run import _listening, free_port

REASONS: dict[str, int] = {}
#: Seconds a client waits for an answer (a request past it counts as timed out).
TIMEOUT = 60
NAMES = ("Yuka Koshino", "Tsai Ing-wen", "Shinzo Abe", "Lai Ching-te", "Fumio Kishida")


def build_store(folder: Path, lines: int) -> tuple[Path, str]:
    from jtkg.graph.build import build
    from jtkg.graph.store import StoreLocation

    doc = folder / "names-register.txt"
    doc.write_text(
        "# Names register\n\n"
        + "\n".join(f"{NAMES[i % len(NAMES)]} spoke, line {i}." for i in range(lines))
        + "\n",
        encoding="utf-8",
    )
    result = build([doc], StoreLocation(folder / "store"))
    if not result.published:
        sys.exit(f"the document was not published: {result.failures}")
    return folder / "store", "https://w3id.org/jtkg/id/document/names-register"


def _get(port: int, path: str) -> tuple[int, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    accept = "application/sparql-results+json" if path.startswith("/sparql") else "text/html"
    try:
        connection.request("GET", path, headers={"Accept": accept})
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            REASONS[body.decode(errors="replace").strip()[:80]] = response.status
        return response.status, time.perf_counter() - started
    except OSError:  # no answer within the client's timeout
        return 0, time.perf_counter() - started
    finally:
        connection.close()


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _quantiles(values: list[float]) -> str:
    if not values:
        return "–"
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"{statistics.median(ordered) * 1000:.0f} / {p99 * 1000:.0f}"


def run(store: Path, document: str, clients: int, seconds: float) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "jtkg.server", "serve", "--store", str(store), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 60
        while not _listening(port):
            if time.time() > deadline or process.poll() is not None:
                sys.exit("the server did not start")
            time.sleep(0.2)
        path = "/" + document.split("/jtkg/", 1)[1]
        pages = [path, path + "?page=3", path + "?highlight=60000-60010"]
        first_status, first = _get(port, path)
        results: dict[str, list[tuple[int, float]]] = {"page": [], "ask": []}
        stop = time.time() + seconds

        def loop(kind: str, paths: list[str]) -> None:
            i = 0
            while time.time() < stop:
                results[kind].append(_get(port, paths[i % len(paths)]))
                i += 1

        threads = [
            threading.Thread(target=loop, args=("page", pages[i % 3 :] + pages[: i % 3]))
            for i in range(clients)
        ]
        threads.append(
            threading.Thread(
                target=loop, args=("ask", ["/sparql?" + urllib.parse.urlencode({"query": "ASK {}"})])
            )
        )
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(f"first page (cold): {first_status} in {first * 1000:.0f} ms")
        print(f"| requests | count | p50 / p99 ms (200s) | 503 | timed out ({TIMEOUT} s) |")
        print("|---|---|---|---|---|")
        for kind, label in (("page", f"document pages, {clients} clients"), ("ask", "ASK {}, 1 client")):
            ok = [t for status, t in results[kind] if status == 200]
            refused = sum(1 for status, _ in results[kind] if status == 503)
            lost = sum(1 for status, _ in results[kind] if status == 0)
            print(f"| {label} | {len(results[kind])} | {_quantiles(ok)} | {refused} | {lost} |")
        for reason, status in REASONS.items():
            print(f"- {status}: {reason}")
        print(f"server process peak RSS: {_peak_rss_mb(process.pid):.0f} MB")
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--store", type=Path)
    parser.add_argument("--document")
    args = parser.parse_args()
    if args.store:
        run(args.store, args.document, args.clients, args.seconds)
        return
    with tempfile.TemporaryDirectory() as folder:
        store, document = build_store(Path(folder), args.lines)
        run(store, document, args.clients, args.seconds)


if __name__ == "__main__":
    main()
