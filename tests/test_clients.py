"""Real SPARQL clients against the server on a real socket (waitress on 127.0.0.1)."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.parse
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, SPARQLWrapper

CQ1 = (Path(__file__).parents[1] / "server" / "examples" / "cq01-webinar-participants.rq").read_text(
    encoding="utf-8"
)


def test_sparqlwrapper_select_and_construct(live_server: str) -> None:
    client = SPARQLWrapper(f"{live_server}/sparql")
    client.setQuery(CQ1)
    client.setReturnFormat(JSON)
    names = {row["name"]["value"] for row in client.query().convert()["results"]["bindings"]}
    assert "Madoka Fukuda" in names and len(names) == 5
    client.setReturnFormat(CSV)
    assert b"Hosei University" in client.query().convert()
    client.setQuery("CONSTRUCT WHERE { ?s a <https://w3id.org/jtkg/ontology#State> }")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert (URIRef("https://w3id.org/jtkg/id/state/japan"), None, None) in graph


def test_sparqlwrapper_post(live_server: str) -> None:
    client = SPARQLWrapper(f"{live_server}/sparql")
    client.setMethod("POST")
    client.setQuery("ASK { ?s a <https://w3id.org/jtkg/ontology#Person> }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True


def test_rdflib_sparqlstore(live_server: str) -> None:
    graph = Graph(store=SPARQLStore(f"{live_server}/sparql"))
    rows = list(
        graph.query(
            "SELECT ?name WHERE { ?p a <https://w3id.org/jtkg/ontology#Person> ; "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?name } ORDER BY ?name"
        )
    )
    assert "Lo Chih-cheng" in {str(r[0]) for r in rows}


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_gets_cq1_panelists_in_json(live_server: str) -> None:
    url = f"{live_server}/sparql?query={urllib.parse.quote(CQ1)}"
    out = subprocess.run(
        ["curl", "-sS", "-H", "Accept: application/sparql-results+json", url],
        check=True,
        capture_output=True,
        timeout=30,
    ).stdout
    names = {row["name"]["value"] for row in json.loads(out)["results"]["bindings"]}
    assert {"Madoka Fukuda", "Kayo Takuma", "Takahisa Kawaguchi", "Yuka Koshino", "Yuki Tatsumi"} == names


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_malformed_query_gets_400_line(live_server: str) -> None:
    out = subprocess.run(
        [
            "curl",
            "-sS",
            "-w",
            "%{http_code}",
            "--data-urlencode",
            "query=SELECT WHERE",
            f"{live_server}/sparql",
        ],
        check=True,
        capture_output=True,
        timeout=30,
    ).stdout.decode()
    assert out.endswith("400") and out.startswith("malformed query")


def test_sparqlwrapper_default_xml_construct_gets_rdfxml(live_server: str) -> None:
    """SPARQLWrapper's default (XML) sends format=xml with Accept: application/rdf+xml for a
    CONSTRUCT: `xml` is SPARQL results XML, so the explicit Accept decides (graph/formats.py)."""
    client = SPARQLWrapper(f"{live_server}/sparql")
    client.setQuery("CONSTRUCT WHERE { ?s a <https://w3id.org/jtkg/ontology#State> }")
    result = client.query()
    assert result.info()["content-type"].startswith("application/rdf+xml")
    graph = result.convert()
    assert (URIRef("https://w3id.org/jtkg/id/state/japan"), None, None) in graph
