"""Full-text search over labels, other names and quotes, ranked (SQLite FTS5, BM25).

The index is built from the store in memory, once per published generation: a few thousand
rows for the bundled corpus, built in well under a second.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

import pyoxigraph as ox

from jtkg.ontology import JT

_NAMES = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#altLabel")
#: BM25 weights of the label, other-names and quote columns: a name match ranks first.
_WEIGHTS = (10.0, 5.0, 1.0)
MAX_HITS = 50
#: Where SQLite marks a match in a snippet: private-use characters, removed from the indexed
#: text, so a literal "[" or "]" in a quote is never taken for a marker.
_OPEN, _CLOSE = "\ue000", "\ue001"
_MARKERS = str.maketrans("", "", _OPEN + _CLOSE)


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    kind: str
    #: The quote around the match, as (text, is a match) parts; empty for a name match.
    snippet: tuple[tuple[str, bool], ...]


class SearchIndex:
    def __init__(self, store: ox.Store) -> None:
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(
            "CREATE VIRTUAL TABLE entry USING fts5(label, names, quote, iri UNINDEXED, "
            "kind UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')"
        )
        entries: dict[str, dict[str, object]] = {}
        for name in _NAMES:
            for quad in store.quads_for_pattern(None, ox.NamedNode(name), None, None):
                if not isinstance(quad.subject, ox.NamedNode):
                    continue
                entry = entries.setdefault(quad.subject.value, {"label": "", "names": set(), "quote": ""})
                if name == _NAMES[0] and (not entry["label"] or quad.object.language in ("en", None)):
                    entry["label"] = quad.object.value
                entry["names"].add(quad.object.value)  # type: ignore[union-attr]
        for quad in store.quads_for_pattern(None, ox.NamedNode(str(JT.quote)), None, None):
            entry = entries.setdefault(quad.subject.value, {"label": "", "names": set(), "quote": ""})
            entry["quote"] = quad.object.value.translate(_MARKERS)
        kinds = {}
        rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        for quad in store.quads_for_pattern(None, rdf_type, None, None):
            if quad.object.value.startswith(str(JT)) and quad.subject.value in entries:
                kind = quad.object.value[len(str(JT)) :]
                if kind not in ("Actor", "Topic", "Polity", "Dated", "Concerning"):
                    kinds[quad.subject.value] = kind
        self._db.executemany(
            "INSERT INTO entry VALUES (?, ?, ?, ?, ?)",
            [
                (
                    e["label"] or (e["quote"] and str(e["quote"])[:80]),
                    " ".join(sorted(e["names"])),  # type: ignore[arg-type]
                    e["quote"],
                    iri,
                    kinds.get(iri, ""),
                )
                for iri, e in entries.items()
            ],
        )
        self.size = len(entries)

    def search(self, text: str, limit: int = MAX_HITS) -> list[Hit]:
        """Best matches first. Every word must match (as a prefix); no query syntax."""
        words = re.findall(r"\w+", text)
        if not words:
            return []
        match = " ".join(f'"{w}"*' for w in words[:20])
        rows = self._db.execute(
            f"SELECT iri, label, kind, snippet(entry, 2, '{_OPEN}', '{_CLOSE}', '…', 16) FROM entry "
            "WHERE entry MATCH ? "
            f"ORDER BY bm25(entry, {', '.join(map(str, _WEIGHTS))}) LIMIT ?",
            (match, limit),
        )
        return [Hit(iri, label, kind, _parts(snippet)) for iri, label, kind, snippet in rows]


#: The index of the store a process last searched (built on first use, once per generation).
_index: tuple[object, SearchIndex] | None = None


def search(store: ox.Store, text: str, limit: int = MAX_HITS) -> list[Hit]:
    """Searches the store's index, building it first if this process has none for it yet:
    run in a query worker, so neither the index nor its building weighs on the server."""
    global _index
    if _index is None or _index[0] is not store:  # identity: a new generation is a new store
        _index = None  # the old one may be collected before the new one is built
        _index = (store, SearchIndex(store))
    return _index[1].search(text, limit)


def _parts(snippet: str) -> tuple[tuple[str, bool], ...]:
    """``a\ue000b\ue001c`` as (("a", False), ("b", True), ("c", False)); () without a match."""
    if _OPEN not in snippet:
        return ()
    parts: list[tuple[str, bool]] = []
    for i, piece in enumerate(re.split(f"[{_OPEN}{_CLOSE}]", snippet)):
        if piece:
            parts.append((piece, i % 2 == 1))
    return tuple(parts)
