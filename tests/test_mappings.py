"""SSSOM mapping sets: the bundled ones load and agree with the ontology; a user's set is
checked row by row (a bad one refused with its file and line, the store unchanged), kept
in the store, listed by `jtkg mappings`, and used to translate imported graphs."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from jtkg.graph.mapping_checks import check
from jtkg.graph.mapping_sets import bundled_sets
from jtkg.graph.mappings import BROADER, EXACT, NARROWER, MappingError, parse_sssom
from jtkg.graph.store import StoreLocation
from jtkg.server.cli import main

HEADER = """# curie_map:
#   jt: https://w3id.org/jtkg/ontology#
#   skos: http://www.w3.org/2004/02/skos/core#
#   semapv: https://w3id.org/semapv/vocab/
#   schema: http://schema.org/
#   ex: https://example.org/vocab/
# mapping_set_id: https://example.org/mappings/mine
# license: https://creativecommons.org/licenses/by/4.0/
subject_id\tpredicate_id\tobject_id\tmapping_justification\tconfidence\tcomment
"""
JUST = "semapv:ManualMappingCuration"
WIKIDATA_TSV = Path(__file__).resolve().parents[2] / "shared" / "wikidata.tsv"


def row(*cells: str) -> str:
    return "\t".join(cells) + "\n"


def test_bundled_sets_cover_each_vocabulary_and_agree_with_the_ontology() -> None:
    sets = {s.id.rsplit("/", 1)[1]: s for s in bundled_sets()}
    assert set(sets) == {"schema-org", "w3c-org", "foaf", "dcterms", "prov-o", "wikidata", "dbpedia"}
    for mapping_set in sets.values():
        assert mapping_set.license.startswith("https://") and mapping_set.mappings
    by_theirs = {(str(m.theirs), str(m.ours)): m for s in sets.values() for m in s.mappings}
    schema, wd = "http://schema.org/", "http://www.wikidata.org/"
    jt = "https://w3id.org/jtkg/ontology#"
    assert by_theirs[(schema + "attendee", jt + "participant")].relation == EXACT
    # "jt:affiliatedWith skos:narrowMatch schema:memberOf": theirs is the narrower, read as ours.
    assert by_theirs[(schema + "memberOf", jt + "affiliatedWith")].relation == NARROWER
    legislation = by_theirs[(schema + "Legislation", jt + "Agreement")]
    assert legislation.relation == BROADER and not legislation.inward and legislation.outward
    assert by_theirs[(wd + "entity/Q7278", jt + "Institution")].inward  # political party
    assert by_theirs[(wd + "prop/P39", jt + "holds")].inward
    assert by_theirs[(wd + "prop/statement/P39", jt + "roleTitle")].value == "label"
    through = by_theirs[(wd + "prop/direct/P1001", jt + "positionIn")].through
    assert str(through) == wd + "prop/statement/P39"


def test_bundled_wikidata_set_names_only_listed_identifiers() -> None:
    listed = {
        line.split("\t")[1] for line in WIKIDATA_TSV.read_text(encoding="utf-8").splitlines()[1:] if line
    }
    used = set()
    for mapping_set in bundled_sets():
        for m in mapping_set.mappings:
            for term in (str(m.theirs), str(m.through or "")):
                if "wikidata.org/" in term:
                    used.add(term.rsplit("/", 1)[1])
    assert used and used <= listed, used - listed


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (
            row("schema:Person", "skos:exactMatch", "jt:Persn", JUST, "1", ""),
            "jt:Persn is not a term of the jtkg ontology",
        ),
        (
            row("schema:Person", "skos:sameAs", "jt:Person", JUST, "1", ""),
            "predicate_id skos:sameAs is not one of",
        ),
        (
            row("schema:Person", "skos:exactMatch", "jt:Person", JUST, "1.5", ""),
            "confidence '1.5' is not a number in [0, 1]",
        ),
        (row("schema:Person", "skos:exactMatch", "jt:Person", JUST), "4 cells; the header has 6"),
        (
            row("foo:Person", "skos:exactMatch", "jt:Person", JUST, "1", ""),
            "uses prefix foo:, which the curie_map lacks",
        ),
        (
            row("jt:Person", "skos:exactMatch", "jt:State", JUST, "1", ""),
            "maps two jtkg terms onto each other",
        ),
        (
            row("schema:Person", "skos:exactMatch", "ex:Human", JUST, "1", ""),
            "neither schema:Person nor ex:Human is a jtkg term",
        ),
        (
            row("schema:Person", "skos:exactMatch", "jt:Person", "ManualMappingCuration", "1", ""),
            "is not a CURIE",
        ),
    ],
)
def test_a_malformed_row_is_refused_with_its_file_and_line(line: str, reason: str) -> None:
    text = HEADER + row("ex:attended", "skos:exactMatch", "jt:participatedIn", JUST, "0.9", "ok") + line
    with pytest.raises(MappingError) as caught:
        parse_sssom(text, "mine.sssom.tsv")
    message = str(caught.value)
    assert message.startswith("mine.sssom.tsv:11: ") and reason in message, message
    assert "\n" not in message


def test_metadata_block_needs_an_id_and_a_license() -> None:
    with pytest.raises(MappingError, match=r"^x.tsv:1: the metadata block needs license"):
        parse_sssom(HEADER.replace("# license: https://creativecommons.org/licenses/by/4.0/\n", ""), "x.tsv")
    with pytest.raises(MappingError, match=r"^x.tsv:1: no SSSOM metadata block"):
        parse_sssom("subject_id\tpredicate_id\tobject_id\tmapping_justification\n", "x.tsv")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        # The bundled schema.org set reads schema:Person as jt:Person, disjoint with jt:Institution.
        (
            row("schema:Person", "skos:exactMatch", "jt:Institution", JUST, "1", ""),
            "schema:Person would be both jt:Institution and jt:Person, which are disjoint "
            "(with ontology/mappings/schema-org.sssom.tsv:",
        ),
        # schema:memberOf is read as jt:affiliatedWith (domain jt:Person); jt:basedIn's is jt:Institution.
        (
            row("schema:memberOf", "skos:exactMatch", "jt:basedIn", JUST, "1", ""),
            "domain clash: schema:memberOf is read as jt:basedIn and jt:affiliatedWith",
        ),
        (
            row("schema:attendee", "skos:exactMatch", "jt:Event", JUST, "1", ""),
            "read as a class in one row and as a property",
        ),
    ],
)
def test_a_row_contradicting_the_ontology_is_refused(line: str, reason: str) -> None:
    mapping_set = parse_sssom(HEADER + line, "mine.sssom.tsv")
    with pytest.raises(MappingError) as caught:
        check(mapping_set, bundled_sets())
    assert str(caught.value).startswith("mine.sssom.tsv:10: ") and reason in str(caught.value), caught.value


def test_mappings_command_lists_sets_direction_and_counts(runner: CliRunner, store: Path) -> None:
    result = runner.invoke(main, ["mappings", "--store", str(store)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:3] == ["mapping", "set", "direction"]
    wikidata = next(line for line in lines if line.startswith("https://w3id.org/jtkg/mappings/wikidata "))
    _, direction, rows, into, out, origin = wikidata.split()
    assert direction == "both" and origin == "bundled"
    assert int(rows) == 21 and 0 < int(into) <= 21 and 0 < int(out) <= 21
    assert lines[-1] == f"7 set(s), {sum(len(s.mappings) for s in bundled_sets())} mappings"


def test_a_bad_mapping_file_is_one_line_and_the_store_is_unchanged(
    runner: CliRunner, store: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.sssom.tsv"
    bad.write_text(
        HEADER + row("schema:Person", "skos:exactMatch", "jt:Institution", JUST, "1", ""), encoding="utf-8"
    )
    generation = StoreLocation(store).current_generation()
    result = runner.invoke(main, ["import", "--mapping", str(bad), "--store", str(store)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and f"{bad}:10: schema:Person would be both" in result.output
    assert StoreLocation(store).current_generation() == generation


def _attended(store: Path) -> set[str]:
    rows = (
        StoreLocation(store)
        .open()
        .query(
            """SELECT ?name WHERE { <https://example.org/m/p1> <https://w3id.org/jtkg/ontology#participatedIn> ?e .
            ?e a <https://w3id.org/jtkg/ontology#Event> ; <http://www.w3.org/2000/01/rdf-schema#label> ?name }""",
            use_default_graph_as_union=True,
        )
    )
    assert isinstance(rows, ox.QuerySolutions)
    return {r["name"].value for r in rows}


def test_a_users_set_is_kept_listed_and_translates(runner: CliRunner, store: Path, tmp_path: Path) -> None:
    data = tmp_path / "meetings.ttl"
    data.write_text(
        """@prefix ex: <https://example.org/vocab/> .
@prefix schema: <http://schema.org/> .
<https://example.org/m/p1> a schema:Person ; schema:name "Aiko Mori"@en ;
    ex:attended <https://example.org/m/e1> .
<https://example.org/m/e1> a ex:Meeting ; schema:name "Harbour Dialogue"@en .
""",
        encoding="utf-8",
    )
    result = runner.invoke(
        main, ["import", str(data), "--graph", "https://example.org/graphs/m", "--store", str(store)]
    )
    assert result.exit_code == 0, result.output
    assert _attended(store) == set()  # no set maps ex: yet
    mine = tmp_path / "mine.sssom.tsv"
    mine.write_text(
        HEADER
        + row("ex:Meeting", "skos:exactMatch", "jt:Event", JUST, "0.9", "a meeting")
        + row("ex:attended", "skos:exactMatch", "jt:participatedIn", JUST, "0.9", "who went")
        + row("ex:title", "skos:exactMatch", "jt:roleTitle", JUST, "0.5", "a role's title"),
        encoding="utf-8",
    )
    result = runner.invoke(main, ["import", "--mapping", str(mine), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert "stored mapping set https://example.org/mappings/mine (3 rows)" in result.output
    listed = runner.invoke(main, ["mappings", "--store", str(store)]).output
    assert "https://example.org/mappings/mine" in listed and "mine.sssom.tsv (stored)" in listed
    # The imported graph was translated again with the new set.
    assert _attended(store) == {"Harbour Dialogue"}
