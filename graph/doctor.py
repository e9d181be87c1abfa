"""`jtkg doctor`: is the store whole, and if not, which generation can it fall back to?

Checks, for the published generation (and for fallback candidates, newest first): CURRENT
reads and names a generation folder; its manifest reads; its Oxigraph database opens
read-only and every graph holds as many triples as the manifest says (which reads every
quad once); each predicate's quads read too (a second index); the inferred-triple sidecar
opens and passes SQLite's quick check. The fix points CURRENT at the newest generation that
passes every check, atomically and under the write lock.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from jtkg.graph.files import write_atomic
from jtkg.graph.generations import (
    SIDECAR_FILES,
    GenerationInfo,
    Manifest,
    StoreError,
    is_storage_failure,
    open_generation,
)
from jtkg.graph.store import StoreLocation


@dataclass
class Diagnosis:
    store: Path
    #: False: the folder holds no CURRENT and no generation (not a store at all).
    is_store: bool
    current: str | None = None
    #: What is wrong with the published generation (or CURRENT); empty when healthy.
    problems: list[str] = field(default_factory=list)
    #: The newest generation other than the published one that passes every check.
    fallback: str | None = None
    #: One line per generation folder.
    generations: list[str] = field(default_factory=list)
    #: Generations checked in depth, with what is wrong with each.
    checked: dict[str, list[str]] = field(default_factory=dict)

    @property
    def healthy(self) -> bool:
        return self.is_store and self.current is not None and not self.problems


def check_generation(folder: Path, manifest: Manifest | None) -> list[str]:
    """What is wrong with one generation folder (empty when nothing is)."""
    if manifest is None:
        return [f"{folder.name}: manifest.json is missing or damaged"]
    try:
        store = open_generation(folder)
        counts = _counts(store)
    except (StoreError, RuntimeError, OSError) as exc:
        if not is_storage_failure(exc):
            raise
        return [f"{folder.name}: {' '.join(str(exc).split())[:300]}"]
    problems = []
    differ = sorted(
        g for g in set(counts) | set(manifest.graphs) if counts.get(g, 0) != manifest.graphs.get(g, 0)
    )
    if differ:
        first = differ[0]
        problems.append(
            f"{folder.name}: {len(differ)} graph(s) do not hold the triples the "
            f"manifest says (e.g. {first}: {counts.get(first, 0)} stored, "
            f"{manifest.graphs.get(first, 0)} in the manifest)"
        )
    for extra in SIDECAR_FILES:
        problem = _sqlite_problem(folder / extra)
        if problem:
            problems.append(f"{folder.name}: {extra} {problem}")
    return problems


def _counts(store: ox.Store) -> dict[str, int]:
    """Triples per named graph, and every predicate's quads read through another index: a
    damaged block in either raises (RuntimeError "Corruption: …")."""
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    counts = {row["g"].value: int(row["n"].value) for row in rows}
    predicates = [row["p"] for row in store.query("SELECT DISTINCT ?p WHERE { GRAPH ?g { ?s ?p ?o } }")]
    for predicate in predicates:
        for _ in store.quads_for_pattern(None, predicate, None):
            pass
    return counts


def _sqlite_problem(path: Path) -> str | None:
    if not path.exists():
        return "is missing"
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            verdict = db.execute("PRAGMA quick_check").fetchone()
        finally:
            db.close()
    except sqlite3.Error as exc:
        return f"cannot be read ({exc})"
    if not verdict or verdict[0] != "ok":
        return f"fails SQLite's check ({verdict[0] if verdict else 'no answer'})"
    return None


def diagnose(location: StoreLocation) -> Diagnosis:
    """The store's health, read-only (safe while a server runs and writers publish)."""
    diagnosis = Diagnosis(location.path, is_store=not location.is_empty())
    if not diagnosis.is_store:
        return diagnosis
    with location.pinned():  # no generation is collected while we read them
        generations = location.generations()
        try:
            diagnosis.current = location.current_generation()
            if diagnosis.current is None:
                diagnosis.problems.append(f"{location.path}/CURRENT is missing")
        except StoreError as exc:
            diagnosis.problems.append(str(exc).split("; ")[0])
        by_name = {g.name: g for g in generations}
        if diagnosis.current is not None:
            info = by_name.get(diagnosis.current)
            if info is not None and info.state != "intact":
                diagnosis.problems.append(f"{info.name}: {info.problem}")
            else:
                diagnosis.problems += check_generation(
                    location.path / diagnosis.current, info.manifest if info else None
                )
        for info in generations:
            if info.name == diagnosis.current or info.state != "intact":
                continue
            if diagnosis.problems and diagnosis.fallback is None:
                diagnosis.checked[info.name] = check_generation(info.path, info.manifest)
                if not diagnosis.checked[info.name]:
                    diagnosis.fallback = info.name
        diagnosis.generations = [_line(g, diagnosis) for g in generations]
    return diagnosis


def _line(info: GenerationInfo, diagnosis: Diagnosis) -> str:
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(info.built_at))
    if info.name == diagnosis.current:
        role = "published, " + ("damaged" if diagnosis.problems else "intact")
    elif info.name == diagnosis.fallback:
        role = "intact: the newest generation to fall back to"
    elif diagnosis.checked.get(info.name):
        role = f"damaged: {diagnosis.checked[info.name][0].partition(': ')[2]}"
    elif info.state == "intact":
        role = "previous"
    elif info.state == "incomplete":
        role = "an unfinished write; the next publish removes it"
    else:
        role = f"{info.problem}; never removed automatically: delete it when not needed"
    return f"{info.name}  {when}  {role}"


def point_current(location: StoreLocation, generation: str) -> None:
    """Points CURRENT at ``generation`` (atomically, under the write lock), after checking it
    once more there: a publish may have happened since the diagnosis."""
    with location.write_lock():
        info = next((g for g in location.generations() if g.name == generation), None)
        if info is None or info.state != "intact" or check_generation(info.path, info.manifest):
            raise StoreError(f"{location.path / generation} is no longer intact; run `jtkg doctor` again")
        write_atomic(location.path / "CURRENT", generation + "\n")
