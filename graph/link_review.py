"""Review files: every proposal in a TSV file to edit (accept or reject), then applied."""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox

from jtkg.graph.link_model import ACCEPTED, REJECTED, Link, LinkError
from jtkg.ontology import ID

REVIEW_COLUMNS = ("decision", "confidence", "method", "ours", "ours_label", "theirs", "theirs_label", "graph")


def write_review(links: list[Link], path: Path, threshold: float) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(
            f"# jtkg link proposals. Set decision to accept or reject, then run "
            f"`jtkg link --apply {path.name}`. Pre-filled: accept at or above {threshold}.\n"
        )
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(REVIEW_COLUMNS)
        for link in links:
            writer.writerow(
                [
                    "accept" if link.confidence >= threshold else "reject",
                    f"{link.confidence:.3f}",
                    link.method,
                    link.ours,
                    link.ours_label,
                    link.theirs,
                    link.theirs_label,
                    link.graph,
                ]
            )


def read_review(path: Path) -> list[Link]:
    """The accepted rows of an edited review file."""
    return read_decisions(path)[0]


def read_decisions(path: Path) -> tuple[list[Link], list[Link]]:
    """(accepted, rejected) rows of an edited review file, each marked with its decision."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise LinkError(f"{path}: cannot be read ({exc})") from None
    rows = [(n, line) for n, line in enumerate(lines, start=1) if line.strip() and not line.startswith("#")]
    if not rows or rows[0][1].split("\t")[: len(REVIEW_COLUMNS)] != list(REVIEW_COLUMNS):
        raise LinkError(f"{path}: not a review file (its header must be: {' '.join(REVIEW_COLUMNS)})")
    accepted: list[Link] = []
    rejected: list[Link] = []
    for number, line in rows[1:]:
        cells = line.split("\t")
        if len(cells) != len(REVIEW_COLUMNS):
            raise LinkError(f"{path}:{number}: {len(cells)} columns; a row has {len(REVIEW_COLUMNS)}")
        row = dict(zip(REVIEW_COLUMNS, cells, strict=True))
        decision = row["decision"].strip().lower()
        if decision not in ("accept", "reject"):
            raise LinkError(f"{path}:{number}: decision is {row['decision']!r}; write accept or reject")
        try:
            confidence = float(row["confidence"])
            ox.NamedNode(row["ours"]), ox.NamedNode(row["theirs"])
        except ValueError:
            raise LinkError(f"{path}:{number}: a confidence or an IRI is not valid") from None
        if not 0.0 <= confidence <= 1.0 or not row["ours"].startswith(str(ID)):
            raise LinkError(
                f"{path}:{number}: the confidence must be in [0, 1] and the first IRI one of ours ({ID}…)"
            )
        link = Link(
            row["ours"],
            row["theirs"],
            confidence,
            row["method"],
            row["ours_label"],
            row["theirs_label"],
            row["graph"],
            decision=ACCEPTED if decision == "accept" else REJECTED,
        )
        (accepted if decision == "accept" else rejected).append(link)
    return accepted, rejected
