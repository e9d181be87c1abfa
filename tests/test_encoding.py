"""Decoding documents that are not UTF-8: declared charset, UTF-8, then detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from jtkg.loaders.encoding import decode
from jtkg.loaders.extract import Extractor
from jtkg.loaders.reader import DocumentError, parse_document, read_document
from jtkg.ontology import ID, JT, OA

JAPANESE = (
    "日本政府は月曜日、台湾との安全保障に関する対話を来年も続けると発表した。"
    "外務省の関係者によると、両国は経済協力も強化する予定である。\n"
)
TRADITIONAL = "台灣與日本的關係在過去十年中日益密切。雙方在經濟、文化與安全領域持續合作。\n"
SIMPLIFIED = "中国外交部发言人表示，日本应当慎重处理台湾问题。双方的经济合作仍在继续。\n"
WESTERN = (
    "The minister said: “We are ready.” The café in Taipei hosted the délégation’s "
    "meeting — it was brief, and Taiwan and Japan agreed to meet again.\n"
)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (JAPANESE, "shift_jis"),
        (TRADITIONAL, "big5"),
        (SIMPLIFIED, "gb18030"),
        (WESTERN, "cp1252"),
    ],
)
def test_undeclared_encodings_are_detected_and_decoded_exactly(
    tmp_path: Path, text: str, encoding: str
) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(text.encode(encoding))
    doc = read_document(path)
    assert doc.text == text
    assert any("not UTF-8; read as" in w for w in doc.warnings)


def test_french_in_cp1252_is_not_read_as_central_european() -> None:
    # charset-normalizer alone answers cp1250 here, which turns "à" into "ŕ"
    text = "Le ministre a déclaré à Paris que la coopération était très importante.\n"
    assert decode(text.encode("cp1252"), None, Path("fr.txt")) == (text, "cp1252")


def test_a_short_latin1_file_is_read() -> None:
    doc = parse_document(Path("latin1.txt"), "Café in Taipei".encode("latin-1"), "text/plain")
    assert doc.text == "Café in Taipei"


def test_a_declared_charset_wins_over_detection() -> None:
    # The same bytes mean different text in cp1252 and cp1251: the declaration decides.
    data = "Привет, Тайвань и Япония встретились в Токио.\n".encode("cp1251")
    assert decode(data, "windows-1251", Path("a.txt"))[0].startswith("Привет")
    text, encoding = decode(data, "windows-1252", Path("a.txt"))
    assert encoding == "cp1252" and text == data.decode("cp1252")


def test_a_declared_shift_jis_is_read_as_windows_31j() -> None:
    text = "①番目の会議は東京で開かれた。\n"  # circled digits exist only in cp932
    assert decode(text.encode("cp932"), "Shift_JIS", Path("a.txt")) == (text, "cp932")


def test_a_wrong_or_unknown_declaration_falls_back_to_the_bytes() -> None:
    assert decode(JAPANESE.encode(), "no-such-charset", Path("a.txt")) == (JAPANESE, "utf-8")
    assert decode(JAPANESE.encode("utf-8"), "ascii", Path("a.txt")) == (JAPANESE, "utf-8")


def test_byte_order_marks_are_honoured() -> None:
    assert decode(b"\xef\xbb\xbfTaiwan", None, Path("a.txt")) == ("Taiwan", "utf-8-sig")
    assert decode("Taiwan 台灣".encode("utf-16"), None, Path("a.txt"))[0] == "Taiwan 台灣"


@pytest.mark.parametrize("data", [bytes(range(0x80, 0x100)) * 4, b"\x00\x01PNG\x00junk"])
def test_binary_junk_is_still_refused_in_one_line(data: bytes) -> None:
    with pytest.raises(DocumentError) as info:
        decode(data, None, Path("junk.txt"))
    assert str(info.value).startswith("junk.txt: ") and "\n" not in str(info.value)


def test_evidence_quotes_the_decoded_text(tmp_path: Path) -> None:
    path = tmp_path / "western.txt"
    path.write_bytes(WESTERN.encode("cp1252"))
    ex = Extractor().extract_file(path)
    assert ID["state/taiwan"] in set(ex.facts.objects(ex.doc_iri, JT.mentions))
    quotes = {str(q) for q in ex.evidence.objects(None, OA.exact)}
    assert quotes and all(q in WESTERN for q in quotes) and "Taiwan" in quotes
