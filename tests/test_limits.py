"""Per-document limits: characters, mentions, time and memory, each refused in one line
naming the document and the limit, while the other documents go on (issue 12, item 11)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from jtkg.graph.build import build
from jtkg.graph.pipeline import process_all
from jtkg.graph.store import StoreLocation
from jtkg.loaders.extract import Extraction, Extractor
from jtkg.loaders.limits import (
    MAX_DOCUMENT_CHARS,
    MAX_DOCUMENT_MEMORY_MB,
    MAX_DOCUMENT_MENTIONS,
    MAX_DOCUMENT_SECONDS,
    Limits,
)
from jtkg.loaders.mention_rules import RuleSource
from jtkg.loaders.reader import DocumentError, SourceDocument, read_document
from jtkg.server.cli import main

SMALL = "Prime Minister Jane Roe said Japan and Taiwan should talk.\n"


def names(lines: int) -> str:
    """A document of name lines, like the one that exhausted 8 GB at 100,000 lines."""
    return "".join(f"Minister Kato Hiro{i} met President Lin Wei{i} in Taipei.\n" for i in range(lines))


def test_the_limits_are_the_documented_defaults() -> None:
    assert (MAX_DOCUMENT_CHARS, MAX_DOCUMENT_MENTIONS, MAX_DOCUMENT_SECONDS, MAX_DOCUMENT_MEMORY_MB) == (
        2_000_000,
        20_000,
        60.0,
        2048,
    )
    assert Limits() == Limits(2_000_000, 20_000, 60.0, 2048)


def test_too_many_characters_are_refused_right_after_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("x" * 2_001 + "\n", encoding="utf-8")
    with pytest.raises(DocumentError) as info:
        read_document(path, max_chars=2_000)
    assert str(info.value) == f"{path}: 2,002 characters; the limit is 2,000 (--max-document-chars)"
    assert read_document(path, max_chars=2_002).text.startswith("x")


def test_the_default_character_limit_holds_without_options(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text("word " * 400_001, encoding="utf-8")  # 2,000,005 characters
    with pytest.raises(DocumentError, match=r"2,000,005 characters; the limit is 2,000,000"):
        Extractor().extract_file(path)


def test_the_mention_limit_stops_extraction_early(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "names.txt"
    path.write_text(names(2_000), encoding="utf-8")
    seen: list[int] = []
    discover = RuleSource._discover

    def counting(self, text, sent, *args):  # type: ignore[no-untyped-def]
        seen.append(sent.start)
        return discover(self, text, sent, *args)

    monkeypatch.setattr(RuleSource, "_discover", counting)
    with pytest.raises(DocumentError) as info:
        Extractor(limits=Limits(max_document_mentions=30)).extract_file(path)
    assert str(info.value) == (f"{path}: more than 30 mentions; the limit is 30 (--max-document-mentions)")
    assert len(seen) < 50  # stopped after the first sentences, not after 2,000


def test_under_the_mention_limit_nothing_changes(tmp_path: Path) -> None:
    path = tmp_path / "names.txt"
    path.write_text(names(20), encoding="utf-8")
    bounded = Extractor(limits=Limits(max_document_mentions=10_000)).extract_file(path)
    free = Extractor(limits=Limits(max_document_mentions=10**9)).extract_file(path)
    assert set(bounded.facts) == set(free.facts) and len(bounded.facts) > 0


class _Sleepy(Extractor):
    """Takes 20 s over any document named slow*: longer than the test's limit."""

    def extract(self, doc: SourceDocument) -> Extraction:
        if doc.path.name.startswith("slow"):
            time.sleep(20)
        return super().extract(doc)


class _Greedy(Extractor):
    """Allocates 1 GB for a document named greedy*."""

    def extract(self, doc: SourceDocument) -> Extraction:
        if doc.path.name.startswith("greedy"):
            hoard = bytearray(1024 * 1024 * 1024)
            hoard[-1] = 1
        return super().extract(doc)


def _corpus(tmp_path: Path, *names: str) -> list[Path]:
    paths = []
    for name in names:
        path = tmp_path / name
        path.write_text(SMALL, encoding="utf-8")
        paths.append(path)
    return paths


def test_a_document_over_the_time_limit_is_stopped_and_the_others_go_on(tmp_path: Path) -> None:
    paths = _corpus(tmp_path, "fine.txt", "slow.txt", "also-fine.txt")
    outcomes = dict(process_all(paths, _Sleepy(limits=Limits(max_document_seconds=2))))
    assert outcomes[str(paths[1])] == (
        f"{paths[1]}: took more than 2 s; the limit is 2 s (--max-document-seconds)"
    )
    assert all(not isinstance(outcomes[str(p)], str) for p in (paths[0], paths[2]))


def test_a_document_over_the_memory_limit_is_refused_and_the_others_go_on(tmp_path: Path) -> None:
    paths = _corpus(tmp_path, "greedy.txt", "fine.txt")
    outcomes = dict(process_all(paths, _Greedy(limits=Limits(max_document_memory_mb=200))))
    assert outcomes[str(paths[0])] == (
        f"{paths[0]}: needs more than 200 MB of memory; the limit is 200 MB (--max-document-memory-mb)"
    )
    assert not isinstance(outcomes[str(paths[1])], str)


class _Marking(Extractor):
    def extract(self, doc: SourceDocument) -> Extraction:
        extraction = super().extract(doc)
        extraction.warnings.append("extracted by the injected extractor")
        return extraction


def test_an_injected_extractor_is_used_for_many_documents(tmp_path: Path) -> None:
    # The worker pool used for 8 or more documents once made its own extractor.
    paths = _corpus(tmp_path, *(f"doc-{i}.txt" for i in range(9)))
    outcomes = [outcome for _, outcome in process_all(paths, _Marking(), workers=2)]
    assert len(outcomes) == 9
    assert all("extracted by the injected extractor" in o.warnings for o in outcomes)  # type: ignore[union-attr]


def test_build_skips_a_document_over_a_limit_and_publishes_the_rest(tmp_path: Path) -> None:
    big, small = tmp_path / "big.txt", tmp_path / "small.txt"
    big.write_text(names(40), encoding="utf-8")
    small.write_text(SMALL, encoding="utf-8")
    result = build(
        [big, small],
        StoreLocation(tmp_path / "store"),
        extractor=Extractor(limits=Limits(max_document_chars=1_000)),
    )
    assert result.published and result.documents == 1
    assert result.failures == [
        f"{big}: {len(names(40)):,} characters; the limit is 1,000 (--max-document-chars)"
    ]


def test_ingest_rejects_a_document_over_a_limit_in_one_line(
    runner: CliRunner, store: Path, tmp_path: Path
) -> None:
    crowded = tmp_path / "crowded.txt"
    crowded.write_text(names(30), encoding="utf-8")
    fine = tmp_path / "fine-brief.txt"
    fine.write_text("A Brief\n\n" + SMALL, encoding="utf-8")
    result = runner.invoke(
        main, ["ingest", str(crowded), str(fine), "--store", str(store), "--max-document-mentions", "12"]
    )
    assert result.exit_code == 1, result.output
    assert (
        f"rejected: {crowded}: more than 12 mentions; the limit is 12 (--max-document-mentions)\n"
    ) in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout.startswith("added 1, replaced 0, unchanged 0, rejected 1; published")


def test_limits_come_from_the_environment_and_bad_values_are_one_line(
    runner: CliRunner, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "note.txt"
    path.write_text(SMALL, encoding="utf-8")
    monkeypatch.setenv("JTKG_MAX_DOCUMENT_CHARS", "10")
    result = runner.invoke(main, ["extract", str(path)])
    assert result.exit_code == 2
    assert f"skipped: {path}: 59 characters; the limit is 10 (--max-document-chars)" in result.stderr
    allowed = runner.invoke(main, ["extract", str(path), "--max-document-chars", "100"])
    assert allowed.exit_code == 0 and "jane-roe" in allowed.stdout  # the option wins
    monkeypatch.setenv("JTKG_MAX_DOCUMENT_CHARS", "many")
    bad = runner.invoke(main, ["extract", str(path)])
    assert bad.exit_code == 2
    assert bad.stderr == "jtkg: JTKG_MAX_DOCUMENT_CHARS: 'many' is not an integer\n"
    monkeypatch.delenv("JTKG_MAX_DOCUMENT_CHARS")
    zero = runner.invoke(
        main, ["build", str(path), "--store", str(tmp_path / "s"), "--max-document-seconds", "0"]
    )
    assert zero.exit_code == 2
    assert zero.stderr == "jtkg: --max-document-seconds: '0' is not between 0.1 and 86400\n"
    assert not (tmp_path / "s").exists()


def test_extract_with_nothing_readable_prints_nothing_to_stdout(runner: CliRunner, tmp_path: Path) -> None:
    empty, binary = tmp_path / "empty.txt", tmp_path / "binary.txt"
    empty.write_text("", encoding="utf-8")
    binary.write_bytes(b"\x00\x01PNG")
    result = runner.invoke(main, ["extract", str(empty), str(binary)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"skipped: {empty}: the document is empty",
        f"skipped: {binary}: binary content (NUL bytes), not a text document",
        "jtkg: no document could be read",
    ]


# Linear-time rewrites of steps that were quadratic in a document's size (overlap checks
# of dates, years of month-day dates, the nearest full name of a surname): the benchmark
# (benchmarks/huge_document.py) shows the cost; these check they find exactly what the
# old scans found.


def _dates_by_scan(text: str) -> list[tuple[int, int, int, int | None, int | None]]:
    """find_dates as it was: every match checked against every span taken before."""
    from jtkg.loaders.text import _DATE_PATTERNS, MONTHS

    found, taken = [], []
    for pattern, fields in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            values = dict(zip(fields, match.groups(), strict=False))
            month = MONTHS.get(values["m"].lower().rstrip(".")) if "m" in values else None
            if "mn" in values:
                month = int(values["mn"])
            day = int(values["d"]) if values.get("d") else None
            year = int(values["y"]) if values.get("y") else None
            if year is None or (month and not 1 <= month <= 12) or (day and not 1 <= day <= 31):
                continue
            found.append((match.start(), match.end(), year, month, day))
            taken.append((match.start(), match.end()))
    return sorted(found)


def test_dates_found_by_bisection_are_the_dates_found_by_scanning() -> None:
    import random

    from jtkg.loaders.text import find_dates

    rng = random.Random(12)
    pieces = [
        "March 17, 2021",
        "17 March 2021",
        "2021-03-17",
        "March 2021",
        "March 17",
        "2021",
        "1999–00",
        "Sept. 3 2019",
        " ",
        ", ",
        " and ",
        "in ",
        "(2020)",
        "\n",
    ]
    for _ in range(200):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))
        assert [(d.start, d.end, d.year, d.month, d.day) for d in find_dates(text)] == _dates_by_scan(text), (
            text
        )


def test_month_day_dates_take_the_first_year_written_for_that_day() -> None:
    from jtkg.loaders.events import NO_YEAR, with_year, years_by_day
    from jtkg.loaders.text import find_dates

    text = "On August 27, 2021 and March 3, 2019 and August 27, 2020. Then August 27 and June 1."
    full = find_dates(text, default_year=NO_YEAR)
    years = years_by_day(full)
    undated = [d for d in full if d.year == NO_YEAR]
    assert [with_year(d, years, 2000).year for d in undated] == [2021, 2000]  # type: ignore[union-attr]


def test_a_surname_is_the_nearest_full_name_before_it() -> None:
    from jtkg.loaders.mentions import _nearest

    candidates = [_mention(start) for start in (5, 40, 90)]
    starts = [m.start for m in candidates]
    assert [_nearest(candidates, starts, p).start for p in (0, 5, 6, 41, 89, 200)] == [5, 5, 5, 40, 40, 90]


def _mention(start: int):  # type: ignore[no-untyped-def]
    from jtkg.loaders.gazetteer import Entity
    from jtkg.loaders.mentions import Mention
    from jtkg.ontology import JT

    return Mention(start, start + 4, Entity.discovered(JT.Person, f"Jane Roe{start}"), 0.8, "discovered")
