"""Readers' heavy modules are imported once in the parent before per-document workers fork
(loaders/formats.py warm(), called by graph/pipeline.py), so no child imports them again."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from jtkg.graph import pipeline
from jtkg.loaders.extract import Extractor

CHECK = """
import sys
from jtkg.loaders import reader  # registers every reader
from jtkg.loaders.formats import warm
assert "trafilatura" not in sys.modules, "imported before warm()"
warm(["notes.md"])
assert "trafilatura" not in sys.modules, "a Markdown-only build must not pay for it"
warm(["page.html"])
assert "trafilatura" in sys.modules
warm(["https://example.org/x"])  # a link's type is known only once fetched: every reader
assert "pdfminer.pdfinterp" in sys.modules and "docx" in sys.modules
print("ok")
"""


def test_warm_imports_the_readers_modules_in_this_process() -> None:
    # A fresh interpreter: other tests in this one may have imported trafilatura already.
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


@pytest.mark.skipif(not pipeline._FORK, reason="workers are forked only where fork exists")
def test_workers_are_warmed_before_the_first_fork(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    started: list[str] = []
    real_start = pipeline._start
    monkeypatch.setattr(pipeline, "warm", lambda names: calls.append(list(names)))

    def start(*args: object) -> object:
        started.append(f"fork after {len(calls)} warm()")
        return real_start(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "_start", start)
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><article><p>Japan and Taiwan held talks.</p></article></body></html>", encoding="utf-8"
    )
    results = list(pipeline.extract_all([page], Extractor(), workers=1))
    assert len(results) == 1
    assert calls == [[str(page)]] and started == ["fork after 1 warm()"]
