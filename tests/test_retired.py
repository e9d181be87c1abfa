"""Retired entity IRIs (graph/retired.py): when better extraction renames an entity, its old IRI
maps to the new one, is served as 301 and exported as owl:sameAs.

The documents and names are invented. A tiny extractor finds exactly the names it is given
(every occurrence, as one annotation each), so a test changes the extraction by changing the
names, as an improved rule would ("Chairman Jane Roe" -> "Jane Roe").
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import URIRef

from jtkg.graph.backup import backup, restore
from jtkg.graph.build import build
from jtkg.graph.export import export, retired_links
from jtkg.graph.ingest import ingest, remove
from jtkg.graph.retired import RETIRED_GRAPH, Retirement, collapse, read_table
from jtkg.graph.store import StoreDamaged, StoreLocation
from jtkg.loaders.emit import Emitter
from jtkg.loaders.extract import Extraction, Extractor, document_graph, document_iri
from jtkg.loaders.gazetteer import Entity
from jtkg.loaders.metadata import Metadata
from jtkg.loaders.reader import SourceDocument
from jtkg.loaders.recipe import RULES_ONLY
from jtkg.loaders.text import Span
from jtkg.ontology import ID, JT, OA
from jtkg.server.app import create_app
from jtkg.server.cli import main

PERSON, INSTITUTION, AGREEMENT, ISSUE = JT.Person, JT.Institution, JT.Agreement, JT.Issue
SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
ALPHA = (
    "Alpha report\n\nChairman Jane Roe met Bob Stone in a port city. Later, Chairman Jane "
    "Roe spoke about the Coral Compact with Mary Poe Grant.\n"
)
BETA = "Beta note\n\nMary Poe of the Harbor Council wrote to Bob Stone.\n"
FIRST = {
    "Chairman Jane Roe": PERSON,
    "Bob Stone": PERSON,
    "Mary Poe Grant": PERSON,
    "Mary Poe": PERSON,
    "Harbor Council": INSTITUTION,
    "Coral Compact": AGREEMENT,
}


def iri(segment: str) -> str:
    return f"{ID}{segment}"


OLD, NEW, SHORT = iri("person/chairman-jane-roe"), iri("person/jane-roe"), iri("person/roe")


class Names(Extractor):
    """Finds exactly ``names`` (label -> class), at every place each occurs in the text."""

    def __init__(self, names: dict[str, URIRef]) -> None:  # no registry, no model: tiny
        self.names = dict(names)
        self.recipe = RULES_ONLY

    def extract(self, doc: SourceDocument) -> Extraction:
        doc_iri, graph_iri = document_iri(doc.slug), document_graph(doc.slug)
        out = Emitter(doc, doc_iri)
        out.document(Metadata(title=doc.text.splitlines()[0]), graph_iri)
        taken: list[tuple[int, int]] = []
        for label, cls in sorted(self.names.items(), key=lambda item: -len(item[0])):
            entity = Entity.discovered(cls, label)
            for found in re.finditer(rf"\b{re.escape(label)}\b", doc.text):
                start, end = found.span()
                if any(s < end and start < e for s, e in taken):
                    continue  # a longer name holds these words
                taken.append((start, end))
                out.entity(entity)
                out.facts.add((doc_iri, JT.mentions, entity.iri))
                out.annotate(entity.iri, Span(start, end), 0.9, OA.identifying)
        return Extraction(doc, doc_iri, graph_iri, out.facts, out.evidence, [])


def renamed(changes: dict[str, URIRef | None]) -> dict[str, URIRef]:
    """FIRST with names swapped: ``renamed({"Chairman Jane Roe": None, "Jane Roe": PERSON})``."""
    names = dict(FIRST)
    for label, cls in changes.items():
        if cls is None:
            names.pop(label, None)
        else:
            names[label] = cls
    return names


@pytest.fixture
def corpus(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "alpha.txt").write_text(ALPHA, encoding="utf-8")
    (folder / "beta.txt").write_text(BETA, encoding="utf-8")
    return [folder / "alpha.txt", folder / "beta.txt"]


@pytest.fixture
def location(tmp_path: Path, corpus: list[Path]) -> StoreLocation:
    """This test's own store, built from the two documents with the FIRST names."""
    place = StoreLocation(tmp_path / "store")
    assert built(corpus, place, FIRST) == {}
    return place


def built(corpus: list[Path], place: StoreLocation, names: dict[str, URIRef]) -> dict[str, str]:
    result = build(corpus, place, Names(names), workers=1)
    assert result.published, result.report() + " ".join(result.failures)
    return links(place)


def table(place: StoreLocation) -> dict[str, Retirement]:
    return read_table(place.path / str(place.current_generation()))


def links(place: StoreLocation) -> dict[str, str]:
    return {old: r.current for old, r in table(place).items()}


def entities(place: StoreLocation) -> set[str]:
    store = place.open()
    return {
        q.subject.value
        for q in store.quads_for_pattern(
            None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(str(PERSON))
        )
    }


@pytest.fixture
def client(location: StoreLocation) -> Iterator:  # type: ignore[type-arg]
    app = create_app({"STORE": location.path, "TESTING": True})
    yield app.test_client()
    app.extensions["jtkg.queries"].close()


JANE: dict[str, URIRef | None] = {"Chairman Jane Roe": None, "Jane Roe": PERSON}
ROE: dict[str, URIRef | None] = {"Chairman Jane Roe": None, "Roe": PERSON}


def test_a_rebuild_that_renames_an_entity_retires_its_old_iri(corpus, location) -> None:  # type: ignore[no-untyped-def]
    assert OLD in entities(location)
    assert built(corpus, location, renamed(JANE)) == {OLD: NEW}
    assert OLD not in entities(location) and NEW in entities(location)
    entry = table(location)[OLD]
    assert entry.generation == location.current_generation()


def test_a_retired_iri_answers_301_to_its_successor(corpus, location, client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/id/person/chairman-jane-roe").status_code == 200
    built(corpus, location, renamed(JANE))
    response = client.get("/id/person/chairman-jane-roe")
    assert response.status_code == 301
    assert response.headers["Location"] == "/id/person/jane-roe"
    asked = client.get("/id/person/chairman-jane-roe?format=turtle")
    assert asked.status_code == 301 and asked.headers["Location"] == "/id/person/jane-roe?format=turtle"
    # Accept is sent again to the new address: the format follows it there.
    followed = client.get(
        "/id/person/chairman-jane-roe", headers={"Accept": "text/turtle"}, follow_redirects=True
    )
    assert followed.status_code == 200 and followed.content_type.startswith("text/turtle")
    assert NEW in followed.get_data(as_text=True)
    page = client.get("/id/person/chairman-jane-roe", follow_redirects=True)
    assert page.status_code == 200 and "Jane Roe" in page.get_data(as_text=True)
    assert client.get("/id/person/jane-roe").status_code == 200
    assert client.get("/id/person/nobody-at-all").status_code == 404


def test_exports_and_dumps_carry_owl_same_as_in_their_own_graph(
    corpus,
    location,
    client,  # type: ignore[no-untyped-def]
    tmp_path,
) -> None:
    built(corpus, location, renamed(JANE))
    output = io.BytesIO()
    export(location.open(), "nquads", output, retired=retired_links(location))
    quads = list(ox.parse(output.getvalue(), format=ox.RdfFormat.N_QUADS))
    retired = [q for q in quads if q.graph_name.value == RETIRED_GRAPH]
    assert [(q.subject.value, q.predicate.value, q.object.value) for q in retired] == [(OLD, SAME_AS, NEW)]
    # ... and not in the store, where the reasoner and every query would merge the two.
    assert not list(location.open().quads_for_pattern(ox.NamedNode(OLD), None, None))
    only = io.BytesIO()
    export(location.open(), "turtle", only, graph=RETIRED_GRAPH, retired=retired_links(location))
    assert [t.predicate.value for t in ox.parse(only.getvalue(), format=ox.RdfFormat.TURTLE)] == [SAME_AS]
    result = CliRunner().invoke(main, ["export", "--store", str(location.path), "--format", "trig"])
    assert result.exit_code == 0, result.output
    assert "owl:sameAs" in result.output and RETIRED_GRAPH in result.output
    dump = client.get("/dumps/jtkg.nq")
    assert dump.status_code == 200
    assert f"<{OLD}> <{SAME_AS}> <{NEW}> <{RETIRED_GRAPH}>" in dump.get_data(as_text=True)


def test_a_second_change_collapses_the_chain(corpus, location) -> None:  # type: ignore[no-untyped-def]
    built(corpus, location, renamed(JANE))
    # The next change comes by ingest: the document is edited, so it is extracted again.
    corpus[0].write_text(ALPHA + "A closing line.\n", encoding="utf-8")
    result = ingest([corpus[0]], location, Names(renamed(ROE)))
    assert result.replaced == ["alpha"], result.rejected
    assert links(location) == {OLD: SHORT, NEW: SHORT}
    first = table(location)
    assert first[OLD].generation != first[NEW].generation  # each keeps when it retired


def test_an_iri_that_comes_back_leaves_the_table_and_nothing_cycles(corpus, location) -> None:  # type: ignore[no-untyped-def]
    built(corpus, location, renamed(JANE))
    built(corpus, location, renamed(ROE))
    assert built(corpus, location, renamed(JANE)) == {OLD: NEW, SHORT: NEW}
    assert NEW not in links(location)
    assert not set(links(location)) & set(links(location).values())  # no entry points at another
    assert built(corpus, location, FIRST) == {NEW: OLD, SHORT: OLD}  # the old name again


def test_a_removed_documents_entities_are_not_mapped_to_unrelated_ones(
    corpus,
    location,  # type: ignore[no-untyped-def]
    client,
) -> None:
    poe = iri("person/mary-poe")
    assert poe in entities(location)
    remove(["beta"], location)
    assert poe not in entities(location) and iri("person/mary-poe-grant") in entities(location)
    assert links(location) == {}  # "Mary Poe Grant" shares her words, not her identity
    assert client.get("/id/person/mary-poe").status_code == 404
    # A rebuild without the document: the same.
    assert built(corpus[:1], location, FIRST) == {}


def test_a_name_dropped_without_successor_is_gone_and_classes_never_cross(corpus, location) -> None:  # type: ignore[no-untyped-def]
    # "Coral Compact" is no longer an agreement; "Coral" is found as an issue at the same place.
    assert built(corpus, location, renamed({"Coral Compact": None, "Coral": ISSUE})) == {}
    assert iri("agreement/coral-compact") not in links(location)


def test_the_label_decides_where_no_annotation_overlaps(corpus, location, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # The document is rewritten: the old spans hold other words now; the new name contains
    # the old one, and it is the only person of that document that does.
    corpus[1].write_text(
        "Beta note\n\nA letter to Bob Stone came from Mary Poe Smith, of the Harbor Council.\n",
        encoding="utf-8",
    )
    names = renamed({"Mary Poe": None, "Mary Poe Smith": PERSON})
    assert built(corpus, location, names) == {iri("person/mary-poe"): iri("person/mary-poe-smith")}


def test_the_table_is_carried_by_ingest_backup_and_restore(corpus, location, tmp_path) -> None:  # type: ignore[no-untyped-def]
    built(corpus, location, renamed(JANE))
    other = tmp_path / "docs" / "gamma.txt"
    other.write_text("Gamma memo\n\nBob Stone visited the Harbor Council.\n", encoding="utf-8")
    assert ingest([other], location, Names(renamed(JANE))).added == ["gamma"]
    assert links(location) == {OLD: NEW}  # an ingest that renames nothing keeps the table
    copy = tmp_path / "backup"
    backup(location, copy)
    assert links(StoreLocation(copy)) == {OLD: NEW}
    remove(["alpha"], location)  # Jane Roe goes: her redirect would lead nowhere
    assert links(location) == {}
    restore(location, copy)
    assert links(location) == {OLD: NEW}


def test_a_damaged_table_refuses_the_next_write_and_costs_only_redirects(
    corpus,
    location,  # type: ignore[no-untyped-def]
    client,
) -> None:
    built(corpus, location, renamed(JANE))
    path = location.path / str(location.current_generation()) / "retired.json"
    path.write_text(json.dumps({"retired": [{"iri": OLD}]}), encoding="utf-8")
    with pytest.raises(StoreDamaged, match=r"retired\.json"):
        build(corpus, location, Names(renamed(JANE)), workers=1)
    assert client.get("/id/person/chairman-jane-roe").status_code == 404
    assert client.get("/id/person/jane-roe").status_code == 200


def test_collapse_follows_one_step_and_keeps_only_live_successors() -> None:
    a, b, c, d = (iri(f"person/{x}") for x in "abcd")
    old = {a: Retirement(a, b, "gen-1"), d: Retirement(d, b, "gen-1")}
    live = {c, d}.__contains__
    assert collapse(old, {b: c}, live, "gen-2") == {
        a: Retirement(a, c, "gen-1"),
        b: Retirement(b, c, "gen-2"),
    }
    assert collapse(old, {}, {c}.__contains__, "gen-2") == {}  # b is gone: nothing leads to it


def test_jtkg_retired_lists_the_table(corpus, location) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    empty = runner.invoke(main, ["retired", "--store", str(location.path)])
    assert empty.exit_code == 0 and empty.stdout == ""
    built(corpus, location, renamed(JANE))
    listed = runner.invoke(main, ["retired", "--store", str(location.path)])
    assert listed.exit_code == 0
    assert listed.stdout.split("\t")[:2] == [OLD, NEW]
    as_rdf = runner.invoke(main, ["retired", "--store", str(location.path), "--format", "ntriples"])
    assert as_rdf.stdout.strip() == f"<{OLD}> <{SAME_AS}> <{NEW}> ."
    nowhere = runner.invoke(main, ["retired", "--store", str(location.path / "nothing")])
    assert nowhere.exit_code == 2 and "no graph has been built" in nowhere.output
