"""Word documents: read in order with their core properties; the same entities as Markdown."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import docx
import pytest

from jtkg.loaders.docx import MAX_XML_BYTES
from jtkg.loaders.extract import Extractor
from jtkg.loaders.reader import DocumentError, read_document
from jtkg.ontology import JT, OA

TITLE = "Japan and Taiwan Deepen Coast Guard Cooperation"
PARAGRAPHS = [
    "Japan and Taiwan signed a memorandum on maritime search and rescue in Taipei on March 5, 2024.",
    "Foreign Minister Tam Yu-hsin said the agreement would protect fishermen near the Senkaku Islands.",
    "The Sasakawa Peace Foundation hosted a follow-up meeting in Tokyo.",
]
TABLE = [["Party", "Role"], ["Japan", "signatory"], ["Taiwan", "signatory"]]


def _word_file(path: Path, author: str = "Jane Roe") -> Path:
    document = docx.Document()
    document.core_properties.title = TITLE
    document.core_properties.author = author
    document.core_properties.created = datetime(2024, 3, 6, 9, 0)
    document.add_heading(TITLE, level=1)
    document.add_paragraph(PARAGRAPHS[0])
    document.add_paragraph(PARAGRAPHS[1])
    table = document.add_table(rows=len(TABLE), cols=2)
    for r, row in enumerate(TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph(PARAGRAPHS[2])
    document.save(str(path))
    return path


def _markdown_file(path: Path) -> Path:
    body = "\n\n".join(
        [f"# {TITLE}", PARAGRAPHS[0], PARAGRAPHS[1], "\n".join(" | ".join(r) for r in TABLE), PARAGRAPHS[2]]
    )
    path.write_text(
        f"---\ntitle: {TITLE}\nauthor: Jane Roe\ndate: 2024-03-06\n---\n{body}\n", encoding="utf-8"
    )
    return path


def test_paragraphs_headings_and_tables_are_read_in_order(tmp_path: Path) -> None:
    doc = read_document(_word_file(tmp_path / "report.docx"))
    assert doc.media_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert doc.text.startswith(f"# {TITLE}\n\n{PARAGRAPHS[0]}\n\n{PARAGRAPHS[1]}\n\n")
    assert "Party | Role\nJapan | signatory\nTaiwan | signatory" in doc.text
    assert doc.text.index("Taiwan | signatory") < doc.text.index(PARAGRAPHS[2])
    assert doc.front_matter == {"title": TITLE, "author": "Jane Roe", "date": "2024-03-06"}


def test_a_programs_placeholder_author_is_not_an_author(tmp_path: Path) -> None:
    doc = read_document(_word_file(tmp_path / "report.docx", author="python-docx"))
    assert "author" not in doc.front_matter


def test_the_same_entities_and_metadata_as_the_same_text_in_markdown(tmp_path: Path) -> None:
    extractor = Extractor()
    word = extractor.extract_file(_word_file(tmp_path / "report.docx"))
    markdown = extractor.extract_file(_markdown_file(tmp_path / "report.md"))
    mentioned = {str(e) for e in word.facts.objects(word.doc_iri, JT.mentions)}
    assert mentioned and mentioned == {str(e) for e in markdown.facts.objects(markdown.doc_iri, JT.mentions)}
    assert any(e.endswith("sasakawa-peace-foundation") for e in mentioned)
    for predicate in (
        "http://purl.org/dc/terms/title",
        "http://purl.org/dc/terms/creator",
        "http://purl.org/dc/terms/issued",
    ):
        w = {str(o) for _, p, o in word.facts.triples((word.doc_iri, None, None)) if str(p) == predicate}
        m = {
            str(o)
            for _, p, o in markdown.facts.triples((markdown.doc_iri, None, None))
            if str(p) == predicate
        }
        assert w and w == m, predicate
    quotes = [str(q) for q in word.evidence.objects(None, OA.exact)]
    assert quotes and all(q in word.document.text for q in quotes)


def test_a_truncated_word_file_is_one_line(tmp_path: Path) -> None:
    whole = _word_file(tmp_path / "whole.docx").read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(DocumentError) as info:
        read_document(path)
    assert str(info.value).startswith(f"{path}: not a readable Word document") and "\n" not in str(info.value)


def test_a_zip_without_a_word_document_inside_is_one_line(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("hello.txt", "Taiwan and Japan met.")
    path = tmp_path / "fake.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(DocumentError, match=r"fake\.docx: not a readable Word document"):
        read_document(path)


def test_a_zip_bomb_is_refused_from_its_declared_sizes_before_inflating(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", b"<" + b" " * (MAX_XML_BYTES + 1) + b"/>")
    path = tmp_path / "bomb.docx"
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 100_000  # small on disk, over the cap inflated
    with pytest.raises(DocumentError, match=r"bomb\.docx: .*zip bomb"):
        read_document(path)


def test_a_legacy_or_encrypted_word_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(DocumentError, match=r"old\.docx: an encrypted or legacy"):
        read_document(path)


def test_list_items_and_lower_headings_read_as_markdown_would_write_them(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Participants", level=2)
    document.add_paragraph("Taiwan", style="List Bullet")
    document.add_paragraph("Japan", style="List Bullet")
    path = tmp_path / "list.docx"
    document.save(str(path))
    assert read_document(path).text == "## Participants\n\n- Taiwan\n\n- Japan\n"


def test_a_package_inflating_past_its_whole_cap_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("jtkg.loaders.docx.MAX_PACKAGE_BYTES", 1_000_000)  # not 200 MB in a test
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/media/image1.png", b"\0" * 1_000_001)  # images are not text
    path = tmp_path / "images.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(DocumentError, match=r"images\.docx: .*limit for a whole package"):
        read_document(path)
