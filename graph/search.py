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
#: BM25 weights of the label, other-names, quote and "about" columns: a name match ranks
#: first; a statement is found by the names of what it concerns too, as its issue page lists it.
_WEIGHTS = (10.0, 5.0, 1.0, 0.5)
#: Hits on one page of results.
MAX_HITS = 50
#: Longest label made from a quote (a statement's), cut at a word.
_QUOTE_LABEL = 80
#: What a statement is about: the entities its issue, actor and addressee pages list it under.
_ABOUT = (str(JT.concerns), str(JT.addressedTo), str(JT.statedBy))
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
            "CREATE VIRTUAL TABLE entry USING fts5(label, names, quote, about, iri UNINDEXED, "
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
        about: dict[str, set[str]] = {}
        for predicate in _ABOUT:
            for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
                if quad.subject.value in entries and isinstance(quad.object, ox.NamedNode):
                    about.setdefault(quad.subject.value, set()).add(quad.object.value)
        kinds = {}
        rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        for quad in store.quads_for_pattern(None, rdf_type, None, None):
            if quad.object.value.startswith(str(JT)) and quad.subject.value in entries:
                kind = quad.object.value[len(str(JT)) :]
                if kind not in ("Actor", "Topic", "Polity", "Dated", "Concerning"):
                    kinds[quad.subject.value] = kind
        self._db.executemany(
            "INSERT INTO entry VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    e["label"] or _cut(str(e["quote"])),
                    " ".join(sorted(e["names"])),  # type: ignore[arg-type]
                    e["quote"],
                    " ".join(sorted(str(entries[o]["label"]) for o in about.get(iri, ()) if o in entries)),
                    iri,
                    kinds.get(iri, ""),
                )
                for iri, e in entries.items()
            ],
        )
        self.size = len(entries)

    def search(self, text: str, limit: int = MAX_HITS, offset: int = 0) -> list[Hit]:
        """Best matches first, from the ``offset``-th. Every word must match (as a prefix) in
        one entry's columns; no query syntax."""
        words = re.findall(r"\w+", text)
        if not words:
            return []
        match = " ".join(f'"{w}"*' for w in words[:20])
        rows = self._db.execute(
            f"SELECT iri, label, kind, snippet(entry, 2, '{_OPEN}', '{_CLOSE}', '…', 16) FROM entry "
            "WHERE entry MATCH ? "
            f"ORDER BY bm25(entry, {', '.join(map(str, _WEIGHTS))}), iri LIMIT ? OFFSET ?",
            (match, limit, offset),
        )
        return [Hit(iri, label, kind, _parts(snippet)) for iri, label, kind, snippet in rows]


#: The index of the store a process last searched (built on first use, once per generation).
_index: tuple[object, SearchIndex] | None = None


def search(store: ox.Store, text: str, limit: int = MAX_HITS, offset: int = 0) -> list[Hit]:
    """Searches the store's index, building it first if this process has none for it yet:
    run in a query worker, so neither the index nor its building weighs on the server."""
    global _index
    if _index is None or _index[0] is not store:  # identity: a new generation is a new store
        _index = None  # the old one may be collected before the new one is built
        _index = (store, SearchIndex(store))
    return _index[1].search(text, limit, offset)


def _cut(quote: str) -> str:
    """A quote as a label: whole when short, else cut after its last whole word, with "…"."""
    quote = " ".join(quote.split())
    if len(quote) <= _QUOTE_LABEL:
        return quote
    return quote[:_QUOTE_LABEL].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _parts(snippet: str) -> tuple[tuple[str, bool], ...]:
    """``a\ue000b\ue001c`` as (("a", False), ("b", True), ("c", False)); () without a match."""
    if _OPEN not in snippet:
        return ()
    parts: list[tuple[str, bool]] = []
    for i, piece in enumerate(re.split(f"[{_OPEN}{_CLOSE}]", snippet)):
        if piece:
            parts.append((piece, i % 2 == 1))
    return tuple(parts)
