"""Facets where analysts browse (issue 15): entities by type and document, statements by
speaker, topic and recommendation, agreements by party; a plain GET form with counts."""

from __future__ import annotations

import re

from jtkg.graph.facets import browse

KOSHINO = "https://w3id.org/jtkg/id/person/yuka-koshino"
JAPAN = "https://w3id.org/jtkg/id/state/japan"
STIMSON = "https://w3id.org/jtkg/id/document/stimson-japan-taiwan-relations-webinar"


def test_statements_by_speaker_topic_and_recommendation(oxstore) -> None:  # type: ignore[no-untyped-def]
    everything = browse(oxstore, "Statement", rows=1000)
    by_koshino = browse(oxstore, "Statement", {"speaker": KOSHINO}, rows=1000)
    assert 0 < len(by_koshino.rows) < len(everything.rows)
    speakers = dict((iri, n) for iri, _, n in everything.facets["speaker"])
    assert speakers[KOSHINO] == len(by_koshino.rows)  # the count offered is what choosing it gives
    about_japan = browse(oxstore, "Statement", {"speaker": KOSHINO, "topic": JAPAN}, rows=1000)
    assert 0 < len(about_japan.rows) <= len(by_koshino.rows)
    recommendations = browse(oxstore, "Statement", recommendation=True, rows=1000)
    assert 0 < len(recommendations.rows) < len(everything.rows)
    rows = {iri for iri, _ in recommendations.rows}
    assert rows == {
        r["s"].value
        for r in oxstore.query(
            "SELECT DISTINCT ?s WHERE { ?s a <https://w3id.org/jtkg/ontology#Recommendation> }",
            use_default_graph_as_union=True,
        )
    }


def test_entities_by_document_and_agreements_by_party(oxstore) -> None:  # type: ignore[no-untyped-def]
    people = browse(oxstore, "Person", {"document": STIMSON}, rows=1000)
    assert KOSHINO in {iri for iri, _ in people.rows}
    assert len(people.rows) < len(browse(oxstore, "Person", rows=1000).rows)
    agreements = browse(oxstore, "Agreement", {"party": JAPAN}, rows=1000)
    assert agreements.rows and all("agreement/" in iri for iri, _ in agreements.rows)
    assert {label for _, label, _ in browse(oxstore, "Agreement").facets["party"]} >= {"Japan"}


def test_the_browse_page_is_a_form_with_counts_and_pages(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/browse", query_string={"kind": "Statement", "speaker": KOSHINO}).get_data(
        as_text=True
    )
    form = page.split('id="facets"')[1].split("</form>")[0]
    assert 'method="get"' in page.split('id="facets"')[0][-60:] and '<select name="speaker">' in form
    assert re.search(rf'<option value="{KOSHINO}" selected>Yuka Koshino \(\d+\)</option>', form)
    assert 'name="recommendation"' in form
    assert re.findall(r'<li><a href="/id/statement/', page)
    first = client.get("/browse", query_string={"kind": "Issue"}).get_data(as_text=True)
    assert 'rel="next"' in first and first.count("<li><a href=") == 50
    second = client.get("/browse", query_string={"kind": "Issue", "page": "2"}).get_data(as_text=True)
    assert 'start="51"' in second
    assert client.get("/browse", query_string={"kind": "Nothing"}).status_code == 400
    assert client.get("/browse", query_string={"kind": "Person", "document": "x> } DROP"}).status_code == 400
