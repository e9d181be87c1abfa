"""Fetching documents from http(s) URLs: bounded, refusing private networks by default.

A list of links may come from anywhere, so fetching must not reach into the user's own
network: the host is resolved here, every address it resolves to is checked, and the
connection goes to a checked address (so a DNS answer that changes between the check and the
connection cannot switch it). Redirect targets are checked the same way. Bodies are read in
chunks and refused as soon as they pass the document size cap, so a 2 GB download costs at
most the cap.
"""

from __future__ import annotations

import hashlib
import http.client
import ipaddress
import re
import socket
import ssl
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from jtkg.loaders.errors import BadInput
from jtkg.loaders.formats import READERS, DocumentError
from jtkg.loaders.limits import MAX_DOCUMENT_CHARS
from jtkg.loaders.reader import (
    MAX_DOCUMENT_BYTES,
    SUPPORTED_SUFFIXES,
    SourceDocument,
    media_type_of,
    parse_document,
)
from jtkg.ontology import slugify


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("jtkg")
    except Exception:  # not installed as a distribution: still say who we are
        return "0"


USER_AGENT = f"jtkg/{_version()} (+https://w3id.org/jtkg)"
#: Seconds to open a connection, to wait for each read, and for the whole download.
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0
TOTAL_TIMEOUT = 120.0
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
#: Media types a fetched document may have (plus any a registered reader handles).
MEDIA_TYPES = frozenset({"text/html", "application/pdf", "text/plain", "text/markdown"})
#: Names servers use for the same formats.
_ALIASES = {"application/xhtml+xml": "text/html", "text/x-markdown": "text/markdown"}
#: Suffixes that name a fetchable type even before its reader is registered.
_BY_SUFFIX = {".pdf": "application/pdf"}
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+://|file:", re.ASCII)


class FetchError(BadInput):
    """A URL that could not be fetched; the message is one line naming it and why."""


def looks_like_url(arg: str) -> bool:
    """An argument meant as a URL (``scheme://…`` or ``file:…``), not a file name."""
    return bool(_URL.match(arg))


@dataclass
class Fetched:
    url: str
    final_url: str
    data: bytes
    media_type: str
    charset: str | None
    #: (from, to) for each redirect followed.
    redirects: list[tuple[str, str]] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def fetch(
    url: str,
    *,
    allow_private: bool = False,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    on_redirect: Callable[[str, str], None] | None = None,
    max_redirects: int = MAX_REDIRECTS,
) -> Fetched:
    """GETs ``url``, following up to ``max_redirects`` redirects (each reported to
    ``on_redirect``). Raises FetchError with one line for anything refused or failed."""
    seen = [url]
    redirects: list[tuple[str, str]] = []
    current = url
    deadline = time.monotonic() + TOTAL_TIMEOUT
    while True:
        status, headers, data = _get(current, url, allow_private, max_bytes, deadline)
        if status in _REDIRECTS:
            location = headers.get("Location")
            if not location:
                raise FetchError(f"{url}: HTTP {status} redirect without a Location")
            target = urljoin(current, location.strip())
            if target in seen:
                chain = " -> ".join([*seen[seen.index(target) :], target])
                raise FetchError(f"{url}: redirect loop ({chain})")
            if len(redirects) >= max_redirects:
                raise FetchError(f"{url}: more than {max_redirects} redirects")
            redirects.append((current, target))
            if on_redirect:
                on_redirect(current, target)
            seen.append(target)
            current = target
            continue
        media_type, charset = _media_type(url, current, headers)
        return Fetched(url, current, data, media_type, charset, redirects)


def _media_type(url: str, final: str, headers: http.client.HTTPMessage) -> tuple[str, str | None]:
    """The media type the server declared (or, for none or octet-stream, the URL's suffix)."""
    declared = headers.get("Content-Type")
    media_type = headers.get_content_type() if declared else ""
    media_type = _ALIASES.get(media_type, media_type)
    if media_type in ("", "application/octet-stream", "binary/octet-stream"):
        path = PurePosixPath(urlsplit(final).path)
        media_type = media_type_of(path) or _BY_SUFFIX.get(path.suffix.lower()) or media_type
    if media_type not in MEDIA_TYPES and media_type not in READERS:
        raise FetchError(
            f"{url}: unsupported media type {media_type or '(none)'!r}; expected "
            f"one of {', '.join(sorted(MEDIA_TYPES | set(READERS)))}"
        )
    charset = headers.get_content_charset() if declared else None
    return media_type, charset


def _get(
    url: str, origin: str, allow_private: bool, max_bytes: int, deadline: float
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request: (status, headers, body; the body only for 200)."""
    where = origin if url == origin else f"{origin} (redirected to {url})"  # for messages
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(
            f"{where}: the URL scheme {scheme + ':' if scheme else '(none)'} is "
            "refused; only http and https are fetched"
        )
    host = parts.hostname
    if not host:
        raise FetchError(f"{where}: no host in the URL")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise FetchError(f"{where}: bad port in the URL") from None
    addresses = resolve(host, port, where, allow_private)
    conn = (_PinnedHTTPS if scheme == "https" else _PinnedHTTP)(host, port, addresses)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        conn.request(
            "GET",
            path,
            headers={
                "User-Agent": USER_AGENT,
                "Accept-Encoding": "gzip, identity",
                "Accept": "text/html, application/pdf, text/markdown, text/plain;q=0.9, */*;q=0.1",
            },
        )
        response = conn.getresponse()
        status = response.status
        if status in _REDIRECTS:
            return status, response.headers, b""
        if status != 200:
            raise FetchError(f"{where}: HTTP {status} {response.reason}".rstrip())
        return status, response.headers, _body(response, where, max_bytes, deadline)
    except (OSError, http.client.HTTPException) as exc:
        raise FetchError(f"{where}: {_reason(exc)}") from None
    finally:
        conn.close()


def _body(response: http.client.HTTPResponse, origin: str, max_bytes: int, deadline: float) -> bytes:
    """The body, refused as soon as it passes ``max_bytes`` (declared or read)."""
    too_big = f"{origin}: the download is over the {max_bytes:,}-byte limit"
    length = response.headers.get("Content-Length")
    if length and length.strip().isdigit() and int(length) > max_bytes:
        raise FetchError(f"{too_big} (Content-Length {int(length):,})")
    encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip"):
        raise FetchError(f"{origin}: unsupported content encoding {encoding!r}")
    inflate = zlib.decompressobj(47) if encoding != "identity" else None  # 47: gzip or zlib
    out = bytearray()
    while True:
        if time.monotonic() > deadline:
            raise FetchError(f"{origin}: the download took more than {TOTAL_TIMEOUT:g} s")
        chunk = response.read1(CHUNK)
        if not chunk:
            break
        if inflate is not None:  # bounded: a small gzip bomb must not inflate past the cap
            try:
                chunk = inflate.decompress(chunk, max_bytes + 1 - len(out))
            except zlib.error:
                raise FetchError(f"{origin}: the gzip body is corrupt") from None
        out += chunk
        if len(out) > max_bytes:
            raise FetchError(too_big)
    return bytes(out)


def resolve(host: str, port: int, origin: str, allow_private: bool) -> list[str]:
    """Every address ``host`` resolves to, each checked (unless ``allow_private``)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"{origin}: cannot resolve {host}: {_reason(exc)}") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not allow_private:
        for address in addresses:
            why = not_public(address)
            if why:
                shown = host if host == address else f"{host} ({address})"
                raise FetchError(
                    f"{origin}: {shown} is a {why} address; refused (--allow-private fetches it)"
                )
    if not addresses:
        raise FetchError(f"{origin}: {host} has no address")
    return addresses


def not_public(address: str) -> str | None:
    """What kind of non-public address this is, or None for a public one."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):  # an IPv4 address inside IPv6 is that address
        if ip.ipv4_mapped is not None:
            return not_public(str(ip.ipv4_mapped))
        if ip.sixtofour is not None and not_public(str(ip.sixtofour)):
            return not_public(str(ip.sixtofour))
    for kind in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    if not ip.is_global:  # shared (100.64/10), documentation ranges and the like
        return "non-public"
    return None


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to an address already checked, whatever the host name resolves to now."""

    def __init__(self, host: str, port: int, addresses: list[str]) -> None:
        super().__init__(host, port, timeout=READ_TIMEOUT)
        self.addresses = addresses

    def _open(self) -> socket.socket:
        error: OSError | None = None
        for address in self.addresses:
            try:
                sock = socket.create_connection((address, self.port), CONNECT_TIMEOUT)
            except OSError as exc:
                error = exc
                continue
            sock.settimeout(READ_TIMEOUT)
            return sock
        assert error is not None
        raise error

    def connect(self) -> None:
        self.sock = self._open()


class _PinnedHTTPS(_PinnedHTTP):
    def __init__(self, host: str, port: int, addresses: list[str]) -> None:
        super().__init__(host, port, addresses)
        self.context = ssl.create_default_context()

    def connect(self) -> None:
        # The certificate is checked against the URL's host name, not the address.
        self.sock = self.context.wrap_socket(self._open(), server_hostname=self.host)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate not valid ({exc.verify_message})"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return " ".join(str(exc).split()) or type(exc).__name__


# ------------------------------------------------------------------ fetched documents


class SourcePath(PurePosixPath):
    """A fetched document's path: ``str()`` is its URL, so every message and the manifest
    name the URL; ``.name`` and ``.stem`` are the URL path's last segment."""

    url: str

    @classmethod
    def of(cls, url: str) -> SourcePath:
        parts = urlsplit(url)
        path = cls(unquote(parts.path) or "/")
        if path.name in ("", "/"):
            path = cls("/" + (parts.hostname or "document"))
        path.url = url
        return path

    def __str__(self) -> str:
        return getattr(self, "url", None) or super().__str__()

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (SourcePath.of, (str(self),))


_GENERIC = frozenset({"index", "default", "home", "main", "article", "view", "download"})


def url_slug(url: str) -> str:
    """A document name from its URL, stable: the last path segment without its suffix, or
    host and path where that says nothing; a query adds a short hash of itself."""
    parts = urlsplit(url)
    segments = [s for s in unquote(parts.path).split("/") if s]
    stem = PurePosixPath(segments[-1]).stem if segments else ""
    slug = slugify(stem) if stem else ""
    if slug in _GENERIC or not re.search(r"[A-Za-z0-9]", stem):  # says nothing in ASCII
        slug = slugify(" ".join([parts.hostname or "", *segments[:-1], stem]))
    if parts.query:
        slug += "-" + hashlib.sha256(parts.query.encode()).hexdigest()[:8]
    return slug


def read_fetched(
    url: str,
    final_url: str,
    data: bytes,
    media_type: str,
    charset: str | None,
    max_chars: int = MAX_DOCUMENT_CHARS,
) -> SourceDocument:
    """A fetched document, read like a file of its media type; named by its URL, with the
    URL it was finally fetched from as its source (dcterms:source) unless it names one."""
    path = SourcePath.of(url)
    if media_type not in READERS and media_type not in SUPPORTED_SUFFIXES.values():
        raise DocumentError(f"{url}: no reader for {media_type} is installed")
    doc = parse_document(path, data, media_type, max_chars, charset)
    doc.slug = url_slug(url)
    doc.source_url = final_url
    doc.front_matter.setdefault("source", final_url)
    return doc
