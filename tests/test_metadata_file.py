"""The metadata file beside documents (issue 15): metadata.tsv parsed, its precedence (front
matter > the file > the format's own > the text), one warning line per bad cell naming the
file and line with the document kept, and the fields reaching the RDF and the page."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import DCTERMS, RDFS, XSD, Literal, URIRef

from jtkg.graph.build import build, bundled_corpus
from jtkg.graph.store import StoreLocation
from jtkg.loaders.extract import Extraction, Extractor
from jtkg.loaders.metadata_file import METADATA_FILE, parse_metadata_file, read_metadata_file
from jtkg.loaders.reader import read_document
from jtkg.ontology import JT
from jtkg.server.app import create_app

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_URL = URIRef("http://schema.org/url")
SCHEMA_DATE = URIRef("http://schema.org/datePublished")
HEADER = "file\ttitle\tauthors\tpublisher\tdate\tsource\tlanguage\n"
#: A plain-text brief whose header says a title and a date, and no publisher or source.
BRIEF = """Harbour Talks Resume

March 3, 2022

Shinzo Abe said the talks would resume. The Norvane Institute hosted them.
"""


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _folder(tmp_path: Path, rows: str, **files: str) -> Path:
    for name, text in (files or {"brief.txt": BRIEF}).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / METADATA_FILE).write_text(rows, encoding="utf-8")
    return tmp_path


def _extract(extractor: Extractor, path: Path) -> Extraction:
    return extractor.extract(read_document(path))


def _one(extraction: Extraction, prop: URIRef) -> object:
    values = list(extraction.facts.objects(extraction.doc_iri, prop))
    assert len(values) <= 1, values
    return values[0] if values else None


def _labels(extraction: Extraction, prop: URIRef) -> list[str]:
    """The labels of what the document points to by ``prop`` (IRIs, each with a label)."""
    found = []
    for value in extraction.facts.objects(extraction.doc_iri, prop):
        assert isinstance(value, URIRef)
        found.append(str(extraction.facts.value(value, RDFS.label)))
    return sorted(found)


def test_the_file_is_parsed_with_comments_aliases_and_spreadsheet_quotes(tmp_path: Path) -> None:
    text = (
        "# comment\n\nFile\tTitle\tAuthor\tURL\n"
        'a.txt\t"Taiwan, Japan ""Stand Together"""\tJane Roe; Sora Veld\thttps://example.org/a\n'
        'b.txt\t"Stand Together" and more "x"\t\t\n'
    )
    meta = parse_metadata_file(tmp_path / METADATA_FILE, text.encode("utf-16"))  # with its BOM
    assert meta.problems == []
    assert meta.rows["a.txt"].line == 4 and meta.rows["a.txt"].cells == {
        "file": "a.txt",
        "title": 'Taiwan, Japan "Stand Together"',
        "authors": "Jane Roe; Sora Veld",
        "source": "https://example.org/a",
    }
    assert meta.rows["b.txt"].cells["title"] == '"Stand Together" and more "x"'  # not a quoted cell


def test_the_file_gives_a_plain_text_document_its_metadata(tmp_path: Path, extractor: Extractor) -> None:
    folder = _folder(
        tmp_path,
        HEADER + "brief.txt\t\tJane Roe; Sora Veld\tNorvane Institute; Harbour Ledger\t2022-03\t"
        "https://example.org/briefs/harbour\tEnglish\n",
    )
    doc = read_document(folder / "brief.txt")
    assert doc.warnings == [] and doc.language == "en"
    x = extractor.extract(doc)
    assert _one(x, DCTERMS.source) == _one(x, SCHEMA_URL) == URIRef("https://example.org/briefs/harbour")
    assert _one(x, DCTERMS.issued) == _one(x, SCHEMA_DATE) == Literal("2022-03", datatype=XSD.gYearMonth)
    assert _labels(x, DCTERMS.publisher) == ["Harbour Ledger", "Norvane Institute"]
    assert _labels(x, DCTERMS.creator) == ["Jane Roe", "Sora Veld"]
    assert str(_one(x, DCTERMS.title)) == "Harbour Talks Resume"  # no title given: the text's


def test_front_matter_wins_over_the_file_and_the_file_over_the_text(
    tmp_path: Path, extractor: Extractor
) -> None:
    note = "---\ndate: 2020-01-02\nauthor: Jane Roe\n---\n" + BRIEF
    folder = _folder(
        tmp_path,
        HEADER
        + "note.md\tFile Title\tSora Veld\t\t2019\thttps://example.org/note\tde\n"
        + "brief.txt\tFile Title\t\t\t2019-05-06\t\t\n",
        **{"note.md": note, "brief.txt": BRIEF},
    )
    md = _extract(extractor, folder / "note.md")
    assert _one(md, DCTERMS.issued) == Literal("2020-01-02", datatype=XSD.date)  # front matter
    assert _labels(md, DCTERMS.creator) == ["Jane Roe"]  # front matter's author, not the file's
    assert str(_one(md, DCTERMS.title)) == "File Title"  # the file, over the text's heading
    assert _one(md, SCHEMA_URL) == URIRef("https://example.org/note")  # only the file gives one
    assert md.document.language == "de"  # the file's, over the detected language
    txt = _extract(extractor, folder / "brief.txt")
    assert _one(txt, DCTERMS.issued) == Literal("2019-05-06", datatype=XSD.date)  # not the text's 2022
    assert str(_one(txt, DCTERMS.title)) == "File Title"


def test_the_file_corrects_metadata_a_format_embeds(tmp_path: Path, extractor: Extractor) -> None:
    page = (
        '<html><head><title>Tool Title</title><meta property="og:url" content="https://example.org/old">'
        "</head><body><article><h1>Harbour Talks Resume</h1><p>Shinzo Abe said the talks would resume "
        "in the spring, and many people agreed with him about the talks.</p></article></body></html>"
    )
    folder = _folder(
        tmp_path, HEADER + "page.html\tFile Title\t\t\t\thttps://example.org/new\t\n", **{"page.html": page}
    )
    x = _extract(extractor, folder / "page.html")
    assert str(_one(x, DCTERMS.title)) == "File Title"
    assert _one(x, DCTERMS.source) == URIRef("https://example.org/new")


@pytest.mark.parametrize(
    ("rows", "line", "says"),
    [
        (HEADER + "brief.txt\t\t\t\t2021-02-30\t\t\n", 2, "date '2021-02-30' is not an ISO 8601 date"),
        (HEADER + "brief.txt\t\t\t\tMarch 2021\t\t\n", 2, "date 'March 2021' is not an ISO 8601 date"),
        (HEADER + "brief.txt\t\t\t\t\tftp://example.org/x\t\n", 2, "source 'ftp://example.org/x' is not"),
        (HEADER + "brief.txt\t\t\t\t\twww.example.org/x\t\n", 2, "source 'www.example.org/x' is not"),
        (HEADER + "brief.txt\t\t\t\t\thttps://example.org/a b\t\n", 2, "is not an absolute http(s) URL"),
        (HEADER + "brief.txt\t\t\t\t\t\tEnglish!!\n", 2, "language 'English!!' is not a BCP 47 tag"),
        ("file\tauther\nbrief.txt\tJane Roe\n", 1, "unknown column 'auther' (ignored)"),
        (HEADER + "brief.txt\n\ngone.txt\tA Title\n", 4, "no file 'gone.txt' in"),
        (HEADER + "brief.txt\nmetadata.tsv\tA Title\n", 3, "'metadata.tsv' is not a document jtkg reads"),
        (
            HEADER + "brief.txt\n# note\nbrief.txt\tAgain\n",
            4,
            "'brief.txt' is listed again (first at line 2)",
        ),
        (HEADER + "sub/brief.txt\tA Title\n", 2, "'sub/brief.txt' is not a file name in this folder"),
        (HEADER + "brief.txt\tA\tB\tC\t2020\tx\ten\textra\n", 2, "8 cells but the header has 7 columns"),
        ("title\tdate\nA Title\t2020\n", 1, "the header has no 'file' column; the file is ignored"),
    ],
)
def test_a_bad_cell_is_one_line_naming_file_and_line_and_the_text_is_kept(
    tmp_path: Path, rows: str, line: int, says: str
) -> None:
    folder = _folder(tmp_path, rows)
    doc = read_document(folder / "brief.txt")  # never refused
    found = [w for w in doc.warnings if METADATA_FILE in w]
    assert len(found) == 1, doc.warnings
    assert found[0].startswith(f"{folder / METADATA_FILE}:{line}: ") and says in found[0]
    assert "\n" not in found[0]
    assert doc.front_matter.get("date") is None and doc.front_matter.get("source") is None
    assert doc.language == "en"


def test_a_bad_date_falls_back_to_the_text_s(tmp_path: Path, extractor: Extractor) -> None:
    folder = _folder(tmp_path, HEADER + "brief.txt\t\t\t\t2021-02-30\t\t\n")
    assert _one(_extract(extractor, folder / "brief.txt"), DCTERMS.issued) == Literal(
        "2022-03-03", datatype=XSD.date
    )


def test_a_file_that_cannot_be_read_is_one_line_too(tmp_path: Path) -> None:
    (tmp_path / "brief.txt").write_text(BRIEF, encoding="utf-8")
    (tmp_path / METADATA_FILE).write_bytes(HEADER.encode() + b"brief.txt\t\xff\xfeBad\n")
    doc = read_document(tmp_path / "brief.txt")
    assert doc.warnings == [
        f"{tmp_path / METADATA_FILE}: not UTF-8 (or UTF-16 with a BOM) text; the file is ignored"
    ]


def test_a_file_s_own_problems_are_said_once_per_build(tmp_path: Path) -> None:
    second = BRIEF.replace("Harbour Talks Resume", "Harbour Talks End")
    folder = _folder(tmp_path, HEADER + "gone.txt\tA\n", **{"a-brief.txt": BRIEF, "b-brief.txt": second})
    result = build([folder], StoreLocation(tmp_path / "store"))
    assert result.published, result.failures
    assert [w for w in result.warnings if "gone.txt" in w] == [
        f"{folder / METADATA_FILE}:2: no file 'gone.txt' in {folder}; the row is ignored"
    ]


def test_the_metadata_reaches_the_store_and_the_document_page(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    _folder(
        folder,
        HEADER + "brief.txt\t\tJane Roe\tHarbour Ledger\t2022-03-04\thttps://example.org/b/h?id=1&x=2\ten\n",
    )
    result = build([folder], StoreLocation(tmp_path / "store"))
    assert result.published, result.failures
    opened = StoreLocation(tmp_path / "store").open()
    doc = ox.NamedNode("https://w3id.org/jtkg/id/document/brief")
    for prop in (DCTERMS.source, SCHEMA_URL):
        found = [q.object for q in opened.quads_for_pattern(doc, ox.NamedNode(str(prop)), None)]
        assert found == [ox.NamedNode("https://example.org/b/h?id=1&x=2")]
    for prop in (DCTERMS.issued, SCHEMA_DATE):
        found = [q.object for q in opened.quads_for_pattern(doc, ox.NamedNode(str(prop)), None)]
        assert found == [ox.Literal("2022-03-04", datatype=ox.NamedNode(str(XSD.date)))]
    del opened
    app = create_app({"STORE": tmp_path / "store", "TESTING": True})
    try:
        client = app.test_client()
        page = client.get("/id/document/brief", headers={"Accept": "text/html"}).get_data(as_text=True)
    finally:
        app.extensions["jtkg.queries"].close()
    meta = page.split('id="document-metadata">')[1].split("</dl>")[0]
    assert '<dt>Source</dt><dd><a href="https://example.org/b/h?id=1&amp;x=2">' in meta
    assert "<dt>Date</dt><dd>2022-03-04" in meta
    assert "<dt>Published by</dt>" in meta and "Harbour Ledger" in meta
    assert "<dt>By</dt>" in meta and "Jane Roe" in meta


def test_the_bundled_file_names_every_bundled_document_and_has_no_problem() -> None:
    corpus = bundled_corpus()
    meta = read_metadata_file(corpus[0].parent / METADATA_FILE)
    assert meta.problems == []
    assert sorted(meta.rows) == sorted(p.name for p in corpus)
    for path in corpus:
        assert not [w for w in read_document(path).warnings if METADATA_FILE in w]


def test_the_bundled_file_is_packaged() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["jtkg.corpus"]
    assert any(fnmatch.fnmatch(METADATA_FILE, pattern) for pattern in patterns)


def test_a_publisher_given_as_the_x_is_the_text_s_x(tmp_path: Path, extractor: Extractor) -> None:
    """ "The Norvane Institute" in the metadata is the institution the text names "Norvane
    Institute", not a second one (it was a new the-norvane-institute)."""
    folder = _folder(tmp_path, HEADER + "brief.txt\t\t\tThe Norvane Institute\t\t\t\n")
    x = _extract(extractor, folder / "brief.txt")
    publishers = list(x.facts.objects(x.doc_iri, DCTERMS.publisher))
    mentioned = set(x.facts.objects(x.doc_iri, JT.mentions))
    assert len(publishers) == 1 and publishers[0] in mentioned


def test_ingest_re_extracts_a_document_whose_row_changed(tmp_path: Path) -> None:
    from jtkg.graph.ingest import ingest

    folder = tmp_path / "docs"
    folder.mkdir()
    _folder(folder, HEADER + "brief.txt\t\t\t\t2019\t\t\n")
    where = StoreLocation(tmp_path / "store")
    assert build([folder], where).published
    brief = [folder / "brief.txt"]
    assert ingest(brief, where).unchanged == ["brief"]  # the build recorded the row
    (folder / METADATA_FILE).write_text(HEADER + "brief.txt\t\t\t\t2018-07\t\t\n", encoding="utf-8")
    result = ingest(brief, where)
    assert result.replaced == ["brief"] and result.generation
    store = where.open()
    doc = ox.NamedNode("https://w3id.org/jtkg/id/document/brief")
    issued = [q.object for q in store.quads_for_pattern(doc, ox.NamedNode(str(DCTERMS.issued)), None)]
    assert issued == [ox.Literal("2018-07", datatype=ox.NamedNode(str(XSD.gYearMonth)))]
    del store
    assert ingest(brief, where).unchanged == ["brief"]


def test_the_parent_parses_a_folder_s_file_once_before_the_workers_fork(tmp_path: Path) -> None:
    from jtkg.loaders import metadata_file
    from jtkg.loaders.formats import warm

    folder = _folder(tmp_path, HEADER + "brief.txt\tA Title\n")
    metadata_file._cache.pop(folder / METADATA_FILE, None)
    warm(iter([str(folder / "brief.txt")]))  # as pipeline.run_each calls it, before forking
    assert metadata_file._cache[folder / METADATA_FILE][1].rows["brief.txt"].cells["title"] == "A Title"


def test_a_fetched_document_s_url_path_is_no_local_folder(tmp_path: Path) -> None:
    """A fetched document's path is its URL's (loaders.fetch.SourcePath, a PurePath): the
    pipeline's manifest field for it is empty, and no local metadata.tsv at the same path is
    read (it raised AttributeError before: every fetched build failed)."""
    from jtkg.loaders.fetch import SourcePath
    from jtkg.loaders.metadata_file import metadata_record

    folder = _folder(tmp_path, HEADER + "brief.txt\tA Title\n")
    assert metadata_record(folder / "brief.txt") != {}
    assert metadata_record(SourcePath.of(f"http://127.0.0.1{folder}/brief.txt")) == {}


def test_a_row_names_its_file_in_either_unicode_form(tmp_path: Path) -> None:
    """A name typed in NFC matches a file the system lists in NFD (macOS), and back."""
    import unicodedata

    nfd = unicodedata.normalize("NFD", "café-brief.txt")
    (tmp_path / nfd).write_text(BRIEF, encoding="utf-8")
    (tmp_path / METADATA_FILE).write_text(HEADER + "café-brief.txt\tA Title\n", encoding="utf-8")
    doc = read_document(tmp_path / nfd)
    assert doc.front_matter.get("title") == "A Title" and doc.warnings == []


def test_the_bundled_sources_are_the_pages_the_texts_were_compared_with(extractor: Extractor) -> None:
    """Two bundled documents have a source (established by comparing their text with a stored
    copy of the page); it reaches the document as an IRI, and jamestown has one publisher
    (CQ5's answer: Modern Tokyo Times hosted the copy, the article is the Jamestown Foundation's)."""
    by_name = {p.name: p for p in bundled_corpus()}
    newsweek = _extract(extractor, by_name["newsweek-taiwan-japan-stand-together.txt"])
    brain_trust = _extract(extractor, by_name["taiwan-brain-trust-security-between-japan-and-taiwan.txt"])
    jamestown = _extract(extractor, by_name["jamestown-taiwan-japan-ties-deepen.txt"])
    assert [str(s) for s in newsweek.facts.objects(newsweek.doc_iri, DCTERMS.source)] == [
        "https://www.newsweek.com/taiwan-japan-urged-stand-together-china-threat-prompts-security-talks-1624593"
    ]
    assert list(brain_trust.facts.objects(brain_trust.doc_iri, DCTERMS.source)) == [
        URIRef("http://jfss.gr.jp/article/1662")
    ]
    assert len(list(jamestown.facts.objects(jamestown.doc_iri, DCTERMS.publisher))) == 1


@pytest.mark.parametrize(
    "source", ["https://example.org/x#a#b", "https://example.org/%zz", "https://ex[ample].org/"]
)
def test_a_source_that_is_no_iri_is_one_warning_and_the_build_publishes(
    tmp_path: Path, extractor: Extractor, source: str
) -> None:
    """These passed the metadata file's check, then stopped the whole build with a traceback
    (pyoxigraph refused the IRI at publish); in front matter too."""
    folder = _folder(tmp_path, HEADER + f"brief.txt\t\t\t\t\t{source}\t\n")
    x = _extract(extractor, folder / "brief.txt")
    assert [w for w in x.warnings if f"source {source!r} is not an absolute http(s) URL" in w]
    assert not [o for o in x.facts.objects(x.doc_iri, DCTERMS.source) if isinstance(o, URIRef)]
    front = tmp_path / "front"
    front.mkdir()
    (front / "note.md").write_text(f"---\ntitle: A Note\nsource: {source}\n---\nJapan and Taiwan met.\n")
    y = _extract(extractor, front / "note.md")
    assert list(y.facts.objects(y.doc_iri, DCTERMS.source)) == [Literal(source)]  # kept, as text
    store = tmp_path / "store"
    result = build([folder / "brief.txt", front / "note.md"], StoreLocation(store))
    assert result.published
