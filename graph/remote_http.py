"""Talking to an external SPARQL 1.1 store through the standard protocols only: the Query
protocol to read, SPARQL Update and the Graph Store HTTP Protocol to write.

Configured by one ``--store`` value, ``sparql+http(s)://[USER:PASSWORD@]HOST:PORT/PATH``
(the query URL), with optional parameters ``update=`` and ``graph-store=`` (URLs or paths
on the same host; both default to the query URL, as Fuseki serves all three there),
``auth=digest|basic`` and ``mirror=`` (the local working copy, see ``remote.py``).
Credentials are better given as ``JTKG_STORE_USER`` / ``JTKG_STORE_PASSWORD``: command
lines are visible to other users.
"""

from __future__ import annotations

import hashlib
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jtkg.graph.store import StoreError, default_store_path

SCHEME_PREFIX = "sparql+"
USER_ENV, PASSWORD_ENV, MIRROR_ENV = "JTKG_STORE_USER", "JTKG_STORE_PASSWORD", "JTKG_STORE_MIRROR"
#: Seconds an external store may take to answer one request.
REMOTE_TIMEOUT = 300.0
AUTH_SCHEMES = ("digest", "basic")
#: Up to the last "@" before the query: a password with an unescaped "/" is hidden too.
_USERINFO = re.compile(r"^([^:/?#]*://)[^?#]*@")


class RemoteRefused(StoreError):
    """The external store answered a request with an error (its first line is kept); a
    StoreError, so every command reports it in one line (a wrong password, say)."""

    http_status = 502  # Bad Gateway: the store behind this server failed

    def __init__(self, status: int, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.status = status
        #: The store's own first line, without the store's address.
        self.detail = detail or reason


def is_remote(value: str | Path | None) -> bool:
    return str(value or "").startswith((SCHEME_PREFIX + "http://", SCHEME_PREFIX + "https://"))


def without_credentials(value: str) -> str:
    """A store URL as messages may show it: any user and password replaced by ``***``."""
    return _USERINFO.sub(r"\1***@", value, count=1)


@dataclass(frozen=True)
class RemoteConfig:
    query_url: str
    update_url: str
    graph_store_url: str
    user: str | None = None
    #: Never shown: not in the repr (a trace or a log line of the config), nor in describe().
    password: str | None = field(default=None, repr=False)
    auth: str = "digest"
    mirror: str = ""
    timeout: float = REMOTE_TIMEOUT

    @classmethod
    def parse(cls, value: str, environ: dict[str, str] | None = None) -> RemoteConfig:
        env = os.environ if environ is None else environ
        shown = without_credentials(value)  # what the messages below may print
        if not is_remote(value):
            raise StoreError(f"{shown}: an external store is written sparql+http://HOST:PORT/PATH")
        parts = urllib.parse.urlsplit(value[len(SCHEME_PREFIX) :])
        if not parts.hostname:
            raise StoreError(f"{shown}: no host in the external store URL")
        params = dict(urllib.parse.parse_qsl(parts.query))
        unknown = set(params) - {"update", "graph-store", "auth", "mirror"}
        if unknown:
            raise StoreError(
                f"{shown}: unknown parameter(s) {', '.join(sorted(unknown))}; "
                "use update=, graph-store=, auth=, mirror="
            )
        netloc = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
        if ":" in parts.hostname:  # an IPv6 literal keeps its brackets
            netloc = f"[{parts.hostname}]" + (f":{parts.port}" if parts.port else "")
        query_url = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path or "/", "", ""))
        auth = params.get("auth", "digest")
        if auth not in AUTH_SCHEMES:
            raise StoreError(f"{shown}: auth must be one of {', '.join(AUTH_SCHEMES)}")
        mirror = (
            params.get("mirror")
            or env.get(MIRROR_ENV)
            or str(
                default_store_path().parent / "mirrors" / hashlib.sha256(query_url.encode()).hexdigest()[:16]
            )
        )
        return cls(
            query_url=query_url,
            update_url=urllib.parse.urljoin(query_url, params.get("update", query_url)),
            graph_store_url=urllib.parse.urljoin(query_url, params.get("graph-store", query_url)),
            user=urllib.parse.unquote(parts.username) if parts.username else env.get(USER_ENV),
            password=urllib.parse.unquote(parts.password or "") if parts.username else env.get(PASSWORD_ENV),
            auth=auth,
            mirror=mirror,
        )

    def describe(self) -> str:
        """The store for messages: never the credentials."""
        return self.query_url


class SparqlClient:
    """HTTP requests to one external store, with its credentials."""

    def __init__(self, config: RemoteConfig) -> None:
        self.config = config
        handlers: list[urllib.request.BaseHandler] = []
        self._digest: urllib.request.HTTPDigestAuthHandler | None = None
        if config.user is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in (config.query_url, config.update_url, config.graph_store_url):
                passwords.add_password(None, url, config.user, config.password or "")
            if config.auth == "digest":
                self._digest = urllib.request.HTTPDigestAuthHandler(passwords)
                handlers.append(self._digest)
            else:
                handlers.append(urllib.request.HTTPBasicAuthHandler(passwords))
        self._opener = urllib.request.build_opener(*handlers)
        self._plain = urllib.request.build_opener()

    # ------------------------------------------------------------ the three protocols

    def query(
        self, text: str, accept: str, default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()
    ) -> bytes:
        """A query by POST form, with the dataset given as protocol parameters."""
        fields = (
            [("query", text)]
            + [("default-graph-uri", g) for g in default_graphs]
            + [("named-graph-uri", g) for g in named_graphs]
        )
        return self._send(
            self.config.query_url,
            "POST",
            urllib.parse.urlencode(fields).encode(),
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )

    def update(self, text: str) -> None:
        body = urllib.parse.urlencode({"update": text}).encode()
        self._send(
            self.config.update_url, "POST", body, {"Content-Type": "application/x-www-form-urlencoded"}
        )

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        """Replaces a named graph (N-Triples is Turtle, which every Graph Store accepts)."""
        self._send(self._graph_url(graph), "PUT", ntriples, {"Content-Type": "text/turtle; charset=utf-8"})

    def get_graph(self, graph: str) -> bytes:
        return self._send(self._graph_url(graph), "GET", None, {"Accept": "application/n-triples"})

    def delete_graph(self, graph: str) -> None:
        try:
            self._send(self._graph_url(graph), "DELETE", None, {})
        except RemoteRefused as refused:
            if refused.status != 404:  # already absent is what we wanted
                raise

    # ------------------------------------------------------------ plumbing

    def _graph_url(self, graph: str) -> str:
        separator = "&" if "?" in self.config.graph_store_url else "?"
        return self.config.graph_store_url + separator + urllib.parse.urlencode({"graph": graph})

    def _digest_in_advance(self, request: urllib.request.Request) -> None:
        """Answers the digest challenge before sending a body. Otherwise the first attempt
        goes out unauthenticated with the whole body, and a store that answers 401 and
        closes before reading it (Virtuoso does, under load) resets the connection."""
        if self._digest is None or not request.data:
            return
        try:
            self._plain.open(
                urllib.request.Request(request.full_url, method="GET"), timeout=self.config.timeout
            ).close()
            return  # no challenge: the opener will answer one if it comes
        except urllib.error.HTTPError as error:
            challenge = error.headers.get("WWW-Authenticate", "") if error.code == 401 else ""
            error.close()
        except OSError:
            return
        scheme, _, params = challenge.partition(" ")
        if scheme.lower() != "digest":
            return
        fields = urllib.request.parse_keqv_list(list(filter(None, urllib.request.parse_http_list(params))))
        answer = self._digest.get_authorization(request, fields)
        if answer:
            request.add_unredirected_header("Authorization", f"Digest {answer}")

    def _send(self, url: str, method: str, body: bytes | None, headers: dict[str, str]) -> bytes:
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            if method != "GET" and url != self.config.query_url:
                self._digest_in_advance(request)
            with self._opener.open(request, timeout=self.config.timeout) as response:
                return bytes(response.read())
        except urllib.error.HTTPError as error:
            text = error.read(4096).decode("utf-8", "replace")
            first = next((line.strip() for line in text.splitlines() if line.strip()), error.reason)
            raise RemoteRefused(
                error.code, f"{self.config.describe()} answered {error.code}: {first[:300]}", first[:300]
            ) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise StoreError(
                f"{self.config.describe()}: the external store did not answer ({reason})"
            ) from None
