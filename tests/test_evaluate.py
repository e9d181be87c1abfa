"""Scoring extraction against the gold annotations, and the leave-one-out protocol."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, Graph, Literal

from jtkg.graph.build import bundled_corpus
from jtkg.loaders.evaluate import Gold, GoldEntity, evaluate, introduced_only_by, load_gold, normalize, score
from jtkg.loaders.extract import Extraction
from jtkg.loaders.gazetteer import Gazetteer
from jtkg.loaders.reader import parse_document
from jtkg.ontology import ID, JT
from jtkg.server.cli import main

GOLD = Path(__file__).parent / "gold"


def test_gold_exists_for_every_bundled_document() -> None:
    golds = load_gold(GOLD)
    assert {p.stem for p in bundled_corpus()} == set(golds)
    for gold in golds.values():
        assert (gold.entities and gold.statements) or gold.document.startswith("taiwan-brain")


def test_normalize_ignores_case_punctuation_articles_and_dates() -> None:
    assert normalize("The Jamestown Foundation") == normalize("Jamestown foundation")
    assert normalize("Tokio Marine & Nichido") == normalize("Tokio Marine and Nichido")
    assert normalize("King’s College London") == normalize("King's College London")
    assert normalize("Stimson Center webinar (2021-03-17)") == "stimson center webinar"


def _extraction(facts: Graph) -> Extraction:
    doc = parse_document(Path("x.txt"), b"text", "text/plain")
    return Extraction(doc, ID["document/x"], ID["graph/x"], facts, Graph())


def test_a_second_node_for_one_entity_is_a_false_positive() -> None:
    facts = Graph()
    for slug, label in [("jane-roe", "Jane Roe"), ("j-roe", "Roe")]:
        facts.add((ID[f"person/{slug}"], RDF.type, JT.Person))
        facts.add((ID[f"person/{slug}"], RDFS.label, Literal(label, lang="en")))
        facts.add((ID["document/x"], JT.mentions, ID[f"person/{slug}"]))
    gold = Gold("x", {}, [GoldEntity("Person", "Jane Roe", {"jane roe", "roe"})], set(), set(), [])
    scores = score(_extraction(facts), gold, Gazetteer())
    assert (scores["Person"].tp, scores["Person"].fp, scores["Person"].fn) == (1, 1, 0)
    assert len(scores["Person"].false_positives) == 1
    assert scores["Person"].false_positives[0].endswith("(second node)")


def test_leave_one_out_removes_only_what_one_document_introduces() -> None:
    golds = load_gold(GOLD)
    jamestown = golds["jamestown-taiwan-japan-ties-deepen"]
    others = [g for name, g in golds.items() if name != jamestown.document]
    excluded = {str(iri).rsplit("/", 1)[1] for iri in introduced_only_by(jamestown, others, Gazetteer())}
    assert "okinotori-dispute" in excluded
    assert "japan" not in excluded and "democratic-progressive-party" not in excluded


@pytest.fixture(scope="module")
def leave_one_out() -> dict:
    return evaluate(bundled_corpus(), GOLD, leave_one_out=True).to_json()


def test_leave_one_out_scores_reach_the_quality_targets(leave_one_out: dict) -> None:
    rows = leave_one_out["rows"]
    assert leave_one_out["entities"]["f1"] >= 0.90
    assert rows["affiliations"]["f1"] >= 0.75
    assert rows["participants"]["f1"] >= 0.70
    assert rows["statements"]["f1"] >= 0.70


def test_evaluate_command_prints_the_table(runner: CliRunner) -> None:
    result = runner.invoke(main, ["evaluate", "--gold", str(GOLD), "--leave-one-out"])
    assert result.exit_code == 0
    for row in [
        "Person",
        "Institution",
        "Event",
        "entities",
        "affiliations",
        "participants",
        "statements",
        "micro total",
        "documents/s",
    ]:
        assert row in result.output
    as_json = runner.invoke(main, ["evaluate", "--gold", str(GOLD), "--format", "json"])
    assert json.loads(as_json.output)["documents"] == 5
    missing = runner.invoke(main, ["evaluate", "--gold", "/nonexistent/gold"])
    assert missing.exit_code == 2 and "no gold annotations" in missing.output


def test_the_headline_scores_agreements_policies_and_issues_by_recall_only() -> None:
    from jtkg.loaders.evaluate import Evaluation, Score

    evaluation = Evaluation()
    evaluation.add("a", {"Person": Score(8, 2, 0), "Issue": Score(3, 40, 1), "Policy": Score(1, 5, 1)})
    headline = evaluation.entities()
    assert (headline.tp, headline.fp, headline.fn) == (12, 2, 2)  # the issues' 40 extras left out
    assert evaluation.rows["Issue"].fp == 40  # and still shown on their own row
