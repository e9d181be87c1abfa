"""W3C ORG's qualified membership (org:Membership with org:member, org:organization,
org:role and org:memberDuring's OWL-Time interval) and its posts (org:Post, org:holds,
org:heldBy, org:postIn) read onto jt:Position, and written back by `export --vocabulary org`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import RDF, XSD, BNode, Literal, URIRef
from rdflib.namespace import SKOS

from jtkg.graph.mapping_sets import bundled_sets
from jtkg.graph.store import StoreLocation, to_rdflib
from jtkg.graph.translation import translate
from jtkg.graph.vocabulary_export import sets_for, vocabulary_quads
from jtkg.ontology import JT
from jtkg.server.cli import main

FOREIGN = Path(__file__).parent / "fixtures" / "foreign"
GRAPH = "https://example.org/graphs/mcr"
ID = "https://w3id.org/jtkg/id/"
TSAI, DPP, TAIWAN = (
    ID + "person/tsai-ing-wen",
    ID + "institution/democratic-progressive-party",
    ID + "state/taiwan",
)
ORG = "http://www.w3.org/ns/org#"
TIME = "http://www.w3.org/2006/time#"
EX = "https://example.org/o/"


def u(text: str) -> URIRef:
    return URIRef(text)


def membership(beginning: object, end: object = None) -> set[tuple]:
    """A membership shaped as ORG writes it, its interval's beginning and end given."""
    m, interval = u(EX + "m"), BNode("interval")
    triples = {
        (m, RDF.type, u(ORG + "Membership")),
        (m, u(ORG + "member"), u(EX + "p")),
        (m, u(ORG + "organization"), u(EX + "o")),
        (m, u(ORG + "role"), u(EX + "r")),
        (u(EX + "r"), RDF.type, u(ORG + "Role")),
        (u(EX + "r"), SKOS.prefLabel, Literal("Counsellor", lang="en")),
        (m, u(ORG + "memberDuring"), interval),
        (interval, RDF.type, u(TIME + "Interval")),
    }
    for prop, value in (("hasBeginning", beginning), ("hasEnd", end)):
        if isinstance(value, dict):  # an instant: its literals
            instant = BNode(prop)
            triples |= {(interval, u(TIME + prop), instant), (instant, RDF.type, u(TIME + "Instant"))}
            triples |= {(instant, u(TIME + name), literal) for name, literal in value.items()}
        elif value is not None:
            triples.add((interval, u(TIME + prop), value))  # a plain literal
    return triples


def dates(triples: set[tuple]) -> dict[URIRef, Literal]:
    out = translate(triples, bundled_sets()).triples
    return {p: o for s, p, o in out if s == u(EX + "m") and p in (JT.startDate, JT.endDate)}


def test_a_membership_becomes_a_position_with_its_interval() -> None:
    triples = membership(
        {"inXSDDate": Literal("2021-08-01", datatype=XSD.date)},
        {"inXSDDateTime": Literal("2024-05-20T00:00:00Z", datatype=XSD.dateTime)},
    )
    result = translate(triples, bundled_sets(), graph=u("https://example.org/g"))
    m = u(EX + "m")
    assert {
        (m, RDF.type, JT.Position),
        (m, JT.heldBy, u(EX + "p")),
        (m, JT.positionIn, u(EX + "o")),
        (m, JT.roleTitle, Literal("Counsellor")),
        (m, JT.startDate, Literal("2021-08-01", datatype=XSD.date)),
        (m, JT.endDate, Literal("2024-05-20", datatype=XSD.date)),  # the day of a dateTime
    } <= result.triples
    assert not result.skipped


@pytest.mark.parametrize(
    ("beginning", "expected"),
    [
        ({"inXSDgYear": Literal("2008", datatype=XSD.gYear)}, Literal("2008", datatype=XSD.gYear)),
        (
            {"inXSDgYearMonth": Literal("2008-05", datatype=XSD.gYearMonth)},
            Literal("2008-05", datatype=XSD.gYearMonth),
        ),
        (
            {"inXSDDateTimeStamp": Literal("2008-05-20T09:00:00+08:00", datatype=XSD.dateTimeStamp)},
            Literal("2008-05-20", datatype=XSD.date),
        ),
        # The most precise of an instant's literals.
        (
            {
                "inXSDgYear": Literal("2008", datatype=XSD.gYear),
                "inXSDDate": Literal("2008-05-20", datatype=XSD.date),
            },
            Literal("2008-05-20", datatype=XSD.date),
        ),
        # A plain literal where an instant belongs, as some publishers write it.
        (Literal("2008", datatype=XSD.gYear), Literal("2008", datatype=XSD.gYear)),
    ],
)
def test_an_instant_is_read_at_the_precision_it_gives(beginning: object, expected: Literal) -> None:
    assert dates(membership(beginning)) == {JT.startDate: expected}


def test_an_instant_without_a_date_is_reported_not_translated() -> None:
    triples = membership({"inTimePosition": Literal("unknown")})
    result = translate(triples, bundled_sets())
    assert not any(p == JT.startDate for _, p, _ in result.triples)
    assert result.skipped == {f"{TIME}hasBeginning value is not a literal date": 1}


def test_a_blank_membership_with_a_blank_role() -> None:
    """Many publishers write the membership and its role as blank nodes."""
    m, role = BNode(), BNode()
    triples = {
        (m, RDF.type, u(ORG + "Membership")),
        (m, u(ORG + "member"), u(EX + "p")),
        (m, u(ORG + "organization"), u(EX + "o")),
        (m, u(ORG + "role"), role),
        (role, RDF.type, u(ORG + "Role")),
        (role, SKOS.prefLabel, Literal("Commissioner", lang="en")),
    }
    out = translate(triples, bundled_sets()).triples
    assert {
        (m, RDF.type, JT.Position),
        (m, JT.roleTitle, Literal("Commissioner")),
        (m, JT.heldBy, u(EX + "p")),
    } <= out


def test_an_interval_is_read_only_through_a_membership() -> None:
    """time:hasBeginning on an interval no org:memberDuring reaches says nothing of ours."""
    interval = u(EX + "i")
    triples = {(interval, u(TIME + "hasBeginning"), Literal("2008", datatype=XSD.gYear))}
    assert not translate(triples, bundled_sets()).triples


def test_posts_from_either_side_and_memberships_from_the_person() -> None:
    person, post, org, m = u(EX + "p"), u(EX + "post"), u(EX + "o"), u(EX + "m")
    triples = {
        (person, u(ORG + "holds"), post),
        (org, u(ORG + "hasPost"), post),
        (post, RDF.type, u(ORG + "Post")),
        (person, u(ORG + "hasMembership"), m),
    }
    out = translate(triples, bundled_sets()).triples
    assert {(person, JT.holds, post), (post, JT.positionIn, org), (person, JT.holds, m)} <= out
    assert (post, RDF.type, JT.Position) in out and (org, JT.positionIn, post) not in out


# ------------------------------------------------------------ imported and linked


@pytest.fixture(scope="module")
def linked(built_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("org") / "store"
    shutil.copytree(built_store, store)
    runner = CliRunner()
    result = runner.invoke(
        main, ["import", str(FOREIGN / "org-foaf.ttl"), "--graph", GRAPH, "--store", str(store)]
    )
    assert result.exit_code == 0, result.output
    assert "not translated" not in result.output and "left out" not in result.output, result.output
    result = runner.invoke(main, ["link", "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store


PREFIXES = """PREFIX jt: <https://w3id.org/jtkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX time: <http://www.w3.org/2006/time#>
"""
#: The competency question: which positions does a person hold, where, since when, until when.
HELD = """SELECT ?title ?where ?start ?end WHERE {{ {who} jt:holds ?pos .
    ?pos a jt:Position ; jt:roleTitle ?title ; jt:positionIn ?where .
    OPTIONAL {{ ?pos jt:startDate ?start }} OPTIONAL {{ ?pos jt:endDate ?end }} }}"""


def rows(store: ox.Store, query: str) -> set[tuple[str | None, ...]]:
    solutions = store.query(PREFIXES + query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    return {tuple(None if term is None else term.value for term in row) for row in solutions}


def test_which_positions_a_person_holds_where_and_since_when(linked: Path) -> None:
    store = StoreLocation(linked).open()
    wu = rows(store, HELD.format(who='?p rdfs:label "Wu Chia-hao"@en .  ?p'))
    bureau = "https://example.org/mcr/tidal-bureau"
    assert wu == {
        ("Deputy Minister", "https://example.org/mcr/ministry", None, None),  # an org:Post
        ("Director-General", bureau, "2016-05-20", "2021"),  # an org:Membership that ended
    }
    chen = rows(store, HELD.format(who='?p rdfs:label "Chen Yu-ting"@en .  ?p'))
    assert chen == {("Director-General", bureau, "2021-08-01", None)}


def test_a_linked_members_positions_answer_with_the_bundled_ones(linked: Path) -> None:
    """Our Tsai Ing-wen: President of Taiwan from the bundled registry, and chair of our DPP
    from the ORG graph's membership, on our IRIs."""
    store = StoreLocation(linked).open()
    held = rows(store, HELD.format(who=f"<{TSAI}>"))
    assert ("President", TAIWAN, None, None) in held
    assert ("Chairperson", DPP, "2008", "2012") in held
    # The property chain holds ∘ positionIn makes the affiliation explicit.
    affiliated = rows(store, f"SELECT ?o WHERE {{ <{TSAI}> jt:affiliatedWith ?o }}")
    assert (DPP,) in affiliated


# ------------------------------------------------------------ the other direction


@pytest.fixture(scope="module")
def exported(linked: Path, tmp_path_factory: pytest.TempPathFactory) -> list[ox.Quad]:
    out = tmp_path_factory.mktemp("export") / "org.nq"
    result = CliRunner().invoke(
        main, ["export", "--vocabulary", "org", "--format", "nquads", "-o", str(out), "--store", str(linked)]
    )
    assert result.exit_code == 0, result.output
    return list(ox.parse(path=str(out), format=ox.RdfFormat.N_QUADS))


def values(quads: list[ox.Quad], subject: ox.NamedNode | ox.BlankNode, predicate: str) -> list:
    return [q.object for q in quads if q.subject == subject and q.predicate.value == predicate]


def test_a_position_is_written_as_an_org_membership_with_role_and_interval(exported: list[ox.Quad]) -> None:
    registry = ox.NamedNode(ID + "position/tsai-ing-wen--president--taiwan")
    assert ox.NamedNode(ORG + "Membership") in values(exported, registry, str(RDF.type))
    assert values(exported, registry, ORG + "organization") == [ox.NamedNode(TAIWAN)]
    (role,) = values(exported, registry, ORG + "role")
    assert values(exported, role, str(RDF.type)) == [ox.NamedNode(ORG + "Role")]
    assert values(exported, role, str(SKOS.prefLabel)) == [ox.Literal("President")]
    chair = ox.NamedNode("https://example.org/mcr/membership-tsai")
    (interval,) = set(values(exported, chair, ORG + "memberDuring"))
    assert ox.NamedNode(TIME + "Interval") in values(exported, interval, str(RDF.type))
    for prop, year in (("hasBeginning", "2008"), ("hasEnd", "2012")):
        (instant,) = values(exported, interval, TIME + prop)
        assert values(exported, instant, TIME + "inXSDgYear") == [
            ox.Literal(year, datatype=ox.NamedNode(str(XSD.gYear)))
        ]
    # No jt term is left, and nothing about the position is left out: its title is the role.
    assert not any(q.predicate.value.startswith(str(JT)) for q in exported)


def test_the_org_export_translates_back_to_the_same_positions(exported: list[ox.Quad]) -> None:
    """A consumer who imports our ORG export reads our positions as we hold them, through
    the ORG and FOAF sets alone (reasoning also wrote schema:roleName and schema:startDate,
    which the schema.org set would read)."""
    triples = set()
    for q in exported:
        triples.add(tuple(to_rdflib(t) for t in (q.subject, q.predicate, q.object)))
    out = translate(triples, sets_for("org")).triples
    chair = u("https://example.org/mcr/membership-tsai")
    assert {
        (chair, JT.roleTitle, Literal("Chairperson")),
        (chair, JT.positionIn, u(DPP)),
        (chair, JT.heldBy, u(TSAI)),
        (chair, JT.startDate, Literal("2008", datatype=XSD.gYear)),
        (chair, JT.endDate, Literal("2012", datatype=XSD.gYear)),
    } <= out
    wu = u("https://example.org/mcr/membership-wu")
    assert (wu, JT.startDate, Literal("2016-05-20", datatype=XSD.date)) in out
    president = u(ID + "position/tsai-ing-wen--president--taiwan")
    assert {(president, JT.roleTitle, Literal("President")), (president, JT.positionIn, u(TAIWAN))} <= out


@pytest.mark.parametrize("vocabulary", ["org", "wikidata"])
def test_a_position_round_trips_through_either_vocabulary(vocabulary: str) -> None:
    """A position written in ORG or Wikidata terms by the qualified rows (an org:Role and an
    org:memberDuring interval; a ps:P39 value with its label and wdt:P1001) reads back as
    the same position through that vocabulary's sets alone."""
    person, pos = ox.NamedNode(TSAI), ox.NamedNode(ID + "position/tsai-ing-wen--chair--dpp")
    graph = ox.NamedNode("https://w3id.org/jtkg/graph/doc/x")
    date = ox.NamedNode(str(XSD.gYear))
    store = ox.Store()
    for s, p, o in (
        (person, ox.NamedNode(str(JT.holds)), pos),
        (pos, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(JT.Position))),
        (pos, ox.NamedNode(str(JT.roleTitle)), ox.Literal("Chairperson")),
        (pos, ox.NamedNode(str(JT.positionIn)), ox.NamedNode(DPP)),
        (pos, ox.NamedNode(str(JT.startDate)), ox.Literal("2008", datatype=date)),
        (pos, ox.NamedNode(str(JT.endDate)), ox.Literal("2012", datatype=date)),
    ):
        store.add(ox.Quad(s, p, o, graph))
    written = {
        tuple(to_rdflib(t) for t in (q.subject, q.predicate, q.object))
        for q in vocabulary_quads(store, vocabulary)
    }
    assert not any(str(p).startswith(str(JT)) for _, p, _ in written)
    back = translate(written, sets_for(vocabulary)).triples
    p = u(pos.value)
    assert {
        (u(TSAI), JT.holds, p),
        (p, JT.roleTitle, Literal("Chairperson")),
        (p, JT.positionIn, u(DPP)),
        (p, JT.startDate, Literal("2008", datatype=XSD.gYear)),
        (p, JT.endDate, Literal("2012", datatype=XSD.gYear)),
    } <= back
