"""Read models for people: what an entity page, a document page and the timeline show.

Plain functions of (store, **kwargs) returning picklable dataclasses, so the server runs them
in its query worker processes (memory- and time-capped) and tests call them directly. Every
section is read with a bounded query (LIMIT, and OFFSET for its further pages), so one entity
with 100,000 links costs no more to show than one with fifty. Each fact carries the passage
it comes from: the Web Annotation in the same document graph whose body is the fact's subject
or object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from jtkg.graph.text_pages import PAGE_CHARS, DocumentView, document_view
from jtkg.ontology import GRAPH, ID, JT, OA

__all__ = [
    "PAGE_CHARS",
    "SECTIONS",
    "SECTION_ROWS",
    "DocumentView",
    "EntityPage",
    "EntityView",
    "Fact",
    "Passage",
    "document_view",
    "entity_page",
    "entity_view",
    "timeline",
]

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_UNION = {"use_default_graph_as_union": True}
#: Rows of each section on an entity page (and per further page of that section).
SECTION_ROWS = 50
#: The sections that page; positions, names and types are capped at SECTION_ROWS.
SECTIONS = ("facts", "statements_by", "statements_about", "mentions", "incoming")
#: Longest literal shown whole in a fact; longer ones are cut (the RDF formats have them).
MAX_VALUE_CHARS = 2_000
_PREFIXES = f"PREFIX jt: <{JT}> PREFIX oa: <{OA}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"


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
    #: The one section shown when paging through it (None: the first rows of every section).
    section: str | None = None
    #: Where the shown rows start in their section(s).
    offset: int = 0
    #: For each section with rows after these: the offset of its next page.
    more: dict[str, int] = field(default_factory=dict)


@dataclass
class EntityPage:
    """Everything an entity's HTML page shows, computed in one worker call."""

    entity: EntityView
    document: DocumentView | None
    #: For a paged document (PDF) and a cited passage: its page, and the link to the PDF at
    #: that page when the document has a source URL (a local file has none).
    cited_page: tuple[int, str | None] | None = None


def labels(store: ox.Store, iris: set[str]) -> dict[str, str]:
    """English (or any) labels for IRIs, in one query."""
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in iris)
    found: dict[str, str] = {}
    for row in store.query(
        f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} "
        f"?s <{RDFS_LABEL}>|<{JT.roleTitle}>|<{JT.quote}> ?l "
        f"}} ORDER BY DESC(lang(?l) = 'en') LIMIT {20 * len(iris)}",
        **_UNION,
    ):
        found.setdefault(row["s"].value, row["l"].value)
    return found


def _page(offset: int, rows: int) -> str:
    # One row more than shown tells whether there is a next page.
    return f"LIMIT {rows + 1} OFFSET {offset}"


def _passages(store: ox.Store, where: str, page: str) -> list[Passage]:
    query = f"""{_PREFIXES}
    SELECT DISTINCT ?doc ?start ?end ?exact WHERE {{
      {where}
      ?t oa:hasSource ?doc ; oa:hasSelector ?q . ?q oa:exact ?exact .
      ?t oa:hasSelector ?p . ?p oa:start ?start ; oa:end ?end .
    }} {page}"""
    return [
        Passage(r["doc"].value, int(r["start"].value), int(r["end"].value), r["exact"].value)
        for r in store.query(query, **_UNION)
    ]


def _exists(store: ox.Store, iri: str) -> bool:
    return bool(store.query(f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }}", **_UNION))


def entity_view(
    store: ox.Store, iri: str, section: str | None = None, offset: int = 0, rows: int = SECTION_ROWS
) -> EntityView | None:
    """The entity's first ``rows`` of every section, or (``section`` given) the rows of that
    one section from ``offset``. None when nothing is known about the IRI."""
    ox.NamedNode(iri)  # refuses "<", ">" and spaces: safe to write into a query
    if section is not None and section not in SECTIONS:
        raise ValueError(f"no section {section!r}")
    if not _exists(store, iri):
        return None
    names = [
        r["n"].value
        for r in store.query(
            f"SELECT DISTINCT ?n WHERE {{ <{iri}> <{RDFS_LABEL}>|<{SKOS_ALT}> ?n }} LIMIT {rows}", **_UNION
        )
    ]
    types = [
        r["t"].value
        for r in store.query(f"SELECT DISTINCT ?t WHERE {{ <{iri}> a ?t }} LIMIT {rows}", **_UNION)
    ]
    view = EntityView(
        iri=iri,
        label="",
        names=names,
        types=types,
        facts=[],
        incoming=[],
        positions=[],
        statements_by=[],
        statements_about=[],
        mentions=[],
        section=section,
        offset=offset if section else 0,
    )
    wanted = (section,) if section else SECTIONS
    start = view.offset

    def paged(name: str, found: list) -> list:  # type: ignore[type-arg]
        if len(found) > rows:
            view.more[name] = start + rows
        return found[:rows]

    if "facts" in wanted:
        view.facts = paged("facts", _facts(store, iri, _page(start, rows)))
    if "incoming" in wanted:
        view.incoming = paged(
            "incoming",
            [
                (r["s"].value, r["p"].value, "")
                for r in store.query(
                    # Annotations are left out by predicate first, which needs no string read (IF, as
                    # Oxigraph reads STR(?s) for every row of an && but not of an untaken branch).
                    f"""{_PREFIXES} SELECT DISTINCT ?s ?p WHERE {{ ?s ?p <{iri}>
              FILTER(IF(?p IN (oa:hasBody, oa:hasSource, oa:hasTarget, oa:hasSelector), false,
                        isIRI(?s) && !CONTAINS(STR(?s), "/annotation/"))) }} {_page(start, rows)}""",
                    **_UNION,
                )
            ],
        )
    if "statements_by" in wanted:
        view.statements_by = paged(
            "statements_by", _statements(store, f"?s jt:statedBy <{iri}>", _page(start, rows))
        )
    if "statements_about" in wanted:
        view.statements_about = paged(
            "statements_about",
            _statements(
                store,
                f"{{ ?s jt:concerns <{iri}> }} UNION {{ ?s jt:addressedTo <{iri}> }}",
                _page(start, rows),
            ),
        )
    if "mentions" in wanted:
        view.mentions = sorted(
            paged(
                "mentions",
                _passages(
                    store,
                    f"?a oa:hasBody <{iri}> ; oa:motivatedBy oa:identifying ; oa:hasTarget ?t .",
                    _page(start, rows),
                ),
            ),
            key=lambda p: (p.document, p.start),
        )
    if section is None:
        view.positions = _positions(store, iri, rows)
    names_of = labels(
        store, {f.value for f in view.facts if f.is_iri} | {s for s, _, _ in view.incoming} | {iri}
    )
    for fact in view.facts:
        if fact.is_iri:
            fact.label = names_of.get(fact.value, fact.value)
    view.incoming = sorted((s, p, names_of.get(s, s)) for s, p, _ in view.incoming)
    view.label = names_of.get(iri) or (names[0] if names else iri.rsplit("/", 1)[-1])
    view.names = [n for n in names if n != view.label]
    return view


def _facts(store: ox.Store, iri: str, page: str) -> list[Fact]:
    """One page of the entity's facts beyond names and types, each marked inferred when no
    graph but the inferred one states it, with up to two passages as evidence."""
    # A document's text is not a fact to list: its page shows it, a page at a time.
    found = list(
        store.query(
            f"""SELECT DISTINCT ?p ?o WHERE {{ <{iri}> ?p ?o
        FILTER(?p NOT IN (<{RDFS_LABEL}>, <{SKOS_ALT}>, <{RDF_TYPE}>, <{JT.text}>)) }} {page}""",
            **_UNION,
        )
    )
    facts = [
        Fact(r["p"].value, r["o"].value, True, r["o"].value)
        if isinstance(r["o"], ox.NamedNode)
        else Fact(r["p"].value, _shortened(r["o"].value), False, _shortened(r["o"].value))
        for r in found
    ]
    terms = [(r["p"], r["o"]) for r in found if not isinstance(r["o"], ox.BlankNode)]
    asserted: set[tuple[str, str]] = set()
    if terms:
        values = " ".join(f"({p} {o})" for p, o in terms)
        asserted = {
            (r["p"].value, r["o"].value)
            for r in store.query(
                f"""SELECT DISTINCT ?p ?o WHERE {{ VALUES (?p ?o) {{ {values} }}
              GRAPH ?g {{ <{iri}> ?p ?o }} FILTER(?g != <{GRAPH["inferred"]}>) }}"""
            )
        }
    for fact, (p, o) in zip(facts, ((r["p"], r["o"]) for r in found), strict=True):
        fact.inferred = not isinstance(o, ox.BlankNode) and (p.value, o.value) not in asserted
        if fact.is_iri:
            fact.passages = _passages(
                store,
                f"""VALUES ?b {{ <{iri}> <{fact.value}> }}
              GRAPH ?g {{ <{iri}> <{fact.predicate}> <{fact.value}> .
              ?a oa:hasBody ?b ; oa:motivatedBy oa:describing ; oa:hasTarget ?t . }}""",
                "LIMIT 2",
            )
    return sorted(facts, key=lambda f: (f.inferred, f.predicate, f.label))


def _shortened(value: str) -> str:
    return value if len(value) <= MAX_VALUE_CHARS else value[:MAX_VALUE_CHARS] + "…"


def _positions(store: ox.Store, iri: str, rows: int) -> list[dict[str, str]]:
    query = f"""{_PREFIXES}
    SELECT ?position ?role ?org ?orgLabel ?start ?end WHERE {{
      <{iri}> jt:holds ?position . ?position jt:roleTitle ?role .
      OPTIONAL {{ ?position jt:positionIn ?org
                 OPTIONAL {{ ?org rdfs:label ?orgLabel FILTER(lang(?orgLabel) = "en") }} }}
      OPTIONAL {{ ?position jt:startDate ?start }} OPTIONAL {{ ?position jt:endDate ?end }}
    }} ORDER BY ?start ?role LIMIT {rows}"""
    keys = ("position", "role", "org", "orgLabel", "start", "end")
    return [{k: (row[k].value if row[k] else "") for k in keys} for row in store.query(query, **_UNION)]


def _statements(store: ox.Store, pattern: str, page: str) -> list[dict[str, str]]:
    # The page is taken over statements first, then read in plain joins on those statements:
    # Oxigraph evaluates a subquery or an OPTIONAL over the whole store before joining.
    found = [
        r["s"]
        for r in store.query(
            f"""{_PREFIXES} SELECT DISTINCT ?s WHERE {{ {pattern} .
      ?s a ?k . FILTER(?k IN (jt:Statement, jt:Recommendation)) }} {page}""",
            **_UNION,
        )
    ]
    if not found:
        return []
    values = f"VALUES ?s {{ {' '.join(str(s) for s in found)} }}"
    rows: dict[str, dict[str, str]] = {}
    for row in store.query(
        f"""{_PREFIXES} SELECT ?s ?quote ?speaker ?kind WHERE {{ {values}
          ?s jt:quote ?quote ; jt:statedBy ?speaker ; a ?kind .
          FILTER(?kind IN (jt:Statement, jt:Recommendation)) }}""",
        **_UNION,
    ):
        entry = rows.setdefault(
            row["s"].value,
            {
                "s": row["s"].value,
                "quote": row["quote"].value,
                "speaker": row["speaker"].value,
                "speakerLabel": "",
                "doc": "",
                "start": "",
                "end": "",
            },
        )
        if row["kind"].value == str(JT.Recommendation):
            entry["recommendation"] = "yes"
    speakers = labels(store, {e["speaker"] for e in rows.values()})
    for row in store.query(
        f"""{_PREFIXES} SELECT ?s ?doc ?start ?end WHERE {{ {values}
          ?a oa:hasBody ?s ; oa:hasTarget ?t . ?t oa:hasSource ?doc ; oa:hasSelector ?p .
          ?p oa:start ?start ; oa:end ?end }}""",
        **_UNION,
    ):
        entry = rows[row["s"].value]
        if not entry["doc"]:
            entry.update(doc=row["doc"].value, start=row["start"].value, end=row["end"].value)
    for entry in rows.values():
        entry["speakerLabel"] = speakers.get(entry["speaker"], "")
    return sorted(rows.values(), key=lambda e: (e["doc"], int(e["start"] or 0)))


def entity_page(
    store: ox.Store,
    iri: str,
    section: str | None = None,
    offset: int = 0,
    page: int | None = None,
    highlight: tuple[int, int] | None = None,
) -> EntityPage | None:
    """The entity view and, for a document, one page of its text (the page holding
    ``highlight`` unless ``page`` is given)."""
    entity = entity_view(store, iri, section, offset)
    if entity is None:
        return None
    document = None
    cited = None
    if str(JT.Document) in entity.types and section is None:
        document = document_view(store, iri, highlight, page=page)
        if highlight is not None:
            cited = _cited_page(store, iri, highlight)
    return EntityPage(entity, document, cited)


def _cited_page(store: ox.Store, iri: str, span: tuple[int, int]) -> tuple[int, str | None] | None:
    """The RFC 8118 page selector of the passage ``span`` in the document, if it has one."""
    rows = list(
        store.query(
            f"""{_PREFIXES}
      SELECT ?value ?source WHERE {{
        ?t oa:hasSource <{iri}> ; oa:hasSelector ?p, ?f .
        ?p oa:start {int(span[0])} ; oa:end {int(span[1])} .
        ?f a oa:FragmentSelector ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> ?value .
        OPTIONAL {{ <{iri}> <http://purl.org/dc/terms/source> ?source }}
      }} LIMIT 1""",
            **_UNION,
        )
    )
    if not rows or not rows[0]["value"].value.startswith("page="):
        return None
    number = rows[0]["value"].value.removeprefix("page=")
    if not number.isdigit():
        return None
    source = rows[0]["source"].value if rows[0]["source"] else None
    if not source or not source.startswith(("http://", "https://")):
        return int(number), None  # a local file: no address to link to
    return int(number), f"{source.split('#')[0]}#page={number}"


def entity_rdf(store: ox.Store, iri: str, media_type: str) -> bytes | None:
    """The triples about and pointing to the IRI, serialised; None when there are none."""
    ox.NamedNode(iri)
    query = (
        f"CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} WHERE {{ {{ <{iri}> ?p ?o }} "
        f"UNION {{ ?s ?q <{iri}> }} }}"
    )
    triples = list(store.query(query, **_UNION))
    if not triples:
        return None
    return ox.serialize(triples, format=ox.RdfFormat.from_media_type(media_type))


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


def is_entity_iri(iri: str) -> bool:
    return iri.startswith(str(ID))
