"""Browsing with facets: entities by type and by the document that mentions them;
statements by speaker, topic and whether they are recommendations; agreements by party.

One bounded page of rows (LIMIT/OFFSET) and, for each facet, its values with how many rows
each would leave: the analyst narrows down by choosing, and sees what is there to choose.
Run in a query worker (graph/views.py says why).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from jtkg.graph.overview import HOME_CLASSES
from jtkg.graph.sections import labels
from jtkg.ontology import JT

_UNION = {"use_default_graph_as_union": True}
#: Rows on one page.
BROWSE_ROWS = 50
#: Values offered for one facet, most frequent first.
FACET_VALUES = 40
#: The facets of each kind: name -> the pattern linking a row ?s to the value ?v.
_IN_DOCUMENT = f"?v <{JT.mentions}> ?s . ?v a <{JT.Document}>"
FACETS: dict[str, dict[str, str]] = {
    "entity": {"document": _IN_DOCUMENT},
    "Statement": {"speaker": f"?s <{JT.statedBy}> ?v", "topic": f"?s <{JT.concerns}> ?v"},
    "Agreement": {"party": f"?s <{JT.party}> ?v", "document": _IN_DOCUMENT},
}
KINDS = tuple(c for c in HOME_CLASSES if c not in ("Position",))


@dataclass
class Browse:
    kind: str
    chosen: dict[str, str]
    recommendation: bool
    rows: list[tuple[str, str]]  # IRI, label
    #: facet -> (value IRI, label, rows it leaves), most rows first
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    offset: int = 0
    more: bool = False


def browse(
    store: ox.Store,
    kind: str = "Person",
    chosen: dict[str, str] | None = None,
    recommendation: bool = False,
    offset: int = 0,
    rows: int = BROWSE_ROWS,
) -> Browse:
    """One page of the ``kind``'s entities narrowed by the ``chosen`` facet values."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    facets = FACETS.get(kind, FACETS["entity"])
    chosen = {k: v for k, v in (chosen or {}).items() if v and k in facets}
    for value in chosen.values():
        ox.NamedNode(value)  # refuses "<", ">" and spaces: safe to write into a query
    kind_iri = JT.Recommendation if kind == "Statement" and recommendation else JT[kind]
    where = [f"?s a <{kind_iri}> ."] + [
        facets[name].replace("?v", f"<{value}>") + " ." for name, value in chosen.items()
    ]
    body = " ".join(where)
    found = [
        r["s"].value
        for r in store.query(
            f"SELECT DISTINCT ?s WHERE {{ {body} }} ORDER BY ?s LIMIT {rows + 1} OFFSET {offset}", **_UNION
        )
    ]
    view = Browse(kind, chosen, recommendation, [], offset=offset, more=len(found) > rows)
    found = found[:rows]
    values: dict[str, list[tuple[str, int]]] = {}
    for name, pattern in facets.items():
        values[name] = [
            (r["v"].value, int(r["n"].value))
            for r in store.query(
                f"""SELECT ?v (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {body} {pattern} FILTER(isIRI(?v)) }}
                GROUP BY ?v ORDER BY DESC(?n) ?v LIMIT {FACET_VALUES}""",
                **_UNION,
            )
        ]
    names = labels(store, set(found) | {v for pairs in values.values() for v, _ in pairs})
    view.rows = sorted(((s, names.get(s, s.rsplit("/", 1)[-1])) for s in found), key=lambda r: r[1].lower())
    view.facets = {
        name: [(v, names.get(v, v.rsplit("/", 1)[-1]), n) for v, n in pairs] for name, pairs in values.items()
    }
    return view
