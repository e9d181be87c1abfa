"""Extraction of one document into its named graph: facts plus Web Annotation evidence."""

from __future__ import annotations

import bisect
import contextlib
import gc
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Node

from jtkg.loaders.emit import Emitter
from jtkg.loaders.gazetteer import Gazetteer
from jtkg.loaders.language import Passage, foreign_passages, is_english, language_name
from jtkg.loaders.limits import DEFAULT_LIMITS, Limits, refusal
from jtkg.loaders.mentions import MentionFinder, MentionIndex, TooManyMentions
from jtkg.loaders.metadata import find_metadata, is_heading
from jtkg.loaders.participations import emit_participations
from jtkg.loaders.reader import DocumentError, SourceDocument, read_document
from jtkg.loaders.recipe import FULL, Recipe
from jtkg.loaders.relations import RelationFinder
from jtkg.loaders.text import Span, sentences
from jtkg.ontology import GRAPH, ID, JT, OA

_MOJIBAKE = re.compile("(?:Ã.|â€.|Â[ -¿])")


@dataclass
class Extraction:
    document: SourceDocument
    doc_iri: URIRef
    graph_iri: URIRef
    #: Entities, relations, statements and document metadata: what reasoning works on.
    facts: Graph
    #: Web Annotations, selectors and the document text: provenance, not reasoned over.
    evidence: Graph
    warnings: list[str] = field(default_factory=list)

    def quads(self) -> Iterator[tuple[Node, Node, Node, URIRef]]:
        for layer in (self.facts, self.evidence):
            for s, p, o in layer:
                yield s, p, o, self.graph_iri

    def __len__(self) -> int:
        return len(self.facts) + len(self.evidence)


def document_iri(slug: str) -> URIRef:
    return ID[f"document/{slug}"]


def document_graph(slug: str) -> URIRef:
    return GRAPH[f"doc/{slug}"]


class Extractor:
    """Turns documents into RDF. One instance can extract many documents; it holds no state
    between them other than the registry. ``limits`` bounds the characters and mentions of
    each document (time and memory are bounded by whoever runs it: see graph.pipeline)."""

    limits: Limits = DEFAULT_LIMITS  # also read from the class, where no extractor is given

    def __init__(
        self, gazetteer: Gazetteer | None = None, limits: Limits = DEFAULT_LIMITS, recipe: Recipe = FULL
    ) -> None:
        #: Which parts are on (see loaders.recipe); picklable, so workers build the same one.
        self.recipe = recipe
        # Every sovereign state or the registry's alone, as the recipe says (loaders.states).
        self.gazetteer = (gazetteer or Gazetteer(all_states=recipe.all_states)).with_states(recipe.all_states)
        self.mentions = MentionFinder(self.gazetteer, recipe)
        self.relations = RelationFinder(self.gazetteer, recipe)
        self.limits = limits

    def extract_file(self, path: str | Path) -> Extraction:
        return self.extract(read_document(path, self.limits.max_document_chars))

    def extract(self, doc: SourceDocument) -> Extraction:
        with _no_cycle_collection():
            return self._extract(doc)

    def _extract(self, doc: SourceDocument) -> Extraction:
        warnings = list(doc.warnings)
        # Passages not in English: only registry names there, none of the English rules.
        foreign = foreign_passages(doc.text, doc.body_start)
        warnings.extend(_language_warnings(doc, foreign))
        if _MOJIBAKE.search(doc.text):
            warnings.append(f"{doc.path}: the text looks mis-decoded (mojibake); names there may be missed")
        spans = sentences(doc.text, doc.body_start)
        starts = [p.start for p in foreign]
        in_foreign = {s.start for s in spans if _inside(foreign, starts, s.start)}
        headings = {s.start for s in spans if _is_heading_line(doc.text, s)} | in_foreign
        limit = self.limits.max_document_mentions
        try:
            index = self.mentions.find(
                doc.text, doc.body_start, spans, headings, limit, str(doc.path), warnings
            )
        except TooManyMentions:
            raise DocumentError(
                refusal(doc.path, f"more than {limit:,} mentions", f"{limit:,}", "max_document_mentions")
            ) from None
        if foreign:  # a surname or abbreviation resolved there is an English rule too
            index = index.keeping(lambda m: m.entity.registry or not _inside(foreign, starts, m.start))
        meta = find_metadata(doc, index, self.gazetteer)
        rel = self.relations.find(
            doc.text, [s for s in spans if s.start not in in_foreign], index, meta.authors, meta.publisher
        )
        if rel.index is not None:  # entities a relation rule merged (a new index, not edited)
            index = rel.index
        doc_iri, graph_iri = document_iri(doc.slug), document_graph(doc.slug)
        out = Emitter(doc, doc_iri, self.recipe)
        out.document(meta, graph_iri)
        self._emit_mentions(out, index, doc_iri)
        for m in rel.new_entities:
            out.entity(m.entity)
            out.fact((doc_iri, JT.mentions, m.entity.iri))
            out.annotate(m.entity.iri, Span(m.start, m.end), m.confidence, OA.identifying, m.how)
        for entity, state, start, end in index.based_in:
            if not entity.registry:
                out.fact((entity.iri, JT.basedIn, state.iri))
                out.annotate(entity.iri, Span(start, end), 0.7, OA.describing, "rule:based-in")
        out.relations(rel)
        emit_participations(out, doc.slug, rel)  # each participant's role and own evidence
        if not index.mentions:
            warnings.append(f"{doc.path}: no entity was found in the text")
        return Extraction(doc, doc_iri, graph_iri, out.facts, out.evidence, warnings)

    @staticmethod
    def _emit_mentions(out: Emitter, index: MentionIndex, doc_iri: URIRef) -> None:
        for m in index.mentions:
            out.entity(m.entity)
            out.fact((doc_iri, JT.mentions, m.entity.iri))
            if m.entity.cls in (JT.Issue, JT.Agreement, JT.Policy):
                out.fact((doc_iri, JT.concerns, m.entity.iri))
            out.annotate(m.entity.iri, Span(m.start, m.end), m.confidence, OA.identifying, m.how)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector paused while one document is extracted. Extraction
    allocates ~40,000 objects per 10,000 characters, nearly all alive until it returns, so
    the collector's passes in between find next to nothing; its full passes traverse the
    whole heap (the model's and the registry's objects too) and cost a third of the time
    (measured: 0.3-0.6 s per pass, one every two or three documents). Reference counting
    still frees everything acyclic as usual; the cycles made meanwhile are collected on the
    collector's next pass after it is re-enabled."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _language_warnings(doc: SourceDocument, foreign: list[Passage]) -> list[str]:
    """One line for a document not in English, else one per passage not in English."""

    def line(p: Passage) -> int:
        return doc.text.count("\n", 0, p.start) + 1

    if foreign and not is_english(doc.language):
        return [
            f"{doc.path}: the document is mostly in {language_name(doc.language)}, not in "
            f"English (first such paragraph at line {line(foreign[0])}); only registry names "
            "are recognised there"
        ]
    return [
        f"{doc.path}: paragraph at offset {p.start} (line {line(p)}) is in "
        f"{language_name(p.language)}, not in English; only registry names are recognised "
        "there"
        for p in foreign
    ]


def _inside(passages: list[Passage], starts: list[int], offset: int) -> bool:
    i = bisect.bisect_right(starts, offset) - 1
    return i >= 0 and offset < passages[i].end


def _is_heading_line(text: str, span: Span) -> bool:
    """Headlines (title case, more than a name's length) and references: only registry names
    are trusted there, since capitalization says nothing about them."""
    line_start = text.rfind("\n", 0, span.start) + 1
    line_end = text.find("\n", span.end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return (
        line.strip() == text[span.start : span.end].strip()
        and is_heading(line)
        and len(line.split()) > 5
        and not re.search(r" (?:at|/) ", line)
    )
