"""Vocabulary mappings as data: SSSOM TSV mapping sets, read and checked against the ontology.

A mapping set is an SSSOM TSV file: a YAML metadata block on lines starting with ``#``
(``curie_map``, ``mapping_set_id``, ``license``), then a tab-separated table with the columns
``subject_id predicate_id object_id mapping_justification`` and optionally ``confidence``,
``comment`` and ``other``. One side of every row is a jtkg term ("ours"), the other a term
of another vocabulary ("theirs"); either may be the subject. What a row lets the translation
do follows from its predicate, read as SKOS reads it (``A skos:broadMatch B``: B is broader):

- exact (``skos:exactMatch``, ``owl:equivalentClass``/``Property``): theirs is read as ours,
  and ours is written as theirs on export;
- theirs narrower than ours: theirs is read as ours (a political party is an institution);
  not exported (it would over-claim);
- theirs broader than ours: exported; a property is read as ours only where the subject is
  already of our property's domain (``schema:startDate`` is ``jt:date`` on an event), a
  class never;
- ``skos:closeMatch`` / ``skos:relatedMatch``: documentation only, unless the row's
  ``other`` cell gives a jtkg rule: ``jtkg_value=label`` (our value is the label of theirs:
  ``ps:P39`` → ``jt:roleTitle``), ``jtkg_value=instant`` (our value is the date literal of
  the OWL-Time instant theirs points to: graph/translation_org.py), ``jtkg_through=CURIE``
  (their property is read on the value reached through CURIE: ``ps:P39 / wdt:P1001`` →
  ``jt:positionIn``; ``org:memberDuring / time:hasBeginning`` → ``jt:startDate``),
  ``jtkg_inverse=true``;
- ``jtkg_guard=domain`` in ``other``: a property row read as ours only where the subject is
  already of our property's domain, as a broader one is, though it is not exported as one
  (``schema:memberOf`` and Wikidata's member of, ``wdt:P463``, are affiliations of persons,
  but organizations are members of organizations too).

The bundled sets live in ``ontology/mappings`` (read by ``graph/mapping_sets.py``); a
user's own set is kept in the store (``graph/mapping_store.py``). A set is refused, with
its file and line, when a row is malformed or names a jtkg term the ontology lacks (here),
or contradicts the ontology together with the sets already loaded (graph/mapping_checks.py:
one class read as two disjoint classes, one property read as properties whose domains or
ranges are disjoint, or as both a datatype and an object property).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import yaml
from rdflib import OWL, RDF, RDFS, URIRef
from rdflib.namespace import DCTERMS, SKOS

from jtkg.loaders.errors import DoesNotConform
from jtkg.ontology import JT, load_ontology

SEMAPV = "https://w3id.org/semapv/vocab/"
REQUIRED_COLUMNS = ("subject_id", "predicate_id", "object_id", "mapping_justification")
EXACT, NARROWER, BROADER, RELATED = "exact", "narrower", "broader", "related"
#: predicate → relation of the object to the subject.
_PREDICATES = {
    str(SKOS.exactMatch): EXACT,
    str(OWL.equivalentClass): EXACT,
    str(OWL.equivalentProperty): EXACT,
    str(SKOS.narrowMatch): NARROWER,  # the object is narrower than the subject
    str(SKOS.broadMatch): BROADER,  # the object is broader than the subject
    str(RDFS.subClassOf): BROADER,
    str(RDFS.subPropertyOf): BROADER,
    str(SKOS.closeMatch): RELATED,
    str(SKOS.relatedMatch): RELATED,
}
_FLIP = {EXACT: EXACT, NARROWER: BROADER, BROADER: NARROWER, RELATED: RELATED}
#: Terms of other vocabularies that the core vocabulary uses as its own (ONTOLOGY.md).
BORROWED = {
    RDF.type: "type",
    RDFS.label: "name",
    SKOS.altLabel: "name",
    DCTERMS.title: "datatype",
    DCTERMS.issued: "datatype",
    DCTERMS.creator: "object",
    DCTERMS.publisher: "object",
    DCTERMS.source: "object",
}
_OTHER_KEYS = ("jtkg_value", "jtkg_through", "jtkg_inverse", "jtkg_guard")
#: What ``jtkg_value`` may say our value is: the label of theirs, or an instant's date.
VALUES = ("label", "instant")
_CURIE = re.compile(r"^([A-Za-z_][\w.-]*):(\S*)$")


class MappingError(DoesNotConform):
    """A mapping set that cannot be used: one line, naming its file and line."""


@dataclass(frozen=True)
class Mapping:
    """One row, turned so that ``ours`` is the jtkg term: ``theirs`` is ``relation`` to it."""

    ours: URIRef
    theirs: URIRef
    relation: str
    kind: str  # of ours: class, object, datatype, type or name
    confidence: float | None
    comment: str
    source: str
    line: int
    value: str = ""
    through: URIRef | None = None
    inverse: bool = False
    #: ``jtkg_guard=domain``: read only where the subject already has our domain.
    domain_only: bool = False

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"

    @property
    def inward(self) -> bool:
        """Their data is read as ours (unguarded)."""
        return not self.guarded and (
            self.relation in (EXACT, NARROWER)
            or (self.relation == RELATED and bool(self.value or self.through))
        )

    @property
    def guarded(self) -> bool:
        """Read as ours only on subjects already of our property's domain."""
        return self.kind in ("object", "datatype") and (self.relation == BROADER or self.domain_only)

    @property
    def outward(self) -> bool:
        return self.relation in (EXACT, BROADER) and not (self.value or self.through or self.inverse)


@dataclass
class MappingSet:
    id: str
    source: str
    mappings: list[Mapping]
    title: str = ""
    license: str = ""
    bundled: bool = False
    prefixes: dict[str, str] = field(default_factory=dict)

    def direction(self) -> str:
        into = any(m.inward or m.guarded for m in self.mappings)
        out = any(m.outward for m in self.mappings)
        return "both" if into and out else "into jt" if into else "from jt" if out else "none"


def parse_sssom(text: str, source: str) -> MappingSet:
    """A mapping set from SSSOM TSV text; ``source`` names it in errors."""
    lines = text.splitlines()
    header_lines = [line[1:] for line in lines if line.startswith("#")]
    try:
        meta = yaml.safe_load("\n".join(header_lines)) if header_lines else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f":{mark.line + 1}" if mark is not None else ""
        raise MappingError(f"{source}{at}: the metadata block is not YAML") from None
    if not isinstance(meta, dict):
        raise MappingError(f"{source}:1: no SSSOM metadata block (# curie_map, mapping_set_id, license)")
    prefixes = meta.get("curie_map") or {}
    if not isinstance(prefixes, dict) or not all(isinstance(v, str) for v in prefixes.values()):
        raise MappingError(f"{source}:1: curie_map must map prefixes to IRIs")
    prefixes = {str(k): v for k, v in prefixes.items()}
    for key in ("mapping_set_id", "license"):
        if not isinstance(meta.get(key), str) or not meta[key].startswith(("http://", "https://")):
            raise MappingError(f"{source}:1: the metadata block needs {key}, an http(s) IRI")
    table = [(n, line) for n, line in enumerate(lines, start=1) if line.strip() and not line.startswith("#")]
    if not table:
        raise MappingError(f"{source}: no table of mappings after the metadata block")
    number, header = table[0]
    columns = header.split("\t")
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise MappingError(f"{source}:{number}: the table has no column {', '.join(missing)}")
    terms = jt_terms()
    mappings = [_row(source, n, columns, line, prefixes, terms) for n, line in table[1:]]
    return MappingSet(
        meta["mapping_set_id"],
        source,
        mappings,
        str(meta.get("mapping_set_title", "")),
        meta["license"],
        prefixes=prefixes,
    )


def _row(
    source: str,
    number: int,
    columns: list[str],
    line: str,
    prefixes: dict[str, str],
    terms: dict[URIRef, str],
) -> Mapping:
    where = f"{source}:{number}"
    cells = line.split("\t")
    if len(cells) != len(columns):
        raise MappingError(f"{where}: {len(cells)} cells; the header has {len(columns)}")
    row = dict(zip(columns, (c.strip() for c in cells), strict=True))
    subject, predicate, obj = (_expand(row[c], prefixes, where, c) for c in REQUIRED_COLUMNS[:3])
    relation = _PREDICATES.get(str(predicate))
    if relation is None:
        raise MappingError(
            f"{where}: predicate_id {row['predicate_id']} is not one of skos:exactMatch, "
            "skos:narrowMatch, skos:broadMatch, skos:closeMatch, skos:relatedMatch, "
            "owl:equivalentClass, owl:equivalentProperty, rdfs:subClassOf, rdfs:subPropertyOf"
        )
    if not str(_expand(row["mapping_justification"], prefixes, where, "mapping_justification")).startswith(
        SEMAPV
    ):
        raise MappingError(f"{where}: mapping_justification must be a semapv: term")
    confidence = _confidence(row.get("confidence", ""), where)
    ours_s, ours_o = _is_ours(subject, terms, where), _is_ours(obj, terms, where)
    if ours_s and ours_o:
        raise MappingError(
            f"{where}: maps two jtkg terms onto each other; a mapping set may not change the ontology"
        )
    if not ours_s and not ours_o:
        raise MappingError(f"{where}: neither {row['subject_id']} nor {row['object_id']} is a jtkg term")
    ours, theirs = (subject, obj) if ours_s else (obj, subject)
    if ours_o:
        relation = _FLIP[relation]  # the table says what the object is to the subject
    other = _other(row.get("other", ""), prefixes, where)
    kind = terms[ours]
    if other.get("jtkg_value") and kind != "datatype":
        raise MappingError(f"{where}: jtkg_value={other['jtkg_value']} needs a datatype property of ours")
    if other.get("jtkg_guard") and kind not in ("object", "datatype"):
        raise MappingError(f"{where}: jtkg_guard=domain needs a property of ours")
    return Mapping(
        ours,
        theirs,
        relation,
        kind,
        confidence,
        row.get("comment", ""),
        source,
        number,
        value=other.get("jtkg_value", ""),
        through=other.get("jtkg_through"),
        inverse=other.get("jtkg_inverse") == "true",
        domain_only=other.get("jtkg_guard") == "domain",
    )


def _expand(value: str, prefixes: dict[str, str], where: str, column: str) -> URIRef:
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    if value.startswith(("http://", "https://")) and " " not in value:
        return URIRef(value)
    match = _CURIE.match(value)
    if not match:
        raise MappingError(f"{where}: {column} {value!r} is not a CURIE or an IRI")
    prefix, local = match.groups()
    if prefix not in prefixes:
        raise MappingError(f"{where}: {column} {value} uses prefix {prefix}:, which the curie_map lacks")
    return URIRef(prefixes[prefix] + local)


def _confidence(value: str, where: str) -> float | None:
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0.0 <= number <= 1.0:
        raise MappingError(f"{where}: confidence {value!r} is not a number in [0, 1]")
    return number


def _is_ours(term: URIRef, terms: dict[URIRef, str], where: str) -> bool:
    if str(term).startswith(str(JT)):
        if term not in terms:
            raise MappingError(f"{where}: jt:{term[len(JT) :]} is not a term of the jtkg ontology")
        return True
    return term in BORROWED


def _other(cell: str, prefixes: dict[str, str], where: str) -> dict:
    found: dict = {}
    for pair in filter(None, (p.strip() for p in cell.split("|"))):
        key, _, value = pair.partition("=")
        if not key.startswith("jtkg_"):
            continue  # someone else's extension
        if key not in _OTHER_KEYS or not value:
            raise MappingError(
                f"{where}: other: {pair!r} is not one of {', '.join(k + '=…' for k in _OTHER_KEYS)}"
            )
        if key == "jtkg_value" and value not in VALUES:
            raise MappingError(f"{where}: other: jtkg_value is {' or '.join(VALUES)}")
        if key == "jtkg_inverse" and value not in ("true", "false"):
            raise MappingError(f"{where}: other: jtkg_inverse is true or false")
        if key == "jtkg_guard" and value != "domain":
            raise MappingError(f"{where}: other: jtkg_guard can only be domain")
        found[key] = _expand(value, prefixes, where, "other") if key == "jtkg_through" else value
    return found


@cache
def jt_terms() -> dict[URIRef, str]:
    """Every term the ontology declares, with its kind (class, object, datatype), and the
    borrowed core terms."""
    ontology = load_ontology()
    kinds = {OWL.Class: "class", OWL.ObjectProperty: "object", OWL.DatatypeProperty: "datatype"}
    terms: dict[URIRef, str] = {}
    for cls, kind in kinds.items():
        for term in ontology.subjects(RDF.type, cls):
            if isinstance(term, URIRef) and str(term).startswith(str(JT)):
                terms[term] = kind
    return {**terms, **{URIRef(t): k for t, k in BORROWED.items()}}
