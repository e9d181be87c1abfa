"""End-to-end tests in a real browser: headless Chromium (Debian's `chromium` and
`chromium-driver`, which .ci/run installs) drives the UI over a real socket. Screenshots of
each page are written to test-artifacts/screenshots/.

Without Chromium these tests skip locally; under CI (CI=true) a missing browser fails them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser_kit import serve_copy, shot, start_browser, wait_for


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, built_store: Path) -> Iterator[str]:
    yield from serve_copy(tmp_path_factory, built_store)


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    driver = start_browser()
    yield driver
    driver.quit()


def test_home_shows_what_the_dataset_holds(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    browser.get(site + "/")
    cards = wait_for(browser, ".card", 10)
    assert any("Person" in c.text for c in cards)
    assert len(wait_for(browser, "main ul li a", 5)) >= 5  # the documents
    shot(browser, "home")
    # Works offline: every script, stylesheet and image came from this server.
    resources = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert resources and all(r.startswith(site) for r in resources)


def test_run_an_example_sort_it_and_follow_a_result(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    browser.get(site + "/query")
    assert wait_for(browser, "#highlight .tok-kw")  # the editor is highlighted
    examples = wait_for(browser, "[data-example]", 12)
    examples[0].click()  # CQ1: the webinar's participants
    rows = wait_for(browser, "#results tbody tr", 3)
    assert "rows" in browser.find_element(By.ID, "status").text
    downloads = browser.find_elements(By.CSS_SELECTOR, "#downloads a")
    assert {a.text for a in downloads} == {"JSON", "XML", "CSV", "TSV"}
    header = browser.find_elements(By.CSS_SELECTOR, "#results th")[1]  # ?name
    header.click()
    names = [
        r.find_elements(By.TAG_NAME, "td")[1].text
        for r in browser.find_elements(By.CSS_SELECTOR, "#results tbody tr")
    ]
    assert names == sorted(names, key=str.lower) and header.get_attribute("aria-sort") == "ascending"
    header.click()
    assert header.get_attribute("aria-sort") == "descending"
    shot(browser, "query")
    rows = browser.find_elements(By.CSS_SELECTOR, "#results tbody tr")  # sorting refilled the rows
    link = rows[0].find_element(By.CSS_SELECTOR, "td a[href^='/id/person/']")
    link.click()
    wait_for(browser, "#neighbourhood circle", 2)
    assert browser.current_url.startswith(site + "/id/person/")
    assert browser.find_element(By.TAG_NAME, "h1").text
    assert browser.find_elements(By.CSS_SELECTOR, "#facts tr")
    shot(browser, "entity")


def test_query_errors_are_shown_inline(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    browser.get(site + "/query")
    editor = wait_for(browser, "#query")[0]
    editor.clear()
    editor.send_keys("SELECT * WHERE { ?s ?p ")
    browser.find_element(By.ID, "run").click()
    error = wait_for(browser, "#results .error")[0]
    assert error.text.startswith("400") and "malformed query" in error.text


def test_search_and_open_a_hit(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    browser.get(site + "/")
    box = wait_for(browser, "header input[type=search]")[0]
    box.send_keys("Koshino")
    box.submit()
    hits = wait_for(browser, "#search-results li a")
    assert hits[0].text == "Yuka Koshino"
    shot(browser, "search")
    hits[0].click()
    assert wait_for(browser, "h1")[0].text == "Yuka Koshino"
    quotes = browser.find_elements(By.CSS_SELECTOR, "blockquote")
    assert quotes and "Koshino" in quotes[0].text
    quotes[0].find_element(By.LINK_TEXT, "in the document").click()
    passage = wait_for(browser, "mark#passage")[0]
    assert "Koshino" in passage.text
    assert browser.find_elements(By.CSS_SELECTOR, "#document-text a.mention")
    shot(browser, "document")


def test_timeline(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    browser.get(site + "/timeline")
    items = wait_for(browser, "#timeline li", 5)
    dates = [i.text.split(" ·")[0] for i in items]
    assert dates == sorted(dates)
    assert any("Agreement" in i.get_attribute("class") for i in items)
    shot(browser, "timeline")


def csp_violations(browser) -> list[str]:  # type: ignore[no-untyped-def]
    """Console messages since the last call that report a Content-Security-Policy refusal."""
    return [
        entry["message"]
        for entry in browser.get_log("browser")
        if "Content Security Policy" in entry["message"]
    ]


def test_pages_work_under_the_content_security_policy(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    csp_violations(browser)  # start from an empty log
    browser.get(site + "/id/person/yuka-koshino")
    assert wait_for(browser, "#neighbourhood circle", 2)  # graph.js ran and drew the SVG
    browser.get(site + "/id/document/stimson-japan-taiwan-relations-webinar?highlight=10-60")
    assert wait_for(browser, "mark#passage")
    for path in ("/", "/timeline", "/search?q=Koshino", "/query?run"):
        browser.get(site + path)
    assert wait_for(browser, "#results tbody tr", 3)  # query.js ran the default query
    assert csp_violations(browser) == []


def test_a_javascript_iri_in_results_is_not_a_link(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    from urllib.parse import quote

    from selenium.webdriver.common.by import By

    query = 'SELECT ?x WHERE { BIND(IRI("javascript:alert(document.domain)") AS ?x) }'
    browser.get(site + "/query?run&query=" + quote(query))
    cell = wait_for(browser, "#results tbody td")[0]
    assert cell.text == "javascript:alert(document.domain)"
    assert cell.find_elements(By.CSS_SELECTOR, "span.iri-text")
    assert not browser.find_elements(By.CSS_SELECTOR, "#results a")


def test_follow_a_more_link_and_back(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    def rows() -> set[str]:  # a row: the mention's document and sentence
        return {r.get_attribute("innerHTML") for r in wait_for(browser, "#mentions li")}

    browser.get(site + "/id/state/japan")
    first = rows()
    browser.find_element(By.PARTIAL_LINK_TEXT, "More mentions").click()
    second = rows()
    assert "more=mentions" in browser.current_url and second and not first & second
    assert not browser.find_elements(By.ID, "facts")  # only that section, paged
    browser.find_element(By.CSS_SELECTOR, "#section-pager a[rel=prev]").click()
    assert rows() == first
    assert csp_violations(browser) == []


def test_the_event_page_lists_roles_with_their_passages_and_passes_axe(browser, site: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    from tests.browser_kit import axe_script, serious_violations

    browser.get(site + "/id/event/stimson-center-webinar-2021-03-17")
    wait_for(browser, "#participants h3")
    roles = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "#participants h3")]
    assert roles[:3] == ["Host", "Moderator", "Panelists"]
    panel = browser.find_elements(By.CSS_SELECTOR, '#participants ul[data-role$="#panelist"] li')
    assert [li.find_element(By.CSS_SELECTOR, "a").text for li in panel][:1] == ["Madoka Fukuda"]
    shot(browser, "event")
    assert serious_violations(browser, axe_script()) == []
    # a participant's passage opens the document with that line marked
    panel[1].find_element(By.CSS_SELECTOR, ".evidence a").click()
    assert wait_for(browser, "mark#passage")[0].text == "Kayo Takuma"
