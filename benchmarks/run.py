"""jtkg benchmark: build cost by corpus size, ingest, and query latency against the peers.

    python -m benchmarks.run                      # the full run (about 15 minutes, 2 cores)
    python -m benchmarks.run --sizes 5,100 --padding 200000 --repeat 10   # a quick one

Prints Markdown tables (and writes them to --out). It needs `pip install -e ".[bench]"`
for Oxigraph's own server. Figures are for the machine it runs on; nothing here is a test.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox

from benchmarks.build_cost import STAGE_HEADER, SUMMARY_HEADER, stage_rows, summary_row, time_ingest

ROOT = Path(__file__).resolve().parents[1]
CQ = sorted((ROOT / "server" / "examples").glob("cq*.rq"))


# ------------------------------------------------------------------ builds (in a child process)


def child_build(size: int, folder: Path) -> dict[str, object]:
    from benchmarks.build_cost import measured_build
    from benchmarks.synthetic import write_corpus
    from jtkg.graph.build import bundled_corpus

    documents = bundled_corpus() if size == 5 else write_corpus(folder / "corpus", size)
    return {"size": size, **measured_build(documents, folder / "store")}


def run_build(size: int, folder: Path, env: dict[str, str] | None = None) -> dict[str, object]:
    """A build of ``size`` synthetic documents in a fresh process (``env``: its environment)."""
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--child-build", str(size), str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ query latency


def latencies(run: Callable[[str], object], repeat: int) -> dict[str, tuple[float, float]]:
    figures = {}
    for path in CQ:
        query = path.read_text(encoding="utf-8")
        run(query)  # warm-up
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            run(query)
            samples.append((time.perf_counter() - started) * 1000)
        samples.sort()
        figures[path.stem.split("-")[0]] = (
            statistics.median(samples),
            samples[min(len(samples) - 1, int(0.95 * len(samples)))],
        )
    return figures


def store_runner(store: ox.Store) -> Callable[[str], object]:
    def run(query: str) -> object:
        return list(store.query(query, use_default_graph_as_union=True))

    return run


def http_runner(port: int) -> Callable[[str], object]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def run(query: str) -> object:
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
        body = response.read()
        assert response.status == 200, body[:200]
        return body

    return run


def _rdflib_worker(nquads: str, queries, answers) -> None:  # type: ignore[no-untyped-def]
    from rdflib import Dataset

    dataset = Dataset(default_union=True)
    dataset.parse(nquads, format="nquads")
    answers.put("ready")
    while True:
        query = queries.get()
        started = time.perf_counter()
        list(dataset.query(query))
        answers.put(time.perf_counter() - started)


def rdflib_latencies(nquads: Path, repeat: int, timeout: float) -> dict[str, tuple[float, float]]:
    """rdflib's own engine, in a child process so that a query that runs away can be
    stopped: one past ``timeout`` seconds is reported as infinite."""
    import multiprocessing

    figures: dict[str, tuple[float, float]] = {}
    context = multiprocessing.get_context("spawn")
    worker = None
    for path in CQ:
        query = path.read_text(encoding="utf-8")
        samples: list[float] = []
        for _ in range(repeat + 1):
            if worker is None:
                queries, answers = context.Queue(), context.Queue()
                worker = context.Process(
                    target=_rdflib_worker, args=(str(nquads), queries, answers), daemon=True
                )
                worker.start()
                answers.get(timeout=600)
            queries.put(query)
            try:
                samples.append(answers.get(timeout=timeout) * 1000)
            except Exception:  # the query ran past the limit: stop it
                worker.kill()
                worker = None
                samples = [float("inf")]
                break
        samples = sorted(samples[1:] if len(samples) > 1 else samples)
        figures[path.stem.split("-")[0]] = (statistics.median(samples), samples[-1])
    if worker is not None:
        worker.kill()
    return figures


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def server(command: list[str], port: int) -> Iterator[int]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while not _listening(port):
            if time.time() > deadline or process.poll() is not None:
                raise RuntimeError(f"{command[0]} did not start listening on {port}")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), 1):
            return True
    except OSError:
        return False


def jtkg_server(store: Path) -> contextlib.AbstractContextManager[int]:
    port = free_port()
    return server(
        [sys.executable, "-m", "jtkg.server", "serve", "--store", str(store), "--port", str(port)], port
    )


def oxigraph_server(nquads: Path, folder: Path) -> contextlib.AbstractContextManager[int]:
    location = folder / "oxigraph-server"
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["oxigraph", "load", "--location", str(location), "--file", str(nquads)],
        check=True,
        capture_output=True,
    )
    port = free_port()
    return server(
        [
            "oxigraph",
            "serve-read-only",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        port,
    )


def export_nquads(store_path: Path, target: Path) -> Path:
    from jtkg.graph.export import export
    from jtkg.graph.store import StoreLocation

    with open(target, "wb") as handle:
        export(StoreLocation(store_path).open(), "nquads", handle)
    return target


def padded_copy(source: Path, target: Path, triples: int) -> Path:
    from benchmarks.synthetic import pad_store
    from jtkg.graph.store import StoreLocation

    shutil.copytree(source, target)
    location = StoreLocation(target)
    with location.next_generation() as generation:
        pad_store(generation.store, triples)
    return target


# ------------------------------------------------------------------ report


def _ms(value: float, limit: float) -> str:
    return f"> {limit * 1000:.0f}" if value == float("inf") else f"{value:.1f}"


def table(rows: list[list[str]], header: list[str]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="5,100,1000")
    parser.add_argument("--padding", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument(
        "--rdflib-timeout",
        type=float,
        default=30.0,
        help="seconds before an rdflib query is stopped and reported as > limit",
    )
    parser.add_argument("--builds-only", action="store_true", help="the build tables only, no queries")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.md")
    parser.add_argument("--child-build", nargs=2, metavar=("SIZE", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_build:
        print(json.dumps(child_build(int(args.child_build[0]), Path(args.child_build[1]))))
        return
    work = Path(tempfile.mkdtemp(prefix="jtkg-bench-"))
    report = [f"# jtkg benchmark ({os.cpu_count()} cores, Python {sys.version.split()[0]})", ""]
    builds: list[list[str]] = []
    stages: list[str] = []
    for size in (int(s) for s in args.sizes.split(",")):
        folder = work / f"build-{size}"
        figures = run_build(size, folder)
        row = summary_row(size, figures)
        if size == max(int(s) for s in args.sizes.split(",")) and not args.builds_only:
            row.append(f"{time_ingest(folder):.2f}")
        else:
            row.append("")
        builds.append(row)
        stages.append(f"### {size} documents\n\n" + table(stage_rows(figures), STAGE_HEADER) + "\n")
        print("built", size, row, flush=True)
    report += [
        "## Build",
        "",
        "CPU seconds (getrusage, process_time), summed over processes; wall is noisy on a",
        "shared machine, CPU less so.",
        "",
        table(builds, SUMMARY_HEADER),
        "",
        "## Build CPU by stage",
        "",
        *stages,
    ]
    if args.builds_only:
        _finish(report, args.out, work)
        return
    bundled = work / "build-5" / "store"
    if not bundled.exists():
        run_build(5, work / "build-5")
    scales = [("bundled", bundled)]
    if args.padding:
        scales.append((f"{args.padding:,} triples", padded_copy(bundled, work / "padded", args.padding)))
    for name, store_path in scales:
        from jtkg.graph.store import StoreLocation

        store = StoreLocation(store_path).open()
        nquads = export_nquads(store_path, work / f"{name.split()[0]}.nq")
        ours_store = latencies(store_runner(store), args.repeat)
        with jtkg_server(store_path) as port:
            ours_http = latencies(http_runner(port), args.repeat)
        with oxigraph_server(nquads, work / name.split()[0]) as port:
            peer = latencies(http_runner(port), args.repeat)
        rdflib_figures = (
            rdflib_latencies(nquads, max(3, args.repeat // 5), args.rdflib_timeout)
            if name == "bundled"
            else {}
        )
        rows = []
        for cq in ours_store:
            r = rdflib_figures.get(cq)
            rows.append(
                [
                    cq,
                    f"{ours_store[cq][0]:.1f} / {ours_store[cq][1]:.1f}",
                    f"{ours_http[cq][0]:.1f} / {ours_http[cq][1]:.1f}",
                    f"{peer[cq][0]:.1f} / {peer[cq][1]:.1f}",
                    f"{ours_http[cq][0] / peer[cq][0]:.2f}",
                    _ms(r[0], args.rdflib_timeout) if r else "not run",
                    f"{r[0] / ours_http[cq][0]:.0f}×" if r and r[0] != float("inf") else "",
                ]
            )
        mix_ours = sum(v[0] for v in ours_http.values())
        mix_peer = sum(v[0] for v in peer.values())
        report += [
            f"## Competency queries at {name} ({len(store):,} quads): median / p95 ms",
            "",
            table(
                rows,
                [
                    "query",
                    "jtkg store",
                    "jtkg HTTP",
                    "Oxigraph server HTTP",
                    "jtkg/Oxigraph",
                    "rdflib in-memory",
                    "rdflib/jtkg",
                ],
            ),
            "",
            f"Query mix: jtkg HTTP {mix_ours:.1f} ms, Oxigraph server {mix_peer:.1f} ms "
            f"(ratio {mix_ours / mix_peer:.2f}).",
            "",
        ]
        print("measured", name, flush=True)
    _finish(report, args.out, work)


def _finish(report: list[str], out: Path, work: Path) -> None:
    text = "\n".join(report)
    print(text)
    out.write_text(text + "\n", encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
