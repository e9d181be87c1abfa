"""Linking that stays current (graph/relink.py) and translation limited to what changed:
after ingest, import and remove, a linked store's links and translations are what a store
built from scratch with the same inputs and one `jtkg link` has (N-Quads, inferred graph
included); a store never linked gets no links; the threshold and a review's decisions stay.
Linking by name order and never across disjoint types (graph/link.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from jtkg.graph import translation_publish as tp
from jtkg.graph.link import LINKS_GRAPH, orders, propose
from jtkg.graph.link_model import Link, best_per_pair
from jtkg.graph.link_store import stored
from jtkg.graph.store import StoreLocation
from jtkg.server.cli import main
from tests.test_translation import FOREIGN, GRAPHS, TSAI, quads

ID = "https://w3id.org/jtkg/id/"
HARUKA_THEIRS = "https://example.org/kuroshio/person/haruka-inoue"
NAMES = """@prefix wd: <http://www.wikidata.org/entity/> .
@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix schema: <http://schema.org/> .
<https://example.org/n/tsai> a schema:Person ; schema:name "Ing-wen Tsai" .
<https://example.org/n/ma> wdt:P31 wd:Q5 ; rdfs:label "Ma Ying-jeou"@en .
<https://example.org/n/not-japan> wdt:P31 wd:Q5 ; rdfs:label "Japan"@en ; owl:sameAs wd:Q17 .
<https://example.org/n/lai> a schema:Person ; schema:name "William Lai" .
"""


def run(store: Path, *args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--store", str(store)])
    assert result.exit_code == 0, result.output
    return result.output


def imported(store: Path, name: str) -> str:
    return run(store, "import", str(FOREIGN / name), "--graph", GRAPHS[name])


def pairs(store: Path) -> set[tuple[str, str]]:
    return {x.pair for x in stored(StoreLocation(store).open()).links}


def brief(folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    doc = folder / "kuroshio-brief.txt"
    doc.write_text("A Brief\n\nKMT legislator Haruka Inoue said Japan and Taiwan should talk.\n")
    return doc


def test_name_orders_share_a_key() -> None:
    assert orders("tsai ing wen") & orders("ing wen tsai") == {"tsai|ingwen"}
    assert "tsai|ingwen" in orders("tsai ingwen")
    assert not orders("japan") and not orders("a b c d e")


def test_name_order_wikidata_typing_and_disjoint_types(store: Path, tmp_path: Path) -> None:
    data = tmp_path / "names.ttl"
    data.write_text(NAMES, encoding="utf-8")
    run(store, "import", str(data), "--graph", "https://example.org/graphs/names")
    location = StoreLocation(store)
    found = {(x.ours, x.theirs): x for x in propose(location.open(), location.manifest().graphs)}  # type: ignore[union-attr]
    tsai = found[(TSAI, "https://example.org/n/tsai")]
    assert (tsai.confidence, tsai.method) == (0.8, "name in another order")
    ma = found[(ID + "person/ma-ying-jeou", "https://example.org/n/ma")]
    assert (ma.confidence, ma.method) == (0.9, "name")  # wdt:P31 wd:Q5 read as jt:Person
    lai = found[(ID + "person/lai-ching-te", "https://example.org/n/lai")]
    assert (lai.confidence, lai.method) == (0.8, "alias")  # the registry's "William Lai"
    # A human (wdt:P31 wd:Q5) is never our state, not even by its owl:sameAs wd:Q17.
    assert not [x for x in found.values() if x.theirs == "https://example.org/n/not-japan"]


def test_a_store_never_linked_gets_no_links(store: Path) -> None:
    output = imported(store, "schema-org.jsonld")
    assert "links kept current" not in output
    assert not StoreLocation(store).open().contains_named_graph(ox.NamedNode(LINKS_GRAPH))


@pytest.fixture(scope="module")
def incremental(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """Link, then import, ingest, import, remove: the links kept current at each step."""
    store = tmp_path_factory.mktemp("incremental") / "store"
    shutil.copytree(built_store, store)
    outputs = [imported(store, "wikidata.nt"), run(store, "link")]
    outputs.append(imported(store, "schema-org.jsonld"))
    outputs.append(run(store, "ingest", str(brief(tmp_path_factory.mktemp("docs")))))
    outputs.append(imported(store, "dbpedia.ttl"))
    outputs.append(run(store, "remove", "--graph", GRAPHS["wikidata.nt"]))
    return store, outputs


def test_links_follow_imports_ingests_and_removals(incremental: tuple[Path, list[str]]) -> None:
    store, outputs = incremental
    assert "links kept current (threshold 0.8): 3 added, 0 dropped" in outputs[2]  # schema.org graph
    # Only the imported graph whose links changed is translated again: not the Wikidata one.
    assert f"of {GRAPHS['schema-org.jsonld']} into jt terms" in outputs[2]
    assert f"of {GRAPHS['wikidata.nt']}" not in outputs[2]
    assert "links kept current (threshold 0.8): 1 added, 0 dropped" in outputs[3]  # a new Haruka Inoue
    assert (ID + "person/haruka-inoue", HARUKA_THEIRS) in pairs(store)
    assert "0 added, 6 dropped" in outputs[5]  # the Wikidata graph's links go with it
    assert not {theirs for _, theirs in pairs(store)} & {"http://www.wikidata.org/entity/Q233984"}


def test_kept_current_equals_built_from_scratch(
    incremental: tuple[Path, list[str]], built_store: Path, tmp_path: Path
) -> None:
    """The same inputs, each once, then one `jtkg link`: the same N-Quads, inferred included."""
    store, _ = incremental
    scratch = tmp_path / "scratch"
    shutil.copytree(built_store, scratch)
    run(scratch, "ingest", str(brief(tmp_path / "docs")))
    imported(scratch, "schema-org.jsonld")
    imported(scratch, "dbpedia.ttl")
    run(scratch, "link")
    assert pairs(scratch) == pairs(store)
    assert quads(scratch) == quads(store)


def test_removing_the_document_drops_its_link(incremental: tuple[Path, list[str]], tmp_path: Path) -> None:
    store = tmp_path / "store"
    shutil.copytree(incremental[0], store)
    output = run(store, "remove", "kuroshio-brief")
    assert "0 added, 1 dropped" in output
    assert (ID + "person/haruka-inoue", HARUKA_THEIRS) not in pairs(store)


def test_the_threshold_and_review_decisions_stay(store: Path, tmp_path: Path) -> None:
    imported(store, "wikidata.nt")
    run(store, "link", "--threshold", "0.95")
    assert stored(StoreLocation(store).open()).threshold == 0.95
    imported(store, "schema-org.jsonld")
    kept = pairs(store)
    assert (TSAI, "https://example.org/kuroshio/person/tsai-ing-wen") in kept  # Wikidata: 1.0
    review = tmp_path / "links.tsv"
    run(store, "link", "--review", str(review))
    lines = review.read_text(encoding="utf-8").splitlines()
    rejected = next(i for i, line in enumerate(lines) if "kuroshio/person/tsai-ing-wen" in line)
    lines[rejected] = "reject" + lines[rejected][lines[rejected].index("\t") :]
    review.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run(store, "link", "--apply", str(review))
    imported(store, "dbpedia.ttl")  # re-linking after: the rejected pair is not proposed again
    after = pairs(store)
    assert (TSAI, "https://example.org/kuroshio/person/tsai-ing-wen") not in after
    assert after >= kept - {(TSAI, "https://example.org/kuroshio/person/tsai-ing-wen")}
    assert stored(StoreLocation(store).open()).threshold == 0.95


def test_only_graphs_naming_a_changed_link_are_translated_again() -> None:
    store = ox.Store()
    a, b, theirs = "https://example.org/g/a", "https://example.org/g/b", "https://example.org/x"
    node, p = ox.NamedNode(theirs), ox.NamedNode("http://schema.org/name")
    store.add(ox.Quad(node, p, ox.Literal("X"), ox.NamedNode(a)))
    store.add(ox.Quad(ox.NamedNode("https://example.org/y"), p, node, ox.NamedNode(b)))
    store.add(ox.Quad(ox.NamedNode("https://example.org/z"), p, ox.Literal("Z"), ox.NamedNode(b + "2")))
    assert tp.naming(store, [a, b, b + "2"], {theirs}) == {a, b}  # as subject, as object
    with tp.links_changing({theirs}):
        assert tp._links_changed == {theirs}
    assert tp._links_changed is None  # outside the block: not known, every graph again


def test_one_link_per_pair_the_most_confident() -> None:
    links = [Link("o", "t", 0.6, "name", graph="b"), Link("o", "t", 1.0, "wikidata", graph="a")]
    assert [(x.confidence, x.graph) for x in best_per_pair(links)] == [(1.0, "a")]
