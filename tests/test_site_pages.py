"""Pages a browser reaches outside the query page (issue 15): the service description and
VoID as HTML, and errors in the site's layout, while other clients keep RDF and one line."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph

#: What Chromium sends for a page it navigates to.
CHROMIUM = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,"
    "*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)


@pytest.mark.parametrize("path", ["/sparql", "/void"])
@pytest.mark.parametrize("accept", [CHROMIUM, "text/html"])
def test_a_browser_gets_the_service_description_as_a_page(client, path: str, accept: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "<title>SPARQL service and dataset description · jtkg</title>" in page
    assert '<header class="site">' in page
    triples = re.search(r"<th scope=\"row\">Triples</th><td>([0-9,]+)</td>", page)
    assert triples and int(triples[1].replace(",", "")) > 20_000
    for name in ("turtle", "jsonld", "ntriples", "rdfxml"):  # links to the machine formats
        assert f'href="{path}?format={name}"' in page
    turtle = client.get(f"{path}?format=turtle", headers={"Accept": accept})
    assert turtle.mimetype == "text/turtle" and len(Graph().parse(data=turtle.get_data(as_text=True))) > 20


@pytest.mark.parametrize("accept", [None, "*/*", "text/turtle", "application/rdf+xml"])
def test_other_clients_keep_the_rdf(client, accept: str | None) -> None:  # type: ignore[no-untyped-def]
    headers = {"Accept": accept} if accept else {}
    for path in ("/sparql", "/void"):
        response = client.get(path, headers=headers)
        assert response.status_code == 200 and response.mimetype != "text/html"


@pytest.mark.parametrize(
    ("path", "status", "reason"),
    [
        ("/nowhere", 404, "The requested URL was not found"),
        ("/id/person/nobody", 404, "nothing is known about https://w3id.org/jtkg/id/person/nobody"),
        ("/id/state/japan?page=x", 400, "page must be a whole number"),
    ],
)
def test_errors_for_a_browser_have_the_site_layout(client, path: str, status: int, reason: str) -> None:  # type: ignore[no-untyped-def]
    page = client.get(path, headers={"Accept": CHROMIUM})
    assert page.status_code == status and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert '<header class="site">' in text and f"<title>{status} " in text
    assert reason in text.split('id="error-reason">')[1].split("</p>")[0]
    plain = client.get(path)  # no Accept: a program; one plain line, as before
    assert plain.status_code == status and plain.mimetype == "text/plain"
    body = plain.get_data(as_text=True)
    assert body.count("\n") == 1 and reason in body
