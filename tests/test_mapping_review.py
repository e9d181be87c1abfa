"""The bundled mapping sets against the issue's list of vocabularies and Wikidata terms, and
the refusal of a mapping that contradicts the ontology: the gaps a review found."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, XSD, Literal, URIRef

from jtkg.graph.mapping_checks import check
from jtkg.graph.mapping_sets import bundled_sets
from jtkg.graph.mappings import MappingError, parse_sssom
from jtkg.graph.store import StoreLocation
from jtkg.graph.translation import translate
from jtkg.ontology import JT
from jtkg.server.cli import main
from tests.test_translation import PQ, PS, WD, WDT, P

HEADER = """# curie_map:
#   jt: https://w3id.org/jtkg/ontology#
#   skos: http://www.w3.org/2004/02/skos/core#
#   semapv: https://w3id.org/semapv/vocab/
#   dbo: http://dbpedia.org/ontology/
#   ex: https://example.org/vocab/
# mapping_set_id: https://example.org/mappings/{name}
# license: https://creativecommons.org/licenses/by/4.0/
subject_id\tpredicate_id\tobject_id\tmapping_justification\tconfidence\tcomment
"""
JUST = "semapv:ManualMappingCuration"


def row(*cells: str) -> str:
    return "\t".join(cells) + "\n"


def rows_for(theirs: str) -> set[tuple[str, bool]]:
    """(our term, read into jt) of every bundled row for a foreign term."""
    return {
        (str(m.ours), m.inward or m.guarded)
        for s in bundled_sets()
        for m in s.mappings
        if str(m.theirs) == theirs
    }


@pytest.mark.parametrize(
    ("theirs", "ours"),
    [
        (P + "P39", JT.holds),  # position held, as its statement node
        (PQ + "P580", JT.startDate),
        (PQ + "P582", JT.endDate),
        (WDT + "P102", JT.affiliatedWith),  # member of political party
        (WDT + "P108", JT.affiliatedWith),  # employer
        (WDT + "P710", JT.participant),
        (WDT + "P17", JT.basedIn),  # country
        (WDT + "P31", RDF.type),  # instance of
        (WD + "Q5", JT.Person),  # human
        (WD + "Q43229", JT.Institution),  # organization
        (WD + "Q3624078", JT.State),  # sovereign state
        (WD + "Q131569", JT.Agreement),  # treaty
        (WD + "Q7278", JT.Institution),  # political party
    ],
)
def test_every_wikidata_term_the_issue_names_is_read_into_jt(theirs: str, ours: URIRef) -> None:
    assert (str(ours), True) in rows_for(theirs)


@pytest.mark.parametrize("name", ["schema-org", "w3c-org", "foaf", "dcterms", "prov-o", "wikidata"])
def test_each_vocabulary_is_mapped_both_ways(name: str) -> None:
    """Read into jt terms (exact, narrower, or on our domain) and written on export."""
    (mapping_set,) = [s for s in bundled_sets() if s.id.endswith("/" + name)]
    assert any(m.inward or m.guarded for m in mapping_set.mappings)
    assert any(m.outward for m in mapping_set.mappings)


def test_a_start_time_on_another_statement_is_not_a_position() -> None:
    """pq:P580 qualifies many statements (a party membership, p:P102, too): it is a
    position's start only on a position held statement node."""
    ma, party, held = (
        URIRef(WD + "Q19216"),
        URIRef("https://example.org/s/p102"),
        URIRef("https://example.org/s/p39"),
    )
    start = Literal("1977-01-01T00:00:00Z", datatype=XSD.dateTime)
    triples = {
        (ma, URIRef(WDT + "P31"), URIRef(WD + "Q5")),
        (ma, URIRef(P + "P102"), party),
        (party, URIRef(PS + "P102"), URIRef(WD + "Q31113")),
        (party, URIRef(PQ + "P580"), start),
        (ma, URIRef(P + "P39"), held),
        (held, URIRef(PQ + "P580"), Literal("2008-05-20T00:00:00Z", datatype=XSD.dateTime)),
    }
    out = translate(triples, bundled_sets()).triples
    assert not any(s == party for s, _, _ in out)  # no jt:startDate, so no jt:Position
    assert (held, JT.startDate, Literal("2008-05-20", datatype=XSD.date)) in out


def test_importing_such_a_statement_leaves_nothing_out(
    runner: CliRunner, store: Path, tmp_path: Path
) -> None:
    data = tmp_path / "wd.nt"
    data.write_text(
        f'<{WD}Q19216> <http://www.w3.org/2000/01/rdf-schema#label> "Ma Ying-jeou"@en .\n'
        f"<{WD}Q19216> <{WDT}P31> <{WD}Q5> .\n"
        f"<{WD}Q19216> <{P}P102> <https://example.org/s/p102> .\n"
        f"<https://example.org/s/p102> <{PS}P102> <{WD}Q31113> .\n"
        f'<https://example.org/s/p102> <{PQ}P580> "1977-01-01T00:00:00Z"^^<{XSD}dateTime> .\n',
        encoding="utf-8",
    )
    result = runner.invoke(
        main, ["import", str(data), "--graph", "https://example.org/graphs/wd", "--store", str(store)]
    )
    assert result.exit_code == 0, result.output
    assert "left out" not in result.output, result.output
    solutions = (
        StoreLocation(store)
        .open()
        .query(
            f"ASK {{ <https://example.org/s/p102> ?p ?o . FILTER(STRSTARTS(STR(?p), '{JT}')) }}",
            use_default_graph_as_union=True,
        )
    )
    assert not bool(solutions)


@pytest.mark.parametrize(
    ("rows", "line", "reason"),
    [
        # dbo:country is read as jt:basedIn on institutions (dbpedia set); read unguarded as
        # jt:affiliatedWith it would make every such institution a person.
        (
            [row("dbo:country", "skos:exactMatch", "jt:affiliatedWith", JUST, "1", "")],
            10,
            "domain clash: dbo:country is read as jt:affiliatedWith and jt:basedIn, whose domains "
            "are disjoint (with ontology/mappings/dbpedia.sssom.tsv:",
        ),
        # jt:heldBy's range is jt:Person, jt:positionIn's jt:Polity: institutions and states.
        (
            [
                row("ex:with", "skos:exactMatch", "jt:heldBy", JUST, "1", ""),
                row("ex:with", "skos:exactMatch", "jt:positionIn", JUST, "1", ""),
            ],
            11,
            "range clash: <https://example.org/vocab/with> is read as jt:positionIn and jt:heldBy, "
            "whose ranges are disjoint (with mine.sssom.tsv:10)",
        ),
        # Two disjoint classes in one file.
        (
            [
                row("ex:Agent", "skos:exactMatch", "jt:Person", JUST, "1", ""),
                row("jt:State", "skos:narrowMatch", "ex:Agent", JUST, "1", ""),  # ex:Agent ⊑ jt:State
            ],
            11,
            "would be both jt:State and jt:Person, which are disjoint (with mine.sssom.tsv:10)",
        ),
    ],
)
def test_a_contradicting_row_is_refused_with_its_file_and_line(
    rows: list[str], line: int, reason: str
) -> None:
    mapping_set = parse_sssom(HEADER.format(name="mine") + "".join(rows), "mine.sssom.tsv")
    with pytest.raises(MappingError) as caught:
        check(mapping_set, bundled_sets())
    message = str(caught.value)
    assert message.startswith(f"mine.sssom.tsv:{line}: ") and reason in message, message


def test_two_guarded_rows_with_disjoint_domains_are_no_clash() -> None:
    """schema:startDate is jt:date on events and jt:startDate on positions (bundled): each
    is read only where its domain holds; a user's third such row is accepted too."""
    text = HEADER.format(name="mine") + row("jt:basedIn", "skos:broadMatch", "ex:where", JUST, "1", "")
    text += row("jt:affiliatedWith", "skos:broadMatch", "ex:where", JUST, "1", "")
    check(parse_sssom(text, "mine.sssom.tsv"), bundled_sets())  # no MappingError


def test_a_set_contradicting_a_stored_set_names_the_stored_file(
    runner: CliRunner, store: Path, tmp_path: Path
) -> None:
    first = tmp_path / "first.sssom.tsv"
    first.write_text(
        HEADER.format(name="first") + row("ex:Agent", "skos:exactMatch", "jt:Person", JUST, "1", "")
    )
    second = tmp_path / "second.sssom.tsv"
    second.write_text(
        HEADER.format(name="second") + row("ex:Agent", "skos:exactMatch", "jt:State", JUST, "1", "")
    )
    assert runner.invoke(main, ["import", "--mapping", str(first), "--store", str(store)]).exit_code == 0
    generation = StoreLocation(store).current_generation()
    result = runner.invoke(main, ["import", "--mapping", str(second), "--store", str(store)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert f"{second}:10: " in result.output and "(with first.sssom.tsv (stored):10)" in result.output, (
        result.output
    )
    assert StoreLocation(store).current_generation() == generation


SCHEMA, FOAF = "http://schema.org/", "http://xmlns.com/foaf/0.1/"
EX = "https://example.org/x/"


@pytest.mark.parametrize(
    ("member_type", "membership"),
    [
        ((WDT + "P31", WD + "Q7278"), lambda a, b: (a, URIRef(WDT + "P463"), b)),  # member of
        ((str(RDF.type), SCHEMA + "Organization"), lambda a, b: (a, URIRef(SCHEMA + "memberOf"), b)),
        ((str(RDF.type), FOAF + "Organization"), lambda a, b: (b, URIRef(FOAF + "member"), a)),
    ],
)
def test_an_organization_member_of_another_is_no_persons_affiliation(member_type, membership) -> None:  # type: ignore[no-untyped-def]
    """Member of (wdt:P463), schema:memberOf and foaf:member are a person's affiliation, but
    organizations are members of organizations too: read only on persons."""
    party, person, group = URIRef(EX + "party"), URIRef(EX + "person"), URIRef(EX + "international")
    typing, cls = member_type
    person_class = {WDT + "P31": WD + "Q5", str(RDF.type): SCHEMA + "Person"}[typing]
    if cls.startswith(FOAF):
        person_class = FOAF + "Person"
    triples = {
        (party, URIRef(typing), URIRef(cls)),
        (person, URIRef(typing), URIRef(person_class)),
        membership(party, group),
        membership(person, group),
    }
    out = translate(triples, bundled_sets()).triples
    assert (person, JT.affiliatedWith, group) in out
    assert (party, JT.affiliatedWith, group) not in out
    assert (party, RDF.type, JT.Person) not in out


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        (
            ("ex:in", "skos:exactMatch", "jt:affiliatedWith", JUST, "1", "", "jtkg_guard=range"),
            "jtkg_guard can only be domain",
        ),
        (
            ("ex:Group", "skos:exactMatch", "jt:Institution", JUST, "1", "", "jtkg_guard=domain"),
            "jtkg_guard=domain needs a property of ours",
        ),
        (
            ("ex:at", "skos:relatedMatch", "jt:startDate", JUST, "1", "", "jtkg_value=date"),
            "jtkg_value is label or instant",
        ),
        (
            ("ex:at", "skos:relatedMatch", "jt:positionIn", JUST, "1", "", "jtkg_value=instant"),
            "jtkg_value=instant needs a datatype property of ours",
        ),
    ],
)
def test_a_bad_rule_in_the_other_cell_is_refused_with_its_line(cells: tuple[str, ...], reason: str) -> None:
    header = HEADER.format(name="mine").replace("\tcomment\n", "\tcomment\tother\n")
    with pytest.raises(MappingError) as caught:
        parse_sssom(header + row(*cells), "mine.sssom.tsv")
    assert str(caught.value).startswith("mine.sssom.tsv:10: ") and reason in str(caught.value), caught.value
