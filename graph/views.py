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

from jtkg.graph.participants import (
    INVERSE_PREDICATES,
    PARTICIPANT_PREDICATES,
    RoleGroup,
    TookPart,
    participants,
    took_part,
)
from jtkg.graph.sections import (
    RDFS_LABEL,
    SKOS_ALT,
    Fact,
    Passage,
    facts,
    incoming,
    labels,
    mention_contexts,
    page_clause,
    passages,
    positions,
    statements,
)
from jtkg.graph.text_pages import PAGE_CHARS, DocumentView, document_view
from jtkg.ontology import ID, JT, OA

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
    "labels",
]

_UNION = {"use_default_graph_as_union": True}
#: Rows of each section on an entity page (and per further page of that section).
SECTION_ROWS = 50
#: The sections that page; positions, names and types are capped at SECTION_ROWS.
SECTIONS = ("facts", "statements_by", "statements_about", "mentions", "incoming")
_PREFIXES = f"PREFIX jt: <{JT}> PREFIX oa: <{OA}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"


@dataclass
class EntityView:
    iri: str
    label: str
    names: list[str]
    types: list[str]
    facts: list[Fact]
    #: subject, predicate, subject label, the subject's other predicates to the entity
    incoming: list[tuple[str, str, str, tuple[str, ...]]]
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
    #: The ontology's labels of the predicates shown ("holds" for jt:holds).
    predicate_labels: dict[str, str] = field(default_factory=dict)
    #: An event's participants by role, each with its own passage (graph/participants.py).
    participants: list[RoleGroup] = field(default_factory=list)
    #: The events an actor took part in, by role, with the passages.
    took_part: list[TookPart] = field(default_factory=list)


@dataclass
class EntityPage:
    """Everything an entity's HTML page shows, computed in one worker call."""

    entity: EntityView
    document: DocumentView | None
    #: For a paged document (PDF) and a cited passage: its page, and the link to the PDF at
    #: that page when the document has a source URL (a local file has none).
    cited_page: tuple[int, str | None] | None = None


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

    page = page_clause(start, rows)
    # An event's participants, and the events an actor took part in, are sections of their
    # own (with each participant's passage): Facts and Incoming links leave those links out.
    is_event = str(JT.Event) in types
    if is_event:
        view.participants = participants(store, iri) if section is None else []
        out, back = PARTICIPANT_PREDICATES, INVERSE_PREDICATES
    else:
        view.took_part = took_part(store, iri, rows) if section is None else []
        found_parts = view.took_part or (section is not None and bool(took_part(store, iri, 1)))
        out, back = (INVERSE_PREDICATES, PARTICIPANT_PREDICATES) if found_parts else ((), ())
    if "facts" in wanted:
        view.facts = paged("facts", facts(store, iri, page, out))
    if "incoming" in wanted:
        view.incoming = paged("incoming", incoming(store, iri, page, back))
    if "statements_by" in wanted:
        view.statements_by = paged("statements_by", statements(store, f"?s jt:statedBy <{iri}>", page))
    if "statements_about" in wanted:
        view.statements_about = paged(
            "statements_about",
            statements(store, f"{{ ?s jt:concerns <{iri}> }} UNION {{ ?s jt:addressedTo <{iri}> }}", page),
        )
    if "mentions" in wanted:
        found = paged(
            "mentions",
            passages(
                store, f"?a oa:hasBody <{iri}> ; oa:motivatedBy oa:identifying ; oa:hasTarget ?t .", page
            ),
        )
        view.mentions = mention_contexts(store, sorted(found, key=lambda p: (p.document, p.start)))
    if section is None:
        view.positions = positions(store, iri, rows)
    predicates = {f.predicate for f in view.facts} | {i[1] for i in view.incoming}
    names_of = labels(
        store,
        {f.value for f in view.facts if f.is_iri} | {i[0] for i in view.incoming} | {iri} | predicates,
    )
    for fact in view.facts:
        fact.predicate_label = names_of.get(fact.predicate, "")
        if fact.is_iri:
            fact.label = names_of.get(fact.value, fact.value)
    view.incoming = sorted((s, p, names_of.get(s, s), also) for s, p, _, also in view.incoming)
    view.predicate_labels = {p: names_of[p] for p in predicates if p in names_of}
    view.label = names_of.get(iri) or (names[0] if names else iri.rsplit("/", 1)[-1])
    view.names = [n for n in names if n != view.label]
    return view


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


def is_entity_iri(iri: str) -> bool:
    return iri.startswith(str(ID))
