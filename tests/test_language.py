"""Passages not in English: found by script or function words, reported in one line each, and
only registry names recognised there."""

from __future__ import annotations

from pathlib import Path

import pytest

from jtkg.loaders.extract import Extractor
from jtkg.loaders.language import foreign_passages, language_of
from jtkg.loaders.reader import parse_document, read_document
from jtkg.ontology import ID, JT, OA

ENGLISH_1 = (
    "Prime Minister Fumio Kishida said on Monday that Japan would deepen its ties with "
    "Taiwan. The Sasakawa Peace Foundation hosted the talks in Tokyo."
)
JAPANESE = (
    "日本政府は月曜日、台湾との安全保障に関する対話を来年も続けると発表した。"
    "外務省の関係者によると、Japanとの協力は重要である。"
)
# Capitalised German nouns the English rules take for names: a bank, a forum, a person.
GERMAN = (
    "Die Bundesregierung erklärte am Montag, dass die Deutsche Bank und das Berliner Asien "
    "Forum die Gespräche mit Taiwan und Japan unterstützen. Laut Professor Markus Weber von "
    "der Freien Universität Berlin ist die Lage in der Region ernst."
)
ENGLISH_2 = "Foreign Minister Tam Yu-hsin welcomed the statement."
MIXED = f"# Japan and Taiwan After the Election\n\n{ENGLISH_1}\n\n{JAPANESE}\n\n{GERMAN}\n\n{ENGLISH_2}\n"

PARAGRAPHS = {
    "de": "Nach Angaben des Ministeriums wurden die Verhandlungen über ein neues Abkommen "
    "zwischen Japan und der Europäischen Union im vergangenen Jahr abgeschlossen.",
    "fr": "Selon les experts, les relations économiques entre les deux pays se sont développées "
    "rapidement au cours des dix dernières années, malgré les tensions avec la Chine.",
    "es": "Los analistas creen que la relación entre los dos países se ha fortalecido desde la "
    "pandemia, cuando Japón donó millones de vacunas a la isla.",
    "it": "Secondo gli esperti, le relazioni economiche tra i due paesi sono cresciute molto "
    "negli ultimi anni, nonostante le tensioni con la Cina.",
    "pt": "Segundo os especialistas, as relações econômicas entre os dois países cresceram muito "
    "nos últimos anos, apesar das tensões com a China.",
    "nl": "Volgens deskundigen zijn de economische betrekkingen tussen de twee landen de "
    "afgelopen jaren sterk gegroeid, ondanks de spanningen met China.",
    "id": "Menurut para ahli, hubungan ekonomi antara kedua negara telah berkembang pesat dalam "
    "beberapa tahun terakhir, meskipun ada ketegangan dengan Tiongkok.",
    "ja": "日本政府は月曜日、台湾との安全保障に関する対話を来年も続けると発表した。",
    "zh-Hant": "台灣與日本的關係在過去十年中日益密切，雙方在經濟與安全領域持續合作。",
    "zh-Hans": "中国外交部发言人表示，日本应当慎重处理台湾问题，双方的经济合作仍在继续。",
    "ko": "일본 정부는 월요일 대만과의 안보 대화를 내년에도 계속하겠다고 발표했다.",
    "ru": "Министр иностранных дел заявил, что сотрудничество между Японией и Тайванем важно "
    "для стабильности в регионе.",
    "en": "The minister said that the agreement between Japan and Taiwan was signed in Taipei "
    "after talks that lasted for more than a year.",
}


@pytest.mark.parametrize(("code", "text"), sorted(PARAGRAPHS.items()))
def test_language_of_a_paragraph(code: str, text: str) -> None:
    assert language_of(text) == code


def test_short_or_name_heavy_english_stays_english() -> None:
    assert language_of("Taiwan") == "en"
    assert (
        language_of(
            "Die Welt and Le Monde reported that Taiwan and Japan met in Tokyo "
            "on Monday, as the talks of the two sides went on."
        )
        == "en"
    )


def test_the_bundled_corpus_has_no_passage_taken_for_another_language() -> None:
    corpus = Path(__file__).parent.parent / "corpus"
    for path in corpus.glob("*.txt"):
        assert foreign_passages(path.read_text(encoding="utf-8")) == [], path.name


def test_a_mixed_document_names_each_foreign_paragraph_in_one_line() -> None:
    doc = parse_document(Path("mixed.md"), MIXED.encode(), "text/markdown")
    ex = Extractor().extract(doc)
    lines = [w for w in ex.warnings if "not in English" in w]
    ja, de = MIXED.index(JAPANESE), MIXED.index(GERMAN)
    assert lines == [
        f"mixed.md: paragraph at offset {ja} (line 5) is in Japanese, not in English; only "
        "registry names are recognised there",
        f"mixed.md: paragraph at offset {de} (line 7) is in German, not in English; only "
        "registry names are recognised there",
    ]
    assert doc.language == "en"


def test_no_english_rule_runs_inside_the_german_paragraph_but_registry_names_are_found() -> None:
    doc = parse_document(Path("mixed.md"), MIXED.encode(), "text/markdown")
    ex = Extractor().extract(doc)
    mentioned = set(ex.facts.objects(ex.doc_iri, JT.mentions))
    for name in ("institution/deutsche-bank", "institution/berliner-asien-forum", "person/markus-weber"):
        assert ID[name] not in mentioned
    # The English paragraphs extract as before.
    for name in (
        "person/fumio-kishida",
        "institution/sasakawa-peace-foundation",
        "person/tam-yu-hsin",
        "state/japan",
        "state/taiwan",
    ):
        assert ID[name] in mentioned
    # Registry names inside the Japanese and German paragraphs still carry evidence there.
    starts = {int(o) for o in ex.evidence.objects(None, OA.start)}
    ja, de = MIXED.index(JAPANESE), MIXED.index(GERMAN)
    assert any(ja <= s < ja + len(JAPANESE) for s in starts)
    assert any(de <= s < de + len(GERMAN) for s in starts)


def test_a_document_wholly_in_another_language_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "de.txt"
    path.write_text(f"{GERMAN}\n\n{PARAGRAPHS['de']}\n", encoding="utf-8")
    doc = read_document(path)
    ex = Extractor().extract(doc)
    lines = [w for w in ex.warnings if "not in English" in w]
    assert doc.language == "de" and len(lines) == 1 and "mostly in German" in lines[0]
    assert ID["state/taiwan"] in set(ex.facts.objects(ex.doc_iri, JT.mentions))


def test_front_matter_language_is_kept_as_metadata() -> None:
    doc = parse_document(Path("a.md"), b"---\nlanguage: en-GB\n---\nTaiwan and Japan met.\n", "text/markdown")
    assert doc.front_matter["language"] == "en-GB" and doc.language == "en-GB"


def test_a_language_given_by_name_is_read_as_its_tag() -> None:
    doc = parse_document(
        Path("a.md"), b"---\nlanguage: English\n---\nTaiwan and Japan met.\n", "text/markdown"
    )
    assert doc.language == "en"
    ex = Extractor().extract(
        parse_document(
            Path("b.md"), f"---\nlanguage: English\n---\n{ENGLISH_1}\n\n{GERMAN}\n".encode(), "text/markdown"
        )
    )
    assert not any("mostly in" in w for w in ex.warnings)
    assert any("is in German" in w for w in ex.warnings)
