"""The query page on `SELECT * WHERE { ?s ?p ?o }` over the bundled graph (issue 15: it used
to draw every row, 27,324, in 25.7 s): wall seconds until the first page of 100 rows is on
screen in headless Chromium (script run), and for the server-rendered page (no script), with
the server process's CPU seconds. Each is timed on its second load (workers started, store read once).
Run: python benchmarks/ui_select_all.py [STORE]."""

from __future__ import annotations

import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jtkg.graph.build import build, bundled_corpus
from jtkg.graph.store import StoreLocation
from jtkg.server.app import create_app
from tests.browser_kit import start_browser, wait_for
from tests.conftest import serving

QUERY = "SELECT * WHERE { ?s ?p ?o }"


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    if len(sys.argv) > 1:
        shutil.copytree(sys.argv[1], folder / "store")
    else:
        build(bundled_corpus(), StoreLocation(folder / "store"))
    app = create_app({"STORE": folder / "store"})
    print("| page | rows shown | total rows | wall s | server CPU s |\n|---|---|---|---|---|")
    with serving(app) as url:
        for javascript in (True, False):
            driver = start_browser(javascript=javascript)
            try:
                driver.get(url + "/query?run=1&query=" + quote(QUERY))  # warm: workers, store cache
                started, before = time.perf_counter(), cpu()
                driver.get(url + "/query?run=1&query=" + quote(QUERY))
                rows = wait_for(driver, "#results tbody tr", 100, timeout=120)
                wall, used = time.perf_counter() - started, cpu() - before
                total = driver.find_element("id", "status").text.split(" ")[0]
                name = "with script" if javascript else "without script (server HTML)"
                print(f"| {name} | {len(rows)} | {total} | {wall:.2f} | {used:.2f} |")
            finally:
                driver.quit()
    app.extensions["jtkg.queries"].close()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
