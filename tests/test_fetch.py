"""Fetching links (loaders/fetch.py) and the source cache (graph/sources.py), against a local
HTTP server run by the tests on 127.0.0.1 (so every fetch of it needs --allow-private)."""

from __future__ import annotations

import gzip
import html
import json
import shutil
import socket
import ssl
import subprocess
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from jtkg.graph.sources import FetchOptions, SourceCache, fetch_all, read_url_list, sources_folder
from jtkg.graph.store import StoreLocation
from jtkg.loaders import fetch as fetch_module
from jtkg.loaders.fetch import (
    USER_AGENT,
    FetchError,
    fetch,
    looks_like_url,
    not_public,
    read_fetched,
    url_slug,
)
from jtkg.loaders.formats import READERS, Content
from jtkg.server.cli import main

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
TEXT = (CORPUS / "jamestown-taiwan-japan-ties-deepen.txt").read_text(encoding="utf-8")
PAGE = (
    "<html><head><title>Ties</title><script>var x = 1;</script></head><body>"
    "<nav>Home | About | Subscribe</nav><article>"
    + "".join(f"<p>{html.escape(p)}</p>" for p in TEXT.split("\n\n"))
    + "</article><footer>Copyright</footer></body></html>"
).encode()
#: How much an endless response may send before the test server gives up on its own.
ENDLESS_LIMIT = 200 * 1024 * 1024


class Server:
    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.requests: Counter[str] = Counter()
        self.hosts: list[str] = []
        self.agents: list[str] = []
        self.sent: Counter[str] = Counter()
        self.page = PAGE
        self.pdf = b""
        handler = type("Handler", (_Handler,), {"owner": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.scheme = "https" if tls else "http"
        if tls:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    owner: Server

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # one route per case
        owner, path = self.owner, self.path
        owner.requests[path] += 1
        owner.hosts.append(self.headers.get("Host", ""))
        owner.agents.append(self.headers.get("User-Agent", ""))
        if path == "/page.html":
            self._send(200, owner.page, "text/html; charset=utf-8")
        elif path == "/report":
            self._send(200, b"%PDF-1.4 not really a pdf\n", "application/pdf")
        elif path == "/real.pdf":
            self._send(200, owner.pdf, "application/pdf")
        elif path == "/files/report.pdf":
            self._send(200, b"%PDF-1.4 octets\n", "application/octet-stream")
        elif path == "/big5":
            self._send(200, b"\xa5x\xc6W Taiwan", "application/x-jtkg-test; charset=Big5")
        elif path == "/data.json":
            self._send(200, b"{}", "application/json")
        elif path.startswith("/hop"):  # /hop3 -> /hop2 -> /hop1 -> /page.html
            left = int(path[4:])
            self._redirect("/page.html" if left <= 1 else f"/hop{left - 1}")
        elif path == "/loop-a":
            self._redirect("/loop-b")
        elif path == "/loop-b":
            self._redirect(owner.url("/loop-a"))
        elif path == "/to-file":
            self._redirect("file:///etc/passwd")
        elif path == "/to-other":
            self._redirect(f"http://127.0.0.2:{owner.port}/page.html")
        elif path == "/broken":
            self._send(500, b"oops", "text/plain")
        elif path == "/huge-length":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(2 * 1024**3))
            self.end_headers()
            self._stream(path)
        elif path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self._stream(path)
        elif path == "/gzip-bomb":
            body = gzip.compress(b"a" * (50 * 1024 * 1024))
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self._send(404, b"not here", "text/plain")

    def _send(self, status: int, body: bytes, media_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _stream(self, path: str) -> None:
        chunk = b"x" * 65536
        try:
            while self.owner.sent[path] < ENDLESS_LIMIT:
                self.wfile.write(chunk)
                self.owner.sent[path] += len(chunk)
        except OSError:
            pass  # the client hung up: what a refused download should do


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    yield srv
    srv.close()


def refused(url: str, **kwargs: object) -> str:
    with pytest.raises(FetchError) as caught:
        fetch(url, **kwargs)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "\n" not in message and message.startswith(url)
    return message


# ------------------------------------------------------------------ fetching


def test_html_page_fetched_with_media_type_charset_and_user_agent(server: Server) -> None:
    got = fetch(server.url("/page.html"), allow_private=True)
    assert got.data == PAGE and got.media_type == "text/html" and got.charset == "utf-8"
    assert got.final_url == got.url and got.redirects == []
    assert server.agents == [USER_AGENT] and USER_AGENT.startswith("jtkg/")
    assert "(+https://w3id.org/jtkg)" in USER_AGENT


def test_pdf_routed_by_media_type(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    got = fetch(server.url("/report"), allow_private=True)
    assert got.media_type == "application/pdf"
    # octet-stream says nothing: the URL's suffix decides
    assert fetch(server.url("/files/report.pdf"), allow_private=True).media_type == "application/pdf"
    seen: list[bytes] = []

    def fake_pdf(path: Path, data: bytes, charset: str | None) -> Content:
        seen.append(data)
        return Content("Japan and Taiwan signed an agreement.\n", {"title": "A report"})

    monkeypatch.setitem(READERS, "application/pdf", fake_pdf)
    doc = read_fetched(got.url, got.final_url, got.data, got.media_type, got.charset)
    assert seen == [got.data] and doc.media_type == "application/pdf"
    assert doc.front_matter["source"] == got.final_url and doc.source_url == got.final_url
    assert str(doc.path) == got.url and doc.slug == "report"


def test_pdf_content_with_the_pdf_reader(server: Server) -> None:
    if "application/pdf" not in READERS:
        pytest.skip("no PDF reader registered (loaders/pdf.py) yet")
    got = fetch(server.url("/report"), allow_private=True)
    with pytest.raises(fetch_module.DocumentError) as caught:  # not a real PDF
        read_fetched(got.url, got.final_url, got.data, got.media_type, got.charset)
    assert str(caught.value).startswith(got.url)


def test_fetched_pdf_builds_with_its_source(server: Server, tmp_path: Path, runner: CliRunner) -> None:
    pytest.importorskip("reportlab")
    if "application/pdf" not in READERS:
        pytest.skip("no PDF reader registered (loaders/pdf.py) yet")
    from tests.pdf_maker import make_report

    paragraphs = [p.replace("\n", " ") for p in TEXT.split("\n\n")[1:8]]
    server.pdf = make_report(tmp_path / "r.pdf", ["Taiwan-Japan Ties Deepen"], paragraphs).path.read_bytes()
    store = tmp_path / "store"
    result = runner.invoke(main, ["build", server.url("/real.pdf"), "--store", str(store), "--allow-private"])
    assert result.exit_code == 0, result.output
    assert _sources_of(store) == {"https://w3id.org/jtkg/id/document/real": server.url("/real.pdf")}
    kind = (
        StoreLocation(store)
        .open()
        .query("ASK { GRAPH ?g { ?d <https://w3id.org/jtkg/ontology#mediaType> 'application/pdf' } }")
    )
    assert bool(kind)


def test_charset_from_content_type_reaches_the_reader(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    charsets: list[str | None] = []

    def reader(path: Path, data: bytes, charset: str | None) -> Content:
        charsets.append(charset)
        return Content(data.decode(charset or "utf-8"))

    monkeypatch.setitem(READERS, "application/x-jtkg-test", reader)
    got = fetch(server.url("/big5"), allow_private=True)
    assert (got.media_type, got.charset) == ("application/x-jtkg-test", "big5")
    doc = read_fetched(got.url, got.final_url, got.data, got.media_type, got.charset)
    assert charsets == ["big5"] and doc.text.startswith("台灣")


def test_unsupported_media_type_is_one_line(server: Server) -> None:
    assert "unsupported media type 'application/json'" in refused(
        server.url("/data.json"), allow_private=True
    )


def test_redirects_are_followed_and_reported(server: Server) -> None:
    hops: list[tuple[str, str]] = []
    got = fetch(server.url("/hop3"), allow_private=True, on_redirect=lambda a, b: hops.append((a, b)))
    assert got.final_url == server.url("/page.html") and got.data == PAGE
    assert (
        hops
        == [
            (server.url("/hop3"), server.url("/hop2")),
            (server.url("/hop2"), server.url("/hop1")),
            (server.url("/hop1"), server.url("/page.html")),
        ]
        == got.redirects
    )


def test_too_many_redirects_refused(server: Server) -> None:
    assert "more than 5 redirects" in refused(server.url("/hop9"), allow_private=True)
    assert server.requests["/hop4"] == 1 and server.requests["/hop3"] == 0  # 5 followed


def test_redirect_loop_is_one_line(server: Server) -> None:
    message = refused(server.url("/loop-a"), allow_private=True)
    assert "redirect loop" in message and message.count("/loop-a") == 3  # origin, start, end
    assert server.requests["/loop-a"] == 1 and server.requests["/loop-b"] == 1


@pytest.mark.parametrize(("path", "status"), [("/missing", "HTTP 404"), ("/broken", "HTTP 500")])
def test_http_errors_name_the_url_and_status(server: Server, path: str, status: str) -> None:
    assert status in refused(server.url(path), allow_private=True)


def test_huge_content_length_refused_before_reading(server: Server) -> None:
    message = refused(server.url("/huge-length"), allow_private=True)
    assert "over the 20,971,520-byte limit" in message and "Content-Length 2,147,483,648" in message


def test_endless_download_stops_at_the_cap(server: Server) -> None:
    message = refused(server.url("/endless"), allow_private=True, max_bytes=1_000_000)
    assert "over the 1,000,000-byte limit" in message
    server.close()  # wait for the handler to notice the hang-up
    assert server.sent["/endless"] < ENDLESS_LIMIT


def test_gzip_bomb_inflates_only_to_the_cap(server: Server) -> None:
    assert "over the 1,000,000-byte limit" in refused(
        server.url("/gzip-bomb"), allow_private=True, max_bytes=1_000_000
    )


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_private_addresses_refused_without_the_flag(server: Server, host: str) -> None:
    message = refused(server.url("/page.html", host), allow_private=False)
    assert "loopback address; refused (--allow-private fetches it)" in message
    assert sum(server.requests.values()) == 0


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("10.1.2.3", "private"),
        ("192.168.0.1", "private"),
        ("169.254.169.254", "link-local"),
        ("224.0.0.251", "multicast"),
        ("240.0.0.1", "reserved"),
        ("0.0.0.0", "unspecified"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("::ffff:127.0.0.1", "loopback"),
        ("100.64.0.1", "non-public"),
        ("8.8.8.8", None),
        ("2606:4700::1111", None),
    ],
)
def test_address_kinds(address: str, kind: str | None) -> None:
    assert not_public(address) == kind


def test_redirect_target_is_checked_too(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    # Pretend only the test server's own address is public: the redirect to 127.0.0.2 is not.
    monkeypatch.setattr(fetch_module, "not_public", lambda a: None if a == "127.0.0.1" else "loopback")
    message = refused(server.url("/to-other"))
    assert "redirected to http://127.0.0.2" in message and "loopback address; refused" in message
    assert server.requests["/page.html"] == 0


def test_connects_to_the_address_it_checked(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """The name is resolved once, by the fetcher; the request goes to that address and still
    names the host (so a DNS answer changed after the check cannot redirect it)."""
    calls: list[str] = []
    real = socket.getaddrinfo

    def fake(host: str, port: int, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if host.replace(".", "").isdigit():  # an address: no DNS look-up, nothing to switch
            return real(host, port, *args, **kwargs)  # type: ignore[arg-type]
        calls.append(host)
        if host == "pinned.example" and len(calls) == 1:
            return real("127.0.0.1", port, *args, **kwargs)  # type: ignore[arg-type]
        # a second look-up (as a client resolving the name again would make) moves it away
        return real("127.0.0.2", port, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fetch_module.socket, "getaddrinfo", fake)
    got = fetch(server.url("/page.html", "pinned.example"), allow_private=True)
    assert got.data == PAGE and calls == ["pinned.example"]
    assert server.hosts == [f"pinned.example:{server.port}"]


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    """An HTTPS server with a self-signed certificate for localhost (and that certificate)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    srv = Server(context)
    yield srv, cert
    srv.close()


def test_https_checks_the_certificate_against_the_host_name(
    tls_server: tuple[Server, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, cert = tls_server
    assert "TLS certificate not valid" in refused(server.url("/page.html", "localhost"), allow_private=True)
    real = ssl.create_default_context
    monkeypatch.setattr(fetch_module.ssl, "create_default_context", lambda: real(cafile=str(cert)))
    # Trusted now: fetched from localhost's checked address, the certificate matched by name.
    assert fetch(server.url("/page.html", "localhost"), allow_private=True).data == PAGE
    assert "TLS certificate not valid" in refused(server.url("/page.html"), allow_private=True)


def test_file_and_other_schemes_refused(server: Server) -> None:
    assert "URL scheme file: is refused" in refused("file:///etc/passwd", allow_private=True)
    assert "URL scheme ftp: is refused" in refused("ftp://example.com/x", allow_private=True)
    message = refused(server.url("/to-file"), allow_private=True)
    assert "redirected to file:///etc/passwd" in message and "scheme file: is refused" in message


def test_what_looks_like_a_url() -> None:
    assert looks_like_url("https://example.com/a") and looks_like_url("file:///etc/passwd")
    assert not looks_like_url("report.md") and not looks_like_url("C:report.md")


def test_slugs_from_urls_are_stable() -> None:
    assert url_slug("https://www.stimson.org/2024/japan-taiwan-report/") == "japan-taiwan-report"
    assert url_slug("https://example.com/files/Report%20Final.pdf") == "report-final"
    assert url_slug("https://example.com/") == "example-com"
    assert url_slug("https://example.com/news/index.html") == "example-com-news-index"
    a, b = url_slug("https://x.org/a.php?id=1"), url_slug("https://x.org/a.php?id=2")
    assert a != b and a.startswith("a-") and a == url_slug("https://x.org/a.php?id=1")


# ------------------------------------------------------------------ the cache


def test_cache_keeps_bytes_by_hash_and_an_index(server: Server, tmp_path: Path) -> None:
    cache = SourceCache(tmp_path / "sources")
    options = FetchOptions(allow_private=True)
    source = cache.get(server.url("/hop1"), options)
    assert source.path == tmp_path / "sources" / source.sha256
    assert source.path.read_bytes() == PAGE and source.final_url == server.url("/page.html")
    index = json.loads((tmp_path / "sources" / "index.json").read_text())
    entry = index[server.url("/hop1")]
    assert entry["sha256"] == source.sha256 and entry["media_type"] == "text/html"
    assert entry["final_url"] == server.url("/page.html") and entry["charset"] == "utf-8"
    assert entry["fetched_at"] > 0
    assert cache.get(server.url("/hop1"), options) == source
    assert server.requests["/hop1"] == 1  # the second came from the cache
    cache.get(server.url("/hop1"), FetchOptions(allow_private=True, refetch=True))
    assert server.requests["/hop1"] == 2
    source.path.write_bytes(b"damaged")  # a blob that no longer matches its hash is refetched
    assert cache.get(server.url("/hop1"), options).path.read_bytes() == PAGE
    assert server.requests["/hop1"] == 3


def test_failed_fetch_leaves_no_file(server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = StoreLocation(tmp_path / "store")
    sources, failures = fetch_all(
        [server.url("/endless"), server.url("/missing")],
        store,
        FetchOptions(allow_private=True, max_bytes=100_000),
    )
    assert sources == [] and len(failures) == 2
    assert not (tmp_path / "store" / "sources").exists() or not list(
        (tmp_path / "store" / "sources").iterdir()
    )

    def broken_rename(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("jtkg.graph.sources.os.replace", broken_rename)
    with pytest.raises(Exception, match="cannot write the source cache"):
        fetch_all([server.url("/page.html")], store, FetchOptions(allow_private=True))
    assert [p.name for p in (tmp_path / "store" / "sources").iterdir()] in ([], [".lock"])


def test_cache_sits_beside_the_store_and_the_mirror(tmp_path: Path) -> None:
    from jtkg.graph.remote import open_location

    assert sources_folder(StoreLocation(tmp_path / "s")) == tmp_path / "s" / "sources"
    remote = open_location(f"sparql+http://127.0.0.1:9/q?mirror={tmp_path / 'mirror'}")
    assert sources_folder(remote) == tmp_path / "mirror" / "sources"


def test_url_list_skips_comments_and_blanks(tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text("# links\n\nhttps://a.org/x\n   # indented comment\n https://b.org/y \n")
    assert read_url_list(listing) == ["https://a.org/x", "https://b.org/y"]


# ------------------------------------------------------------------ the commands


def _sources_of(store: Path) -> dict[str, str]:
    """Document IRI -> dcterms:source in the published graph."""
    found = (
        StoreLocation(store)
        .open()
        .query("SELECT ?d ?s WHERE { GRAPH ?g { ?d <http://purl.org/dc/terms/source> ?s } }")
    )
    return {row["d"].value: row["s"].value for row in found}  # type: ignore[union-attr]


def test_build_urls_fetches_once_and_rebuilds_from_the_cache(
    server: Server, tmp_path: Path, runner: CliRunner
) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# reading list\n\n{server.url('/hop1')}\n{server.url('/missing')}\n")
    store = tmp_path / "store"
    args = ["build", "--urls", str(listing), "--store", str(store), "--allow-private"]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    assert f"{server.url('/hop1')} -> {server.url('/page.html')}" in first.output
    assert f"skipped: {server.url('/missing')}: HTTP 404" in first.output
    assert "1 documents" in first.output
    assert _sources_of(store) == {"https://w3id.org/jtkg/id/document/hop1": server.url("/page.html")}
    manifest = json.loads((store / (store / "CURRENT").read_text().strip() / "manifest.json").read_text())
    assert manifest["documents"]["hop1"]["path"] == server.url("/hop1")
    assert not any("sources" in p.name for p in (store / manifest["generation"]).iterdir())
    before = sum(server.requests.values())
    listing.write_text(f"{server.url('/hop1')}\n")
    again = runner.invoke(main, args)
    assert again.exit_code == 0, again.output
    assert sum(server.requests.values()) == before  # nothing fetched
    refetch = runner.invoke(main, [*args, "--refetch"])
    assert refetch.exit_code == 0 and server.requests["/hop1"] == 2


def test_build_with_no_link_fetched_publishes_nothing(
    server: Server, tmp_path: Path, runner: CliRunner
) -> None:
    result = runner.invoke(
        main, ["build", server.url("/missing"), "--store", str(tmp_path / "s"), "--allow-private"]
    )
    assert result.exit_code == 2 and "no link could be fetched" in result.output
    assert not (tmp_path / "s" / "CURRENT").exists()


def test_ingest_url_unchanged_and_remove(server: Server, store: Path, runner: CliRunner) -> None:
    url = server.url("/page.html")
    args = ["ingest", url, "--store", str(store), "--allow-private"]
    added = runner.invoke(main, args)
    assert added.exit_code == 0 and "added 1" in added.output, added.output
    assert _sources_of(store)["https://w3id.org/jtkg/id/document/page"] == url
    same = runner.invoke(main, [*args, "--refetch"])  # fetched again, same bytes
    assert same.exit_code == 0 and "unchanged 1" in same.output and server.requests["/page.html"] == 2
    removed = runner.invoke(main, ["remove", url, "--store", str(store)])
    assert removed.exit_code == 0 and "removed page" in removed.output, removed.output
    assert "https://w3id.org/jtkg/id/document/page" not in _sources_of(store)


def test_ingest_refusals_are_one_line_each(server: Server, store: Path, runner: CliRunner) -> None:
    before = (store / "CURRENT").read_text()
    result = runner.invoke(
        main, ["ingest", server.url("/page.html"), "file:///etc/passwd", "--store", str(store)]
    )
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("rejected: ")]
    assert len(lines) == 2 and "loopback address; refused" in lines[0]
    assert "scheme file: is refused" in lines[1]
    assert sum(server.requests.values()) == 0 and (store / "CURRENT").read_text() == before


def test_backup_and_restore_carry_the_source_cache(server: Server, tmp_path: Path, runner: CliRunner) -> None:
    """A store built from links, backed up and restored into a fresh folder, rebuilds from
    the restored cache: no request reaches the server."""
    listing = tmp_path / "urls.txt"
    listing.write_text(f"{server.url('/page.html')}\n")
    store, backup, fresh = tmp_path / "store", tmp_path / "backup", tmp_path / "fresh"
    built = runner.invoke(main, ["build", "--urls", str(listing), "--store", str(store), "--allow-private"])
    assert built.exit_code == 0, built.output
    made = runner.invoke(main, ["backup", str(backup), "--store", str(store)])
    assert made.exit_code == 0, made.output
    blobs = [p for p in (store / "sources").iterdir() if len(p.name) == 64]
    assert len(blobs) == 1
    copied = backup / "sources" / blobs[0].name
    assert copied.read_bytes() == blobs[0].read_bytes()
    assert copied.stat().st_ino == blobs[0].stat().st_ino  # a hard link, like the generation
    put_back = runner.invoke(main, ["restore", str(backup), "--store", str(fresh)])
    assert put_back.exit_code == 0, put_back.output
    before = sum(server.requests.values())
    rebuilt = runner.invoke(main, ["build", "--urls", str(listing), "--store", str(fresh), "--allow-private"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert sum(server.requests.values()) == before
    assert _sources_of(fresh) == {"https://w3id.org/jtkg/id/document/page": server.url("/page.html")}


def test_restoring_the_cache_keeps_what_the_store_has(tmp_path: Path) -> None:
    from jtkg.graph.sources import copy_sources

    mine, theirs = tmp_path / "mine", tmp_path / "theirs"
    mine.mkdir()
    theirs.mkdir()
    a, b = "a" * 64, "b" * 64
    (mine / a).write_bytes(b"kept")
    (theirs / a).write_bytes(b"other")
    (theirs / b).write_bytes(b"added")
    (mine / "index.json").write_text(json.dumps({"https://x.org/": {"sha256": a}}))
    (theirs / "index.json").write_text(
        json.dumps({"https://x.org/": {"sha256": "z"}, "https://y.org/": {"sha256": b}})
    )
    assert copy_sources(theirs, mine) == 1
    assert (mine / a).read_bytes() == b"kept" and (mine / b).read_bytes() == b"added"
    assert json.loads((mine / "index.json").read_text()) == {
        "https://x.org/": {"sha256": a},
        "https://y.org/": {"sha256": b},
    }
    assert copy_sources(tmp_path / "none", mine) == 0
