"""Writing what was found as RDF: a fact layer and an evidence layer (Web Annotations)."""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from decimal import Decimal
from functools import cache

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

from jtkg.loaders.gazetteer import Entity
from jtkg.loaders.metadata import Metadata
from jtkg.loaders.metadata_file import valid_source
from jtkg.loaders.provenance import EXTRACTOR_VERSION, Stamp, stamp
from jtkg.loaders.reader import SourceDocument
from jtkg.loaders.recipe import FULL, Recipe
from jtkg.loaders.relations import Relations
from jtkg.loaders.text import Span
from jtkg.ontology import ID, JT, OA, PREFIXES, slugify

EXTRACTOR = ID[f"agent/jtkg-extractor-{EXTRACTOR_VERSION}"]
#: Characters of context kept on each side of a quoted passage.
CONTEXT_CHARS = 32
#: RFC 8118: fragment identifiers of application/pdf ("page=N"), as the selector conforms to.
RFC8118 = URIRef("http://tools.ietf.org/rfc/rfc8118")
_ANNOTATION = str(ID["annotation/"])
DATE_TYPES = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}


@cache
def _confidence(value: float) -> Literal:
    """Literals are immutable, and an extraction has a handful of confidences: made once."""
    return Literal(Decimal(f"{min(max(value, 0.0), 1.0):.2f}"), datatype=XSD.decimal)


@cache
def _plain(value: str) -> Literal:
    """A source's name ("rule:…", "model:PERSON"): a few dozen, each made once."""
    return Literal(value)


def _integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def _graph() -> Graph:
    graph = Graph(store=SimpleMemory())
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    graph.bind("id", str(ID))
    return graph


def _date_literal(iso: str, precision: str) -> Literal | None:
    datatype = DATE_TYPES.get(precision)
    return Literal(iso, datatype=datatype) if datatype else None


def page_of(page_starts: list[int], offset: int) -> int:
    """The 1-based page whose text holds ``offset``."""
    return max(1, bisect_right(page_starts, offset))


#: The manifest's stamp fields (loaders.provenance.STAMP_FIELDS), as the activity says them.
_STAMP_PROPERTIES = {"extractor": JT.extractorVersion, "registry": JT.registryHash, "recipe": JT.recipe}


def recorded_stamp(evidence: Graph, graph_iri: URIRef) -> dict[str, str]:
    """The stamp a document graph's activity records (what the manifest keeps for it); {}
    where the graph names no extraction run."""
    run = evidence.value(graph_iri, PROV.wasGeneratedBy)
    if run is None:
        return {}
    record = {field: str(evidence.value(run, prop) or "") for field, prop in _STAMP_PROPERTIES.items()}
    name, version = evidence.value(run, JT.modelName), evidence.value(run, JT.modelVersion)
    record["model"] = f"{name or ''} {version or ''}".strip()
    return record


def _how(fact: object, default: str) -> str:
    """The rule a fact names as its origin ("how" or "rule"), else its kind's rule."""
    how = str(getattr(fact, "how", "") or getattr(fact, "rule", "") or default)
    return how if ":" in how else f"rule:{how}"


def _short_hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12]


class _W:
    """The terms an annotation writes, looked up once: a namespace's attribute makes a new
    URIRef on every access, ~15 per annotation (a tenth of the extractor's time)."""

    DCTERMS_conformsTo = DCTERMS.conformsTo
    JT_confidence = JT.confidence
    JT_extractedBy = JT.extractedBy
    OA_Annotation = OA.Annotation
    OA_FragmentSelector = OA.FragmentSelector
    OA_SpecificResource = OA.SpecificResource
    OA_TextPositionSelector = OA.TextPositionSelector
    OA_TextQuoteSelector = OA.TextQuoteSelector
    OA_end = OA.end
    OA_exact = OA.exact
    OA_hasBody = OA.hasBody
    OA_hasSelector = OA.hasSelector
    OA_hasSource = OA.hasSource
    OA_hasTarget = OA.hasTarget
    OA_motivatedBy = OA.motivatedBy
    OA_prefix = OA.prefix
    OA_start = OA.start
    OA_suffix = OA.suffix
    PROV_wasAttributedTo = PROV.wasAttributedTo
    RDF_type = RDF.type
    RDF_value = RDF.value
    XSD_integer = XSD.integer


class Emitter:
    """Writes one document's two layers. Triples are collected as tuples and put into the
    graphs in one pass when ``facts`` or ``evidence`` is read (rdflib's ``Graph.add`` costs
    ~20 µs a triple, a quarter of the extraction on a 20,000-triple document); the graphs use
    rdflib's plain triple store (SimpleMemory): one document's graph needs no contexts, and
    the context-aware store spends a dict per triple on them."""

    def __init__(self, doc: SourceDocument, doc_iri: URIRef, recipe: Recipe = FULL) -> None:
        self.doc = doc
        self.doc_iri = doc_iri
        #: What made this extraction (versions, registry hash, recipe): the graph's activity.
        self.stamp: Stamp = stamp(recipe)
        #: (confidence, source) of each annotation so far, by its IRI: written at flush, since
        #: the same annotation found again by a surer source replaces them.
        self._annotated: dict[URIRef, tuple[float, str]] = {}
        #: What of ``_annotated`` the evidence graph already holds (after an earlier flush).
        self._written: dict[URIRef, tuple[float, str]] = {}
        self._facts: list[tuple[Node, Node, Node | None]] = []
        self._evidence: list[tuple[Node, Node, Node | None]] = []
        self._graphs: tuple[Graph, Graph] | None = None

    def fact(self, triple: tuple[Node, Node, Node | None]) -> None:
        """One triple of the fact layer."""
        self._facts.append(triple)

    @property
    def facts(self) -> Graph:
        return self._flush()[0]

    @property
    def evidence(self) -> Graph:
        return self._flush()[1]

    def _flush(self) -> tuple[Graph, Graph]:
        if self._graphs is None:
            self._graphs = (_graph(), _graph())
        facts, evidence = self._graphs
        e = self._evidence
        for ann, (confidence, how) in self._annotated.items():
            if self._written.get(ann) == (confidence, how):
                continue
            if ann in self._written:  # replaced by a surer source since the last flush
                evidence.remove((ann, _W.JT_confidence, None))
                evidence.remove((ann, _W.JT_extractedBy, None))
            self._written[ann] = (confidence, how)
            e.append((ann, _W.JT_confidence, _confidence(confidence)))
            if how:
                e.append((ann, _W.JT_extractedBy, _plain(how)))
        for graph, pending in ((facts, self._facts), (evidence, e)):
            # Straight into the store: Graph.addN re-checks every term of every triple (a
            # third of its time), and these are terms this class made.
            add = graph.store.add
            for triple in pending:
                if triple[2] is not None:  # a date of no known precision: no literal
                    add(triple, graph)
            pending.clear()
        return self._graphs

    def annotate(
        self, body: URIRef, span: Span, confidence: float, motivation: URIRef, how: str = ""
    ) -> None:
        """A Web Annotation of ``body`` at ``span``; ``how`` names the source that found it
        ("registry", "rule:…", "model:PERSON", …), one literal, so facts can be filtered by
        origin and confidence without a node more per annotation."""
        text = self.doc.text
        ann = URIRef(f"{_ANNOTATION}{self.doc.slug}/{span.start}-{span.end}/{_short_hash(str(body))}")
        known = self._annotated.get(ann)
        if known is not None:  # the same words for the same thing, found twice: one
            self._evidence.append((ann, _W.OA_motivatedBy, motivation))  # annotation,
            if confidence > known[0]:  # the surer source's confidence and name
                self._annotated[ann] = (confidence, how)
            return
        self._annotated[ann] = (confidence, how)
        target, quote, position = (URIRef(f"{ann}/target"), URIRef(f"{ann}/quote"), URIRef(f"{ann}/position"))
        start, end = span.start, span.end
        self._evidence.extend(
            (
                (ann, _W.RDF_type, _W.OA_Annotation),
                (ann, _W.OA_hasBody, body),
                (ann, _W.OA_hasTarget, target),
                (ann, _W.OA_motivatedBy, motivation),
                (ann, _W.PROV_wasAttributedTo, EXTRACTOR),
                (target, _W.RDF_type, _W.OA_SpecificResource),
                (target, _W.OA_hasSource, self.doc_iri),
                (target, _W.OA_hasSelector, quote),
                (target, _W.OA_hasSelector, position),
                (quote, _W.RDF_type, _W.OA_TextQuoteSelector),
                (quote, _W.OA_exact, Literal(text[start:end])),
                (quote, _W.OA_prefix, Literal(text[max(0, start - CONTEXT_CHARS) : start])),
                (quote, _W.OA_suffix, Literal(text[end : end + CONTEXT_CHARS])),
                (position, _W.RDF_type, _W.OA_TextPositionSelector),
                # xsd:integer rather than the Web Annotation model's xsd:nonNegativeInteger:
                # Oxigraph keeps only xsd:integer, and a datatype that changes in the store
                # would not round-trip.
                (position, _W.OA_start, _integer(start)),
                (position, _W.OA_end, _integer(end)),
            )
        )
        if self.doc.page_starts:  # a paged document (PDF): the page holding the quote's start
            page = URIRef(f"{ann}/page")
            self._evidence.extend(
                (
                    (target, _W.OA_hasSelector, page),
                    (page, _W.RDF_type, _W.OA_FragmentSelector),
                    (page, _W.DCTERMS_conformsTo, RFC8118),
                    (page, _W.RDF_value, Literal(f"page={page_of(self.doc.page_starts, start)}")),
                )
            )

    def entity(self, entity: Entity) -> None:
        """Type, label and other names of a discovered entity (registry ones live in the registry)."""
        if entity.registry:
            return  # the registry graph names it
        f = self._facts
        f.append((entity.iri, RDF.type, entity.cls))
        f.append((entity.iri, RDFS.label, Literal(entity.label, lang="en")))
        for alias in sorted(entity.aliases):
            if alias != entity.label:
                f.append((entity.iri, SKOS.altLabel, Literal(alias)))
        for tag, name in sorted(entity.labels.items()):  # a state's CLDR names in ja, zh-Hant
            f.append((entity.iri, SKOS.altLabel, Literal(name, lang=tag)))
        if entity.cls == JT.Issue:
            f.append((entity.iri, SKOS.inScheme, JT.Issues))

    def document(self, meta: Metadata, graph_iri: URIRef) -> None:
        f, d = self._facts, self.doc_iri
        f.append((d, RDF.type, JT.Document))
        f.append((d, JT.contentHash, Literal(self.doc.sha256)))
        f.append((d, JT.mediaType, Literal(self.doc.media_type)))
        f.append((d, RDFS.label, Literal(meta.title or self.doc.path.name, lang="en")))
        if meta.title:
            f.append((d, DCTERMS.title, Literal(meta.title)))
        for author in meta.authors:
            self.entity(author)
            f.append((d, DCTERMS.creator, author.iri))
        for publisher in meta.publishers:  # a wire copy: the outlet and the agency
            self.entity(publisher)
            f.append((d, DCTERMS.publisher, publisher.iri))
        if meta.issued:
            literal = _date_literal(meta.issued, meta.issued_precision)
            if literal is not None:  # DC's refinement of dcterms:date, and schema.org's name
                f.append((d, DCTERMS.issued, literal))
                f.append((d, URIRef("http://schema.org/datePublished"), literal))
        if meta.source:  # an address is an IRI (dcterms:source, schema:url); other words stay text
            if valid_source(meta.source):  # an IRI the store takes (else the build stopped)
                f.append((d, DCTERMS.source, URIRef(meta.source)))
                f.append((d, URIRef("http://schema.org/url"), URIRef(meta.source)))
            else:
                f.append((d, DCTERMS.source, Literal(meta.source)))
        if self.doc.language:  # BCP 47, from the document's metadata or detected
            f.append((d, DCTERMS.language, Literal(self.doc.language, datatype=XSD.language)))
        self._evidence.append((d, JT.text, Literal(self.doc.text)))
        self._evidence.append((graph_iri, PROV.wasDerivedFrom, d))
        self._evidence.append((graph_iri, PROV.wasAttributedTo, EXTRACTOR))
        self._evidence.append((EXTRACTOR, RDF.type, PROV.SoftwareAgent))
        self._evidence.append(
            (EXTRACTOR, RDFS.label, Literal(f"jtkg rule-based extractor {EXTRACTOR_VERSION}", lang="en"))
        )
        self.activity(graph_iri)

    def activity(self, graph_iri: URIRef) -> None:
        """The extraction run that generated the document graph: a handful of triples naming
        the versions, the model, the registry's hash and the recipe."""
        st, e = self.stamp, self._evidence
        run = ID[f"activity/extraction/{self.doc.slug}/{st.digest}"]
        e.append((graph_iri, PROV.wasGeneratedBy, run))
        e.append((run, RDF.type, PROV.Activity))
        e.append((run, PROV.wasAssociatedWith, EXTRACTOR))
        e.append((run, PROV.used, self.doc_iri))
        e.append((run, JT.jtkgVersion, Literal(st.jtkg)))
        e.append((run, JT.extractorVersion, Literal(st.extractor)))
        e.append((run, JT.registryHash, Literal(st.registry)))
        e.append((run, JT.recipe, Literal(st.recipe)))
        if st.model_name:
            e.append((run, JT.modelName, Literal(st.model_name)))
            e.append((run, JT.modelVersion, Literal(st.model_version)))

    def relations(self, rel: Relations) -> None:
        f = self._facts
        slug = self.doc.slug
        best: dict[URIRef, float] = {}
        for pos in rel.positions:
            iri = ID[
                f"position/{slug}/{slugify(pos.person.label)}--{slugify(pos.role)}--"
                f"{slugify(pos.polity.label) if pos.polity else 'unspecified'}"
            ]
            f.append((pos.person.iri, JT.holds, iri))
            f.append((iri, RDF.type, JT.Position))
            f.append((iri, JT.roleTitle, Literal(pos.role)))
            if pos.polity is not None:
                f.append((iri, JT.positionIn, pos.polity.iri))
            for prop, when in ((JT.startDate, pos.start), (JT.endDate, pos.end)):
                if when is not None:
                    f.append((iri, prop, _date_literal(when.iso(), when.precision)))
            best[iri] = max(best.get(iri, 0.0), pos.confidence)
            self.annotate(iri, pos.span, pos.confidence, OA.describing, _how(pos, "rule:position"))
        for st in rel.statements:
            quote = self.doc.text[st.span.start : st.span.end]
            iri = ID[f"statement/{slug}/{_short_hash(str(st.speaker.iri), quote)}"]
            f.append((iri, RDF.type, JT.Recommendation if st.recommendation else JT.Statement))
            f.append((iri, JT.statedBy, st.speaker.iri))
            f.append((iri, JT.quote, Literal(quote)))
            for actor in st.addressees:
                f.append((iri, JT.addressedTo, actor.iri))
            for topic in st.concerns:
                f.append((iri, JT.concerns, topic.iri))
            best[iri] = max(best.get(iri, 0.0), st.confidence)
            self.annotate(iri, st.span, st.confidence, OA.describing, _how(st, "rule:statement"))
        for fact in rel.dated.values():
            has_fact = False
            if fact.date is not None:
                f.append((fact.entity.iri, JT.date, _date_literal(fact.date.iso(), fact.date.precision)))
                has_fact = True
            link = JT.party if fact.entity.cls == JT.Agreement else JT.participant
            if fact.entity.cls in (JT.Agreement, JT.Event):
                for actor in fact.actors:
                    f.append((fact.entity.iri, link, actor.iri))
                    f.append((self.doc_iri, JT.mentions, actor.iri))
                    has_fact = True
            for topic in getattr(fact, "concerns", ()):  # an agreement's topic (agreements.py)
                f.append((fact.entity.iri, JT.concerns, topic.iri))
                has_fact = True
            if has_fact:
                self.annotate(
                    fact.entity.iri, fact.span, fact.confidence, OA.describing, _how(fact, "rule:dated")
                )
        for based in getattr(rel, "based_in", ()):  # "a Taipei-based think tank" (based_in.py)
            if not based.entity.registry:
                f.append((based.entity.iri, JT.basedIn, based.state.iri))
                self.annotate(
                    based.entity.iri,
                    based.span,
                    based.confidence,
                    OA.describing,
                    _how(based, "rule:based-in"),
                )
        for inv in rel.involvements:
            f.append((inv.issue.iri, JT.involves, inv.actor.iri))
            self.annotate(inv.issue.iri, inv.span, 0.6, OA.describing, _how(inv, "rule:involvement"))
        for iri, value in best.items():
            f.append((iri, JT.confidence, _confidence(value)))
