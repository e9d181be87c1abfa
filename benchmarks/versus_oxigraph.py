"""jtkg's /sparql against Oxigraph's own server on the same data, interleaved in one run.

    python -m benchmarks.versus_oxigraph [--seconds 5] [--rounds 3] [--clients 1,8]

Builds the bundled corpus, loads its dump into `oxigraph` (the `bench` extra), starts both
servers on 127.0.0.1, and alternates phases of keep-alive clients sending a cheap SELECT and
`ASK {}` to each. Prints requests/s, p50/p99 latency and the server's CPU seconds per
request (from /proc), per server and client count.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

CHEAP = "SELECT ?s WHERE { ?s a <https://w3id.org/jtkg/ontology#State> } LIMIT 5"
QUERIES = {"cheap SELECT": CHEAP, "ASK {}": "ASK {}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int, path: str, deadline: float = 60.0) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server on {port} did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (waited or not: /proc of each)."""
    total = 0.0
    pids = [pid] + [int(p) for p in _children(pid)]
    for each in pids:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            pass
    return total


def _children(pid: int) -> list[str]:
    found: list[str] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids = (task / "children").read_text().split()
        except OSError:
            continue
        for kid in kids:
            found += [kid, *_children(int(kid))]
    return found


def phase(port: int, path: str, query: str, clients: int, seconds: float) -> list[float]:
    latencies: list[float] = []
    lock = threading.Lock()
    target = f"{path}?{urllib.parse.urlencode({'query': query})}"
    stop = time.monotonic() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.monotonic() < stop:
            started = time.perf_counter()
            connection.request("GET", target, headers={"Accept": "application/sparql-results+json"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{port}: HTTP {response.status}")
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", default="1,8")
    args = parser.parse_args()
    if shutil.which("oxigraph") is None:
        raise SystemExit('oxigraph not found: pip install -e ".[bench]"')
    work = Path(tempfile.mkdtemp(prefix="jtkg-vs-oxigraph-"))
    store, oxstore, dump = work / "store", work / "oxigraph", work / "dump.nq"
    env = {**os.environ, "JTKG_STORE": str(store)}
    subprocess.run(["jtkg", "build"], env=env, check=True, capture_output=True)
    subprocess.run(["jtkg", "export", "--format", "nquads", "-o", str(dump)], env=env, check=True)
    subprocess.run(
        ["oxigraph", "load", "--location", str(oxstore), "--file", str(dump)], check=True, capture_output=True
    )
    jport, oport = free_port(), free_port()
    servers = {
        "jtkg": (
            subprocess.Popen(
                ["jtkg", "serve", "--port", str(jport)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            ),
            jport,
            "/sparql",
        ),
        "oxigraph": (
            subprocess.Popen(
                ["oxigraph", "serve-read-only", "--location", str(oxstore), "--bind", f"127.0.0.1:{oport}"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            ),
            oport,
            "/query",
        ),
    }
    try:
        for _, port, path in servers.values():
            wait_for(port, f"{path}?query=ASK%7B%7D")
        rows: dict[tuple[str, str, int], list[tuple[list[float], float, float]]] = {}
        for _ in range(args.rounds):
            for clients in map(int, args.clients.split(",")):
                for qname, query in QUERIES.items():
                    for name, (process, port, path) in servers.items():  # interleaved
                        cpu, wall = cpu_seconds(process.pid), time.monotonic()
                        latencies = phase(port, path, query, clients, args.seconds)
                        rows.setdefault((qname, name, clients), []).append(
                            (latencies, cpu_seconds(process.pid) - cpu, time.monotonic() - wall)
                        )
        print("| query | server | clients | req/s | p50 ms | p99 ms | server CPU ms/req |")
        print("|---|---|---|---|---|---|---|")
        for (qname, name, clients), runs in rows.items():
            latencies = sorted(x for run in runs for x in run[0])
            count, cpu, wall = len(latencies), sum(r[1] for r in runs), sum(r[2] for r in runs)
            p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
            print(
                f"| {qname} | {name} | {clients} | {count / wall:,.0f} | "
                f"{statistics.median(latencies) * 1000:.2f} | {p99 * 1000:.2f} | "
                f"{cpu / count * 1000:.3f} |"
            )
    finally:
        for process, _, _ in servers.values():
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
