"""Every setting is documented in the README, and settings drive the app's config."""

from __future__ import annotations

from pathlib import Path

from jtkg.server.app import create_app
from jtkg.server.settings import SETTINGS

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_setting_is_documented_in_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.name}`" in text, setting.name
        if setting.env:
            assert setting.env in text, setting.env


def test_settings_fill_the_config_and_explicit_values_win(tmp_path: Path) -> None:
    app = create_app({"STORE": tmp_path, "PORT": 6001})
    assert app.config["PORT"] == 6001 and app.config["STORE"] == tmp_path
    assert app.config["MAX_QUERY_LENGTH"] > 0 and app.config["HOST"] == "127.0.0.1"


def test_environment_overrides_defaults(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("JTKG_PORT", "6123")
    assert create_app({"STORE": tmp_path}).config["PORT"] == 6123
