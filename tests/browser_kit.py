"""What the browser tests share: headless Chromium through Selenium (with and without
JavaScript), the served app, waiting, screenshots, and axe-core for accessibility.

Without Chromium (or npm, for axe-core) the tests skip locally with the reason; under CI
(CI=true) a missing tool fails them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import serving

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
#: Where axe-core is installed from the npm registry (by .ci/run, or by the first test here).
AXE_FOLDER = ROOT / ".cache" / "axe"
AXE_SCRIPT = AXE_FOLDER / "node_modules" / "axe-core" / "axe.min.js"


def missing(message: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def browser_paths() -> tuple[str, str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        missing("headless Chromium and chromedriver are needed (apt-get install chromium chromium-driver)")
    return chromium, driver  # type: ignore[return-value]


def start_browser(javascript: bool = True, width: int = 1280):  # type: ignore[no-untyped-def]
    chromium, driver_path = browser_paths()
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium fetch a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-extensions",
        "--no-first-run",
        f"--window-size={width},1000",
    ):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # to see CSP reports
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(60)
    if width < 500:  # headless Chromium keeps windows 500 px wide at least: emulate the phone
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 844, "deviceScaleFactor": 1, "mobile": True},
        )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return driver


def serve_copy(tmp_path_factory: pytest.TempPathFactory, built_store: Path) -> Iterator[str]:
    from jtkg.server.app import create_app

    store = tmp_path_factory.mktemp("browser") / "store"
    shutil.copytree(built_store, store)
    app = create_app({"STORE": store})
    with serving(app) as url:
        yield url
    app.extensions["jtkg.queries"].close()


def wait_for(browser, css: str, count: int = 1, timeout: float = 20):  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, timeout).until(
        lambda d: (found := d.find_elements(By.CSS_SELECTOR, css)) and len(found) >= count and found
    )


def shot(browser, name: str) -> None:  # type: ignore[no-untyped-def]
    path = ARTIFACTS / f"{name}.png"
    browser.save_screenshot(str(path))
    assert path.stat().st_size > 5_000


def axe_script() -> str:
    """axe-core's script, installed from the npm registry into .cache/axe on first use."""
    if not AXE_SCRIPT.exists():
        npm = shutil.which("npm")
        if npm is None:
            missing("npm is needed to install axe-core for the accessibility tests")
        subprocess.run(
            [
                npm,
                "install",
                "--prefix",
                str(AXE_FOLDER),
                "axe-core@4",
                "--no-audit",
                "--no-fund",
                "--silent",
            ],
            check=True,
            timeout=600,
        )
    return AXE_SCRIPT.read_text(encoding="utf-8")


def serious_violations(browser, script: str) -> list[str]:  # type: ignore[no-untyped-def]
    """axe-core's serious and critical WCAG A/AA violations on the loaded page, one line each."""
    browser.execute_script(script)
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',"
        " 'best-practice']}}).then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))"
    )
    return [
        f"{v['id']} ({v['impact']}): {', '.join(v['nodes'])}"
        for v in result
        if v["impact"] in ("serious", "critical")
    ]
