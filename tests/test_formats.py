"""The one table of formats (graph/formats.py): each name means one thing in the CLI and over
HTTP, and a format that cannot carry the answer is one line naming those that can."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from jtkg.graph import formats
from jtkg.graph.formats import FORMATS, RESULTS, for_media_type, for_suffix, lookup
from jtkg.graph.rdf_input import RdfInputError, parse_rdf
from jtkg.server.app import create_app
from jtkg.server.cli import main

SELECT = "SELECT ?s WHERE { ?s a <https://w3id.org/jtkg/ontology#State> } ORDER BY ?s LIMIT 3"
CONSTRUCT = (
    "CONSTRUCT { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } WHERE "
    "{ ?s a <https://w3id.org/jtkg/ontology#State> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
)
README = Path(__file__).resolve().parents[1] / "README.md"
#: Every name of the table with its format: the one name and each alias.
NAMES = [(name, f) for f in FORMATS for name in (f.name, *f.aliases)]


@pytest.fixture(scope="module")
def http(built_store: Path) -> Iterator:  # type: ignore[type-arg]
    """A client of an app over the built store, shared by this module (it only reads)."""
    app = create_app({"STORE": built_store, "TESTING": True})
    yield app.test_client()
    app.extensions["jtkg.queries"].close()


def _cli(built_store: Path, *args: str) -> tuple[int, bytes]:
    result = CliRunner().invoke(main, [*args, "--store", str(built_store)])
    return result.exit_code, result.stdout_bytes + result.stderr_bytes


def _same_content(fmt: formats.Format, one: bytes, other: bytes) -> bool:
    """Byte-equal, but for JSON-LD, compared as RDF (a graph's terms, not its text)."""
    if fmt.name != "jsonld":
        return one.rstrip(b"\n") == other.rstrip(b"\n")
    return set(parse_rdf(one, fmt)) == set(parse_rdf(other, fmt)) != set()


# ------------------------------------------------------------------ the table itself


def test_every_name_alias_media_type_and_ending_names_one_format() -> None:
    for name, fmt in NAMES:
        assert lookup(name) is fmt and lookup(name.upper()) is fmt
    for fmt in FORMATS:
        assert lookup(fmt.media_type) is fmt  # the canonical media type names its format
        if fmt.rdf is not None:  # and it is the one Oxigraph gives that syntax
            assert fmt.rdf.media_type == fmt.media_type
            assert all(for_suffix(f"data{ext}") is fmt for ext in fmt.extensions)
            assert all(for_media_type(f"{m}; charset=utf-8") is fmt for m in fmt.media_types)
        if fmt.results is not None:
            assert fmt.results.media_type.split(";")[0] == fmt.media_type
    # A name used for two things is the bug this table removes.
    assert lookup("xml").name == "xml" and RESULTS in lookup("xml").carries
    assert lookup("rdfxml").rdf == ox.RdfFormat.RDF_XML and lookup("json").name == "json"


def test_readme_table_matches_the_code() -> None:
    text = README.read_text(encoding="utf-8")
    table = formats.markdown_table()
    assert table in text, "README's formats table differs from graph/formats.markdown_table()"


# ------------------------------------------------------------------ the same in CLI and HTTP


@pytest.mark.parametrize(("name", "fmt"), NAMES, ids=[n for n, _ in NAMES])
def test_each_name_means_the_same_in_the_cli_and_over_http(http, built_store: Path, name: str, fmt) -> None:  # type: ignore[no-untyped-def]
    fits, misfit = (SELECT, CONSTRUCT) if RESULTS in fmt.carries else (CONSTRUCT, SELECT)
    response = http.get("/sparql", query_string={"query": fits, "format": name})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == fmt.media_type
    code, output = _cli(built_store, "query", fits, "--format", name)
    assert code == 0, output
    assert _same_content(fmt, response.data, output)
    # The other kind of query: the same one line from both, naming formats that can carry it.
    refused = http.get("/sparql", query_string={"query": misfit, "format": name})
    line = refused.get_data(as_text=True).strip()
    assert refused.status_code == 406 and "carries only" in line and "use one of" in line
    code, output = _cli(built_store, "query", misfit, "--format", name)
    assert code == 2 and output.decode().strip().endswith(line)  # bad input, as over HTTP


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f.rdf is not None], ids=lambda f: f.name)
def test_every_rdf_format_exports_and_reads_back(built_store: Path, tmp_path: Path, fmt) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / f"export{fmt.extensions[0]}"
    code, output = _cli(built_store, "export", "--format", fmt.name, "-o", str(out))
    assert code == 0, output
    quads = parse_rdf(out.read_bytes(), for_suffix(out.name))  # the ending reads it back
    named = {q.graph_name for q in quads} - {ox.DefaultGraph()}
    assert len(quads) > 20000
    assert bool(named) == fmt.keeps_graphs  # graph names kept exactly where the table says


# ------------------------------------------------------------------ the two cases of the issue


def test_xml_is_sparql_results_xml_everywhere(http, built_store: Path) -> None:  # type: ignore[no-untyped-def]
    code, output = _cli(built_store, "export", "--format", "xml")
    assert code == 2
    line = output.decode().strip().splitlines()[-1]
    assert "xml carries only query results" in line and "rdfxml" in line
    code, output = _cli(built_store, "query", SELECT, "--format", "xml")
    assert code == 0 and b"sparql-results#" in output
    code, output = _cli(built_store, "export", "--format", "rdfxml")
    assert code == 0 and b"<rdf:RDF" in output


def test_csv_for_a_construct_says_which_formats_can(http, built_store: Path) -> None:  # type: ignore[no-untyped-def]
    response = http.get("/sparql", query_string={"query": CONSTRUCT, "format": "csv"})
    line = response.get_data(as_text=True)
    assert response.status_code == 406 and line.count("\n") == 1
    assert "unknown format" not in line
    assert re.search(
        r"csv carries only query results .*use one of turtle, ntriples, n3, rdfxml, jsonld", line
    )
    code, output = _cli(built_store, "query", CONSTRUCT, "--format", "csv")
    assert code == 2 and line.strip() in output.decode()


def test_sparqlwrappers_format_parameter_gives_way_to_its_accept_header(http) -> None:  # type: ignore[no-untyped-def]
    """SPARQLWrapper sends format=xml with Accept: application/rdf+xml for a CONSTRUCT."""
    response = http.get(
        "/sparql",
        query_string={"query": CONSTRUCT, "format": "xml"},
        headers={"Accept": "application/rdf+xml"},
    )
    assert response.status_code == 200 and response.mimetype == "application/rdf+xml"


def test_service_description_lists_every_format_of_the_table(http) -> None:  # type: ignore[no-untyped-def]
    body = http.get("/sparql", headers={"Accept": "application/n-triples"}).get_data(as_text=True)
    listed = set(re.findall(r"<http://www\.w3\.org/ns/formats/([^>]+)>", body))
    assert listed == {f.w3c for f in FORMATS}


def test_jsonld_is_compacted_and_the_same_bytes_each_time(http) -> None:  # type: ignore[no-untyped-def]
    response = http.get(
        "/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": "application/ld+json"}
    )
    document = json.loads(response.data)
    assert document["@context"] == formats.published_context()
    again = http.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": "application/ld+json"})
    assert again.data == response.data


def test_n3_reads_its_rdf_subset_and_refuses_formulas() -> None:
    n3 = lookup("n3")
    assert for_suffix("rules.n3") is n3 and for_media_type("text/rdf+n3") is n3
    assert len(parse_rdf(b"<http://a.example/s> <http://a.example/p> 1 .", n3)) == 1
    with pytest.raises(RdfInputError, match="formulas"):
        parse_rdf(b"{ <http://a.example/s> <http://a.example/p> 1 } => { <http://a.example/s> a 2 } .", n3)


def test_construct_turtle_has_prefixes_and_one_block_per_subject(oxstore) -> None:  # type: ignore[no-untyped-def]
    from jtkg.server.sparql import execute

    query = "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c FILTER(isIRI(?s)) }"
    body = execute(oxstore, query, "text/turtle").body.decode()
    assert "@prefix jt: <https://w3id.org/jtkg/ontology#> ." in body and " jt:Person" in body
    subjects = [
        line.split(" ", 1)[0]
        for line in body.splitlines()
        if line and not line[0].isspace() and not line.startswith("@prefix")
    ]
    assert len(subjects) == len(set(subjects)) > 100  # sorted: each subject's facts together
    assert execute(oxstore, query, "text/turtle").body.decode() == body
