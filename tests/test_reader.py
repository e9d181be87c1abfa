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
    assert (
        doc.front_matter == {"title": "A Brief", "author": "Jane Roe", "date": "2024-05-20"}
        or doc.front_matter["title"] == "A Brief"
    )
    assert doc.text == text
    assert doc.text[doc.body_start :].startswith("# A Brief")


def test_broken_front_matter_is_a_warning_not_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "broken.md"
    path.write_text("---\ntitle: [unclosed\n---\nBody text here.\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.front_matter == {}
    assert any("front matter" in w for w in doc.warnings)


def test_html_keeps_visible_text_and_drops_scripts_and_navigation(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><script>var x = 'Secret';</script><title>T</title></head>"
        "<body><nav>Home | About</nav><p>Prime Minister Jane Roe said so.</p>"
        "<footer>Copyright</footer></body></html>",
        encoding="utf-8",
    )
    doc = read_document(path)
    assert "Prime Minister Jane Roe said so." in doc.text
    assert "Secret" not in doc.text and "Home | About" not in doc.text
    assert "Copyright" not in doc.text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\n", "empty"),
        ("binary.txt", b"\x00\x01\x02PNG\x00", "binary"),
        ("undetectable.txt", bytes(range(0x80, 0x100)) * 4, "UTF-8"),  # latin-1 is read now
        ("image.png", b"\x89PNG\r\n", "unsupported"),
    ],
)
def test_bad_documents_get_one_line_naming_file_and_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as info:
        read_document(path)
    message = str(info.value)
    assert name in message and reason in message and "\n" not in message


def test_missing_document_is_refused_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match=r"nowhere\.txt: cannot read"):
        read_document(tmp_path / "nowhere.txt")


def _billion_laughs(levels: int = 9) -> str:
    """The classic alias bomb: each level refers to the one before nine times."""
    lines = ['lol0: &lol0 "lol"']
    for i in range(1, levels + 1):
        lines.append(f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 9)}]")
    lines.append(f"title: *lol{levels}")
    return "---\n" + "\n".join(lines) + "\n---\nTaiwan and Japan met.\n"


def test_yaml_alias_bomb_in_front_matter_is_refused_before_anything_is_built(tmp_path: Path) -> None:
    # Loading this front matter and printing its title expands 9**9 strings (gigabytes).
    path = tmp_path / "bomb.md"
    path.write_text(_billion_laughs(), encoding="utf-8")
    assert path.stat().st_size < 1024
    with pytest.raises(DocumentError) as info:
        read_document(path)
    assert str(info.value) == (f"{path}: front matter uses YAML aliases/anchors, which are not allowed")


@pytest.mark.parametrize(
    ("front", "reason"),
    [
        ("title: &t A Brief\nauthor: Jane Roe\n", "aliases/anchors"),  # an anchor alone
        ("title: A Brief\nauthor: *t\n", "aliases/anchors"),  # an alias alone
        ("title: [unclosed\n", None),  # invalid YAML stays a warning
        ("title: " + "[" * 11 + "x" + "]" * 11 + "\n", "deeper than 10 levels"),
        ("title: A Brief\nnotes: '" + "x" * 70_000 + "'\n", "the limit is 65,536"),
    ],
    ids=["anchor", "alias", "invalid", "deep", "large"],
)
def test_front_matter_with_anchors_deep_nesting_or_bulk_is_refused_in_one_line(
    tmp_path: Path, front: str, reason: str | None
) -> None:
    path = tmp_path / "odd.md"
    path.write_text(f"---\n{front}---\nBody text here.\n", encoding="utf-8")
    if reason is None:
        doc = read_document(path)
        assert doc.front_matter == {} and any("invalid YAML" in w for w in doc.warnings)
        return
    with pytest.raises(DocumentError) as info:
        read_document(path)
    assert str(info.value).startswith(f"{path}: front matter ")
    assert reason in str(info.value) and "\n" not in str(info.value)


def test_front_matter_nested_ten_deep_without_aliases_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "deep.md"
    path.write_text("---\ntitle: A Brief\nx: " + "[" * 9 + "1" + "]" * 9 + "\n---\nBody.\n", encoding="utf-8")
    assert read_document(path).front_matter == {"title": "A Brief"}
