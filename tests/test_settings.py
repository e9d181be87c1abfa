"""Every setting is documented in the README, and settings drive the app's config."""

from __future__ import annotations

from pathlib import Path

import pytest

from jtkg.server.app import create_app
from jtkg.server.cli import main
from jtkg.server.settings import BY_NAME, SETTINGS, SettingError

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


# Every setting is checked by its type and range, from the command line and from the
# environment alike: one line naming the source, exit 2, no traceback, nothing served.
BAD_VALUES = [
    ("port", "abc", "'abc' is not an integer"),
    ("port", "-1", "'-1' is not between 0 and 65535"),
    ("port", "99999", "'99999' is not between 0 and 65535"),
    ("threads", "0", "'0' is not between 1 and 1024"),
    ("query_timeout", "0", "'0' is not between 0.1 and 86400"),
    ("query_timeout", "nan", "'nan' is not a number"),
    ("query_workers", "1.5", "'1.5' is not an integer"),
    ("max_result_rows", "0", "'0' is less than 1"),
    ("worker_memory_mb", "12", "'12' is not between 256 and 1048576 (or 0: off)"),
]


@pytest.mark.parametrize(("name", "raw", "reason"), BAD_VALUES)
def test_a_bad_option_is_one_line_and_exit_2(
    runner,
    tmp_path: Path,
    name: str,
    raw: str,  # type: ignore[no-untyped-def]
    reason: str,
) -> None:
    option = BY_NAME[name].option
    result = runner.invoke(main, ["serve", "--store", str(tmp_path), option, raw])
    assert result.exit_code == 2, result.output
    assert result.output == f"jtkg: {option}: {reason}\n"
    assert not (tmp_path / "CURRENT").exists()  # refused before anything was built


@pytest.mark.parametrize(("name", "raw", "reason"), BAD_VALUES)
def test_a_bad_environment_variable_is_one_line_and_exit_2(
    runner,
    tmp_path: Path,
    monkeypatch,  # type: ignore[no-untyped-def]
    name: str,
    raw: str,
    reason: str,
) -> None:
    env = BY_NAME[name].env
    assert env
    monkeypatch.setenv(env, raw)
    result = runner.invoke(main, ["serve", "--store", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert result.output == f"jtkg: {env}: {reason}\n"


def test_bad_values_in_a_config_are_refused_too(tmp_path: Path) -> None:
    with pytest.raises(SettingError, match="--port: 70000 is not between 0 and 65535"):
        create_app({"STORE": tmp_path, "PORT": 70000})
    with pytest.raises(SettingError, match="is not an integer"):
        create_app({"STORE": tmp_path, "QUERY_WORKERS": 2.5})


def test_good_values_are_converted_and_the_off_value_is_accepted(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("JTKG_QUERY_TIMEOUT", " 2.5 ")
    monkeypatch.setenv("JTKG_WORKER_MEMORY_MB", "0")
    app = create_app({"STORE": tmp_path, "PORT": "0", "QUERY_WORKERS": 3})
    try:
        assert app.config["QUERY_TIMEOUT"] == 2.5 and app.config["WORKER_MEMORY_MB"] == 0
        assert app.config["PORT"] == 0 and app.config["QUERY_WORKERS"] == 3
    finally:
        app.extensions["jtkg.queries"].close()


def test_every_number_setting_has_a_range() -> None:
    for setting in SETTINGS:
        if setting.kind is not str:
            assert setting.low is not None, setting.name
            assert (
                setting.check(setting.default() if callable(setting.default) else setting.default, "default")
                is not None
            )


def test_the_help_names_each_range(runner) -> None:  # type: ignore[no-untyped-def]
    text = " ".join(runner.invoke(main, ["serve", "--help"]).output.split())
    assert "0..65535; $JTKG_PORT" in text
    assert "256..1048576, or 0 (off); $JTKG_WORKER_MEMORY_MB" in text
