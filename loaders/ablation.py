"""The ablation table's cells: the headline figures of one recipe (entity micro P/R/F1 of
Person, Institution and State, affiliation F1, issue recall), on the devset and on the
bundled leave-one-out, and the table that sets them side by side."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from jtkg.loaders.evaluate import Score

#: The headline's entity classes: those the devset scores for precision and recall.
ENTITY_CLASSES = ("Person", "Institution", "State")


class _Scored(Protocol):
    """A devset evaluation (loaders.devset.DevEvaluation), as the headline reads it."""

    def entities(self) -> Score: ...

    def affiliations(self) -> Score: ...

    def recall(self, cls: str) -> float: ...


def _total(rows: Iterable[Score]) -> Score:
    out = Score()
    for s in rows:
        out += s
    return out


@dataclass(frozen=True)
class Headline:
    """One ablation cell: entity micro P/R/F1 (Person, Institution, State), affiliation F1,
    issue recall."""

    entities: Score
    affiliation_f1: float
    issue_recall: float


def headline_of_devset(result: _Scored) -> Headline:
    return Headline(result.entities(), result.affiliations().f1, result.recall("Issue"))


def headline_of_bundled(result: object) -> Headline:
    """The bundled leave-one-out Evaluation (loaders.evaluate), by the same three classes."""
    rows = result.rows  # type: ignore[attr-defined]
    return Headline(
        _total(rows.get(c, Score()) for c in ENTITY_CLASSES),
        rows.get("affiliations", Score()).f1,
        rows.get("Issue", Score()).recall,
    )


def ablation_table(rows: list[tuple[str, Headline | None, Headline | None]]) -> str:
    """One line per recipe: the devset and the bundled leave-one-out side by side."""
    cols = f"{'P':>6}{'R':>6}{'F1':>6}{'aff F1':>8}{'iss R':>7}"
    lines = [f"{'':<18}{'devset':^33}  {'bundled leave-one-out':^33}", f"{'recipe':<18}{cols}  {cols}"]

    def cell(h: Headline | None) -> str:
        if h is None:
            return f"{'-':>6}{'-':>6}{'-':>6}{'-':>8}{'-':>7}"
        e = h.entities
        return (
            f"{e.precision:>6.3f}{e.recall:>6.3f}{e.f1:>6.3f}{h.affiliation_f1:>8.3f}{h.issue_recall:>7.3f}"
        )

    for name, dev, bundled in rows:
        lines.append(f"{name:<18}{cell(dev)}  {cell(bundled)}")
    return "\n".join(lines)


def headline_json(h: Headline | None) -> dict[str, float] | None:
    if h is None:
        return None
    e = h.entities
    return {
        "precision": round(e.precision, 4),
        "recall": round(e.recall, 4),
        "f1": round(e.f1, 4),
        "affiliation_f1": round(h.affiliation_f1, 4),
        "issue_recall": round(h.issue_recall, 4),
    }
