"""Entity pages an analyst can read (issue 15): property labels, inferred duplicates folded
into the asserted fact, incoming links once per entity and without the statements, and
"Mentioned in" with the document and the sentence."""

from __future__ import annotations

import re

from jtkg.graph.views import document_view, entity_view

KOSHINO = "https://w3id.org/jtkg/id/person/yuka-koshino"
JAPAN = "https://w3id.org/jtkg/id/state/japan"
ORG_HOLDS = "http://www.w3.org/ns/org#holds"
JT_HOLDS = "https://w3id.org/jtkg/ontology#holds"


def test_facts_have_labels_and_inferred_twins_are_folded(oxstore) -> None:  # type: ignore[no-untyped-def]
    view = entity_view(oxstore, KOSHINO)
    assert view is not None
    holds = [f for f in view.facts if f.predicate == JT_HOLDS]
    assert holds and holds[0].predicate_label == "holds" and ORG_HOLDS in holds[0].also
    assert not [f for f in view.facts if f.predicate == ORG_HOLDS]  # no row of its own
    asserted = {(f.is_iri, f.value) for f in view.facts if not f.inferred}
    assert not [f for f in view.facts if f.inferred and (f.is_iri, f.value) in asserted]


def test_the_page_shows_labels_and_also_as(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/id/person/yuka-koshino", headers={"Accept": "text/html"}).get_data(as_text=True)
    facts = page.split('id="facts"')[1].split("</table>")[0]
    assert re.search(r'<th scope="row" title="https://w3id.org/jtkg/ontology#holds">holds</th>', facts)
    assert "also as org:holds" in facts and "affiliated with" in facts
    assert ">org:holds<" not in facts


def test_incoming_links_are_one_row_per_entity_without_the_statements(oxstore) -> None:  # type: ignore[no-untyped-def]
    view = entity_view(oxstore, JAPAN, rows=100_000)
    assert view is not None and view.incoming
    subjects = [row[0] for row in view.incoming]
    assert len(subjects) == len(set(subjects))  # each linking entity once
    assert not [s for s in subjects if "/statement/" in s]  # the Statements sections show those
    assert view.statements_about  # and they are still there
    folded = [row for row in view.incoming if row[3]]
    assert folded and all(row[1].startswith("https://w3id.org/jtkg/ontology#") for row in folded)


def test_mentions_show_the_document_and_the_sentence(oxstore, client) -> None:  # type: ignore[no-untyped-def]
    view = entity_view(oxstore, KOSHINO)
    assert view is not None and view.mentions
    with_words = 0
    for mention in view.mentions:
        text = document_view(oxstore, mention.document, page_chars=10_000_000)
        assert text is not None and mention.title == text.title
        sentence = mention.before + mention.exact + mention.after
        at = text.text.index(sentence.removeprefix("…").removesuffix("…"), max(0, mention.start - 300))
        assert at <= mention.start  # the mention's own sentence, from where it starts
        assert at == 0 or text.text[at - 1] in "\n " or sentence.startswith("…")
        with_words += len(sentence) > len(mention.exact) + 20  # more than the bare name
    assert with_words >= len(view.mentions) // 2  # (a list of panelists is names alone)
    page = client.get("/id/person/yuka-koshino", headers={"Accept": "text/html"}).get_data(as_text=True)
    listed = page.split('id="mentions"')[1].split("</ul>")[0]
    assert re.search(
        r'<li><a href="/id/document/[^"]+">[^<]{12,}</a>: <span class="small">[^<]+<mark>', listed
    )
