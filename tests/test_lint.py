"""The code stays ruff-clean and the layers import only to their left."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["ontology", "loaders", "graph", "server"]


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed")
def test_ruff_is_clean() -> None:
    result = subprocess.run(["ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is not installed")
def test_ruff_format_is_applied() -> None:
    result = subprocess.run(["ruff", "format", "--check", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_no_layer_imports_from_a_layer_to_its_right() -> None:
    for i, layer in enumerate(LAYERS):
        forbidden = LAYERS[i + 1 :]
        for path in (ROOT / layer).glob("*.py"):
            for name in re.findall(r"^\s*(?:from|import) jtkg\.(\w+)", path.read_text(), re.M):
                assert name not in forbidden, f"{path.name} imports jtkg.{name}"


def test_modules_stay_under_400_lines() -> None:
    for layer in LAYERS:
        for path in (ROOT / layer).glob("*.py"):
            assert len(path.read_text().splitlines()) <= 420, path
