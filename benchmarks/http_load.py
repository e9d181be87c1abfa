"""Load for the server benchmarks: closed-loop clients (wrk when installed, Python threads
otherwise), sequential single-client timings, and the CPU a server's process tree used.

CPU is psutil's user + system time of the server process and every descendant alive at
the end (query workers, a fork server), minus what each had at the start: real CPU, not
wall time, so a busy machine does not inflate it.
"""

from __future__ import annotations

import http.client
import re
import shutil
import statistics
import subprocess
import threading
import time
import urllib.parse
from dataclasses import dataclass

import psutil

ACCEPT = "application/sparql-results+json"
#: Seconds after which a single-client request counts as "too slow" (no timing).
TOO_SLOW = 20.0


@dataclass
class Load:
    requests: int
    wall: float
    p50_ms: float
    p99_ms: float
    errors: int


class ServerCPU:
    """CPU seconds of a process and its descendants since ``start()``."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)
        self.before: dict[int, float] = {}

    def _tree(self) -> dict[int, float]:
        seen: dict[int, float] = {}
        try:
            processes = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return seen
        for process in processes:
            try:
                times = process.cpu_times()
                seen[process.pid] = times.user + times.system
            except psutil.Error:
                continue
        return seen

    def start(self) -> None:
        self.before = self._tree()

    def seconds(self) -> float:
        return sum(cpu - self.before.get(pid, 0.0) for pid, cpu in self._tree().items())

    def rss_mb(self) -> float:
        total = 0
        try:
            for process in [self.root, *self.root.children(recursive=True)]:
                total += process.memory_info().rss
        except psutil.Error:
            pass
        return total / 1e6


def target(path: str, query: str) -> str:
    return f"{path}?{urllib.parse.urlencode({'query': query})}"


def closed_loop(port: int, path: str, query: str, clients: int, seconds: float) -> Load:
    """``clients`` keep-alive clients sending ``query`` back to back for ``seconds``."""
    if shutil.which("wrk"):
        return _wrk(port, target(path, query), clients, seconds)
    return _threads(port, target(path, query), clients, seconds)


_UNIT = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def _wrk(port: int, url: str, clients: int, seconds: float) -> Load:
    command = ["wrk", f"-t{min(clients, 2)}", f"-c{clients}", f"-d{seconds:g}s", "--latency"]
    command += ["-H", f"Accept: {ACCEPT}", f"http://127.0.0.1:{port}{url}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    found = re.search(r"(\d+) requests in ([\d.]+)(m?s)", out)
    if not found:
        raise SystemExit(f"wrk printed no count:\n{out}")
    wall = float(found.group(2)) * (1.0 if found.group(3) == "s" else 1e-3)

    def percentile(p: int) -> float:
        hit = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)", out, re.M)
        return float(hit.group(1)) * _UNIT[hit.group(2)] if hit else float("nan")

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = int(errors.group(1)) if errors else 0
    failed += sum(int(x) for x in sockets.groups()) if sockets else 0
    return Load(int(found.group(1)), wall, percentile(50), percentile(99), failed)


def _threads(port: int, url: str, clients: int, seconds: float) -> Load:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        while time.monotonic() < stop:
            started = time.perf_counter()
            connection.request("GET", url, headers={"Accept": ACCEPT})
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            if response.status != 200:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] if latencies else float("nan")
    p50 = statistics.median(latencies) if latencies else float("nan")
    return Load(len(latencies), wall, p50 * 1000, p99 * 1000, errors[0])


def timings(port: int, path: str, query: str, most: int, budget: float, accept: str = ACCEPT) -> list[float]:
    """Up to ``most`` sequential requests (within ``budget`` seconds) on one keep-alive
    connection: each one's wall seconds; none if one takes over TOO_SLOW seconds. A failed
    answer stops the benchmark."""
    url = target(path, query)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TOO_SLOW)
    found: list[float] = []
    until = time.monotonic() + budget
    while len(found) < most and (not found or time.monotonic() < until):
        started = time.perf_counter()
        try:
            connection.request("GET", url, headers={"Accept": accept})
            response = connection.getresponse()
            body = response.read()
        except TimeoutError:
            connection.close()
            return []
        found.append(time.perf_counter() - started)
        if response.status != 200:
            raise SystemExit(f"{port}: HTTP {response.status}: {body[:200]!r}")
    connection.close()
    return found


def wait_for(port: int, path: str, deadline: float = 120.0) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", target(path, "ASK {}"))
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server on {port} did not start")
