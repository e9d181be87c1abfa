"""Read models of the pages that survey the graph: the home page's counts and documents,
and the timeline of dated events and agreements.

Plain functions of (store, **kwargs) returning picklable dataclasses, run in the server's
query workers (graph/views.py says why).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from jtkg.ontology import JT

_UNION = {"use_default_graph_as_union": True}
_PREFIXES = f"PREFIX jt: <{JT}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"


@dataclass
class TimelineItem:
    iri: str
    label: str
    kind: str
    date: str
    with_: list[tuple[str, str]]


def timeline(store: ox.Store) -> list[TimelineItem]:
    """Dated events and agreements, oldest first, with their participants or parties."""
    query = f"""{_PREFIXES}
    SELECT ?e ?label ?kind ?date ?who ?whoLabel WHERE {{
      ?e jt:date ?date ; a ?kind . FILTER(?kind IN (jt:Event, jt:Agreement))
      OPTIONAL {{ ?e rdfs:label ?label FILTER(lang(?label) = "en" || lang(?label) = "") }}
      OPTIONAL {{ {{ ?e jt:participant ?who }} UNION {{ ?e jt:party ?who }}
                 OPTIONAL {{ ?who rdfs:label ?whoLabel
                            FILTER(lang(?whoLabel) = "en" || lang(?whoLabel) = "") }} }}
    }} ORDER BY ?date ?label"""
    items: dict[str, TimelineItem] = {}
    for row in store.query(query, **_UNION):
        iri = row["e"].value
        item = items.setdefault(
            iri,
            TimelineItem(
                iri,
                row["label"].value if row["label"] else iri.rsplit("/", 1)[-1],
                row["kind"].value.rsplit("#", 1)[-1],
                row["date"].value,
                [],
            ),
        )
        if row["who"] and row["who"].value not in {w for w, _ in item.with_}:
            who = row["who"].value
            item.with_.append((who, row["whoLabel"].value if row["whoLabel"] else who))
    return sorted(items.values(), key=lambda i: (i.date, i.label))


#: The classes the home page counts.
HOME_CLASSES = (
    "Person",
    "Institution",
    "State",
    "Agreement",
    "Policy",
    "Issue",
    "Event",
    "Statement",
    "Position",
    "Document",
)


@dataclass
class HomeView:
    counts: dict[str, int]
    documents: list[dict[str, str]]  # iri, title
    triples: int


def home_view(store: ox.Store) -> HomeView:
    """How many entities of each class, the documents by title, and the size of the graph."""
    counts = {}
    for name in HOME_CLASSES:
        rows = store.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{JT[name]}> }}", **_UNION)
        counts[name] = int(next(iter(rows))["n"].value)
    documents = [
        {"iri": row["d"].value, "title": row["t"].value if row["t"] else row["d"].value}
        for row in store.query(
            f"""SELECT ?d (SAMPLE(?title) AS ?t) WHERE {{ ?d a <{JT.Document}>
            OPTIONAL {{ ?d <http://purl.org/dc/terms/title> ?title }} }} GROUP BY ?d ORDER BY ?t""",
            **_UNION,
        )
    ]
    return HomeView(counts, documents, len(store))
