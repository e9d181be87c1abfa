"""PDF reports: text in reading order, evidence citing the page, and bad input in one line.

Every PDF here is written by the test itself (tests/pdf_maker.py) from the text below,
which was written for these tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from jtkg.graph.validate import validate
from jtkg.loaders.emit import RFC8118
from jtkg.loaders.extract import Extraction, Extractor
from jtkg.loaders.pdf import Line, _assemble, _drop_running_lines, _first_page_title, _join
from jtkg.loaders.reader import DocumentError, read_document
from jtkg.ontology import JT, OA
from tests.pdf_maker import HEADER, SHY, make_report

pytest.importorskip("reportlab")

TITLE = "Taiwan and Japan Widen Their Chip Partnership"
FRONT = [TITLE, "By: Naomi Ferreira", "Kuroshio Policy Institute", "March 12, 2025"]
PARAGRAPHS = [
    f"Officials from Japan and Taiwan met in Kumamoto on March 10, 2025, to review a joint "
    f"pro{SHY}gramme for semi{SHY}con{SHY}duc{SHY}tor supply chains and the training of "
    f"en{SHY}gi{SHY}neers.",
    f"Kenji Morita, a senior fellow at the Hokkaido Institute of Strategic Studies, said the "
    f'pro{SHY}gramme had grown faster than expected. "Both gov{SHY}ern{SHY}ments should publish '
    f'a common standard for export controls," Morita said.',
    f"Lin Mei-hua, a researcher at the Taipei Center for Regional Security, argued that the "
    f"co{SHY}op{SHY}er{SHY}a{SHY}tion should also cover energy security and the "
    f"pro{SHY}tec{SHY}tion of undersea cables.",
    "Shinzo Abe^1 first proposed a dialogue of this kind, and his successors kept the idea "
    "alive through a series of quiet meetings between lawmakers of both sides.",
    "Wang Chih-ming, a fellow at the Formosa Institute for Maritime Affairs, said fishing "
    'crews near Yonaguni wanted clearer rules. "Coast guards on both sides should share '
    'their patrol schedules before the season opens," Wang said in Taipei.',
    f"Yumi Hasegawa, a professor at the Kyushu Academy of Asian Studies, noted that "
    f"uni{SHY}ver{SHY}si{SHY}ties in Fukuoka and Tainan had begun a student exchange on "
    f"ma{SHY}te{SHY}ri{SHY}als science.",
]
NOTE = "1 Abe spoke at a forum in Tokyo in 2021."


def plain(paragraph: str) -> str:
    """The paragraph as a reader sees it (the raised footnote marker left out)."""
    return paragraph.replace(SHY, "").replace("^1", "")


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdf")


@pytest.fixture(scope="module")
def report(folder: Path):
    return make_report(
        folder / "chip-partnership.pdf",
        FRONT,
        PARAGRAPHS * 2,
        title=TITLE,
        author="Naomi Ferreira",
        date="2025-03-12",
        notes=[NOTE],
    )


@pytest.fixture(scope="module")
def pdf_extraction(extractor: Extractor, report) -> Extraction:
    return extractor.extract_file(report.path)


@pytest.fixture(scope="module")
def markdown_extraction(extractor: Extractor, folder: Path) -> Extraction:
    path = folder / "chip-partnership.md"
    body = "\n\n".join(FRONT + [plain(p) for p in PARAGRAPHS * 2] + [NOTE])
    path.write_text(body + "\n", encoding="utf-8")
    return extractor.extract_file(path)


def test_the_writer_made_what_the_tests_need(report) -> None:
    assert report.pages >= 3
    assert {"programme", "cooperation"} & set(report.hyphenated)


def test_text_in_reading_order_without_running_lines(report) -> None:
    doc = read_document(report.path)
    assert doc.media_type == "application/pdf"
    text = doc.text
    # Every paragraph whole and in order, though the columns were drawn interleaved.
    at = 0
    for paragraph in [*FRONT, *(plain(p) for p in PARAGRAPHS * 2)]:
        words = paragraph
        found = text.find(words, at)
        assert found >= 0, f"not found in order: {words[:40]!r}"
        at = found + len(words)
    assert HEADER not in text
    assert not re.search(r"Page \d", text)
    for word in report.hyphenated:
        assert word in text
    assert not re.search(r"[a-z]- [a-z]", text)


def test_footnote_marker_kept_apart_from_the_name(report, pdf_extraction: Extraction) -> None:
    assert "Shinzo Abe first proposed" in pdf_extraction.document.text
    people = {
        str(pdf_extraction.facts.value(s, RDFS.label))
        for s in pdf_extraction.facts.objects(None, JT.mentions)
    }
    assert not any(re.search(r"Abe\d", p) for p in people)


def test_page_starts_and_metadata(report) -> None:
    doc = read_document(report.path)
    assert len(doc.page_starts) == report.pages and doc.page_starts[0] == 0
    assert doc.page_starts == sorted(doc.page_starts)
    assert doc.front_matter == {"title": TITLE, "authors": ["Naomi Ferreira"], "date": "2025-03-12"}


def test_metadata_from_the_first_page_when_the_info_dictionary_has_none(folder: Path) -> None:
    # reportlab writes "untitled" and "anonymous" when not told: placeholders, not metadata.
    made = make_report(folder / "no-info.pdf", FRONT, PARAGRAPHS[:2])
    meta = read_document(made.path).front_matter
    assert meta.get("title") == TITLE
    assert "authors" not in meta


def test_same_entities_and_statements_as_markdown(
    pdf_extraction: Extraction, markdown_extraction: Extraction
) -> None:
    def entities(ex: Extraction) -> set[tuple[str, str]]:
        return {
            (str(s), str(t))
            for s, t in ex.facts.subject_objects(RDF.type)
            if t != JT.Document and "/document/" not in str(s)
        }

    def statements(ex: Extraction) -> set[tuple[str, str]]:
        return {(str(ex.facts.value(s, JT.statedBy)), str(q)) for s, q in ex.facts.subject_objects(JT.quote)}

    pdf_entities = entities(pdf_extraction)
    assert pdf_entities == entities(markdown_extraction)
    assert len(statements(pdf_extraction)) >= 2
    assert statements(pdf_extraction) == statements(markdown_extraction)
    pdf_doc, md_doc = pdf_extraction.doc_iri, markdown_extraction.doc_iri
    for prop in (DCTERMS.title, DCTERMS.creator, DCTERMS.issued):
        assert pdf_extraction.facts.value(pdf_doc, prop) == markdown_extraction.facts.value(md_doc, prop)


def _selectors(ex: Extraction) -> list[tuple[int, int, str, str | None]]:
    e = ex.evidence
    found = []
    for target in e.subjects(RDF.type, OA.SpecificResource):
        start = end = exact = page = None
        for sel in e.objects(target, OA.hasSelector):
            kind = e.value(sel, RDF.type)
            if kind == OA.TextPositionSelector:
                start, end = int(e.value(sel, OA.start)), int(e.value(sel, OA.end))
            elif kind == OA.TextQuoteSelector:
                exact = str(e.value(sel, OA.exact))
            elif kind == OA.FragmentSelector:
                assert e.value(sel, DCTERMS.conformsTo) == URIRef(RFC8118)
                page = str(e.value(sel, RDF.value))
        found.append((start, end, exact, page))
    return found


def test_quotes_verbatim_and_page_selectors_point_at_their_page(report, pdf_extraction: Extraction) -> None:
    doc = pdf_extraction.document
    starts = [*doc.page_starts, len(doc.text) + 1]
    selectors = _selectors(pdf_extraction)
    assert selectors
    pages_cited = set()
    for start, end, exact, page in selectors:
        assert doc.text[start:end] == exact
        assert page is not None and page.startswith("page=")
        n = int(page.removeprefix("page="))
        assert starts[n - 1] <= start < starts[n]
        pages_cited.add(n)
    assert len(pages_cited) >= 2
    # The page holding a paragraph (as the writer laid it out) is the page cited for it.
    at = 0
    for page, words in report.paragraph_pages:  # in order: paragraphs repeat
        at = doc.text.find(plain(words), at)
        assert at >= 0
        assert starts[page - 1] <= at < starts[page]
        at += 1


def test_page_selectors_only_for_pdfs_and_shapes_accept_them(
    pdf_extraction: Extraction, markdown_extraction: Extraction
) -> None:
    assert not list(markdown_extraction.evidence.subjects(RDF.type, OA.FragmentSelector))
    graph = Graph()
    graph += pdf_extraction.facts
    graph += pdf_extraction.evidence
    focus = [*graph.subjects(RDF.type, OA.Annotation), *graph.subjects(RDF.type, OA.FragmentSelector)]
    report = validate(graph, focus_nodes=focus)
    assert report.conforms, report.violations[:3]
    selector = next(graph.subjects(RDF.type, OA.FragmentSelector))
    graph.set((selector, RDF.value, Literal("page=0")))
    assert not validate(graph, focus_nodes=[selector]).conforms


def test_hyphen_of_a_compound_is_kept_when_the_document_writes_it() -> None:
    assert _join(["the Japan-", "based firm"], {"japan-based"}) == "the Japan-based firm"
    assert _join(["the coop-", "eration"], set()) == "the cooperation"
    assert _join(["the Tai-", "Chung port"], set()) == "the Tai- Chung port"


def _line(text: str, top: float, size: float = 10, x0: float = 50, x1: float = 500) -> Line:
    return Line(text, x0, x1, top, top - size, size)


def test_a_chapter_running_title_goes_but_a_heading_stays() -> None:
    # Real reports run the chapter's title at the top of its pages, so it repeats on a few
    # pages only, not on most; a heading of the body below it stays.
    headings = ["Coast Guards", "Fisheries", "Semiconductors", "Energy", "Cables", "Students"]
    chapters = ["Maritime Ties", "Trade Ties", "People Ties"]
    pages = [
        [
            _line(f"Chapter {1 + n // 2}: {chapters[n // 2]}", 780),
            _line(headings[n], 700),
            _line(f"On {headings[n].lower()}.", 680),
            _line(str(n + 1), 40),
        ]
        for n in range(6)
    ]
    _drop_running_lines(pages)
    assert [[ln.text for ln in lines] for lines in pages] == [[h, f"On {h.lower()}."] for h in headings]


def test_a_body_line_repeated_at_the_same_height_stays() -> None:
    # Two pages whose first and last body lines say the same: not set apart from the body
    # by a blank, so not a running header or footer (the running header above them goes).
    pages = [
        [
            _line("Kuroshio Policy Review", 780),
            _line("The talks went on.", 700),
            _line(f"Talk {word}.", 688),
            _line("The talks went on.", 676),
        ]
        for word in ("one", "two")
    ]
    _drop_running_lines(pages)
    assert [[ln.text for ln in lines] for lines in pages] == [
        ["The talks went on.", f"Talk {word}.", "The talks went on."] for word in ("one", "two")
    ]


def test_a_heading_at_the_top_of_a_page_is_not_glued_to_the_page_before() -> None:
    last = _line("a full line of body text that runs to the right edge of the column and", 100)
    last.full = True
    heading = _line("2 Fisheries", 700, size=14)
    body = _line("talks resumed in April.", 680)
    text, starts = _assemble([[[last]], [[heading], [body]]])
    assert "and\n\n2 Fisheries\n\ntalks" in text and text[starts[1] :].startswith("2 Fisheries")
    text, starts = _assemble([[[last]], [[body]]])
    assert "and talks resumed" in text and text[starts[1] :].startswith("talks")


def test_first_page_title_is_the_run_of_largest_lines() -> None:
    lines = [
        _line("Kuroshio Policy Institute", 780),
        _line("Taiwan and Japan Widen", 740, 18),
        _line("Their Chip Partnership", 718, 18),
        _line("By: Naomi Ferreira", 690),
        _line("Notes on Fisheries", 400, 18),
        _line("Body.", 380),
    ]
    assert _first_page_title([lines]) == "Taiwan and Japan Widen Their Chip Partnership"


# Bad input: one line naming the file, and the rest of a run goes on.


def _one_line(exc: pytest.ExceptionInfo[DocumentError], path: Path, reason: str) -> None:
    message = str(exc.value)
    assert "\n" not in message and str(path) in message and reason in message


def test_encrypted_pdf(folder: Path) -> None:
    locked = make_report(
        folder / "locked.pdf", FRONT, PARAGRAPHS[:2], encrypt=_encryption("secret", "owner")
    ).path
    with pytest.raises(DocumentError) as exc:
        read_document(locked)
    _one_line(exc, locked, "encrypted; jtkg cannot read it")
    # Encrypted with an empty user password (only printing restricted): read as usual.
    open_ = make_report(
        folder / "restricted.pdf", FRONT, PARAGRAPHS[:2], encrypt=_encryption("", "owner")
    ).path
    assert "Kenji Morita" in read_document(open_).text


def _encryption(user: str, owner: str) -> object:
    from reportlab.lib.pdfencrypt import StandardEncryption

    return StandardEncryption(user, owner, canPrint=1, canCopy=0, strength=128)


def test_scanned_pdf_without_text_layer(folder: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    path = folder / "scan.pdf"
    canvas = Canvas(str(path), pagesize=(200, 200))
    canvas.rect(20, 20, 160, 160, fill=1)  # a page with a picture and no text
    canvas.showPage()
    canvas.save()
    with pytest.raises(DocumentError) as exc:
        read_document(path)
    _one_line(exc, path, "no text layer; OCR is not supported")


def test_a_scanned_page_among_text_pages_is_a_warning(folder: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    path = folder / "half-scanned.pdf"
    canvas = Canvas(str(path), pagesize=(300, 300))
    canvas.drawString(30, 250, "Kenji Morita met Lin Mei-hua in Taipei.")
    canvas.showPage()
    canvas.rect(20, 20, 260, 260, fill=1)
    canvas.showPage()
    canvas.save()
    doc = read_document(path)
    assert "Kenji Morita met Lin Mei-hua" in doc.text and len(doc.page_starts) == 2
    assert doc.warnings == [f"{path}: page(s) 2 have no text layer (scanned?); OCR is not supported"]


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_truncated_pdf(report, folder: Path, cut: float) -> None:
    data = report.path.read_bytes()
    path = folder / f"truncated-{cut}.pdf"
    path.write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(DocumentError) as exc:
        read_document(path)
    _one_line(exc, path, "truncated")


def test_corrupt_and_not_a_pdf(report, folder: Path) -> None:
    data = bytearray(report.path.read_bytes())
    middle = len(data) // 3
    data[middle : middle + 400] = b"\x00" * 400
    path = folder / "corrupt.pdf"
    path.write_bytes(bytes(data))
    try:
        doc = read_document(path)  # pdfminer may read around the damage: then text is text
        assert doc.text.strip()
    except DocumentError as exc:
        assert "\n" not in str(exc) and str(path) in str(exc)
    fake = folder / "fake.pdf"
    fake.write_text("just words, no PDF\n", encoding="utf-8")
    with pytest.raises(DocumentError) as exc:
        read_document(fake)
    _one_line(exc, fake, "not a PDF")


def test_pdf_past_the_size_bounds(report, monkeypatch: pytest.MonkeyPatch) -> None:
    from jtkg.loaders import reader

    with pytest.raises(DocumentError) as exc:
        read_document(report.path, max_chars=500)
    _one_line(exc, report.path, "--max-document-chars")
    monkeypatch.setattr(reader, "MAX_DOCUMENT_BYTES", 1000)
    with pytest.raises(DocumentError) as exc:
        read_document(report.path)
    _one_line(exc, report.path, "byte limit")


def test_library_warnings_stay_off_stderr(report, folder: Path, capfd: pytest.CaptureFixture[str]) -> None:
    import logging
    import sys

    handler = logging.StreamHandler(sys.stderr)  # as an application that logs to stderr would
    logging.getLogger().addHandler(handler)
    data = report.path.read_bytes()
    odd = folder / "odd-font.pdf"  # a font pdfminer has no metrics for: it logs a warning
    odd.write_bytes(data.replace(b"/Helvetica", b"/Nofont12x", 1))
    try:
        assert read_document(odd).text.strip()  # glyphs without widths: poor text, but read
    finally:
        logging.getLogger().removeHandler(handler)
    assert capfd.readouterr().err == ""


def test_cli_extracts_a_pdf_and_skips_a_bad_one(report, folder: Path) -> None:
    from jtkg.server.cli import main

    bad = folder / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj\n<<")
    result = CliRunner().invoke(main, ["extract", str(report.path), str(bad), "--format", "nquads"])
    assert result.exit_code == 0, result.output
    assert "oa#FragmentSelector" in result.stdout
    assert '"page=1"' in result.stdout
    assert str(bad) in result.stderr and "truncated" in result.stderr
    assert "Traceback" not in result.stderr


def test_document_page_names_the_pdf_page_of_the_passage(
    report, pdf_extraction: Extraction, tmp_path: Path
) -> None:
    import pyoxigraph as ox

    from jtkg.graph.views import entity_page

    store = ox.Store()
    for s, p, o, g in pdf_extraction.quads():
        store.add(ox.Quad(*(_ox(t) for t in (s, p, o)), ox.NamedNode(str(g))))
    doc = pdf_extraction.document
    iri = str(pdf_extraction.doc_iri)
    late = [sel for sel in _selectors(pdf_extraction) if sel[3] != "page=1"]
    start, end, _, page = late[0]
    found = entity_page(store, iri, highlight=(start, end))
    assert found is not None and found.cited_page == (int(page.removeprefix("page=")), None)
    assert doc.page_starts[found.cited_page[0] - 1] <= start
    source = ox.Quad(
        ox.NamedNode(iri),
        ox.NamedNode(str(DCTERMS.source)),
        ox.Literal("https://example.org/reports/chip.pdf"),
        ox.NamedNode(str(pdf_extraction.graph_iri)),
    )
    store.add(source)
    found = entity_page(store, iri, highlight=(start, end))
    assert found.cited_page == (found.cited_page[0], f"https://example.org/reports/chip.pdf#{page}")
    assert entity_page(store, iri).cited_page is None  # no passage cited: no page named

    from jtkg.graph.build import build
    from jtkg.graph.store import StoreLocation
    from jtkg.server.app import create_app

    result = build([report.path], StoreLocation(tmp_path / "store"))
    assert result.published, result.failures
    app = create_app({"STORE": tmp_path / "store", "TESTING": True})
    try:
        html = (
            app.test_client()
            .get(f"/id/document/{doc.slug}?highlight={start}-{end}", headers={"Accept": "text/html"})
            .get_data(as_text=True)
        )
    finally:
        app.extensions["jtkg.queries"].close()
    assert f'<span id="cited-page">{page.replace("=", " ")} of the PDF</span>' in html


def _ox(term: object) -> object:
    import pyoxigraph as ox
    from rdflib import BNode
    from rdflib import Literal as RdfLiteral

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    assert isinstance(term, RdfLiteral)
    if term.language:
        return ox.Literal(str(term), language=term.language)
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)


def test_metadata_from_xmp_when_the_info_dictionary_lacks_it() -> None:
    from types import SimpleNamespace

    from jtkg.loaders.pdf_metadata import pdf_metadata

    xmp = b"""<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description
      xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
      xmp:CreateDate="2024-11-05T09:30:00+09:00">
      <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Fisheries &amp; the Median Line</rdf:li></rdf:Alt></dc:title>
      <dc:creator><rdf:Seq><rdf:li>Kenji Morita</rdf:li><rdf:li>Lin Mei-hua</rdf:li></rdf:Seq></dc:creator>
      <dc:publisher><rdf:Bag><rdf:li>Kuroshio Policy Institute</rdf:li></rdf:Bag></dc:publisher>
      </rdf:Description></rdf:RDF></x:xmpmeta>"""
    doc = SimpleNamespace(
        info=[{"Title": b"untitled", "Producer": b"a writer"}],
        catalog={"Metadata": SimpleNamespace(get_data=lambda: xmp)},
    )
    assert pdf_metadata(doc) == {
        "title": "Fisheries & the Median Line",
        "authors": ["Kenji Morita", "Lin Mei-hua"],
        "publisher": "Kuroshio Policy Institute",
        "date": "2024-11-05",
    }
    doc.info = [
        {
            "Title": b"Microsoft Word - Chips.docx",
            "Author": b"Yumi Hasegawa, Wang Chih-ming",
            "CreationDate": b"D:20250102",
        }
    ]
    # A word processor's "title" is the file name: the XMP title is used instead.
    assert pdf_metadata(doc) == {
        "title": "Fisheries & the Median Line",
        "authors": ["Yumi Hasegawa", "Wang Chih-ming"],
        "publisher": "Kuroshio Policy Institute",
        "date": "2025-01-02",
    }
