"""The W3C SPARQL 1.1 Protocol and Service Description test manifests, driven over HTTP
against a running server. The manifests are read in place from ../shared/w3c-sparql11
(never copied into the project); without that folder these tests skip.

Every request of the protocol manifest is sent to a live server (waitress on 127.0.0.1) with
its method, headers, body and character encoding; requests whose path starts with
``/sparql/`` go to ``/sparql`` for queries and ``/update`` for updates (the manifest allows
separate endpoints). Updates carry the server's bearer token. ``ut:graphData`` is loaded
through the Graph Store Protocol before a test.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection

from jtkg.graph.store import StoreLocation
from jtkg.server.app import create_app
from tests.conftest import SHARED, serving

SUITE = SHARED / "w3c-sparql11"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
TOKEN = "w3c-protocol-tests"
RESULT_TYPES = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
RDF_TYPES = {
    "application/rdf+xml",
    "text/turtle",
    "application/n-triples",
    "text/html",
    "application/xhtml+xml",
}


def _manifest(name: str) -> tuple[Graph, list[URIRef]]:
    path = SUITE / name / "manifest.ttl"
    if not path.exists():
        pytest.skip(f"the W3C manifests are not here ({SUITE}); they live in ../shared")
    graph = Graph().parse(path, publicID=path.as_uri())
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    entries = Collection(graph, graph.value(manifest, MF.entries))
    return graph, [URIRef(e) for e in entries]


def _ids(name: str) -> list[str]:
    path = SUITE / name / "manifest.ttl"
    if not path.exists():
        return ["absent"]
    _, entries = _manifest(name)
    return [str(e).rsplit("#", 1)[-1] for e in entries]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over an empty store of its own (the tests CLEAR ALL), writes allowed."""
    path = tmp_path_factory.mktemp("w3c") / "store"
    with StoreLocation(path).next_generation(fresh=True):
        pass
    app = create_app({"STORE": path, "UPDATE_TOKEN": TOKEN})
    with serving(app) as url:
        yield url
    app.extensions["jtkg.queries"].close()


def _send(
    base: str, method: str, path: str, headers: dict[str, str], body: bytes | None
) -> tuple[int, str, bytes]:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        connection.close()


def _is_update(path: str, headers: dict[str, str], body: bytes | None) -> bool:
    content_type = headers.get("content-type", "")
    query_string = path.partition("?")[2]
    return (
        "sparql-update" in content_type
        or (body or b"").startswith(b"update=")
        or "using-graph-uri" in query_string
        or "using-named-graph-uri" in query_string
    )


def _load_graph_data(graph: Graph, test: URIRef, base: str) -> None:
    for data in graph.objects(test, UT.graphData):
        source = Path(urlsplit(str(graph.value(data, UT.graph))).path)
        name = str(graph.value(data, RDFS.label))
        status, _, body = _send(
            base,
            "PUT",
            f"/rdf-graphs?graph={name}",
            {"Content-Type": "application/n-triples", "Authorization": f"Bearer {TOKEN}"},
            source.read_bytes(),
        )
        assert status in (201, 204), body


def _expected_statuses(graph: Graph, response: URIRef) -> set[int]:
    return {
        int(str(code).rsplit("StatusCode", 1)[-1][0]) for code in graph.objects(response, MF.expectedStatus)
    }


def _boolean(content_type: str, body: bytes) -> bool:
    if "json" in content_type:
        return bool(json.loads(body)["boolean"])
    root = ElementTree.fromstring(body)
    element = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert element is not None and element.text is not None
    return element.text.strip() == "true"


@pytest.mark.parametrize("test_id", _ids("protocol"))
def test_protocol(server: str, test_id: str) -> None:
    graph, entries = _manifest("protocol")
    test = next(e for e in entries if str(e).endswith("#" + test_id))
    _load_graph_data(graph, test, server)
    action = graph.value(test, MF.action)
    for request in Collection(graph, graph.value(action, HT.requests)):
        method = str(graph.value(request, HT.methodName))
        path = str(graph.value(request, HT.absolutePath))
        headers = {
            str(graph.value(h, HT.fieldName)).lower(): str(graph.value(h, HT.fieldValue))
            for h in Collection(graph, graph.value(request, HT.headers) or RDF.nil)
        }
        content = graph.value(request, HT.body)
        body = None
        if content is not None:
            encoding = str(graph.value(content, CNT.characterEncoding) or "UTF-8")
            body = str(graph.value(content, CNT.chars)).encode(encoding)
        endpoint = "/update" if _is_update(path, headers, body) else "/sparql"
        path = endpoint + path[len("/sparql/") :] if path.startswith("/sparql/") else path
        if endpoint == "/update":
            headers["authorization"] = f"Bearer {TOKEN}"
        status, content_type, answer = _send(server, method, path, headers, body)
        response = graph.value(request, HT.resp)
        assert status // 100 in _expected_statuses(graph, response), (status, answer[:300])
        media_type = content_type.split(";")[0].strip()
        expected_format = graph.value(response, MF.expectedFormat)
        if expected_format is not None:
            allowed = RDF_TYPES if str(expected_format) == "RDF" else RESULT_TYPES
            assert media_type in allowed, media_type
        expected_boolean = graph.value(response, MF.expectedBoolean)
        if expected_boolean is not None:
            assert _boolean(media_type, answer) is expected_boolean.toPython(), answer


def _service_description(server: str) -> tuple[int, str, Graph]:
    status, content_type, body = _send(server, "GET", "/sparql", {"Accept": "text/turtle"}, None)
    return status, content_type, Graph().parse(data=body.decode(), format="turtle")


@pytest.mark.parametrize("test_id", _ids("service-description"))
def test_service_description(server: str, test_id: str) -> None:
    _manifest("service-description")
    status, content_type, description = _service_description(server)
    assert status == 200
    if test_id == "returns-rdf":
        assert content_type.split(";")[0] in RDF_TYPES and len(description) > 0
    elif test_id == "has-endpoint-triple":
        assert (None, SD.endpoint, URIRef(server + "/sparql")) in description
    elif test_id == "conforms-to-schema":
        _check_schema(description)
    else:  # pragma: no cover - a new test in the manifest needs a check here
        pytest.fail(f"no check written for {test_id}")


def _check_schema(description: Graph) -> None:
    """SPARQL 1.1 Service Description §3: the terms' domains and ranges hold."""
    services = set(description.subjects(RDF.type, SD.Service))
    assert services
    languages = {SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update}
    for service in services:
        assert set(description.objects(service, SD.endpoint))
        assert set(description.objects(service, SD.supportedLanguage)) <= languages
        assert set(description.objects(service, SD.supportedLanguage))
        for dataset in description.objects(service, SD.defaultDataset):
            assert (dataset, RDF.type, SD.Dataset) in description
            for named in description.objects(dataset, SD.namedGraph):
                assert (named, RDF.type, SD.NamedGraph) in description
                assert isinstance(description.value(named, SD.name), URIRef)
            for default in description.objects(dataset, SD.defaultGraph):
                assert (default, RDF.type, SD.Graph) in description
