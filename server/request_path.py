"""What each /sparql request needs from the server, computed once instead of per request.

* The published generation: reading CURRENT (an open, a read, a regular expression and a
  stat of the generation's folder) took ~60 µs a request. A publish renames a new CURRENT
  into place (a new inode) and an edit in place changes its size or times, so the generation
  is read again only when ``os.stat`` of CURRENT says the file changed, or the generation's
  folder is gone (damage, refused as before): two stats a request.
* The endpoint's own URL (the base IRI of relative IRIs in a query): Werkzeug rebuilds it
  from the request (IRI decoding of the host and path, ~80 µs); kept per (scheme, host,
  script root, path), at most BASE_URLS of them (the Host header is the client's to choose).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from flask import Request

from jtkg.graph.location import Published
from jtkg.graph.store import PublishedStore

#: Most base URLs remembered; past it the table starts again.
BASE_URLS = 256


class FollowedGeneration:
    """``published.generation_path()``, read again only when CURRENT's stat changes."""

    def __init__(self, published: Published) -> None:
        self.published = published
        self._lock = threading.Lock()
        self._seen: tuple[tuple[int, ...], str] | None = None
        local = isinstance(published, PublishedStore)
        self._current: Path | None = published.location.path / "CURRENT" if local else None

    def path(self) -> str:
        if self._current is None:  # an external store: its own handle decides
            return self.published.generation_path()
        try:
            stat = os.stat(self._current)
        except OSError:  # gone or unreadable: the handle says why, in its one line
            return self.published.generation_path()
        key = (stat.st_ino, stat.st_dev, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
        seen = self._seen
        if seen is not None and seen[0] == key and os.path.isdir(seen[1]):  # still there (a stat)
            return seen[1]
        with self._lock:
            path = self.published.generation_path()  # raises StoreError if CURRENT is damaged
            self._seen = (key, path)
        return path


_base_urls: dict[tuple[str, ...], str] = {}


def base_url(request: Request) -> str:
    """``request.base_url``, remembered for the next request to the same URL."""
    environ: dict[str, Any] = request.environ
    key = (
        environ.get("wsgi.url_scheme", ""),
        environ.get("HTTP_HOST", ""),
        environ.get("SERVER_NAME", ""),
        environ.get("SERVER_PORT", ""),
        environ.get("SCRIPT_NAME", ""),
        environ.get("PATH_INFO", ""),
    )
    found = _base_urls.get(key)
    if found is None:
        if len(_base_urls) >= BASE_URLS:
            _base_urls.clear()
        found = _base_urls[key] = request.base_url
    return found
