"""jtkg's /sparql against Oxigraph's own server (and rdflib-endpoint, the Python peer) on the
same data, every comparison interleaved in one run.

    python -m benchmarks.versus_oxigraph [--seconds 4] [--rounds 2] [--clients 1,8]
        [--before REV] [--no-rdflib] [--markdown FILE]

Builds the bundled corpus, loads its dump into `oxigraph` (the `bench` extra), and starts
on 127.0.0.1: `jtkg serve` (this tree, its default HTTP server), `jtkg serve` of
``--before`` (a git revision, run from `git archive`; none with ``--before ''``),
`oxigraph serve-read-only --union-default-graph` (jtkg's default graph is the union too)
and rdflib-endpoint when it is installed. Then, server after server within each round:

* throughput: keep-alive clients in a closed loop (wrk when installed, else Python threads)
  sending a cheap SELECT and `ASK {}`: requests/s, p50/p99, the server's real CPU per
  request (psutil: the process and its children, e.g. query workers);
* the query mix, one client: each query's median wall time, its ratio to Oxigraph's, and
  the geometric mean of those ratios (a sum of medians lets one slow query hide the rest);
  the largest result gives µs per row, wall and server CPU.

jtkg caches no query text or result, so repeating one text measures the real work. A
server that takes over TOO_SLOW seconds for a query is restarted (it would go on computing)
and left out of that query's later rounds.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from benchmarks.http_load import ACCEPT, TOO_SLOW, ServerCPU, closed_loop, target, timings, wait_for

ROOT = Path(__file__).resolve().parents[1]
#: The last commit before the serving work of issue 17: the "before" rows.
BEFORE = "56b1f3a"
JT = "PREFIX jt: <https://w3id.org/jtkg/ontology#> "
RDFS = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
CHEAP = JT + "SELECT ?s WHERE { ?s a jt:State } LIMIT 5"
LOAD_QUERIES = {"cheap SELECT": CHEAP, "ASK {}": "ASK {}"}
ALL_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
MIX = {
    "ASK {}": "ASK {}",
    "cheap SELECT": CHEAP,
    "COUNT(*)": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "join": RDFS + JT + "SELECT ?s ?l ?t WHERE { ?s a jt:Actor ; a ?t ; rdfs:label ?l } LIMIT 200",
    "GROUP BY": "SELECT ?t (COUNT(?s) AS ?n) WHERE { ?s a ?t } GROUP BY ?t ORDER BY DESC(?n)",
    "text FILTER": RDFS
    + 'SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(CONTAINS(LCASE(STR(?l)), "taiwan")) }',
    "DESCRIBE": "DESCRIBE <{entity}>",
    "all quads": ALL_QUADS,
}


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    path: str
    cpu: ServerCPU
    command: list[str]
    env: dict[str, str] | None

    def restart(self) -> None:
        """A server left computing an answer its client gave up on would take a core from
        the next measurements: it is stopped and started again."""
        stop(self)
        self.process = subprocess.Popen(
            self.command, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.cpu = ServerCPU(self.process.pid)
        wait_for(self.port, self.path)


def stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(name: str, command: list[str], path: str, env: dict[str, str] | None = None) -> Server:
    port = free_port()
    command = [part.replace("{port}", str(port)) for part in command]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return Server(name, process, port, path, ServerCPU(process.pid), command, env)


def before_tree(revision: str, work: Path) -> Path:
    """The package folders of ``revision`` laid out as the jtkg namespace, for PYTHONPATH."""
    tree = work / "before"
    (tree / "jtkg").mkdir(parents=True)
    folders = ["server", "graph", "loaders", "ontology", "corpus"]
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, *folders], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(tree / "jtkg")], input=archive, check=True)
    return tree


def servers_for(args: argparse.Namespace, work: Path) -> list[Server]:
    store, oxstore, dump = work / "store", work / "oxigraph", work / "dump.nq"
    env = {**os.environ, "JTKG_STORE": str(store)}
    subprocess.run(["jtkg", "build"], env=env, check=True, capture_output=True)
    subprocess.run(["jtkg", "export", "--format", "nquads", "-o", str(dump)], env=env, check=True)
    subprocess.run(
        ["oxigraph", "load", "--location", str(oxstore), "--file", str(dump)], check=True, capture_output=True
    )
    # A roomy time limit: the largest result must not be stopped when the machine is busy.
    jtkg = [sys.executable, "-m", "jtkg.server", "serve", "--port", "{port}", "--query-timeout", "60"]
    found = [start("jtkg", jtkg, "/sparql", env)]
    if args.before:
        tree = before_tree(args.before, work)
        found.append(start(f"jtkg {args.before}", jtkg, "/sparql", {**env, "PYTHONPATH": str(tree)}))
    oxigraph = ["oxigraph", "serve-read-only", "--location", str(oxstore), "--union-default-graph"]
    found.append(start("oxigraph", [*oxigraph, "--bind", "127.0.0.1:{port}"], "/query"))
    if not args.no_rdflib and shutil.which("rdflib-endpoint"):
        command = ["rdflib-endpoint", "serve", "--host", "127.0.0.1", "--port", "{port}", str(dump)]
        found.append(start("rdflib-endpoint", command, "/"))
    return found


def entity(server: Server) -> str:
    """An entity IRI of the data, for DESCRIBE."""
    query = "SELECT ?s WHERE { ?s a <http://schema.org/Person> } ORDER BY ?s LIMIT 1"
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}{target(server.path, query)}",
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return str(json.load(response)["results"]["bindings"][0]["s"]["value"])


def rows_of(server: Server, query: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}{target(server.path, query)}",
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        body = response.read()
    try:
        return len(json.loads(body)["results"]["bindings"])
    except (ValueError, KeyError, TypeError):
        return 0


def throughput(servers: list[Server], args: argparse.Namespace) -> list[str]:
    runs: dict[tuple[str, int, str], list[tuple[int, float, float, float, float, int]]] = {}
    for _ in range(args.rounds):
        for clients in map(int, args.clients.split(",")):
            for qname, query in LOAD_QUERIES.items():
                for server in servers:  # interleaved: the machine's load hits every server alike
                    server.cpu.start()
                    load = closed_loop(server.port, server.path, query, clients, args.seconds)
                    runs.setdefault((qname, clients, server.name), []).append(
                        (
                            load.requests,
                            load.wall,
                            server.cpu.seconds(),
                            load.p50_ms,
                            load.p99_ms,
                            load.errors,
                        )
                    )
    lines = [
        "| query | clients | server | req/s | p50 ms | p99 ms | server CPU ms/req | req/s ÷ Oxigraph's |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for (qname, clients, name), found in runs.items():
        count, wall = sum(r[0] for r in found), sum(r[1] for r in found)
        ox = runs[(qname, clients, "oxigraph")]
        ratio = (count / wall) / (sum(r[0] for r in ox) / sum(r[1] for r in ox))
        errors = sum(r[5] for r in found)
        lines.append(
            f"| {qname} | {clients} | {name}{f' ({errors} errors)' if errors else ''} | {count / wall:,.0f} "
            f"| {statistics.median(r[3] for r in found):.2f} | {statistics.median(r[4] for r in found):.2f} "
            f"| {sum(r[2] for r in found) / max(count, 1) * 1000:.3f} | {ratio:.2f} |"
        )
    return lines


def mix(servers: list[Server], args: argparse.Namespace) -> list[str]:
    queries = dict(MIX)
    queries["DESCRIBE"] = MIX["DESCRIBE"].replace("{entity}", entity(servers[0]))
    for path in sorted((ROOT / "server" / "examples").glob("cq*.rq")):
        queries[path.stem.split("-")[0]] = path.read_text()
    medians: dict[tuple[str, str], list[float]] = {}
    cpu: dict[tuple[str, str], list[float]] = {}
    slow: set[tuple[str, str]] = set()
    for _ in range(args.rounds):
        for qname, query in queries.items():
            for server in servers:
                if (qname, server.name) in slow:
                    continue
                server.cpu.start()
                accept = "application/n-triples" if qname == "DESCRIBE" else ACCEPT
                found = timings(server.port, server.path, query, args.reps, args.budget, accept)
                print(f"{qname} {server.name}: {len(found)} timings", file=sys.stderr)
                if not found:  # over TOO_SLOW seconds: left out of the later rounds too
                    slow.add((qname, server.name))
                    server.restart()
                    continue
                cpu.setdefault((qname, server.name), []).append(server.cpu.seconds() / len(found))
                medians.setdefault((qname, server.name), []).append(statistics.median(found))
    names = [s.name for s in servers if s.name != "oxigraph"]
    head = "| query | Oxigraph ms | " + " | ".join(f"{n} ms | ÷ Oxigraph" for n in names) + " |"
    lines = [head, "|---|---|" + "---|---|" * len(names)]
    logs: dict[str, list[float]] = {n: [] for n in names}

    def median_of(qname: str, name: str) -> float | None:
        found = medians.get((qname, name))
        return statistics.median(found) * 1000 if found else None

    for qname in queries:
        ox = median_of(qname, "oxigraph") or float("nan")
        cells = [f"{qname}", f"{ox:.2f}"]
        for name in names:
            mine = median_of(qname, name)
            if mine is None:
                cells += [f"> {TOO_SLOW:g} s" if (qname, name) in slow else "–", "–"]
                continue
            logs[name].append(math.log(mine / ox))
            cells += [f"{mine:.2f}", f"{mine / ox:.2f}"]
        lines.append("| " + " | ".join(cells) + " |")
    geo = ["**geometric mean of the ratios**", ""]
    for name in names:
        geo += ["", f"**{math.exp(sum(logs[name]) / len(logs[name])):.2f}**" if logs[name] else "–"]
    lines.append("| " + " | ".join(geo) + " |")
    rows = rows_of(next(s for s in servers if s.name == "oxigraph"), ALL_QUADS)
    lines += ["", f"Per row, `all quads` ({rows:,} rows, JSON): wall and server CPU µs per row", ""]
    lines += ["| server | wall µs/row | server CPU µs/row |", "|---|---|---|"]
    for server in servers:
        if (ALL_QUADS_NAME, server.name) in medians and rows:
            wall_us = statistics.median(medians[(ALL_QUADS_NAME, server.name)]) / rows * 1e6
            cpu_us = statistics.median(cpu[(ALL_QUADS_NAME, server.name)]) / rows * 1e6
            lines.append(f"| {server.name} | {wall_us:.2f} | {cpu_us:.2f} |")
    return lines


ALL_QUADS_NAME = "all quads"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0, help="seconds of each closed-loop phase")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--clients", default="1,8")
    parser.add_argument("--before", default=BEFORE, help="git revision of the 'before' rows ('' for none)")
    parser.add_argument("--no-rdflib", action="store_true", help="leave rdflib-endpoint out")
    parser.add_argument("--reps", type=int, default=15, help="most requests per query per round (mix)")
    parser.add_argument("--budget", type=float, default=1.5, help="seconds per query per round (mix)")
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    args = parser.parse_args()
    if shutil.which("oxigraph") is None:
        raise SystemExit('oxigraph not found: pip install -e ".[bench]"')
    work = Path(tempfile.mkdtemp(prefix="jtkg-vs-oxigraph-"))
    servers: list[Server] = []
    try:
        servers = servers_for(args, work)
        for server in servers:
            wait_for(server.port, server.path)
        lines = ["Throughput, closed loop (" + ("wrk" if shutil.which("wrk") else "Python threads") + ")", ""]
        lines += throughput(servers, args)
        lines += ["", "Query mix, one client, median of each query", ""]
        lines += mix(servers, args)
        memory = ", ".join(f"{s.name} {s.cpu.rss_mb():.0f} MB" for s in servers)
        lines += ["", f"Server memory (RSS of the process tree) at the end: {memory}"]
        text = "\n".join(lines)
        print(text)
        if args.markdown:
            args.markdown.write_text(text + "\n")
    finally:
        for server in servers:
            stop(server)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
