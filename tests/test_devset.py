"""The devset scorer (loaders/devset.py) against FORMAT.md's matching rules, on an invented
mini devset (tests/fixtures/devset_mini); every expected figure is counted by hand below."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from jtkg.loaders.devset import (
    DevEvaluation,
    DevsetError,
    _max_matching,
    load_devset,
    normalize,
    score_graph,
)
from jtkg.loaders.recipe import ABLATION
from jtkg.ontology import JT, OA
from jtkg.server.cli import main

MINI = Path(__file__).parent / "fixtures" / "devset_mini"
EX = Namespace("https://example.org/t/")
DOC = EX["doc"]


def test_normalisation_follows_format_md() -> None:
    assert normalize("U.S.") == normalize("US") == "us"
    assert normalize("The Tidewater Times") == normalize("Tidewater Times")
    assert normalize("Mr. Aldo Brenner") == normalize("Aldo Brenner") == "aldo brenner"
    for title in ("Dr ", "Dr. ", "Mr ", "Ms ", "Ms. ", "Mrs ", "Mrs. ", "the "):
        assert normalize(title + "Ada Quill") == "ada quill"
    assert normalize("C.C. Druva") == "cc druva" != normalize("C. C. Druva") == "c c druva"
    assert normalize("Zoë Ménard") == "zoe menard"
    assert normalize("People’s Assembly") == "people's assembly"
    assert normalize("Kell–Arno — Trust") == "kell-arno - trust"
    assert normalize('“Blue” (Harbour),  "Plan"') == "blue harbour plan"
    # Only what FORMAT.md lists goes: '&', other punctuation and an inner 'the' stay.
    assert normalize("Tide & Sons: the Group") == "tide & sons: the group"
    assert normalize("Drake Andrews") == "drake andrews"  # 'dr' only as a word with a space


def test_max_matching_is_not_greedy() -> None:
    # Greedy would give list 0 the first entity and leave list 1 unsatisfied.
    lists = (frozenset({"x", "y"}), frozenset({"x"}))
    assert _max_matching(lists, [{"x"}, {"y"}]) == 2
    assert _max_matching(lists, [{"x"}]) == 1
    assert _max_matching((frozenset({"x"}),), [{"x"}, {"x"}]) == 1


def _node(
    g: Graph, name: str, cls: URIRef | None, *labels: tuple[URIRef, str], at: int | None = None
) -> URIRef:
    node = EX[name]
    if cls is not None:
        g.add((node, RDF.type, cls))
    for prop, label in labels:
        g.add((node, prop, Literal(label)))
    if at is not None:  # an annotation with a position selector, as the emitter writes it
        ann, target, sel = EX[f"ann/{name}"], EX[f"target/{name}"], EX[f"pos/{name}"]
        g.add((ann, OA.hasBody, node))
        g.add((ann, OA.hasTarget, target))
        g.add((target, OA.hasSelector, sel))
        g.add((sel, OA.start, Literal(at)))
    return node


def _position(g: Graph, person: URIRef, org: URIRef, name: str) -> None:
    pos = EX[f"position/{name}"]
    g.add((person, JT.holds, pos))
    g.add((pos, RDF.type, JT.Position))
    g.add((pos, JT.positionIn, org))


def _ontology() -> Graph:
    """Stands for the checkout's ontology files: a subclass and a registry entity's labels."""
    onto = Graph()
    onto.add((EX.Ministry, RDFS.subClassOf, EX.Body))
    onto.add((EX.Body, RDFS.subClassOf, JT.Institution))  # two steps up to the core class
    onto.add((EX["ledger"], RDF.type, JT.Institution))
    onto.add((EX["ledger"], RDFS.label, Literal("Harbour Ledger", lang="en")))
    return onto


def _d01_graph() -> Graph:
    L, A, P = RDFS.label, SKOS.altLabel, SKOS.prefLabel
    g = Graph()
    # The author: a creator node with no annotation (counted first); labelled with a title.
    ekwall = _node(g, "ekwall", JT.Person, (L, "Mr. Tomas Ekwall"))
    g.add((DOC, DCTERMS.creator, ekwall))
    # The publisher: a registry-like node whose type and label live only in the ontology.
    g.add((DOC, DCTERMS.publisher, EX["ledger"]))
    ministry = _node(g, "ministry", EX.Ministry, (L, "the Ministry of Harbours"), at=50)
    veltria = _node(g, "veltria", JT.State, (L, "Veltria Republic"), (P, "Republic of Veltria"), at=60)
    orla = _node(g, "orla", JT.Person, (L, "Orla Pemberton-Voss"), at=100)
    norvane = _node(g, "norvane", JT.Institution, (L, "Norvane Institute"), at=120)
    _node(g, "ostmark", JT.State, (L, "Ostmarch"), (A, "Ostmark"), at=130)
    _node(g, "druva", JT.Person, (L, "C.C. Druva"), at=200)  # not 'C. C. Druva': FP + FN
    _node(g, "veltria-inst", JT.Institution, (L, "Veltria"), at=250)  # a State's name: FP
    orla2 = _node(g, "orla-again", JT.Person, (L, "Pemberton-Voss"), at=300)  # second node: FP
    _node(g, "port-alder", JT.Person, (L, "Port Alder"), at=400)  # optional: not counted
    _node(g, "government", JT.State, (L, "Veltrian government"), at=410)  # optional
    _node(g, "mou", JT.Agreement, (L, "MOU"), at=140)
    _node(g, "transit", JT.Issue, (P, "freedom of transit"), at=150)
    _node(g, "tidal", JT.Issue, (L, "tidal rights"), at=160)  # recall only: not an FP
    _node(g, "forum", JT.Event, (L, "Harbour Forum"), at=170)  # events are not scored
    # Mentioned only through jt:mentions, not oa:hasBody: does not count.
    ilse = _node(g, "ilse", JT.Person, (L, "Ilse Marrow"))
    g.add((DOC, JT.mentions, ilse))
    # Affiliations: Orla holds two positions (state and ministry satisfy ONE list: the other
    # is a leftover FP) and is affiliated with the party; Ekwall with the institute and a state.
    cup = _node(g, "cup", JT.Institution, (L, "CUP"))
    _position(g, orla, veltria, "minister")
    _position(g, orla, ministry, "minister-2")
    g.add((orla, JT.affiliatedWith, cup))
    g.add((orla2, JT.affiliatedWith, norvane))  # a second node's: not collected
    g.add((ekwall, JT.affiliatedWith, norvane))
    g.add((ekwall, JT.affiliatedWith, EX["ostmark"]))
    return g


def _counts(rows: dict, name: str) -> tuple[int, int, int]:
    s = rows[name]
    return s.tp, s.fp, s.fn


def test_every_rule_on_the_first_invented_document() -> None:
    gold = dict((p.name, g) for p, g in load_devset(MINI))["d01_harbour-talks.md"]
    rows = score_graph(_d01_graph(), gold, _ontology())
    # Person: Ekwall (creator, title dropped) and Orla TP; 'C.C. Druva' and Orla's second node
    # FP; Port Alder optional; Druva and Ilse (no oa:hasBody) FN.
    assert _counts(rows, "Person") == (2, 2, 2)
    # Institution: the publisher (labels from the ontology), the ministry (typed by a subclass
    # two steps down) and the institute TP; an Institution named like the State FP.
    assert _counts(rows, "Institution") == (3, 1, 0)
    # State: by skos:prefLabel and skos:altLabel; the optional one not counted.
    assert _counts(rows, "State") == (2, 0, 0)
    assert _counts(rows, "Agreement") == (1, 0, 0)
    assert _counts(rows, "Policy") == (0, 0, 1)
    assert _counts(rows, "Issue") == (1, 0, 1)  # recall only: 'tidal rights' no FP
    # Affiliations: Orla 2 TP + 1 leftover FP; Ekwall 1 TP + 1 FP; Ilse (unmatched) 1 FN;
    # Druva states none; the second Orla node's affiliation is not collected.
    assert _counts(rows, "affiliations") == (3, 2, 1)


def test_first_entry_in_file_order_and_normalised_names() -> None:
    gold = dict((p.name, g) for p, g in load_devset(MINI))["d02_coastal-board.md"]
    L = RDFS.label
    g = Graph()
    zoe = _node(g, "zoe", JT.Person, (L, "Zoe Menard"), at=5)
    g.add((DOC, DCTERMS.creator, zoe))
    times = _node(g, "times", JT.Institution, (L, "Tidewater Times"))
    g.add((DOC, DCTERMS.contributor, times))  # contributor nodes count too
    g.add((zoe, JT.affiliatedWith, times))
    _node(g, "board", JT.Institution, (L, "Coastal Board"), at=10)
    # Matches the first entry again (already taken), though the second lists the name too.
    _node(g, "board-2", JT.Institution, (L, "Coastal Board"), at=20)
    _node(g, "trust", JT.Institution, (L, "Kell-Arno Trust"), at=30)
    _node(g, "assembly", JT.Institution, (L, "People's Assembly"), at=40)
    _node(g, "us", JT.State, (L, "US"), at=50)
    rows = score_graph(g, gold, Graph())
    assert _counts(rows, "Person") == (1, 0, 0)
    assert _counts(rows, "Institution") == (4, 1, 1)
    assert _counts(rows, "State") == (1, 0, 0)
    assert _counts(rows, "affiliations") == (1, 0, 0)


def test_the_earliest_node_of_an_entry_is_its_true_positive() -> None:
    gold = dict((p.name, g) for p, g in load_devset(MINI))["d01_harbour-talks.md"]
    g = Graph()
    late = _node(g, "late", JT.Person, (RDFS.label, "Orla Pemberton-Voss"), at=900)
    early = _node(g, "early", JT.Person, (RDFS.label, "Pemberton-Voss"), at=10)
    g.add((late, JT.affiliatedWith, _node(g, "cup", JT.Institution, (RDFS.label, "CUP"))))
    rows = score_graph(g, gold, Graph())
    assert _counts(rows, "Person") == (1, 1, 3)
    assert _counts(rows, "affiliations") == (0, 0, 4)  # the late node's party is not counted
    g.add((early, JT.affiliatedWith, EX["cup"]))
    assert _counts(score_graph(g, gold, Graph()), "affiliations") == (1, 0, 3)


def test_totals_and_no_names_by_default() -> None:
    result = DevEvaluation()
    golds = {p.name: g for p, g in load_devset(MINI)}
    result.add("d01", score_graph(_d01_graph(), golds["d01_harbour-talks.md"], _ontology()))
    entities = result.entities()
    assert (entities.tp, entities.fp, entities.fn) == (7, 3, 2)
    assert entities.f1 == pytest.approx(2 * 0.7 * (7 / 9) / (0.7 + 7 / 9))
    assert result.affiliations().f1 == pytest.approx(2 * 0.6 * 0.75 / 1.35)
    shown = result.table() + result.per_document_table() + json.dumps(result.to_json())
    assert "Druva" not in shown and "Marrow" not in shown and "2/2/2" in shown
    assert "C. C. Druva" in result.errors()  # only on request


def test_a_folder_that_is_not_a_devset_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DevsetError, match="not a devset"):
        load_devset(tmp_path)
    result = CliRunner().invoke(main, ["evaluate", "--devset", str(tmp_path)])
    assert result.exit_code == 2 and "not a devset" in result.output
    (tmp_path / "docs").mkdir()
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "d01.json").write_text('{"doc": "missing.md"}')
    with pytest.raises(DevsetError, match=r"missing\.md"):
        load_devset(tmp_path)


def test_cli_devset_table_json_and_ablation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    text = runner.invoke(main, ["evaluate", "--devset", str(MINI)])
    assert text.exit_code == 0, text.output
    assert "entities (micro)" in text.output and "Issue (recall)" in text.output
    assert "d02_coastal-board.md" not in text.output  # documents one by one only on request
    rows = runner.invoke(main, ["evaluate", "--devset", str(MINI), "--per-document"])
    assert "d02_coastal-board.md" in rows.output and "Pemberton" not in rows.output
    data = json.loads(runner.invoke(main, ["evaluate", "--devset", str(MINI), "--format", "json"]).output)
    assert data["documents"] == 2 and set(data["rows"]) >= {"Person", "affiliations", "Issue"}
    monkeypatch.chdir(tmp_path)  # no tests/gold here: the bundled columns are empty
    table = runner.invoke(main, ["evaluate", "--devset", str(MINI), "--ablation"])
    assert table.exit_code == 0, table.output
    for name, _ in ABLATION:
        assert name in table.output
    assert runner.invoke(main, ["evaluate", "--ablation"]).exit_code == 2
