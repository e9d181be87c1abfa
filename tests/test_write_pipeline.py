"""The change pipeline (graph/change.py): every kind of write keeps the inferred graph what a
full build of the same sources derives, to the quad; refusals leave everything as it was."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from jtkg.graph.build import build, bundled_corpus
from jtkg.graph.change import Change, touched
from jtkg.graph.derive import DEFAULT
from jtkg.graph.store import StoreLocation
from jtkg.server.app import create_app
from jtkg.server.cli import main

TOKEN = "pipeline-token"
JT = "https://w3id.org/jtkg/ontology#"
MANUAL = "https://w3id.org/jtkg/graph/manual"
INFERRED = "https://w3id.org/jtkg/graph/inferred"
PERSON = "https://w3id.org/jtkg/id/person/x-example"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: What every extracted person is besides jt:Person (jtkg.ttl's alignments).
ALIGNED = (
    f"{JT}Actor",
    "http://xmlns.com/foaf/0.1/Person",
    "http://schema.org/Person",
    "http://www.w3.org/ns/prov#Agent",
)
INSERT = f'INSERT DATA {{ GRAPH <{MANUAL}> {{ <{PERSON}> a <{JT}Person> ; <{LABEL}> "X Example"@en }} }}'
TURTLE = f'<{PERSON}> a <{JT}Person> ; <{LABEL}> "X Example"@en .\n'


def documents() -> list[Path]:
    return bundled_corpus()[:2]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two bundled documents, built once; copy before changing it."""
    path = tmp_path_factory.mktemp("small") / "store"
    result = build(documents(), StoreLocation(path), workers=1)
    assert result.published, result.report()
    return path


@pytest.fixture
def store(small: Path, tmp_path: Path) -> Path:
    target = tmp_path / "store"
    shutil.copytree(small, target)
    return target


@pytest.fixture
def client(store: Path) -> Iterator:  # type: ignore[type-arg]
    app = create_app({"STORE": store, "UPDATE_TOKEN": TOKEN})
    yield app.test_client()
    app.extensions["jtkg.queries"].close()


def quads(path: Path) -> set[tuple[str, str, str, str]]:
    """Every quad of the published generation (no write here makes blank nodes)."""
    return {
        (str(q.subject), str(q.predicate), str(q.object), str(q.graph_name))
        for q in StoreLocation(path).open().quads_for_pattern(None, None, None, None)
    }


def rebuilt(path: Path, tmp_path: Path) -> set[tuple[str, str, str, str]]:
    """The quads of a full build of the same sources: the same documents, and the user
    graphs of ``path`` (which a build keeps and re-derives)."""
    copy = tmp_path / "rebuilt"
    shutil.copytree(path, copy)
    result = build(documents(), StoreLocation(copy), workers=1)
    assert result.published, result.report()
    return quads(copy)


def inferred_types(path: Path, node: str) -> set[str]:
    rows = (
        StoreLocation(path)
        .open()
        .quads_for_pattern(ox.NamedNode(node), ox.NamedNode(TYPE), None, ox.NamedNode(INFERRED))
    )
    return {q.object.value for q in rows}


def update(client, text: str) -> int:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    response = client.post("/update", data=text, headers=headers)
    return int(response.status_code)


def gsp(client, method: str, body: str = "") -> int:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/turtle"}
    response = client.open("/graph/manual", method=method, data=body, headers=headers)
    return int(response.status_code)


def test_an_insert_is_reasoned_like_a_document_and_equals_a_rebuild(
    client, store: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    assert update(client, INSERT) == 204
    assert set(ALIGNED) <= inferred_types(store, PERSON)
    assert quads(store) == rebuilt(store, tmp_path)


def test_a_delete_takes_its_inferences_away_and_equals_a_rebuild(client, store: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert update(client, INSERT) == 204
    assert update(client, f"DELETE DATA {{ GRAPH <{MANUAL}> {{ <{PERSON}> a <{JT}Person> }} }}") == 204
    assert inferred_types(store, PERSON) == set()
    assert quads(store) == rebuilt(store, tmp_path)


def test_a_delete_where_over_a_variable_graph_is_found_by_comparison(
    client, store: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    assert update(client, INSERT) == 204
    text = f"DELETE {{ GRAPH ?g {{ ?s a <{JT}Person> }} }} WHERE {{ GRAPH ?g {{ ?s a <{JT}Person> }} FILTER(?g = <{MANUAL}>) }}"
    assert update(client, text) == 204
    assert inferred_types(store, PERSON) == set()
    assert quads(store) == rebuilt(store, tmp_path)


def test_graph_store_put_post_delete_equal_a_rebuild(client, store: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert gsp(client, "PUT", TURTLE) == 201
    assert set(ALIGNED) <= inferred_types(store, PERSON)
    assert quads(store) == rebuilt(store, tmp_path / "put")
    institution = "https://w3id.org/jtkg/id/institution/x-example-institute"
    replacement = f'<{institution}> a <{JT}Institution> ; <{LABEL}> "X Example Institute"@en .\n'
    assert gsp(client, "PUT", replacement) == 204  # replaces the person
    assert inferred_types(store, PERSON) == set() and f"{JT}Actor" in inferred_types(store, institution)
    assert quads(store) == rebuilt(store, tmp_path / "replace")
    assert gsp(client, "POST", TURTLE) == 204  # adds the person again
    assert set(ALIGNED) <= inferred_types(store, PERSON)
    assert quads(store) == rebuilt(store, tmp_path / "post")
    assert gsp(client, "DELETE") == 204
    assert inferred_types(store, PERSON) == set() == inferred_types(store, institution)
    assert quads(store) == rebuilt(store, tmp_path / "delete")


def test_a_write_the_shapes_refuse_changes_nothing(client, store: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before, generation = quads(store), StoreLocation(store).current_generation()
    nameless = f"INSERT DATA {{ GRAPH <{MANUAL}> {{ <{PERSON}> a <{JT}Person> }} }}"
    assert update(client, nameless) == 422
    assert StoreLocation(store).current_generation() == generation and quads(store) == before
    assert before == rebuilt(store, tmp_path)


def test_a_second_label_on_a_document_entity_is_refused(client, store: Path) -> None:  # type: ignore[no-untyped-def]
    """Validation reaches what the store says about the nodes a write names (their labels
    from the documents), not only the written graph."""
    rows = (
        StoreLocation(store)
        .open()
        .query(
            f"SELECT ?s WHERE {{ GRAPH ?g {{ ?s a <{JT}Person> ; <{LABEL}> ?l }} "
            f"FILTER(STRSTARTS(STR(?g), 'https://w3id.org/jtkg/graph/doc/')) }} LIMIT 1"
        )
    )
    person = next(iter(rows))["s"].value
    assert (
        update(client, f'INSERT DATA {{ GRAPH <{MANUAL}> {{ <{person}> <{LABEL}> "Someone Else"@en }} }}')
        == 422
    )


@pytest.mark.parametrize(
    "text",
    [
        f"INSERT DATA {{ GRAPH <{INFERRED}> {{ <{PERSON}> a <{JT}Actor> }} }}",
        "CLEAR GRAPH <https://w3id.org/jtkg/graph/registry>",
        "DROP ALL",
        "DELETE WHERE { GRAPH <https://w3id.org/jtkg/graph/ontology> { ?s ?p ?o } }",
    ],
)
def test_writes_into_graphs_the_build_owns_are_refused(client, store: Path, text: str) -> None:  # type: ignore[no-untyped-def]
    generation = StoreLocation(store).current_generation()
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/sparql-update"}
    response = client.post("/update", data=text, headers=headers)
    assert response.status_code == 403
    line = response.get_data(as_text=True)
    assert "is written by the build; write into a graph of your own" in line and line.count("\n") <= 1
    assert StoreLocation(store).current_generation() == generation


def test_the_graphs_an_update_touches(store: Path) -> None:
    dataset = StoreLocation(store).open()
    named = {g.value for g in dataset.named_graphs()}

    def of(text: str) -> set[str] | None:
        return touched(Change("update", text=text), dataset)

    assert of(INSERT) == {MANUAL}
    assert of("INSERT DATA { <urn:x:s> <urn:x:p> 1 }") == {DEFAULT}
    assert of(
        "WITH <urn:x:w> DELETE { ?s ?p ?o } INSERT { GRAPH <urn:x:i> { ?s ?p 1 } } WHERE { ?s ?p ?o }"
    ) == {
        "urn:x:w",
        "urn:x:i",
    }
    assert of("MOVE <urn:x:a> TO DEFAULT ; COPY <urn:x:b> TO <urn:x:c> ; ADD DEFAULT TO <urn:x:d>") == {
        "urn:x:a",
        DEFAULT,
        "urn:x:c",
        "urn:x:d",
    }
    assert of("CLEAR NAMED") == named and of("DROP ALL") == named | {DEFAULT}
    assert of("DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }") is None  # compared


def test_build_keeps_imports_and_links_and_fresh_drops_them(store: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    foreign = tmp_path / "foreign.ttl"
    person = next(
        iter(
            StoreLocation(store)
            .open()
            .query(f"SELECT ?s ?l WHERE {{ GRAPH ?g {{ ?s a <{JT}Person> ; <{LABEL}> ?l }} }} LIMIT 1")
        )
    )
    foreign.write_text(
        f'<https://example.org/p1> a <http://schema.org/Person> ; <http://schema.org/name> "{person["l"].value}" ;\n'
        f'  <http://schema.org/jobTitle> "Fellow" .\n'
    )
    graph = "https://example.org/graphs/people"
    assert (
        runner.invoke(main, ["import", str(foreign), "--graph", graph, "--store", str(store)]).exit_code == 0
    )
    linked = runner.invoke(main, ["link", "--store", str(store)])
    assert linked.exit_code == 0, linked.output
    links = "https://w3id.org/jtkg/graph/links"
    assert StoreLocation(store).manifest().graphs.get(links)  # type: ignore[union-attr]
    before = quads(store)
    kept = runner.invoke(main, ["build", *map(str, documents()), "--store", str(store)])
    assert kept.exit_code == 0, kept.output
    assert quads(store) == before  # the import, the links and what they entail, all kept
    assert graph in kept.output
    fresh = runner.invoke(main, ["build", *map(str, documents()), "--fresh", "--store", str(store)])
    assert fresh.exit_code == 0, fresh.output
    assert f"dropped graph {graph}" in fresh.output
    assert f"dropped graph {links}" in fresh.output
    graphs = StoreLocation(store).manifest().graphs  # type: ignore[union-attr]
    assert graph not in graphs and links not in graphs
