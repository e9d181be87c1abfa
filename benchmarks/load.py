"""Load test: concurrent clients on 127.0.0.1 against a jtkg server it starts.

    python -m benchmarks.load                      # runaway table, default server settings
    python -m benchmarks.load --rounds 3 --seconds 10
    python -m benchmarks.load --mixed --clients 8  # the older mixed load, 32 clients by default

The default run measures what runaway clients cost everyone else (issue 12, item 10): one
server with the *default* settings; phases of 0, 2 and 4 clients looping runaway queries (a
cartesian product the server cuts at its time limit), interleaved over several rounds, while
two clients loop cheap queries (the competency queries, and `ASK {}`). Between phases the
runaway requests still in flight are waited out, so no phase inherits another's load. It
prints cheap p50/p99, refusals, and the server's CPU time (the server and its query
workers) against wall time, as a markdown table. Traffic goes only to the server it starts
on 127.0.0.1, and the run stops by itself.
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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.run import CQ, _listening, free_port

EXPENSIVE = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a (<http://www.w3.org/2000/01/rdf-schema#label>|!<x:y>)* ?b }",
]
RUNAWAY = [EXPENSIVE[0]]
ASK = ["ASK {}"]

Sample = tuple[str, float, int]  # (kind, milliseconds, status)


def client(port: int, queries: list[str], until: float, samples: list[Sample], kind: str) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    i = 0
    while time.monotonic() < until:
        query = queries[i % len(queries)]
        i += 1
        started = time.monotonic()
        try:
            connection.request(
                "POST",
                "/sparql",
                body=urllib.parse.urlencode({"query": query}),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/sparql-results+json",
                },
            )
            response = connection.getresponse()
            response.read()
            status = response.status
        except OSError:
            status = 0
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        samples.append((kind, (time.monotonic() - started) * 1000, status))
    connection.close()


def tree_cpu_seconds(root: int) -> float:
    """User + system CPU seconds of ``root`` and all its descendants now alive (the server,
    its fork server and query workers); workers already reaped are counted by their parent's
    children times (fields 16, 17 of /proc/PID/stat)."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        parents[pid] = int(fields[1])
        times[pid] = sum(int(f) for f in fields[11:15]) / ticks  # utime stime cutime cstime
    total = 0.0
    for pid, cpu in times.items():
        ancestor = pid
        while ancestor not in (0, 1, root) and ancestor in parents:
            ancestor = parents[ancestor]
        if ancestor == root:
            total += cpu
    return total


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


@contextmanager
def jtkg_server(store: Path, env: dict[str, str]) -> Iterator[tuple[int, int]]:
    """A `jtkg serve` on a free port; yields (port, pid)."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "jtkg.server", "serve", "--store", str(store), "--port", str(port)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 60
        while not _listening(port):
            if time.time() > deadline or server.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)
        yield port, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def phase(port: int, runaways: int, seconds: float) -> list[Sample]:
    samples: list[Sample] = []
    until = time.monotonic() + seconds
    plan = [(RUNAWAY, "runaway")] * runaways + [
        ([p.read_text(encoding="utf-8") for p in CQ], "cq"),
        (ASK, "ask"),
    ]
    threads = [
        threading.Thread(target=client, args=(port, queries, until, samples, kind)) for queries, kind in plan
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()  # runaway requests in flight at the end are waited out (not measured)
    return samples


def runaway_table(args: argparse.Namespace, store: Path) -> None:
    levels = tuple(args.levels)
    results: dict[int, dict[str, float | list[Sample]]] = {
        n: {"samples": [], "cpu": 0.0, "wall": 0.0} for n in levels
    }
    # Default settings: only the threads are raised so that HTTP never queues before the pool.
    with jtkg_server(store, {"JTKG_THREADS": "16"}) as (port, pid):
        phase(port, 0, 2)  # warm up: workers started, the store opened
        for _ in range(args.rounds):
            for n in levels:
                cpu, started = tree_cpu_seconds(pid), time.monotonic()
                samples = phase(port, n, args.seconds)
                result = results[n]
                result["wall"] += time.monotonic() - started  # type: ignore[operator]
                result["cpu"] += tree_cpu_seconds(pid) - cpu  # type: ignore[operator]
                result["samples"] += samples  # type: ignore[operator]
    print(
        f"{args.rounds} rounds × {args.seconds:g} s per phase, phases interleaved; default "
        "server settings (query_workers 2, reserve_workers 4, query_timeout 10 s, "
        "queue_timeout 5 s); one client loops the competency queries, one `ASK {}`.\n"
    )
    print(
        "| runaway clients | cheap requests | CQ p50 ms | CQ p99 ms | ASK p50 ms | ASK p99 ms "
        "| cheap not 200 | runaway answers (503) | server CPU s | wall s | CPU/wall |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for n in levels:
        result = results[n]
        samples: list[Sample] = result["samples"]  # type: ignore[assignment]
        cq = [ms for kind, ms, status in samples if kind == "cq" and status == 200] or [float("nan")]
        ask = [ms for kind, ms, status in samples if kind == "ask" and status == 200] or [float("nan")]
        cheap = [s for s in samples if s[0] != "runaway"]
        refused = sum(1 for s in cheap if s[2] != 200)
        runaway = [s for s in samples if s[0] == "runaway"]
        runaway_503 = sum(1 for s in runaway if s[2] == 503)
        cpu, wall = float(result["cpu"]), float(result["wall"])  # type: ignore[arg-type]
        print(
            f"| {n} | {len(cheap)} | {statistics.median(cq):.1f} | {percentile(cq, 0.99):.1f} | "
            f"{statistics.median(ask):.1f} | {percentile(ask, 0.99):.1f} | {refused} | "
            f"{len(runaway)} ({runaway_503}) | {cpu:.1f} | {wall:.1f} | {cpu / wall:.2f} |"
        )


def mixed(args: argparse.Namespace, store: Path) -> None:
    env = {
        "JTKG_QUERY_WORKERS": str(args.workers),
        "JTKG_QUERY_TIMEOUT": str(args.timeout),
        "JTKG_THREADS": str(args.clients + 4),
    }
    with jtkg_server(store, env) as (port, _):
        cheap = [p.read_text(encoding="utf-8") for p in CQ]
        samples: list[Sample] = []
        until = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=client,
                args=(
                    port,
                    EXPENSIVE if i < args.expensive_clients else cheap,
                    until,
                    samples,
                    "expensive" if i < args.expensive_clients else "cheap",
                ),
            )
            for i in range(args.clients)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    fast = sorted(ms for kind, ms, status in samples if kind == "cheap" and status == 200)
    timeouts = sum(1 for kind, _, status in samples if kind == "expensive" and status == 503)
    failures = [
        s for k, _, s in samples if (k == "cheap" and s != 200) or (k == "expensive" and s not in (200, 503))
    ]
    print(
        f"| clients | seconds | requests | req/s | cheap p50 ms | cheap p99 ms | "
        f"intended timeouts | failures |\n|---|---|---|---|---|---|---|---|\n"
        f"| {args.clients} ({args.expensive_clients} expensive) | {elapsed:.0f} | "
        f"{len(samples)} | {len(samples) / elapsed:.0f} | {statistics.median(fast):.1f} | "
        f"{percentile(fast, 0.99):.1f} | {timeouts} | {len(failures)} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=2, help="runaway table: rounds of phases")
    parser.add_argument(
        "--seconds",
        type=float,
        default=None,
        help="seconds per phase (runaway table, default 15) or in all (--mixed, 60)",
    )
    parser.add_argument(
        "--levels",
        type=int,
        nargs="+",
        default=[0, 2, 4],
        help="runaway table: numbers of runaway clients, one phase each per round",
    )
    parser.add_argument("--mixed", action="store_true", help="the mixed load instead")
    parser.add_argument("--clients", type=int, default=32, help="--mixed: clients")
    parser.add_argument("--expensive-clients", type=int, default=2, help="--mixed")
    parser.add_argument("--workers", type=int, default=6, help="--mixed: server query workers")
    parser.add_argument("--timeout", type=float, default=3, help="--mixed: query time limit (s)")
    parser.add_argument(
        "--store",
        type=Path,
        default=None,
        help="a built store (default: build the bundled corpus in a temp folder)",
    )
    args = parser.parse_args()
    store = args.store or Path(tempfile.mkdtemp(prefix="jtkg-load-")) / "store"
    if not (store / "CURRENT").exists():
        subprocess.run(
            [sys.executable, "-m", "jtkg.server", "build", "--store", str(store)],
            check=True,
            capture_output=True,
        )
    if args.mixed:
        args.seconds = args.seconds or 60
        mixed(args, store)
    else:
        args.seconds = args.seconds or 15
        runaway_table(args, store)


if __name__ == "__main__":
    main()
