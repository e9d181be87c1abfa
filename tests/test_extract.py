"""Extraction of the bundled documents and of a new article it has never seen."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from jtkg.graph.build import bundled_corpus
from jtkg.loaders.extract import Extraction, Extractor
from jtkg.ontology import ID, JT, OA

NEW_ARTICLE = """Japan and Taiwan Weigh a Coast Guard Pact

By: Miriam Okafor

Pacific Policy Institute

April 4, 2025

Japanese and Taiwanese coast guard officials held talks in Naha on April 2, 2025, the first such meeting in a decade.

Hiroshi Tanabe, a senior researcher at the Okinawa Maritime Studies Center, said the talks were overdue. "Both sides need rules for close encounters at sea," Tanabe said.

KMT legislator Chen Wei-lun urged Japan and Taiwan to sign a coast guard memorandum before the fishing season.

Dr. Akiko Morimoto (Professor, Faculty of Law, Ryukyu University) argued that the Senkaku Islands dispute should be handled apart from fisheries.
"""


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="module")
def bundled(extractor: Extractor) -> dict[str, Extraction]:
    return {p.stem.split("-")[0]: extractor.extract_file(p) for p in bundled_corpus()}


@pytest.fixture(scope="module")
def new_article(extractor: Extractor, tmp_path_factory: pytest.TempPathFactory) -> Extraction:
    path = tmp_path_factory.mktemp("new") / "coast-guard-pact.txt"
    path.write_text(NEW_ARTICLE, encoding="utf-8")
    return extractor.extract_file(path)


def labels_of(graph: Graph, cls: URIRef) -> set[str]:
    return {str(graph.value(s, RDFS.label)) for s in graph.subjects(RDF.type, cls)}


def positions(graph: Graph) -> set[tuple[str, str, str]]:
    found = set()
    for person, pos in graph.subject_objects(JT.holds):
        org = graph.value(pos, JT.positionIn)
        found.add(
            (
                str(person).rsplit("/", 1)[1],
                str(graph.value(pos, JT.roleTitle)),
                str(org).rsplit("/", 1)[1] if org else "",
            )
        )
    return found


def test_every_bundled_document_yields_a_named_graph_with_evidence(bundled: dict[str, Extraction]) -> None:
    assert len(bundled) == 5
    for ex in bundled.values():
        assert str(ex.graph_iri).startswith("https://w3id.org/jtkg/graph/doc/")
        assert (ex.doc_iri, RDF.type, JT.Document) in ex.facts
        assert len(list(ex.evidence.subjects(RDF.type, OA.Annotation))) > 20


def test_offsets_select_exactly_the_quoted_words(
    bundled: dict[str, Extraction], new_article: Extraction
) -> None:
    for ex in [*bundled.values(), new_article]:
        text = ex.document.text
        checked = 0
        for selector in ex.evidence.subjects(RDF.type, OA.TextPositionSelector):
            target = ex.evidence.value(None, OA.hasSelector, selector)
            quote = next(
                q
                for q in ex.evidence.objects(target, OA.hasSelector)
                if (q, RDF.type, OA.TextQuoteSelector) in ex.evidence
            )
            start = int(ex.evidence.value(selector, OA.start))
            end = int(ex.evidence.value(selector, OA.end))
            assert text[start:end] == str(ex.evidence.value(quote, OA.exact))
            assert text[:start].endswith(str(ex.evidence.value(quote, OA.prefix)))
            checked += 1
        assert checked > 20


def test_statement_quotes_are_the_annotated_words(bundled: dict[str, Extraction]) -> None:
    quoted_documents = 0
    for ex in bundled.values():
        statements = list(ex.facts.subject_objects(JT.quote))
        quoted_documents += bool(statements)
        for statement, quote in statements:
            annotation = ex.evidence.value(None, OA.hasBody, statement)
            assert annotation is not None
            target = ex.evidence.value(annotation, OA.hasTarget)
            exact = {
                str(ex.evidence.value(s, OA.exact)) for s in ex.evidence.objects(target, OA.hasSelector)
            } - {"None"}
            assert str(quote) in exact
    # Every bundled document quotes someone: a check over no statements would prove nothing.
    assert quoted_documents == len(bundled) == 5


def test_jamestown_metadata_and_people(bundled: dict[str, Extraction]) -> None:
    ex = bundled["jamestown"]
    assert (
        str(ex.facts.value(ex.doc_iri, DCTERMS.title))
        == "Taiwan-Japan Ties Deepen Amid Chinese Assertiveness"
    )
    assert ex.facts.value(ex.doc_iri, DCTERMS.creator) == ID["person/lauren-dickey"]
    assert ex.facts.value(ex.doc_iri, DCTERMS.publisher) == ID["institution/jamestown-foundation"]
    assert ("lauren-dickey", "Ph.D. candidate", "kings-college-london") in positions(ex.facts)
    assert {"Renho Murata", "Masaki Saito"} <= labels_of(ex.facts, JT.Person)


def test_stimson_panel_with_affiliations(bundled: dict[str, Extraction]) -> None:
    ex = bundled["stimson"]
    assert ex.facts.value(ex.doc_iri, DCTERMS.issued) == Literal(
        "2021-03-17", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date")
    )
    assert ex.facts.value(ex.doc_iri, DCTERMS.creator) is None  # the text names no author
    found = positions(ex.facts)
    assert ("madoka-fukuda", "Professor", "hosei-university") in found
    assert ("kayo-takuma", "Professor", "tokyo-metropolitan-university") in found
    webinar = ID["event/stimson-center-webinar-2021-03-17"]
    panel = {str(p).rsplit("/", 1)[1] for p in ex.facts.objects(webinar, JT.participant)}
    assert {"madoka-fukuda", "kayo-takuma", "takahisa-kawaguchi", "yuka-koshino", "yuki-tatsumi"} <= panel


def test_newsweek_resolves_surnames_and_tells_the_two_tsais_apart(bundled: dict[str, Extraction]) -> None:
    ex = bundled["newsweek"]
    speakers = {str(o).rsplit("/", 1)[1] for o in ex.facts.objects(None, JT.statedBy)}
    assert {"lo-chih-cheng", "tsai-shih-ying", "tsun-yen-wang", "corey-wallace", "grant-newsham"} <= speakers
    assert "tsai-ing-wen" not in speakers
    assert ("lo-chih-cheng", "legislator", "democratic-progressive-party") in positions(ex.facts)


def test_agreement_parties_come_from_its_name(bundled: dict[str, Extraction]) -> None:
    ex = bundled["newsweek"]
    agreement = ID["agreement/taiwan-japan-fisheries-agreement"]
    assert set(ex.facts.objects(agreement, JT.party)) == {ID["state/taiwan"], ID["state/japan"]}
    assert str(ex.facts.value(agreement, JT.date)) == "2013"


def test_prospect_and_brain_trust_bylines(bundled: dict[str, Extraction]) -> None:
    prospect, tbt = bundled["prospect"], bundled["taiwan"]
    assert prospect.facts.value(prospect.doc_iri, DCTERMS.creator) == ID["person/hideshi-tokuchi"]
    assert tbt.facts.value(tbt.doc_iri, DCTERMS.creator) == ID["person/yu-shih-liao"]
    assert any(org == "taiwan-brain-trust" for _, _, org in positions(tbt.facts))


def test_new_article_metadata_is_read_from_the_text(new_article: Extraction) -> None:
    f, d = new_article.facts, new_article.doc_iri
    assert str(f.value(d, DCTERMS.title)) == "Japan and Taiwan Weigh a Coast Guard Pact"
    assert f.value(d, DCTERMS.creator) == ID["person/miriam-okafor"]
    assert f.value(d, DCTERMS.publisher) == ID["institution/pacific-policy-institute"]
    assert str(f.value(d, DCTERMS.issued)) == "2025-04-04"


def test_new_article_people_affiliations_and_statements(new_article: Extraction) -> None:
    f = new_article.facts
    assert {"Hiroshi Tanabe", "Chen Wei-lun", "Akiko Morimoto"} <= labels_of(f, JT.Person)
    found = positions(f)
    assert ("hiroshi-tanabe", "senior researcher", "okinawa-maritime-studies-center") in found
    assert ("chen-wei-lun", "legislator", "kuomintang") in found
    assert ("akiko-morimoto", "Professor", "ryukyu-university") in found
    urged = [s for s in f.subjects(JT.statedBy, ID["person/chen-wei-lun"])]
    assert urged and (urged[0], RDF.type, JT.Recommendation) in f
    assert set(f.objects(urged[0], JT.addressedTo)) == {ID["state/japan"], ID["state/taiwan"]}
    morimoto = next(f.subjects(JT.statedBy, ID["person/akiko-morimoto"]))
    assert ID["issue/senkaku-islands-dispute"] in set(f.objects(morimoto, JT.concerns))
    tanabe = set(f.subjects(JT.statedBy, ID["person/hiroshi-tanabe"]))
    assert len(tanabe) == 2  # "..., said the talks" and the quoted '..." Tanabe said.'


@pytest.mark.parametrize(
    "text",
    [
        "Ã©tÃ© mojibake from Taipei. Prime Minister Jane Roe said so.\n",
        'An "unbalanced quote about Taiwan and Japan.\n' * 3,
        "| Name | Role |\n|---|---|\n| Jane Roe | Minister |\n",
        "Taiwan " * 5000 + "\n",
        "日本と台湾の関係。Taiwan and Japan talked.\n",
    ],
)
def test_awkward_text_never_crashes(extractor: Extractor, tmp_path: Path, text: str) -> None:
    path = tmp_path / "awkward.txt"
    path.write_text(text, encoding="utf-8")
    ex = extractor.extract_file(path)
    assert (ex.doc_iri, RDF.type, JT.Document) in ex.facts


def test_mojibake_is_reported(extractor: Extractor, tmp_path: Path) -> None:
    path = tmp_path / "mojibake.txt"
    path.write_text("The Ã©lite of Taipei met in Tokyo.\n", encoding="utf-8")
    assert any("mojibake" in w for w in extractor.extract_file(path).warnings)


NEWS_PAGE = """<html><head><title>Tokyo and Taipei plan drills</title>
<script>window.track('Senator John Fake');</script></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Tokyo and Taipei Plan Joint Drills</h1>
<p>By Sara Lindqvist</p>
<p>Taiwanese Defense Minister Wellington Koo said on Tuesday that Taiwan would welcome Japanese observers at its exercises.</p>
<p>Mika Arai, a senior fellow at the Sasakawa Peace Foundation, said the plan "marks a turning point" for both sides.</p>
<p>"Japan should move carefully," Arai said.</p>
</article><footer>Copyright 2025 Example News</footer></body></html>"""


def test_an_unseen_html_news_page(extractor: Extractor, tmp_path: Path) -> None:
    path = tmp_path / "drills.html"
    path.write_text(NEWS_PAGE, encoding="utf-8")
    ex = extractor.extract_file(path)
    f, d = ex.facts, ex.doc_iri
    assert "John Fake" not in ex.document.text  # scripts are not text
    assert f.value(d, DCTERMS.creator) == ID["person/sara-lindqvist"]
    found = positions(f)
    assert ("wellington-koo", "Defense Minister", "taiwan") in found
    assert ("mika-arai", "senior fellow", "sasakawa-peace-foundation") in found
    speakers = {str(o).rsplit("/", 1)[1] for o in f.objects(None, JT.statedBy)}
    assert {"wellington-koo", "mika-arai"} <= speakers
    arai = [
        s for s in f.subjects(JT.statedBy, ID["person/mika-arai"]) if (s, RDF.type, JT.Recommendation) in f
    ]
    assert arai, "the quoted 'should' is a recommendation"


def test_position_dates_where_the_text_gives_them(extractor: Extractor, tmp_path: Path) -> None:
    path = tmp_path / "tenure.txt"
    path.write_text(
        "Akira Tanaka, the director of the Okinawa Peace Institute since April 2019, "
        "said the talks mattered.\n",
        encoding="utf-8",
    )
    facts = extractor.extract_file(path).facts
    position = next(facts.objects(ID["person/akira-tanaka"], JT.holds))
    assert facts.value(position, JT.positionIn) == ID["institution/okinawa-peace-institute"]
    assert str(facts.value(position, JT.startDate)) == "2019-04"


def test_passages_in_other_languages_are_reported(extractor: Extractor, tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_text(
        "Taiwan and Japan met.\n日本と台湾は安全保障について協議した。関係者が語った。\n", encoding="utf-8"
    )
    ex = extractor.extract_file(path)
    assert any("not in English" in w and "line 2" in w for w in ex.warnings)
    assert ID["state/taiwan"] in set(ex.facts.objects(ex.doc_iri, JT.mentions))


def test_document_language_is_emitted(extractor: Extractor, tmp_path: Path) -> None:
    """dcterms:language: as the front matter says it, else detected (BCP 47, xsd:language)."""
    ja = tmp_path / "ja-note.md"
    ja.write_text(
        "---\ntitle: Note\nlanguage: ja\n---\n\n日本と台湾の海上保安当局は那覇で会談した。\n",
        encoding="utf-8",
    )
    en = tmp_path / "en-note.md"
    en.write_text(NEW_ARTICLE, encoding="utf-8")
    for path, tag in ((ja, "ja"), (en, "en")):
        ex = extractor.extract_file(path)
        value = ex.facts.value(ex.doc_iri, DCTERMS.language)
        assert value == Literal(tag, datatype=XSD.language), path.name
