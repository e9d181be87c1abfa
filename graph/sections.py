"""The sections of an entity page, each read with one bounded query (LIMIT, and OFFSET for
its further pages): facts with their evidence, positions, statements, mentions.

A fact carries the passage it comes from: the Web Annotation in the same document graph
whose body is the fact's subject or object.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from jtkg.ontology import GRAPH, JT, OA

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_UNION = {"use_default_graph_as_union": True}
#: Longest literal shown whole in a fact; longer ones are cut (the RDF formats have them).
MAX_VALUE_CHARS = 2_000
_PREFIXES = f"PREFIX jt: <{JT}> PREFIX oa: <{OA}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"


@dataclass
class Passage:
    document: str
    start: int
    end: int
    exact: str
    #: For a mention: its document's title, and the sentence around it (before, after).
    title: str = ""
    before: str = ""
    after: str = ""


@dataclass
class Fact:
    predicate: str
    value: str
    is_iri: bool
    label: str
    passages: list[Passage] = field(default_factory=list)
    inferred: bool = False
    #: The ontology's label of the predicate ("holds"), when it has one.
    predicate_label: str = ""
    #: Predicates the reasoner inferred for the same value, folded into this asserted fact.
    also: list[str] = field(default_factory=list)


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


def page_clause(offset: int, rows: int) -> str:
    # One row more than shown tells whether there is a next page.
    return f"LIMIT {rows + 1} OFFSET {offset}"


def passages(store: ox.Store, where: str, page: str) -> list[Passage]:
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


def facts(store: ox.Store, iri: str, page: str, hide: tuple[str, ...] = ()) -> list[Fact]:
    """One page of the entity's facts beyond names and types (and the ``hide`` predicates,
    which a section of their own shows), each marked inferred when no graph but the
    inferred one states it, with up to two passages as evidence."""
    # A document's text is not a fact to list: its page shows it, a page at a time.
    hidden = "".join(f", <{p}>" for p in hide)
    found = list(
        store.query(
            f"""SELECT DISTINCT ?p ?o WHERE {{ <{iri}> ?p ?o
        FILTER(?p NOT IN (<{RDFS_LABEL}>, <{SKOS_ALT}>, <{RDF_TYPE}>, <{JT.text}>{hidden})) }} {page}""",
            **_UNION,
        )
    )
    shown = [
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
    for fact, (p, o) in zip(shown, ((r["p"], r["o"]) for r in found), strict=True):
        fact.inferred = not isinstance(o, ox.BlankNode) and (p.value, o.value) not in asserted
        if fact.is_iri:
            fact.passages = passages(
                store,
                f"""VALUES ?b {{ <{iri}> <{fact.value}> }}
              GRAPH ?g {{ <{iri}> <{fact.predicate}> <{fact.value}> .
              ?a oa:hasBody ?b ; oa:motivatedBy oa:describing ; oa:hasTarget ?t . }}""",
                "LIMIT 2",
            )
    return _folded(sorted(shown, key=lambda f: (f.inferred, f.predicate, f.label)))


def _folded(shown: list[Fact]) -> list[Fact]:
    """An inferred fact with the value of an asserted one (``org:holds`` beside ``jt:holds``)
    is shown as "also as" on the asserted fact, not as a row of its own."""
    asserted = {(f.is_iri, f.value): f for f in shown if not f.inferred}
    kept = []
    for fact in shown:
        twin = asserted.get((fact.is_iri, fact.value)) if fact.inferred else None
        if twin is not None:
            twin.also.append(fact.predicate)
        else:
            kept.append(fact)
    return kept


def _shortened(value: str) -> str:
    return value if len(value) <= MAX_VALUE_CHARS else value[:MAX_VALUE_CHARS] + "…"


def positions(store: ox.Store, iri: str, rows: int) -> list[dict[str, str]]:
    query = f"""{_PREFIXES}
    SELECT ?position ?role ?org ?orgLabel ?start ?end WHERE {{
      <{iri}> jt:holds ?position . ?position jt:roleTitle ?role .
      OPTIONAL {{ ?position jt:positionIn ?org
                 OPTIONAL {{ ?org rdfs:label ?orgLabel FILTER(lang(?orgLabel) = "en") }} }}
      OPTIONAL {{ ?position jt:startDate ?start }} OPTIONAL {{ ?position jt:endDate ?end }}
    }} ORDER BY ?start ?role LIMIT {rows}"""
    keys = ("position", "role", "org", "orgLabel", "start", "end")
    return [{k: (row[k].value if row[k] else "") for k in keys} for row in store.query(query, **_UNION)]


def statements(store: ox.Store, pattern: str, page: str) -> list[dict[str, str]]:
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


#: Predicates by which a statement points to an entity: its page's Statements sections show
#: these, so Incoming links leaves them out (they listed every statement twice over).
_STATEMENT_LINKS = (
    "jt:statedBy",
    "<http://www.w3.org/ns/prov#wasAttributedTo>",
    "jt:concerns",
    "<http://purl.org/dc/terms/subject>",
    "jt:addressedTo",
)


def incoming(
    store: ox.Store, iri: str, page: str, hide: tuple[str, ...] = ()
) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """One page of the entities linking to the IRI, one row per entity: (subject, predicate,
    "", its other predicates), a jt: predicate first. Paged over subjects, so an entity
    linking by two predicates (one inferred) is one row with an "also as". Links by a
    ``hide`` predicate are left out (a section of their own shows them)."""
    hidden = "".join(f", <{p}>" for p in hide)
    # Annotations are left out by predicate first, which needs no string read (IF, as
    # Oxigraph reads STR(?s) for every row of an && but not of an untaken branch).
    subjects = [
        r["s"]
        for r in store.query(
            f"""{_PREFIXES} SELECT DISTINCT ?s WHERE {{ ?s ?p <{iri}>
          FILTER(IF(?p IN (oa:hasBody, oa:hasSource, oa:hasTarget, oa:hasSelector{hidden}), false,
                 IF(?p IN ({", ".join(_STATEMENT_LINKS)}), !CONTAINS(STR(?s), "/statement/"),
                 IF(?p = jt:agent, false, isIRI(?s) && !CONTAINS(STR(?s), "/annotation/"))))) }} {page}""",
            **_UNION,
        )
    ]
    if not subjects:
        return []
    by: dict[str, list[str]] = {s.value: [] for s in subjects}
    values = " ".join(str(s) for s in subjects)
    for row in store.query(
        f"SELECT DISTINCT ?s ?p WHERE {{ VALUES ?s {{ {values} }} ?s ?p <{iri}> }}", **_UNION
    ):
        by[row["s"].value].append(row["p"].value)
    rows = []
    for subject, predicates in by.items():
        predicates.sort(key=lambda p: (not p.startswith(str(JT)), p))
        rows.append((subject, predicates[0], "", tuple(predicates[1:])))
    return rows


#: Characters read on each side of a mention to find the sentence it is in.
_CONTEXT = 240


def mention_contexts(store: ox.Store, found: list[Passage]) -> list[Passage]:
    """Each mention with its document's title and the sentence around it, read in one query
    (SUBSTR: only the characters around each mention leave the store)."""
    if not found:
        return found
    values = " ".join(
        f"(<{p.document}> {max(0, p.start - _CONTEXT) + 1} {p.start - max(0, p.start - _CONTEXT)} "
        f"{p.end + 1} {_CONTEXT})"
        for p in found
    )
    around: dict[tuple[str, int, int], tuple[str, str, str]] = {}
    for row in store.query(
        f"""{_PREFIXES} SELECT ?doc ?from ?end ?before ?after ?title WHERE {{
          VALUES (?doc ?from ?length ?end ?n) {{ {values} }}
          ?doc jt:text ?text OPTIONAL {{ ?doc <http://purl.org/dc/terms/title> ?title }}
          BIND(SUBSTR(?text, ?from, ?length) AS ?before) BIND(SUBSTR(?text, ?end, ?n) AS ?after) }}""",
        **_UNION,
    ):
        key = (row["doc"].value, int(row["from"].value), int(row["end"].value))
        title = row["title"].value if row["title"] else ""
        around[key] = (row["before"].value, row["after"].value, title)
    for p in found:
        before, after, title = around.get(
            (p.document, max(0, p.start - _CONTEXT) + 1, p.end + 1), ("", "", "")
        )
        p.title, p.before, p.after = title, _sentence_start(before), _sentence_end(after)
    return found


def _sentence_start(text: str) -> str:
    """The end of ``text`` from the last sentence boundary (or line break) in it."""
    cut = max(text.rfind("\n"), *(text.rfind(mark) + len(mark) - 1 for mark in (". ", "? ", "! ")))
    part = text[cut + 1 :] if cut >= 0 else "…" + text.split(" ", 1)[-1]
    return part.lstrip()


def _sentence_end(text: str) -> str:
    """``text`` up to its first sentence end (or line break)."""
    ends = [i for i in (text.find("\n"), *(text.find(m) for m in (". ", "? ", "! "))) if i >= 0]
    if not ends:
        return text.rsplit(" ", 1)[0] + "…"
    cut = min(ends)
    return text[: cut + (0 if text[cut] == "\n" else 1)]
