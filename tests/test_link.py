"""`jtkg link` with review, and queries over our graph and a schema.org/ORG graph together."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner

from jtkg.graph.link import LINKS_GRAPH, normalize, propose
from jtkg.graph.store import StoreLocation
from jtkg.ontology import INFERRED_GRAPH
from jtkg.server.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "japan-philippines.ttl"
FOREIGN = "https://example.org/graphs/jp-ph"
EX = "https://example.org/jp-ph/"
JAPAN, ABE, LDP = (
    "https://w3id.org/jtkg/id/state/japan",
    "https://w3id.org/jtkg/id/person/shinzo-abe",
    "https://w3id.org/jtkg/id/institution/liberal-democratic-party",
)
PREFIXES = """PREFIX schema: <http://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""


def _import(runner: CliRunner, store: Path, path: Path = FIXTURE, graph: str = FOREIGN) -> None:
    result = runner.invoke(main, ["import", str(path), "--graph", graph, "--store", str(store)])
    assert result.exit_code == 0, result.output


def _rows(store: Path, query: str) -> set[tuple[str, ...]]:
    solutions = StoreLocation(store).open().query(PREFIXES + query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    return {tuple(term.value for term in row) for row in solutions}


def test_names_are_compared_without_accents_case_punctuation_or_article() -> None:
    assert normalize("Shinzō  Abe") == normalize("SHINZO ABE") == "shinzo abe"
    assert normalize("The Liberal-Democratic Party") == "liberal democratic party"
    assert normalize("Research & Development") == "research and development"


def test_wikidata_first_then_names_with_type_agreement(
    runner: CliRunner, store: Path, tmp_path: Path
) -> None:
    decoys = tmp_path / "decoys.ttl"
    decoys.write_text(
        f"""@prefix schema: <http://schema.org/> .
<{EX}japan-event> a schema:Event ; schema:name "Japan"@en .
<{EX}taiwan-untyped> schema:name "Taiwan"@en .
<{EX}other-abe> a schema:Person ; schema:name "Shinzo Abe"@en ;
    schema:sameAs <http://www.wikidata.org/entity/Q1> .
""",
        encoding="utf-8",
    )
    _import(runner, store)
    _import(runner, store, decoys, "https://example.org/graphs/decoys")
    location = StoreLocation(store)
    manifest = location.manifest()
    assert manifest is not None
    links = {(link.ours, link.theirs): link for link in propose(location.open(), manifest.graphs)}
    assert links[(JAPAN, EX + "japan")].confidence == 1.0
    assert links[(JAPAN, EX + "japan")].method == "wikidata Q17"
    assert links[(ABE, EX + "shinzo-abe")].confidence == 0.9  # "Shinzō Abe" by name, typed
    assert links[(LDP, EX + "liberal-democratic-party")].confidence == 0.9
    # An event named "Japan" is not the state; an untyped "Taiwan" is only proposed, below
    # the threshold; a person whose Wikidata identifier differs from ours is someone else.
    assert not any(theirs == EX + "japan-event" for _, theirs in links)
    untyped = links[("https://w3id.org/jtkg/id/state/taiwan", EX + "taiwan-untyped")]
    assert untyped.confidence == 0.6 and "untyped" in untyped.method
    assert not any(theirs == EX + "other-abe" for _, theirs in links)


def test_review_file_decides_what_is_stored(runner: CliRunner, store: Path, tmp_path: Path) -> None:
    _import(runner, store)
    review = tmp_path / "links.tsv"
    result = runner.invoke(main, ["link", "--review", str(review), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert StoreLocation(store).manifest().graphs.get(LINKS_GRAPH) is None  # type: ignore[union-attr]
    lines = review.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("decision\tconfidence")
    assert sum(line.startswith("accept\t") for line in lines) == 3
    # The reviewer rejects the link by name to Abe and keeps the others.
    edited = [line.replace("accept", "reject", 1) if "shinzo-abe" in line else line for line in lines]
    review.write_text("\n".join(edited) + "\n", encoding="utf-8")
    result = runner.invoke(main, ["link", "--apply", str(review), "--store", str(store)])
    assert result.exit_code == 0 and "stored 2 link(s)" in result.output, result.output
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    stored = _rows(
        store,
        f"""SELECT ?ours ?theirs ?confidence WHERE {{ GRAPH <{LINKS_GRAPH}> {{
        ?ours <http://www.w3.org/2002/07/owl#sameAs> ?theirs .
        ?record <{rdf}subject> ?ours ; <{rdf}object> ?theirs ;
                <https://w3id.org/jtkg/ontology#confidence> ?confidence }} }}""",
    )
    assert {(ours, theirs, float(c)) for ours, theirs, c in stored} == {
        (JAPAN, EX + "japan", 1.0),
        (LDP, EX + "liberal-democratic-party", 0.9),
    }


def test_a_bad_review_file_is_refused_with_its_line(runner: CliRunner, store: Path, tmp_path: Path) -> None:
    _import(runner, store)
    review = tmp_path / "links.tsv"
    assert runner.invoke(main, ["link", "--review", str(review), "--store", str(store)]).exit_code == 0
    text = review.read_text(encoding="utf-8").replace("accept\t1.000", "maybe\t1.000")
    review.write_text(text, encoding="utf-8")
    generation = StoreLocation(store).current_generation()
    result = runner.invoke(main, ["link", "--apply", str(review), "--store", str(store)])
    assert result.exit_code == 2 and "links.tsv:3: decision is 'maybe'" in result.output
    assert result.output.count("\n") == 1
    assert StoreLocation(store).current_generation() == generation


def test_threshold_flag_and_nothing_to_link(runner: CliRunner, store: Path) -> None:
    result = runner.invoke(main, ["link", "--store", str(store)])
    assert result.exit_code == 2 and "no imported graphs" in result.output
    _import(runner, store)
    result = runner.invoke(main, ["link", "--threshold", "0.95", "--store", str(store)])
    assert result.exit_code == 0 and "stored 1 link(s)" in result.output, result.output


def test_linked_entities_answer_as_one_without_a_sameas_closure(runner: CliRunner, store: Path) -> None:
    passed_by_japan = f"SELECT ?name WHERE {{ ?x schema:legislationPassedBy <{JAPAN}> ; schema:name ?name }}"
    inferred_never = StoreLocation(store).manifest().graphs[str(INFERRED_GRAPH)]  # type: ignore[union-attr]
    _import(runner, store)
    assert _rows(store, passed_by_japan) == set()
    inferred_before = StoreLocation(store).manifest().graphs[str(INFERRED_GRAPH)]  # type: ignore[union-attr]
    assert runner.invoke(main, ["link", "--store", str(store)]).exit_code == 0
    # Our IRI for Japan now answers with what the foreign graph says of its Japan.
    assert _rows(store, passed_by_japan) == {("Japan–Philippines Reciprocal Access Agreement",)}
    assert (LDP,) in _rows(store, f"SELECT ?org WHERE {{ <{ABE}> org:memberOf ?org }}")
    # The inferred graph grew by at most the foreign triples about linked entities, rewritten
    # onto our IRIs (9 in the fixture; some were known already), not by a sameAs closure:
    # no owl:sameAs is inferred.
    inferred_after = StoreLocation(store).manifest().graphs[str(INFERRED_GRAPH)]  # type: ignore[union-attr]
    # (It may shrink: the import's translation into jt terms moves onto our IRIs, which
    # already have most of it; see graph/translation_publish.py.)
    assert inferred_after - inferred_before <= 9
    assert (
        _rows(
            store,
            f"""SELECT ?s WHERE {{ GRAPH <{INFERRED_GRAPH}> {{
        ?s <http://www.w3.org/2002/07/owl#sameAs> ?o }} }}""",
        )
        == set()
    )
    # Removing the foreign graph takes what it lent our entities with it.
    assert runner.invoke(main, ["remove", "--graph", FOREIGN, "--store", str(store)]).exit_code == 0
    assert _rows(store, passed_by_japan) == set()
    assert StoreLocation(store).manifest().graphs[str(INFERRED_GRAPH)] == inferred_never  # type: ignore[union-attr]


def test_competency_style_queries_answer_over_both_vocabularies(runner: CliRunner, store: Path) -> None:
    """Written in the aligned vocabularies (schema.org, ORG, Dublin Core): our entities
    answer through the ontology's alignments (jt:Person ⊑ schema:Person, jt:affiliatedWith
    ⊑ org:memberOf, jt:Agreement ⊑ schema:Legislation, jt:date ⊑ dcterms:date), the
    imported graph's entities as they are written."""
    _import(runner, store)
    affiliations = _rows(
        store,
        """SELECT DISTINCT ?name ?orgName WHERE {
        ?person a schema:Person ; org:memberOf ?org .
        ?person schema:name|rdfs:label ?name . ?org schema:name|rdfs:label ?orgName }""",
    )
    assert ("Ferdinand Marcos Jr.", "Partido Federal ng Pilipinas") in affiliations  # theirs
    assert ("Madoka Fukuda", "Hosei University") in affiliations  # ours
    instruments = _rows(
        store,
        """SELECT DISTINCT ?name ?date WHERE {
        ?instrument a schema:Legislation ; schema:name|rdfs:label ?name .
        ?instrument dcterms:date|schema:legislationDate ?date }""",
    )
    names = {name for name, _ in instruments}
    assert ("Japan–Philippines Reciprocal Access Agreement", "2024-07-08") in instruments  # theirs
    assert ("Japan-China Joint Communiqué", "1972") in instruments  # ours
    assert len(names) >= 3
