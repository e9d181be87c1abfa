"""Which source each inferred triple comes from, so that removing or replacing a source
removes exactly the entailments no other source supports.

A source is a document (key: its slug), the base (key ``""``), the links graph (``@links``)
or any other graph a user writes (key: the graph's IRI; ``@default`` for the default
graph): see graph/derive.py, which is the one writer of this index and the inferred graph.

A small SQLite file beside each store generation (standard library, no server); it is
copied with the generation and flipped with it, so it always matches the published data.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from rdflib.term import Node
from rdflib.util import from_n3

Triple = tuple[Node, Node, Node]
INDEX_FILE = "inferred.sqlite"
#: The pseudo-document under which the ontology's and registry's own entailments are kept.
BASE = ""


def _key(triple: Triple) -> tuple[str, str, str]:
    return triple[0].n3(), triple[1].n3(), triple[2].n3()


def _triple(row: tuple[str, str, str]) -> Triple:
    return from_n3(row[0]), from_n3(row[1]), from_n3(row[2])  # type: ignore[return-value]


class InferredIndex:
    def __init__(self, folder: Path) -> None:
        self.db = sqlite3.connect(folder / INDEX_FILE)
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS inferred "
            "(doc TEXT NOT NULL, s TEXT NOT NULL, p TEXT NOT NULL, o TEXT NOT NULL)"
        )
        self.db.execute("CREATE INDEX IF NOT EXISTS by_triple ON inferred (s, p, o)")
        self.db.execute("CREATE INDEX IF NOT EXISTS by_doc ON inferred (doc)")

    def replace(self, doc: str, triples: Iterable[Triple]) -> tuple[set[Triple], set[Triple]]:
        """Records ``doc``'s entailments; returns (to add, to remove) in the inferred graph."""
        new = {_key(t) for t in triples}
        old = set(self.db.execute("SELECT s, p, o FROM inferred WHERE doc = ?", (doc,)))
        dropped = old - new
        self.db.executemany(
            "DELETE FROM inferred WHERE doc = ? AND s = ? AND p = ? AND o = ?", [(doc, *k) for k in dropped]
        )
        self.db.executemany("INSERT INTO inferred VALUES (?, ?, ?, ?)", [(doc, *k) for k in new - old])
        orphaned = {
            k
            for k in dropped
            if self.db.execute("SELECT 1 FROM inferred WHERE s = ? AND p = ? AND o = ? LIMIT 1", k).fetchone()
            is None
        }
        self.db.commit()
        return {_triple(k) for k in new - old}, {_triple(k) for k in orphaned}

    def remove(self, doc: str) -> set[Triple]:
        """Forgets ``doc``; returns the entailments that no other document supports."""
        return self.replace(doc, [])[1]

    def documents(self) -> set[str]:
        """Every source key with an entailment (documents, graphs, ``@links``, the base)."""
        return {row[0] for row in self.db.execute("SELECT DISTINCT doc FROM inferred")}

    def close(self) -> None:
        self.db.close()
