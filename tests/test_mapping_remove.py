"""`jtkg remove --mapping NAME`: a user's mapping set taken out through the change pipeline,
its translations withdrawn with their inferences exactly; bundled sets and unknown names
refused in one line."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from jtkg.graph.change import Change, commit
from jtkg.graph.mapping_sets import MAPPINGS_PREFIX, graph_of, set_triples
from jtkg.graph.mappings import MappingSet
from jtkg.graph.store import StoreLocation, to_ox
from jtkg.server.cli import main

HEADER = """# curie_map:
#   jt: https://w3id.org/jtkg/ontology#
#   skos: http://www.w3.org/2004/02/skos/core#
#   semapv: https://w3id.org/semapv/vocab/
#   schema: http://schema.org/
#   ex: https://example.org/vocab/
# mapping_set_id: https://example.org/mappings/{name}
# license: https://creativecommons.org/licenses/by/4.0/
subject_id\tpredicate_id\tobject_id\tmapping_justification\tconfidence\tcomment
"""
JUST = "semapv:ManualMappingCuration"
GRAPH = "https://example.org/graphs/meetings"
DATA = """@prefix ex: <https://example.org/vocab/> .
@prefix schema: <http://schema.org/> .
<https://example.org/m/p1> a schema:Person ; schema:name "Aiko Mori"@en ;
    ex:attended <https://example.org/m/e1> ;
    ex:worksAt <https://example.org/m/kpi> .
<https://example.org/m/e1> a ex:Meeting ; schema:name "Harbour Dialogue"@en ;
    schema:attendee <https://example.org/m/p2> .
<https://example.org/m/p2> a schema:Person ; schema:name "Ren Ito"@en .
<https://example.org/m/e2> a ex:Meeting ; schema:name "Tide Talks"@en .
<https://example.org/m/kpi> a schema:Organization ; schema:name "Kuroshio Policy Institute"@en .
"""
JT = "https://w3id.org/jtkg/ontology#"


def row(*cells: str) -> str:
    return "\t".join(cells) + "\n"


def write_set(folder: Path, name: str, *rows: str) -> Path:
    path = folder / f"{name}.sssom.tsv"
    path.write_text(HEADER.format(name=name) + "".join(rows), encoding="utf-8")
    return path


def nquads(store: Path) -> list[str]:
    """Every quad of every graph (inferred included), sorted: the store as N-Quads."""
    return sorted(str(q) for q in StoreLocation(store).open())


def index(store: Path) -> list[tuple[str, ...]]:
    """The inferred index (which source supports which inferred triple), sorted."""
    folder = store / str(StoreLocation(store).current_generation())
    with sqlite3.connect(folder / "inferred.sqlite") as db:
        return sorted(db.execute("SELECT doc, s, p, o FROM inferred"))


def ask(store: Path, query: str) -> bool:
    result = StoreLocation(store).open().query(f"ASK {{ {query} }}", use_default_graph_as_union=True)
    assert isinstance(result, ox.QueryBoolean)
    return bool(result)


@pytest.fixture(scope="module")
def imported(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled store with one foreign graph imported, no user set: a store that never
    had one."""
    store = tmp_path_factory.mktemp("never") / "store"
    shutil.copytree(built_store, store)
    data = store.parent / "meetings.ttl"
    data.write_text(DATA, encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(data), "--graph", GRAPH, "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store


@pytest.fixture
def copy(imported: Path, tmp_path: Path) -> Path:
    store = tmp_path / "store"
    shutil.copytree(imported, store)
    return store


ATTENDED = f"<https://example.org/m/p1> <{JT}participatedIn> <https://example.org/m/e1>"
#: A meeting that only the user's class row makes an event (e1 is one by schema:attendee).
EVENT = f"<https://example.org/m/e2> a <{JT}Event>"
WORKS = f"<https://example.org/m/p1> <{JT}affiliatedWith> <https://example.org/m/kpi>"
BUNDLED = f"<https://example.org/m/e1> <{JT}participant> <https://example.org/m/p2>"


def test_add_then_remove_is_a_store_that_never_had_the_set(
    runner: CliRunner, imported: Path, copy: Path, tmp_path: Path
) -> None:
    never, never_index = nquads(imported), index(imported)
    mine = write_set(
        tmp_path,
        "mine",
        row("ex:Meeting", "skos:exactMatch", "jt:Event", JUST, "0.9", "a meeting"),
        row("ex:attended", "skos:exactMatch", "jt:participatedIn", JUST, "0.9", "who went"),
        # A row the bundled schema.org set has too: what it translates stays after removal.
        row("schema:attendee", "skos:exactMatch", "jt:participant", JUST, "0.9", "also bundled"),
    )
    result = runner.invoke(main, ["import", "--mapping", str(mine), "--store", str(copy)])
    assert result.exit_code == 0, result.output
    assert ask(copy, ATTENDED) and ask(copy, EVENT)
    # participatedIn's inverse, reasoned from the translation, is in the inferred graph.
    assert ask(
        copy,
        f"GRAPH <https://w3id.org/jtkg/graph/inferred> {{ <https://example.org/m/e1> <{JT}participant> <https://example.org/m/p1> }}",
    )
    result = runner.invoke(
        main, ["remove", "--mapping", "https://example.org/mappings/mine", "--store", str(copy)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("removed mapping set https://example.org/mappings/mine; published ")
    assert "translated " in result.output  # every imported graph translated again
    assert not ask(copy, ATTENDED) and not ask(copy, EVENT)
    assert ask(copy, BUNDLED)  # the bundled set's translation of schema:attendee stays
    assert nquads(copy) == never
    assert index(copy) == never_index  # and who supports each inferred triple, too
    listed = runner.invoke(main, ["mappings", "--store", str(copy)]).output
    assert "https://example.org/mappings/mine" not in listed


def test_removing_one_of_two_sets_leaves_the_others_translations(
    runner: CliRunner, imported: Path, copy: Path, tmp_path: Path
) -> None:
    meetings = write_set(
        tmp_path, "meetings", row("ex:Meeting", "skos:exactMatch", "jt:Event", JUST, "1", "")
    )
    work = write_set(
        tmp_path, "work", row("ex:worksAt", "skos:narrowMatch", "jt:affiliatedWith", JUST, "1", "")
    )
    # What the store holds with only the work set: the comparison for removing the other.
    only_work = tmp_path / "only-work"
    shutil.copytree(imported, only_work)
    assert runner.invoke(main, ["import", "--mapping", str(work), "--store", str(only_work)]).exit_code == 0
    for path in (meetings, work):
        result = runner.invoke(main, ["import", "--mapping", str(path), "--store", str(copy)])
        assert result.exit_code == 0, result.output
    assert ask(copy, EVENT) and ask(copy, WORKS)
    # Named by the file it was imported from.
    result = runner.invoke(main, ["remove", "--mapping", "meetings.sssom.tsv", "--store", str(copy)])
    assert result.exit_code == 0, result.output
    assert not ask(copy, EVENT) and ask(copy, WORKS)
    assert nquads(copy) == nquads(only_work)
    assert index(copy) == index(only_work)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        (
            "https://w3id.org/jtkg/mappings/schema-org",
            "https://w3id.org/jtkg/mappings/schema-org is a bundled mapping set (ontology/mappings); "
            "it cannot be removed",
        ),
        ("wikidata", "wikidata is a bundled mapping set"),
        ("w3c-org.sssom.tsv", "w3c-org.sssom.tsv is a bundled mapping set"),
        (
            "https://example.org/mappings/none",
            "no mapping set https://example.org/mappings/none in the store",
        ),
    ],
)
def test_a_bundled_or_unknown_set_is_one_line_exit_1_nothing_changed(
    runner: CliRunner, copy: Path, name: str, reason: str
) -> None:
    generation = StoreLocation(copy).current_generation()
    result = runner.invoke(main, ["remove", "--mapping", name, "--store", str(copy)])
    assert result.exit_code == 1, result.output
    assert result.output.count("\n") == 1 and reason in result.output, result.output
    assert StoreLocation(copy).current_generation() == generation


def test_two_sets_from_one_file_name_need_the_id(runner: CliRunner, copy: Path, tmp_path: Path) -> None:
    for folder, name in (("a", "first"), ("b", "second")):
        (tmp_path / folder).mkdir()
        path = write_set(
            tmp_path / folder, name, row("ex:Meeting", "skos:exactMatch", "jt:Event", JUST, "1", "")
        )
        path = path.rename(path.with_name("mine.sssom.tsv"))
        assert runner.invoke(main, ["import", "--mapping", str(path), "--store", str(copy)]).exit_code == 0
    generation = StoreLocation(copy).current_generation()
    result = runner.invoke(main, ["remove", "--mapping", "mine.sssom.tsv", "--store", str(copy)])
    assert result.exit_code == 2, result.output
    assert result.output.count("\n") == 1 and "mine.sssom.tsv names 2 mapping sets" in result.output
    assert StoreLocation(copy).current_generation() == generation
    result = runner.invoke(
        main, ["remove", "--mapping", "https://example.org/mappings/first", "--store", str(copy)]
    )
    assert result.exit_code == 0, result.output
    graphs = {
        g.value for g in StoreLocation(copy).open().named_graphs() if g.value.startswith(MAPPINGS_PREFIX)
    }
    assert len(graphs) == 1


def test_a_stored_set_that_no_longer_loads_can_still_be_removed(runner: CliRunner, copy: Path) -> None:
    """A set the ontology has since outgrown is skipped when the sets load; it is named
    from its graph, so it can still be taken out."""
    stale = MappingSet(
        "https://example.org/mappings/stale", "stale.sssom.tsv", [], license="https://example.org/l"
    )
    target = ox.NamedNode(graph_of(stale.id))
    quads = [
        ox.Quad(*map(to_ox, t), target) for t in set_triples(stale, "not an SSSOM file", "stale.sssom.tsv")
    ]
    before = nquads(copy)
    commit(StoreLocation(copy), Change("replace", graph=target, quads=quads))
    assert "stale" not in runner.invoke(main, ["mappings", "--store", str(copy)]).output
    result = runner.invoke(main, ["remove", "--mapping", "stale.sssom.tsv", "--store", str(copy)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("removed mapping set https://example.org/mappings/stale")
    assert nquads(copy) == before


PARTY = """@prefix ex: <https://example.org/vocab/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/pp/kmt> a ex:Party ; rdfs:label "Kuomintang"@en .
"""
KMT_LINK = (
    "GRAPH <https://w3id.org/jtkg/graph/links> { <https://w3id.org/jtkg/id/institution/kuomintang> "
    "<http://www.w3.org/2002/07/owl#sameAs> <https://example.org/pp/kmt> }"
)


def test_in_a_linked_store_links_follow_the_set(runner: CliRunner, built_store: Path, tmp_path: Path) -> None:
    """A set's class row makes a foreign type agree with one of ours, so a name now links
    (untyped, "Kuomintang" stays under the threshold); the link comes with the set and goes
    with it, and the store is again what it was."""
    store = tmp_path / "store"
    shutil.copytree(built_store, store)
    data = tmp_path / "party.ttl"
    data.write_text(PARTY, encoding="utf-8")
    graph = "https://example.org/graphs/pp"
    assert runner.invoke(main, ["import", str(data), "--graph", graph, "--store", str(store)]).exit_code == 0
    assert runner.invoke(main, ["link", "--store", str(store)]).exit_code == 0
    assert not ask(store, KMT_LINK)
    before, before_index = nquads(store), index(store)
    party = write_set(
        tmp_path, "party", row("ex:Party", "skos:broadMatch", "jt:Institution", JUST, "0.9", "a party")
    )
    result = runner.invoke(main, ["import", "--mapping", str(party), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert "links kept current (threshold 0.8): 1 added, 0 dropped" in result.output
    assert ask(store, KMT_LINK)
    result = runner.invoke(main, ["remove", "--mapping", "party.sssom.tsv", "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert "links kept current (threshold 0.8): 0 added, 1 dropped" in result.output
    assert nquads(store) == before
    assert index(store) == before_index
