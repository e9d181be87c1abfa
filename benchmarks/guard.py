"""Cost of the SPARQL text guard that runs before every /sparql query, before and after its
fast paths and per-text cache.

    python -m benchmarks.guard                   # against the guard as of BEFORE (below)
    python -m benchmarks.guard --before HEAD~3 --rounds 50

"The guard" is what ``server/sparql.py`` runs on a query's text before Oxigraph sees it: the
nesting and chain bounds (``too_deep``), the FROM check (``query_names_dataset``), the SERVICE
endpoints (``service_targets``) and, when there are any, where the text stops being readable
(``unreadable_at``). The old version is loaded from git into a temporary package, so both run
in this process, interleaved, call by call. Three columns per side:

* before: the old guard with its small caches emptied before each call (a server sees a mix
  of more than four texts, which its 4-entry cache cannot hold);
* after, cold: the new guard with its per-text cache emptied before each call (a text never
  seen before);
* after, warm: the new guard on a text it has seen (a client repeating a query).

Every answer of the fast guard, cold and warm, is checked against the new lexer alone (fast
paths off). Figures are medians of per-call CPU and wall microseconds on the machine it runs on; nothing
here is a test.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from jtkg.graph import sparql_dataset, sparql_service
from jtkg.graph.sparql_lexer import clear_caches

ROOT = Path(__file__).resolve().parent.parent
#: The guard before its fast paths (the last commit of the exact lexer alone).
BEFORE = "96c3ac2"
FILES = ("graph/sparql_lexer.py", "graph/sparql_text.py")


def load_before(ref: str, folder: Path) -> ModuleType:
    """The guard's modules at ``ref``, as the package ``guard_before``."""
    package = folder / "guard_before"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for path in FILES:
        source = subprocess.run(
            ["git", "show", f"{ref}:{path}"], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout
        source = source.replace("jtkg.graph.sparql_lexer", "guard_before.sparql_lexer")
        (package / Path(path).name).write_text(source)
    sys.path.insert(0, str(folder))
    return importlib.import_module("guard_before.sparql_text")


def adversarial() -> dict[str, str]:
    prefix = "PREFIX ex: <http://example.org/>\n"
    triples = "".join(f"?s{i} ex:p{i} ?o{i} .\n" for i in range(1500))
    return {
        "escaped SERVICE": "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "PN_LOCAL \\# trick": (
            prefix + "SELECT (ex:a\\#b AS ?q) ?x WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?x ?y ?z } }"
        ),
        "300 nested groups": "SELECT * WHERE " + "{" * 300 + "?s ?p ?o" + "}" * 300,
        "2,100 BINDs": (
            "SELECT * WHERE { ?s ?p ?o " + "".join(f"BIND(1 AS ?b{i}) " for i in range(2100)) + "}"
        ),
        "'from' in a comment": "# where do these come from?\nSELECT * WHERE { ?s ?p ?o } LIMIT 1",
        "FROM <graph>": "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o } LIMIT 1",
        "1,500 triples": prefix + "SELECT * WHERE {\n" + triples + "}",
    }


def queries() -> dict[str, str]:
    found = {p.stem.split("-")[0]: p.read_text() for p in sorted((ROOT / "server" / "examples").glob("*.rq"))}
    return {**found, **adversarial()}


def guard(module: ModuleType) -> Callable[[str], object]:
    def run(text: str) -> object:
        problem = module.too_deep(text)
        if problem:
            return problem
        # Before this release the FROM check lived in sparql_text; now in sparql_dataset.
        dataset = getattr(module, "query_names_dataset", sparql_dataset.query_names_dataset)(text)
        # Before this release SERVICE targets lived in sparql_text; now in sparql_service.
        targets = getattr(module, "service_targets", sparql_service.service_targets)(text)
        stuck = module.unreadable_at(text) if targets else None
        return dataset, targets, stuck

    return run


def exact(module: ModuleType, text: str) -> object:
    """The new guard's answer with its fast paths off: the lexer alone."""
    fast = module._letters_absent, module._within_bounds
    module._letters_absent, module._within_bounds = (lambda *_: False), (lambda _: False)
    try:
        clear_caches()
        return guard(module)(text)
    finally:
        module._letters_absent, module._within_bounds = fast
        clear_caches()


def clear_before(module: ModuleType) -> None:
    module._scan.cache_clear()
    lexer = sys.modules["guard_before.sparql_lexer"]
    lexer._line_ends.cache_clear()


def timed(call: Callable[[], object]) -> tuple[float, float, object]:
    cpu, wall = time.process_time_ns(), time.perf_counter_ns()
    answer = call()
    return (time.process_time_ns() - cpu) / 1000, (time.perf_counter_ns() - wall) / 1000, answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", default=BEFORE, help="git revision of the old guard")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    from jtkg.graph import sparql_text as new

    with tempfile.TemporaryDirectory() as folder:
        old = load_before(args.before, Path(folder))
        old_guard, new_guard = guard(old), guard(new)
        texts = queries()
        expected = {name: exact(new, text) for name, text in texts.items()}
        changed = [name for name, text in texts.items() if old_guard(text) != expected[name]]
        samples: dict[str, dict[str, list[tuple[float, float]]]] = {
            name: {"before": [], "cold": [], "warm": []} for name in texts
        }
        for _ in range(args.rounds):
            for name, text in texts.items():
                clear_before(old)
                cpu, wall, _ = timed(lambda: old_guard(text))  # noqa: B023
                samples[name]["before"].append((cpu, wall))
                clear_caches()
                cpu, wall, answer = timed(lambda: new_guard(text))  # noqa: B023
                samples[name]["cold"].append((cpu, wall))
                if answer != expected[name]:
                    sys.exit(f"{name}: the fast guard answers {answer!r}, the lexer {expected[name]!r}")
                cpu, wall, answer = timed(lambda: new_guard(text))  # noqa: B023
                samples[name]["warm"].append((cpu, wall))
                if answer != expected[name]:
                    sys.exit(f"{name} (kept): the fast guard answers {answer!r}")
    print(
        f"# SPARQL guard per query, median µs CPU / wall over {args.rounds} rounds (before = {args.before})\n"
    )
    print("| query | chars | before | after, cold | after, warm | cold speed-up |")
    print("|---|---|---|---|---|---|")
    totals = {"before": 0.0, "cold": 0.0, "warm": 0.0}
    for name, text in texts.items():
        cells = []
        for side in ("before", "cold", "warm"):
            cpu = statistics.median(c for c, _ in samples[name][side])
            wall = statistics.median(w for _, w in samples[name][side])
            if name.startswith("cq"):
                totals[side] += cpu
            cells.append((cpu, wall))
        row = " | ".join(f"{cpu:,.0f} / {wall:,.0f}" for cpu, wall in cells)
        print(f"| {name} | {len(text):,} | {row} | {cells[0][0] / max(cells[1][0], 0.01):,.0f}× |")
    if changed:
        print(
            f"\nAnswers changed since {args.before} (the lexer's rules, not the fast paths): "
            + ", ".join(changed)
        )
    count = sum(name.startswith("cq") for name in texts)
    print(
        f"\nCompetency queries, mean of medians (µs CPU): before {totals['before'] / count:,.0f}, "
        f"after cold {totals['cold'] / count:,.1f}, after warm {totals['warm'] / count:,.1f}"
    )


if __name__ == "__main__":
    main()
