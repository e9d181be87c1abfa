"""Translation of imported graphs into jt terms: the pure function, and graphs shaped like
real ones (schema.org JSON-LD, W3C ORG + FOAF, Wikidata N-Triples, DBpedia) answering
competency-style questions in jt terms after import and link."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from jtkg.graph.mapping_sets import bundled_sets
from jtkg.graph.store import StoreLocation
from jtkg.graph.translation import as_date, translate
from jtkg.ontology import JT
from jtkg.server.cli import main

FOREIGN = Path(__file__).parent / "fixtures" / "foreign"
GRAPHS = {
    "schema-org.jsonld": "https://example.org/graphs/kuroshio",
    "org-foaf.ttl": "https://example.org/graphs/mcr",
    "wikidata.nt": "https://example.org/graphs/wd-extract",
    "dbpedia.ttl": "https://example.org/graphs/dbpedia",
}
ID = "https://w3id.org/jtkg/id/"
TSAI, MA, CHEN = ID + "person/tsai-ing-wen", ID + "person/ma-ying-jeou", ID + "person/chen-shui-bian"
DPP, KMT = ID + "institution/democratic-progressive-party", ID + "institution/kuomintang"
JAPAN, TAIWAN = ID + "state/japan", ID + "state/taiwan"
WD, WDT, P, PS, PQ = (
    "http://www.wikidata.org/entity/",
    "http://www.wikidata.org/prop/direct/",
    "http://www.wikidata.org/prop/",
    "http://www.wikidata.org/prop/statement/",
    "http://www.wikidata.org/prop/qualifier/",
)
PREFIXES = """PREFIX jt: <https://w3id.org/jtkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <http://schema.org/>
"""


def rows(store: Path, query: str) -> set[tuple[str, ...]]:
    solutions = StoreLocation(store).open().query(PREFIXES + query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    return {tuple(term.value for term in row) for row in solutions}


def quads(store: Path) -> set[str]:
    return {str(q) for q in StoreLocation(store).open()}


# ------------------------------------------------------------ the pure function


def u(text: str) -> URIRef:
    return URIRef(text)


def test_a_position_held_statement_becomes_a_position() -> None:
    person, statement, item = u(WD + "Q233984"), u("https://example.org/s/1"), u("https://example.org/i/p")
    triples = {
        (person, u(WDT + "P31"), u(WD + "Q5")),
        (person, u(WDT + "P39"), item),
        (person, u(P + "P39"), statement),
        (statement, u(PS + "P39"), item),
        (statement, u(PQ + "P580"), Literal("2016-05-20T00:00:00Z", datatype=XSD.dateTime)),
        (item, RDFS.label, Literal("President", lang="en")),
        (item, u(WDT + "P1001"), u(WD + "Q865")),
    }
    ours = u(TSAI)
    out = translate(triples, bundled_sets(), {person: ours}, graph=u("https://example.org/g")).triples
    assert (ours, RDF.type, JT.Person) in out
    assert (ours, JT.holds, statement) in out
    assert (statement, JT.roleTitle, Literal("President")) in out  # a plain string, as the shape asks
    assert (statement, JT.positionIn, u(WD + "Q865")) in out
    assert (statement, JT.startDate, Literal("2016-05-20", datatype=XSD.date)) in out
    assert (statement, PROV.wasAttributedTo, u("https://example.org/g")) in out
    # The truthy wdt:P39 is read from its statement node, not a second time.
    assert not any(p == JT.holds and o == item for _, p, o in out)


def test_a_broader_foreign_property_is_read_only_on_our_domain() -> None:
    org, event, state = u("https://example.org/o"), u("https://example.org/e"), u(WD + "Q865")
    triples = {
        (org, u(WDT + "P31"), u(WD + "Q43229")),
        (org, u(WDT + "P17"), state),
        (event, u(WDT + "P31"), u(WD + "Q1656682")),
        (event, u(WDT + "P17"), state),
        (event, u(WDT + "P585"), Literal("2019-10-08T00:00:00Z", datatype=XSD.dateTime)),
        (org, u(WDT + "P585"), Literal("2001-01-01T00:00:00Z", datatype=XSD.dateTime)),
    }
    out = translate(triples, bundled_sets()).triples
    assert (org, JT.basedIn, state) in out and (event, JT.basedIn, state) not in out
    assert (event, JT.date, Literal("2019-10-08", datatype=XSD.date)) in out
    assert not any(s == org and p == JT.date for s, p, _ in out)


def test_names_one_english_label_and_linked_nodes_keep_ours() -> None:
    a, b = u("https://example.org/a"), u("https://example.org/b")
    schema = "http://schema.org/"
    triples = {
        (u(schema + "x"), RDF.type, u(schema + "Person")),
        (a, RDF.type, u("https://schema.org/Person")),  # https: is read as http:
        (a, u(schema + "name"), Literal("Aiko Mori")),
        (a, u(schema + "name"), Literal("森愛子", lang="ja")),
        (b, RDF.type, u(schema + "Person")),
        (b, u(schema + "name"), Literal("Mori Aiko", lang="en")),
    }
    ours = u(ID + "person/aiko-mori")
    out = translate(triples, bundled_sets(), {b: ours}).triples
    assert (a, RDFS.label, Literal("Aiko Mori", lang="en")) in out
    assert (a, SKOS.altLabel, Literal("森愛子", lang="ja")) in out
    assert not any(s == ours and p == RDFS.label for s, p, _ in out)
    assert (ours, SKOS.altLabel, Literal("Mori Aiko", lang="en")) in out
    assert not any(p == OWL_SAME for _, p, _ in out)


OWL_SAME = URIRef("http://www.w3.org/2002/07/owl#sameAs")


def test_dates_as_precise_as_given() -> None:
    assert as_date(Literal("2016-05-20T00:00:00Z", datatype=XSD.dateTime)) == Literal(
        "2016-05-20", datatype=XSD.date
    )
    assert as_date(Literal("2024-07")) == Literal("2024-07", datatype=XSD.gYearMonth)
    assert as_date(Literal("1972")) == Literal("1972", datatype=XSD.gYear)
    assert as_date(Literal("soon")) is None


# ------------------------------------------------------------ imported and linked


@pytest.fixture(scope="module")
def linked(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled store with the four foreign graphs imported and linked."""
    store = tmp_path_factory.mktemp("linked") / "store"
    shutil.copytree(built_store, store)
    runner = CliRunner()
    for name, graph in GRAPHS.items():
        result = runner.invoke(main, ["import", str(FOREIGN / name), "--graph", graph, "--store", str(store)])
        assert result.exit_code == 0, result.output
        assert "translated " in result.output
    result = runner.invoke(main, ["link", "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store


def test_schema_org_events_and_affiliations_answer_in_jt_terms(linked: Path) -> None:
    events = rows(
        linked, f"SELECT ?name WHERE {{ <{TSAI}> jt:participatedIn ?e . ?e a jt:Event ; rdfs:label ?name }}"
    )
    assert ("Pacific Resilience Forum 2025",) in events  # schema:attendee, schema.org graph
    assert ("Taipei Ocean Governance Summit 2019",) in events  # wdt:P710, Wikidata graph
    inoue = rows(
        linked,
        """SELECT ?org ?state WHERE { ?p rdfs:label "Haruka Inoue"@en ; jt:affiliatedWith ?o .
        ?o rdfs:label ?org ; jt:basedIn ?state }""",
    )
    assert inoue == {("Kuroshio Policy Institute", JAPAN)}  # schema:location onto our Japan


def test_org_posts_and_memberships_become_positions(linked: Path) -> None:
    held = rows(
        linked,
        """SELECT ?title ?org WHERE { ?p rdfs:label "Lin Pei-shan"@en ; jt:holds ?pos .
        ?pos a jt:Position ; jt:roleTitle ?title ; jt:positionIn/rdfs:label ?org }""",
    )
    assert held == {("Minister", "Ministry of Coastal Resilience")}
    # The property chain holds ∘ positionIn gives the affiliation; org:memberOf onto our DPP.
    affiliations = rows(linked, 'SELECT ?o WHERE { ?p rdfs:label "Lin Pei-shan"@en ; jt:affiliatedWith ?o }')
    assert {("https://example.org/mcr/ministry",), (DPP,)} <= affiliations
    director = rows(linked, 'SELECT ?t WHERE { ?p rdfs:label "Chen Yu-ting"@en ; jt:holds/jt:roleTitle ?t }')
    assert director == {("Director-General",)}


def test_wikidata_statements_answer_with_dates(linked: Path) -> None:
    terms = rows(
        linked,
        f"""SELECT ?person ?start ?end WHERE {{ ?person jt:holds ?pos .
        ?pos jt:positionIn <{TAIWAN}> ; jt:startDate ?start ; jt:endDate ?end }}""",
    )
    assert (TSAI, "2016-05-20", "2024-05-20") in terms and (MA, "2008-05-20", "2016-05-20") in terms
    parties = rows(
        linked,
        f"SELECT ?who ?party WHERE {{ VALUES ?who {{ <{MA}> <{CHEN}> }} ?who jt:affiliatedWith ?party }}",
    )
    assert (MA, KMT) in parties  # wdt:P102
    assert (CHEN, DPP) in parties  # dbo:party
    accords = rows(
        linked, "SELECT ?name ?date WHERE { ?a a jt:Agreement ; rdfs:label ?name ; jt:date ?date }"
    )
    assert ("Japan–Taiwan Fisheries Data Accord", "2023-11-30") in accords  # P31 treaty, P585


def test_bundled_and_imported_facts_answer_one_query(linked: Path) -> None:
    """The README's queries: a bundled document's event and imported ones, in jt terms and
    in schema.org terms."""
    in_jt = rows(
        linked,
        f"""SELECT DISTINCT ?event WHERE {{ ?e a jt:Event ; rdfs:label ?event ;
        jt:participant/jt:affiliatedWith <{DPP}> }}""",
    )
    assert {
        ("Closed-door dialogue (2021-08-27)",),  # a bundled document
        ("Pacific Resilience Forum 2025",),  # the schema.org graph
        ("Taipei Ocean Governance Summit 2019",),  # the Wikidata graph
    } <= in_jt
    in_schema = rows(
        linked,
        """SELECT DISTINCT ?event WHERE { ?e a schema:Event ; schema:attendee ?who ;
        schema:name|rdfs:label ?event . ?who a schema:Person }""",
    )
    assert {("Stimson Center webinar (2021-03-17)",), ("Pacific Resilience Forum 2025",)} <= in_schema


def test_bundled_competency_queries_still_answer(linked: Path, built_store: Path) -> None:
    from tests.test_competency import CQ, run

    for path in sorted(CQ.glob("cq*.rq")):
        name = path.name.split("-")[0]
        before = {tuple(sorted(r.items())) for r in run(built_store, name)}
        after = {tuple(sorted(r.items())) for r in run(linked, name)}
        assert before <= after, (name, before - after)


def test_a_translation_that_would_violate_a_shape_is_left_out_and_reported(
    runner: CliRunner, store: Path, tmp_path: Path
) -> None:
    data = tmp_path / "events.ttl"
    data.write_text(
        """@prefix schema: <http://schema.org/> .
<https://example.org/x/e1> a schema:Event ; schema:name "Harbour Talks"@en .
<https://example.org/x/e2> a schema:Event ; schema:name "港湾対話"@ja .
<https://example.org/x/e3> a schema:Event ; schema:name "Tide Forum"@en ; schema:startDate "next spring" .
""",
        encoding="utf-8",
    )
    result = runner.invoke(
        main, ["import", str(data), "--graph", "https://example.org/graphs/x", "--store", str(store)]
    )
    assert result.exit_code == 0, result.output
    assert (
        "left out 2 translated triple(s) about 1 node(s): needs exactly one non-empty English rdfs:label"
        in result.output
    )
    assert (
        "not translated: 1 triple(s): http://schema.org/startDate value is not a literal date"
        in result.output
    )
    events = rows(
        store, 'SELECT ?e WHERE { ?e a jt:Event FILTER(STRSTARTS(STR(?e), "https://example.org/x/")) }'
    )
    assert events == {("https://example.org/x/e1",), ("https://example.org/x/e3",)}


def test_removing_an_import_removes_its_translations_exactly(
    runner: CliRunner, store: Path, built_store: Path
) -> None:
    graph = GRAPHS["wikidata.nt"]
    result = runner.invoke(
        main, ["import", str(FOREIGN / "wikidata.nt"), "--graph", graph, "--store", str(store)]
    )
    assert result.exit_code == 0, result.output
    assert rows(store, "SELECT ?p WHERE { ?p a jt:Position ; jt:startDate ?d }")
    assert runner.invoke(main, ["remove", "--graph", graph, "--store", str(store)]).exit_code == 0
    assert quads(store) == quads(built_store)


def test_hostile_graphs_are_refused_in_one_line(runner: CliRunner, store: Path, tmp_path: Path) -> None:
    redefines = tmp_path / "redefines.ttl"
    redefines.write_text(
        """@prefix jt: <https://w3id.org/jtkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
jt:Person rdfs:subClassOf jt:Institution .
""",
        encoding="utf-8",
    )
    chain = tmp_path / "chain.nt"
    chain.write_text(
        "".join(
            f"<https://example.org/n/{i}> <http://www.w3.org/2002/07/owl#sameAs> <https://example.org/n/{i + 1}> .\n"
            for i in range(400)
        )
        + "<https://example.org/n/0> <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q233984> .\n",
        encoding="utf-8",
    )
    before = quads(store)
    generation = StoreLocation(store).current_generation()
    for path, reason in (
        (redefines, "the graph redefines jt:Person"),
        (chain, "its owl:sameAs statements join 402 nodes into one entity (at most 50"),
    ):
        result = runner.invoke(
            main, ["import", str(path), "--graph", "https://example.org/graphs/h", "--store", str(store)]
        )
        assert result.exit_code != 0
        assert result.output.count("\n") == 1 and reason in result.output, result.output
    assert StoreLocation(store).current_generation() == generation
    assert quads(store) == before


@pytest.mark.parametrize(
    ("vocabulary", "expected"),
    [
        ("schema", [(TSAI, str(RDF.type), "http://schema.org/Person")]),
        (
            "wikidata",
            [
                (TSAI, WDT + "P31", WD + "Q5"),
                (TSAI, P + "P39", "https://example.org/wd-extract/statement/tsai-p39"),
                ("https://example.org/wd-extract/statement/tsai-p39", PQ + "P580", "2016-05-20"),
            ],
        ),
        (
            "org",
            [
                (
                    ID + "position/shinzo-abe--prime-minister--japan",
                    str(RDF.type),
                    "http://www.w3.org/ns/org#Membership",
                )
            ],
        ),
    ],
)
def test_export_in_another_vocabulary_has_no_jt_terms(
    linked: Path, tmp_path: Path, vocabulary: str, expected: list[tuple[str, str, str]]
) -> None:
    out = tmp_path / f"{vocabulary}.nq"
    result = CliRunner().invoke(
        main,
        ["export", "--vocabulary", vocabulary, "--format", "nquads", "-o", str(out), "--store", str(linked)],
    )
    assert result.exit_code == 0, result.output
    quads = list(ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS))
    triples = {(q.subject.value, q.predicate.value, q.object.value) for q in quads}  # type: ignore[union-attr]
    for triple in expected:
        assert triple in triples, triple
    jt = "https://w3id.org/jtkg/ontology#"
    assert not any(p.startswith(jt) or o.startswith(jt) for _, p, o in triples)
    # Evidence stays Web Annotations.
    assert any(p == "http://www.w3.org/ns/oa#hasBody" for _, p, _ in triples)
