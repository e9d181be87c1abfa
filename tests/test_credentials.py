"""No credentials of an external store in any string the tool prints, logs or returns.

The external store here is another jtkg server holding what `jtkg build` leaves in one (the
data and the manifest graph): it ignores credentials, so the configured password reaches
every code path that could show it while reads still succeed. Everything the server
returns (bodies, headers), logs (every logger, DEBUG and up) and hands its query workers,
and everything the commands print, is searched for the password.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from jtkg.graph.remote import MANIFEST_GRAPH, MANIFEST_PROPERTY
from jtkg.graph.store import StoreLocation
from jtkg.server.app import create_app
from jtkg.server.cli import main
from tests.conftest import free_port, serving

USER = "reader-7c1e"
PASSWORD = "Pw-never-shown-7c1e"


@pytest.fixture
def external(store: Path, tmp_path: Path) -> Iterator[str]:
    """``--store`` for an external store with credentials: the built corpus and its
    manifest graph, served by jtkg on 127.0.0.1."""
    location = StoreLocation(store)
    manifest = location.manifest()
    assert manifest is not None
    graph = ox.NamedNode(MANIFEST_GRAPH)
    with location.next_generation() as generation:
        record = ox.Literal(manifest.to_json())
        generation.store.add(ox.Quad(graph, ox.NamedNode(MANIFEST_PROPERTY), record, graph))
    app = create_app({"STORE": store})
    try:
        with serving(app) as url:
            host = url.removeprefix("http://")
            yield f"sparql+http://{USER}:{PASSWORD}@{host}/sparql?mirror={tmp_path / 'mirror'}"
    finally:
        app.extensions["jtkg.queries"].close()


def _shown(response) -> str:  # type: ignore[no-untyped-def]
    return f"{response.status} {list(response.headers.items())} {response.get_data(as_text=True)}"


def test_the_server_never_shows_the_external_stores_password(
    external: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []
    dead = f"sparql+http://{USER}:{PASSWORD}@127.0.0.1:{free_port()}/sparql"
    for store in (external, dead):
        app = create_app({"STORE": store, "QUERY_WORKERS": 1, "UPDATE_TOKEN": "t0ken"})
        handle = app.extensions["jtkg.store"]
        try:
            client = app.test_client()
            for path in (
                "/",
                "/sparql",
                "/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D",
                "/sparql?query=SELEC",
                "/void",
                "/id/person/madoka-fukuda",
                "/id/person/nobody-at-all",
                "/query",
                "/rdf-graphs?default",
                "/dumps/nothing-by-this-name",
            ):
                response = client.get(path, headers={"Accept": "*/*"})
                seen.append(f"{store == dead} {path} {_shown(response)}")
            for auth in ("", "Bearer t0ken"):
                response = client.post(
                    "/update",
                    data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"},
                    headers={"Authorization": auth},
                )
                seen.append(f"update {_shown(response)}")
            try:  # what the query workers are handed for every request
                seen.append(handle.generation_path())
            except Exception as exc:  # the dead store: its one-line reason
                seen.append(str(exc))
            seen.append(repr(handle.location.__dict__))
        finally:
            app.extensions["jtkg.queries"].close()
    text = "\n".join(seen) + "\n" + caplog.text
    assert " / 200 " in text and "true" in text  # the external store was really read
    assert " / 503 " in text  # and the dead one really failed
    assert PASSWORD not in text


def _printed(result: Result) -> str:
    try:
        return result.output + result.stderr
    except ValueError:  # an older click mixes stderr into output
        return result.output


def test_the_commands_never_print_the_external_stores_password(
    external: str, runner: CliRunner, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    dead = f"sparql+http://127.0.0.1:{free_port()}/sparql?mirror={tmp_path / 'dead'}"
    runs = [
        (["query", "ASK { ?s ?p ?o }", "--store", external], {}),
        (["export", "--graph", MANIFEST_GRAPH, "-o", str(tmp_path / "out.nt"), "--store", external], {}),
        (["build", "--store", external], {}),  # the external store refuses the write
        (["doctor", "--store", external], {}),
        (["push", "--store", external], {}),
        (["retired", "--store", external], {}),
        (["query", "ASK {}", "--store", external.replace("?mirror=", "?colour=red&mirror=")], {}),
        (["query", "ASK {}", "--store", external.replace("?mirror=", "?auth=kerberos&mirror=")], {}),
        (["query", "ASK {}", "--store", dead], {"JTKG_STORE_USER": USER, "JTKG_STORE_PASSWORD": PASSWORD}),
    ]
    printed = []
    for args, env in runs:
        result = runner.invoke(main, args, env=env)
        printed.append(f"{args[0]} {result.exit_code} {_printed(result)}")
        if result.exception and not isinstance(result.exception, SystemExit):
            printed.append(repr(result.exception))
    text = "\n".join(printed) + caplog.text
    assert printed[0].startswith("query 0 ") and "true" in printed[0]  # it really read the store
    assert all(not line.startswith(("build 0", "query 0 ", "push 0")) for line in printed[2:])
    assert PASSWORD not in text
