"""Read models for people: what an entity page, a document page and the timeline show.

Plain functions over the store (no web framework), so they are tested directly. Each fact
carries the passage it comes from: the Web Annotation in the same document graph whose
body is the fact's subject or object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

import pyoxigraph as ox

from jtkg.ontology import GRAPH, ID, JT, OA

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DCT_TITLE = "http://purl.org/dc/terms/title"
_UNION = {"use_default_graph_as_union": True}


@dataclass
class Passage:
    document: str
    start: int
    end: int
    exact: str


@dataclass
class Fact:
    predicate: str
    value: str
    is_iri: bool
    label: str
    passages: list[Passage] = field(default_factory=list)
    inferred: bool = False


@dataclass
class EntityView:
    iri: str
    label: str
    names: list[str]
    types: list[str]
    facts: list[Fact]
    incoming: list[tuple[str, str, str]]  # subject, predicate, subject label
    positions: list[dict[str, str]]
    statements_by: list[dict[str, str]]
    statements_about: list[dict[str, str]]
    mentions: list[Passage]


def labels(store: ox.Store, iris: set[str]) -> dict[str, str]:
    """English (or any) labels for IRIs, in one query."""
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in iris)
    found: dict[str, str] = {}
    for row in store.query(f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} "
                           f"?s <{RDFS_LABEL}>|<{JT.roleTitle}>|<{JT.quote}> ?l "
                           f"}} ORDER BY DESC(lang(?l) = 'en')", **_UNION):
        found.setdefault(row["s"].value, row["l"].value)
    return found


def _passages(store: ox.Store, where: str) -> list[Passage]:
    query = f"""PREFIX oa: <{OA}>
    SELECT DISTINCT ?doc ?start ?end ?exact WHERE {{
      {where}
      ?t oa:hasSource ?doc ; oa:hasSelector ?q . ?q oa:exact ?exact .
      ?t oa:hasSelector ?p . ?p oa:start ?start ; oa:end ?end .
    }} LIMIT 200"""
    found = [Passage(r["doc"].value, int(r["start"].value), int(r["end"].value), r["exact"].value)
             for r in store.query(query, **_UNION)]
    return sorted(found, key=lambda p: (p.document, p.start))


def entity_view(store: ox.Store, iri: str) -> EntityView | None:
    node = ox.NamedNode(iri)
    if not any(True for _ in store.quads_for_pattern(node, None, None, None)) and \
            not any(True for _ in store.quads_for_pattern(None, None, node, None)):
        return None
    inferred = ox.NamedNode(str(GRAPH["inferred"]))
    facts: dict[tuple[str, str], Fact] = {}
    names: list[str] = []
    types: list[str] = []
    for quad in store.quads_for_pattern(node, None, None, None):
        p, o = quad.predicate.value, quad.object
        if p in (RDFS_LABEL, SKOS_ALT):
            if o.value not in names:
                names.append(o.value)
            continue
        if p == RDF_TYPE:
            if o.value not in types:
                types.append(o.value)
            continue
        key = (p, o.value)
        fact = facts.get(key)
        if fact is None:
            fact = facts[key] = Fact(p, o.value, isinstance(o, ox.NamedNode), o.value,
                                     inferred=quad.graph_name == inferred)
        elif quad.graph_name != inferred:
            fact.inferred = False
    linked = {f.value for f in facts.values() if f.is_iri}
    incoming = sorted({(q.subject.value, q.predicate.value)
                       for q in store.quads_for_pattern(None, None, node, None)
                       if isinstance(q.subject, ox.NamedNode) and "/annotation/" not in q.subject.value})
    names_of = labels(store, linked | {s for s, _ in incoming} | {iri})
    for fact in facts.values():
        if fact.is_iri:
            fact.label = names_of.get(fact.value, fact.value)
            fact.passages = _passages(store, f"""VALUES ?b {{ <{iri}> <{fact.value}> }}
              GRAPH ?g {{ <{iri}> <{fact.predicate}> <{fact.value}> .
              ?a oa:hasBody ?b ; oa:motivatedBy oa:describing ; oa:hasTarget ?t . }}""")[:2]
    label = names_of.get(iri) or (names[0] if names else iri.rsplit("/", 1)[-1])
    return EntityView(
        iri=iri, label=label, names=[n for n in names if n != label], types=types,
        facts=sorted(facts.values(), key=lambda f: (f.inferred, f.predicate, f.label)),
        incoming=[(s, p, names_of.get(s, s)) for s, p in incoming],
        positions=_positions(store, iri),
        statements_by=_statements(store, f"?s jt:statedBy <{iri}>"),
        statements_about=_statements(
            store, f"{{ ?s jt:concerns <{iri}> }} UNION {{ ?s jt:addressedTo <{iri}> }}"),
        mentions=_passages(
            store, f"?a oa:hasBody <{iri}> ; oa:motivatedBy oa:identifying ; oa:hasTarget ?t .")[:20],
    )


def _positions(store: ox.Store, iri: str) -> list[dict[str, str]]:
    query = f"""PREFIX jt: <{JT}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    SELECT ?position ?role ?org ?orgLabel ?start ?end WHERE {{
      <{iri}> jt:holds ?position . ?position jt:roleTitle ?role .
      OPTIONAL {{ ?position jt:positionIn ?org
                 OPTIONAL {{ ?org rdfs:label ?orgLabel FILTER(lang(?orgLabel) = "en") }} }}
      OPTIONAL {{ ?position jt:startDate ?start }} OPTIONAL {{ ?position jt:endDate ?end }}
    }} ORDER BY ?start ?role"""
    keys = ("position", "role", "org", "orgLabel", "start", "end")
    return [{k: (row[k].value if row[k] else "") for k in keys} for row in store.query(query, **_UNION)]


def _statements(store: ox.Store, pattern: str) -> list[dict[str, str]]:
    query = f"""PREFIX jt: <{JT}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    PREFIX oa: <{OA}>
    SELECT ?s ?quote ?speaker ?speakerLabel ?doc ?start ?end ?kind WHERE {{
      {pattern} . ?s jt:quote ?quote ; jt:statedBy ?speaker ; a ?kind .
      FILTER(?kind IN (jt:Statement, jt:Recommendation))
      OPTIONAL {{ ?speaker rdfs:label ?speakerLabel }}
      OPTIONAL {{ ?a oa:hasBody ?s ; oa:hasTarget ?t . ?t oa:hasSource ?doc ; oa:hasSelector ?p .
                 ?p oa:start ?start ; oa:end ?end }}
    }} ORDER BY ?doc ?start"""
    rows: dict[str, dict[str, str]] = {}
    for row in store.query(query, **_UNION):
        keys = ("s", "quote", "speaker", "speakerLabel", "doc", "start", "end")
        entry = rows.setdefault(row["s"].value, {k: (row[k].value if row[k] else "") for k in keys})
        if row["kind"].value == str(JT.Recommendation):
            entry["recommendation"] = "yes"
    return list(rows.values())


@dataclass
class DocumentView:
    iri: str
    title: str
    text: str
    segments: list[tuple[str, str | None, bool]]  # text, linked entity IRI, highlighted


def document_view(store: ox.Store, iri: str,
                  highlight: tuple[int, int] | None = None) -> DocumentView | None:
    """The document's text cut into segments: mentions linked to their entities, and the
    passage ``highlight`` (start, end) marked."""
    query = f"""PREFIX jt: <{JT}> SELECT ?text ?title WHERE {{ <{iri}> jt:text ?text
      OPTIONAL {{ <{iri}> <{DCT_TITLE}> ?title }} }} LIMIT 1"""
    rows = list(store.query(query, **_UNION))
    if not rows:
        return None
    text = rows[0]["text"].value
    title = rows[0]["title"].value if rows[0]["title"] else iri
    spans = []
    for row in store.query(f"""PREFIX oa: <{OA}> SELECT DISTINCT ?b ?start ?end WHERE {{
          ?a oa:hasBody ?b ; oa:motivatedBy oa:identifying ; oa:hasTarget ?t .
          ?t oa:hasSource <{iri}> ; oa:hasSelector ?p . ?p oa:start ?start ; oa:end ?end }}""", **_UNION):
        spans.append((int(row["start"].value), int(row["end"].value), row["b"].value))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    cuts = {0, len(text)}
    chosen: list[tuple[int, int, str]] = []
    last_end = 0
    for start, end, body in spans:
        if start >= last_end and 0 <= start < end <= len(text):
            chosen.append((start, end, body))
            last_end = end
            cuts |= {start, end}
    if highlight and 0 <= highlight[0] < highlight[1] <= len(text):
        cuts |= set(highlight)
    links = {start: (end, body) for start, end, body in chosen}
    segments: list[tuple[str, str | None, bool]] = []
    points = sorted(cuts)
    for a, b in pairwise(points):
        body = next((body for start, (end, body) in links.items() if start <= a and b <= end), None)
        marked = bool(highlight and highlight[0] <= a and b <= highlight[1])
        segments.append((text[a:b], body, marked))
    return DocumentView(iri, title, text, segments)


@dataclass
class TimelineItem:
    iri: str
    label: str
    kind: str
    date: str
    with_: list[tuple[str, str]]


def timeline(store: ox.Store) -> list[TimelineItem]:
    """Dated events and agreements, oldest first, with their participants or parties."""
    query = f"""PREFIX jt: <{JT}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
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
        item = items.setdefault(iri, TimelineItem(
            iri, row["label"].value if row["label"] else iri.rsplit("/", 1)[-1],
            row["kind"].value.rsplit("#", 1)[-1], row["date"].value, []))
        if row["who"] and row["who"].value not in {w for w, _ in item.with_}:
            who = row["who"].value
            item.with_.append((who, row["whoLabel"].value if row["whoLabel"] else who))
    return sorted(items.values(), key=lambda i: (i.date, i.label))


def is_entity_iri(iri: str) -> bool:
    return iri.startswith(str(ID))
