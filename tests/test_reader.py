"""Reading documents: formats, front matter, and one-line refusals of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from jtkg.loaders.reader import DocumentError, read_document


def test_plain_text_is_read_as_is(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Taiwan and Japan met.\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.text == "Taiwan and Japan met.\n"
    assert doc.slug == "note" and doc.media_type == "text/plain" and len(doc.sha256) == 64


def test_markdown_front_matter_gives_metadata_and_offsets_stay_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "brief.md"
    text = "---\ntitle: A Brief\nauthor: Jane Roe\ndate: 2024-05-20\n---\n# A Brief\n\nBody.\n"
    path.write_text(text, encoding="utf-8")
    doc = read_document(path)
    assert doc.front_matter == {"title": "A Brief", "author": "Jane Roe", "date": "2024-05-20"} \
        or doc.front_matter["title"] == "A Brief"
    assert doc.text == text
    assert doc.text[doc.body_start:].startswith("# A Brief")


def test_broken_front_matter_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "broken.md"
    path.write_text("---\ntitle: [unclosed\n---\nBody text here.\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.front_matter == {}
    assert any("front matter" in w for w in doc.warnings)


def test_html_keeps_visible_text_and_drops_scripts_and_navigation(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><head><script>var x = 'Secret';</script><title>T</title></head>"
                    "<body><nav>Home | About</nav><p>Prime Minister Jane Roe said so.</p>"
                    "<footer>Copyright</footer></body></html>", encoding="utf-8")
    doc = read_document(path)
    assert "Prime Minister Jane Roe said so." in doc.text
    assert "Secret" not in doc.text and "Home | About" not in doc.text
    assert "Copyright" not in doc.text


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"   \n\n", "empty"),
    ("binary.txt", b"\x00\x01\x02PNG\x00", "binary"),
    ("latin1.txt", "Caf\u00e9 in Taipei".encode("latin-1"), "UTF-8"),
    ("image.png", b"\x89PNG\r\n", "unsupported"),
])
def test_bad_documents_get_one_line_naming_file_and_reason(tmp_path: Path, name: str,
                                                          content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as info:
        read_document(path)
    message = str(info.value)
    assert name in message and reason in message and "\n" not in message


def test_missing_document_is_refused_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match=r"nowhere\.txt: cannot read"):
        read_document(tmp_path / "nowhere.txt")
