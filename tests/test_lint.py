"""The code stays ruff-clean, the layers import only to their left, nothing imports in a
circle, and no module is over 400 lines."""

from __future__ import annotations

import ast
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["ontology", "loaders", "graph", "server"]
MAX_LINES = 400


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed")
def test_ruff_is_clean() -> None:
    result = subprocess.run(["ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed")
def test_ruff_format_is_applied() -> None:
    result = subprocess.run(["ruff", "format", "--check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def module_name(path: Path, root: Path = ROOT) -> str:
    """jtkg.<layer>.<module> of a file (a package's __init__ is the package)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(["jtkg", *parts])


def imported_modules(path: Path, known: set[str], root: Path = ROOT) -> dict[str, int]:
    """Every jtkg module ``path`` imports, anywhere in it (module level, inside functions,
    under TYPE_CHECKING), as ``import jtkg.x``, ``from jtkg.x import y`` or relatively; each
    with the line of its first import. ``from jtkg.server import cli`` imports jtkg.server.cli."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: dict[str, int] = {}

    def add(candidate: str, line: int) -> None:
        while candidate and candidate not in known:  # jtkg.graph.store.X -> jtkg.graph.store
            candidate = candidate.rpartition(".")[0]
        if candidate and candidate != name:
            found.setdefault(candidate, line)

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from . import x, from ..graph import y
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if not module.startswith("jtkg"):
                continue
            for alias in node.names:
                add(f"{module}.{alias.name}", node.lineno)
    return found


def import_graph(root: Path = ROOT) -> tuple[dict[str, Path], dict[str, dict[str, int]]]:
    files = {module_name(p, root): p for layer in LAYERS for p in sorted((root / layer).glob("*.py"))}
    known = set(files) | {f"jtkg.{layer}" for layer in LAYERS}
    return files, {m: imported_modules(p, known, root) for m, p in files.items()}


def layer_violations(root: Path = ROOT) -> list[str]:
    files, graph = import_graph(root)
    found = []
    for module, imports in graph.items():
        rank = LAYERS.index(module.split(".")[1])
        for target, line in imports.items():
            if LAYERS.index(target.split(".")[1]) > rank:
                found.append(f"{files[module].relative_to(root)}:{line} imports {target}")
    return found


def cycles(root: Path = ROOT) -> list[list[str]]:
    """One cycle (as a path back to its start) for each strongly connected group of modules."""
    _, graph = import_graph(root)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(v: str) -> None:  # Tarjan's algorithm
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(group)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [_cycle_in(group, graph) for group in groups]


def _cycle_in(group: set[str], graph: dict[str, dict[str, int]]) -> list[str]:
    """A path start -> ... -> start inside one strongly connected group (breadth first)."""
    start = min(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w in sorted(graph.get(v, {})):
                if w == start:
                    return [*paths[v], start]
                if w in group and w not in paths:
                    paths[w] = [*paths[v], w]
                    nxt.append(w)
        frontier = nxt
    return sorted(group)


def test_no_layer_imports_from_a_layer_to_its_right() -> None:
    assert layer_violations() == []


def test_no_module_imports_in_a_circle() -> None:
    assert cycles() == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles())


def test_modules_stay_under_400_lines() -> None:
    over = [
        f"{path.relative_to(ROOT)}: {n} lines"
        for layer in LAYERS
        for path in sorted((ROOT / layer).glob("*.py"))
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]
    assert over == []


def _tree(tmp_path: Path, modules: dict[str, str]) -> Path:
    for name, text in modules.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_the_checks_see_every_form_of_import(tmp_path: Path) -> None:
    """The checks themselves: a circle hidden in a function, through ``import jtkg.x``, a
    relative import and ``from jtkg.server import x``, and a layer import of each form."""
    root = _tree(
        tmp_path,
        {
            "ontology/__init__.py": "",
            "loaders/a.py": "def f():\n    import jtkg.graph.b\n",  # to the right, hidden
            "graph/b.py": "from . import c\n",
            "graph/c.py": "def g():\n    from jtkg.graph.b import x\n",
            "server/cli.py": "from jtkg.server import commands\n",
            "server/commands.py": "from .cli import fail\n",
        },
    )
    assert layer_violations(root) == ["loaders/a.py:2 imports jtkg.graph.b"]
    found = {tuple(c) for c in cycles(root)}
    assert found == {
        ("jtkg.graph.b", "jtkg.graph.c", "jtkg.graph.b"),
        ("jtkg.server.cli", "jtkg.server.commands", "jtkg.server.cli"),
    }
