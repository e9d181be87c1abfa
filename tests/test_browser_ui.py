"""Issue 15 in a real browser: the keyboard (no trap in the editor, visible focus, sortable
headers operable), paged results, shareable URLs and Back, updates pointed to /update,
CONSTRUCT with the query's prefixes, the pages without JavaScript, a 390-px-wide screen, and
axe-core (from the npm registry) on every page type: no serious or critical violation.
Screenshots of every page type go to test-artifacts/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import pytest

from tests.browser_kit import axe_script, serious_violations, serve_copy, shot, start_browser, wait_for

MANY = "SELECT ?n WHERE { VALUES ?n { " + " ".join(str(i) for i in range(250)) + " } }"
#: One page of each type a user meets.
PAGE_TYPES = {
    "home": "/",
    "query": "/query?run=1",
    "search": "/search?q=Koshino",
    "timeline": "/timeline",
    "browse": "/browse?kind=Statement",
    "person": "/id/person/yuka-koshino",
    "state": "/id/state/japan",
    "document": "/id/document/stimson-japan-taiwan-relations-webinar?highlight=10-60",
    "ontology": "/ontology",
    "service-description": "/sparql",
    "void": "/void",
    "not-found": "/id/person/nobody",
    "bad-request": "/id/state/japan?page=x",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, built_store: Path) -> Iterator[str]:
    yield from serve_copy(tmp_path_factory, built_store)


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    driver = start_browser()
    yield driver
    driver.quit()


def _active(browser) -> str:  # type: ignore[no-untyped-def]
    return browser.execute_script("return document.activeElement.id || document.activeElement.tagName")


def test_tab_in_the_editor_is_no_trap_and_focus_is_visible(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.keys import Keys

    browser.get(site + "/query")
    editor = wait_for(browser, "#query")[0]
    editor.click()
    editor.send_keys(Keys.END, Keys.TAB)
    assert _active(browser) == "query" and browser.execute_script(
        "return document.getElementById('query').value.endsWith('  ')"
    )  # Tab indents
    editor.send_keys(Keys.ESCAPE, Keys.TAB)
    assert _active(browser) == "run"  # Escape, then Tab, leaves the editor
    outline = browser.execute_script(
        "const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]"
    )
    assert outline[0] != "none" and float(outline[1].removesuffix("px")) >= 2
    editor.click()
    editor.send_keys(Keys.SHIFT + Keys.TAB)  # Shift+Tab always moves back out
    assert _active(browser) != "query"
    assert "Escape, then Tab" in browser.find_element("id", "editor-keys").text


def test_sortable_headers_work_from_the_keyboard(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(site + "/query?run=1")
    wait_for(browser, "#results tbody tr", 3)
    button = browser.find_elements(By.CSS_SELECTOR, "#results th button.sort")[1]
    assert button.get_attribute("tabindex") in (None, "0") and button.tag_name == "button"
    button.send_keys(Keys.ENTER)  # the server's page: the first sort fetches the whole result
    header = wait_for(browser, "#results th[aria-sort=ascending]")[0]
    assert header.text == "?name" and _active(browser) == "BUTTON"
    browser.switch_to.active_element.send_keys(Keys.SPACE)
    assert header.get_attribute("aria-sort") == "descending"
    names = [
        r.find_elements(By.TAG_NAME, "td")[1].text
        for r in browser.find_elements(By.CSS_SELECTOR, "#results tbody tr")
    ]
    assert names == sorted(names, key=str.lower, reverse=True)


def test_results_are_paged_and_the_url_is_shareable(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    browser.get(site + "/query")
    examples = wait_for(browser, "[data-example]", 12)
    first_example = browser.execute_script("return document.getElementById('query').value")
    editor = browser.find_element(By.ID, "query")
    editor.clear()
    editor.send_keys(MANY)
    browser.find_element(By.ID, "run").click()
    wait_for(browser, "#results tbody tr", 100)
    assert len(browser.find_elements(By.CSS_SELECTOR, "#results tbody tr")) == 100
    assert "Rows 1–100 of 250" in browser.find_element(By.ID, "results").text
    assert browser.find_element(By.ID, "status").text.startswith("250 rows")
    browser.find_elements(By.CSS_SELECTOR, "#results .pager button[data-rel=next]")[0].click()
    assert "Rows 101–200 of 250" in browser.find_element(By.ID, "results").text
    assert browser.find_elements(By.CSS_SELECTOR, "#results tbody td")[0].text == "100"
    shared = parse_qs(urlparse(browser.current_url).query)
    assert shared["query"] == [MANY] and "run" in shared  # the URL names the query
    examples = browser.find_elements(By.CSS_SELECTOR, "[data-example]")
    examples[1].click()
    wait_for(browser, "#results tbody tr")
    assert parse_qs(urlparse(browser.current_url).query)["query"] != [MANY]
    browser.back()  # Back: the query before, run again
    wait_for(browser, "#results tbody tr", 100)
    assert browser.execute_script("return document.getElementById('query').value") == MANY
    assert first_example != MANY
    browser.get(browser.current_url)  # the shared link itself shows the same result
    assert "of 250" in wait_for(browser, "#results .pager")[0].text


def test_an_update_is_pointed_to_update_and_construct_uses_the_prefixes(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    update = "PREFIX ex: <http://example.org/>\nINSERT DATA { ex:a ex:b ex:c }"
    browser.get(site + "/query?run=1&query=" + quote(update))
    error = wait_for(browser, "#results .error")[0]
    assert "send updates to /update" in error.text and "CONSTRUCT" not in error.text
    construct = (
        "PREFIX jt: <https://w3id.org/jtkg/ontology#>\n"
        "CONSTRUCT { ?p a jt:Person } WHERE { ?p a jt:Person } LIMIT 3"
    )
    browser.get(site + "/query?run=1&query=" + quote(construct))
    turtle = wait_for(browser, "#results pre.turtle")[0].text
    assert "@prefix jt: <https://w3id.org/jtkg/ontology#>" in turtle and " a jt:Person" in turtle
    assert "<https://w3id.org/jtkg/ontology#Person>" not in turtle
    assert browser.execute_script("return document.documentElement.scrollWidth <= innerWidth")


def test_the_query_page_and_entity_pages_work_without_javascript(site: str) -> None:
    from selenium.webdriver.common.by import By

    driver = start_browser(javascript=False)
    try:
        driver.get(site + "/query")
        editor = wait_for(driver, "#query")[0]
        assert editor.is_displayed() and "SELECT" in editor.get_attribute("value")
        color = driver.execute_script("return getComputedStyle(document.getElementById('query')).color")
        assert color != "rgba(0, 0, 0, 0)"  # the text is visible, not the script's overlay
        driver.find_element(By.ID, "run").click()
        rows = wait_for(driver, "#results tbody tr", 3)
        assert rows[0].find_elements(By.CSS_SELECTOR, "a[href^='/id/person/']")
        shot(driver, "query-without-javascript")
        driver.get(site + "/id/person/yuka-koshino")
        links = wait_for(driver, "#neighbourhood-list li a", 2)
        assert links[0].is_displayed()
        assert not driver.find_element(By.ID, "neighbourhood").is_displayed()  # the empty picture
        shot(driver, "entity-without-javascript")
    finally:
        driver.quit()


def test_every_page_type_fits_390_pixels(site: str) -> None:
    driver = start_browser(width=390)
    try:
        wide = []
        for name, path in PAGE_TYPES.items():
            driver.get(site + path)
            wait_for(driver, "main h1")
            if name == "query":
                wait_for(driver, "#results tbody tr")
            if not driver.execute_script("return document.documentElement.scrollWidth <= innerWidth"):
                wide.append(name)
            shot(driver, f"narrow-{name}")
        assert wide == []
    finally:
        driver.quit()


def test_every_page_type_passes_axe_and_is_photographed(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    script = axe_script()
    found = {}
    for name, path in PAGE_TYPES.items():
        browser.get(site + path)
        title = wait_for(browser, "main h1")[0].text
        if name == "query":
            wait_for(browser, "#results tbody tr")
        if name in ("person", "state", "document"):
            wait_for(browser, "#neighbourhood circle")
        assert browser.title.endswith("· jtkg") and browser.title != "jtkg" and title
        shot(browser, name)
        problems = serious_violations(browser, script)
        if problems:
            found[name] = problems
    assert found == {}


_OVERLAPS = """
const boxes = [...document.querySelectorAll('#neighbourhood a text')].map(t => t.getBoundingClientRect());
const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
let n = 0;
for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) n += hit(boxes[i], boxes[j]);
const svg = document.getElementById('neighbourhood').getBoundingClientRect();
const outside = boxes.filter(b => b.left < svg.left - 1 || b.right > svg.right + 1).length;
return [boxes.length, n, outside];
"""


@pytest.mark.parametrize("width", [1280, 390])
def test_neighbourhood_labels_do_not_overlap(site: str, width: int) -> None:
    driver = start_browser(width=width)
    try:
        for path in (
            "/id/state/japan",
            "/id/document/stimson-japan-taiwan-relations-webinar",
            "/id/person/yuka-koshino",
        ):
            driver.get(site + path)
            wait_for(driver, "#neighbourhood circle", 2)
            labels, overlapping, outside = driver.execute_script(_OVERLAPS)
            assert labels >= 3 and overlapping == 0 and outside == 0, (path, labels, overlapping, outside)
        shot(driver, f"neighbourhood-document-{width}")
    finally:
        driver.quit()


def test_the_error_position_is_marked_in_the_editor(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    import re

    from selenium.webdriver.common.by import By

    text = "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?x = ) }"
    browser.get(site + "/query")
    editor = wait_for(browser, "#query")[0]
    editor.clear()
    editor.send_keys(text)
    browser.find_element(By.ID, "run").click()
    error = wait_for(browser, "#results .error")[0]
    said = re.search(r"error at (\d+):(\d+)", error.text)
    assert said and f"marked in the editor: line {said[1]}, column {said[2]}" in error.text
    line, column = int(said[1]), int(said[2])
    at = sum(len(x) + 1 for x in text.split("\n")[: line - 1]) + column - 1
    mark = wait_for(browser, "#highlight #error-mark")[0]
    assert mark.text.strip() == text[at : at + 1].strip()
    assert browser.execute_script("return document.getElementById('query').selectionStart") == min(
        at, len(text)
    )
    editor.send_keys(" ")
    assert not browser.find_elements(By.ID, "error-mark")  # an edit clears the mark


def test_ctrl_space_completes_terms_and_adds_the_prefix(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(site + "/query")
    editor = wait_for(browser, "#query")[0]
    editor.clear()
    editor.send_keys("SELECT ?p WHERE { ?p a jt:Pers")
    editor.send_keys(Keys.CONTROL, " ")
    value = browser.execute_script("return document.getElementById('query').value")
    assert value == "PREFIX jt: <https://w3id.org/jtkg/ontology#>\nSELECT ?p WHERE { ?p a jt:Person"
    editor.send_keys(" .\n  ?p jt:stat")  # more than one way to go on: a list to choose from
    editor.send_keys(Keys.CONTROL, " ")
    options = [o.text for o in wait_for(browser, "#completions li", 2)]
    assert {"jt:statedBy", "jt:Statement"} <= set(options)
    editor.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    value = browser.execute_script("return document.getElementById('query').value")
    assert value.endswith("?p " + options[1]) and value.count("PREFIX jt:") == 1
    assert not browser.find_element(By.ID, "completions").is_displayed()
