"""SERVICE to allowlisted endpoints only: a query federated between two servers on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from jtkg.graph.sparql_dataset import with_using
from jtkg.graph.sparql_service import service_targets
from jtkg.server.app import create_app
from tests.conftest import serving


def http(url: str, form: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(form).encode(), headers={"Accept": "application/sparql-results+json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def remote(store: Path) -> Iterator[str]:
    """A second jtkg server: the endpoint the first one federates with."""
    app = create_app({"STORE": store})
    with serving(app) as url:
        yield url + "/sparql"
    app.extensions["jtkg.queries"].close()


@pytest.fixture
def federating(tmp_path: Path, built_store: Path, remote: str) -> Iterator[str]:
    import shutil

    shutil.copytree(built_store, tmp_path / "local")
    app = create_app({"STORE": tmp_path / "local", "SERVICE_ALLOWLIST": remote + ", http://x.invalid/"})
    with serving(app) as url:
        yield url + "/sparql"
    app.extensions["jtkg.queries"].close()


def test_service_to_an_allowlisted_endpoint_joins_both(federating: str, remote: str) -> None:
    query = f"""PREFIX jt: <https://w3id.org/jtkg/ontology#>
    PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?state ?remoteLabel WHERE {{
      ?state a jt:State .
      SERVICE <{remote}> {{ ?state rdfs:label ?remoteLabel FILTER(lang(?remoteLabel) = "en") }}
    }}"""
    status, body = http(federating, {"query": query})
    assert status == 200, body
    rows = {(b["state"]["value"], b["remoteLabel"]["value"]) for b in json.loads(body)["results"]["bindings"]}
    assert ("https://w3id.org/jtkg/id/state/taiwan", "Taiwan") in rows


def test_endpoints_off_the_allowlist_are_refused_and_never_contacted(federating: str) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(1)
    elsewhere = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    for query in (
        f"SELECT * WHERE {{ SERVICE <{elsewhere}> {{ ?s ?p ?o }} }}",
        f"PREFIX e: <{elsewhere[:-6]}> SELECT * WHERE {{ SERVICE e:sparql {{ ?s ?p ?o }} }}",
        "SELECT * WHERE { BIND(<" + elsewhere + "> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    ):
        status, body = http(federating, {"query": query})
        assert status == 400 and "SERVICE" in body
    with pytest.raises(TimeoutError):
        listener.accept()
    listener.close()


def test_the_lexer_is_not_fooled_by_strings_iris_and_comments() -> None:
    query = (
        'SELECT * WHERE { ?s ?p "SERVICE <http://a/>" . ?s <http://x/SERVICE> ?o '
        "# SERVICE <http://b/>\n SERVICE SILENT <http://c/> { ?s ?p ?o } }"
    )
    assert service_targets(query) == ["http://c/"]
    update = (
        'WITH <urn:g> DELETE { ?s ?p "WHERE" } WHERE { ?s ?p ?o { SELECT ?s WHERE { ?s ?p ?o } } } ; '
        'INSERT DATA { <urn:a> <urn:b> "WHERE" } ; DELETE WHERE { ?a ?b ?c }'
    )
    assert with_using(update, ["urn:d"], ["urn:n"]).count("USING <urn:d> USING NAMED <urn:n> WHERE") == 1
