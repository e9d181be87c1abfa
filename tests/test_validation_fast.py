"""The direct SHACL check (graph/shacl_fast.py) against pySHACL, the reference: the same
violations (focus, path, message, shape, value, severity, sources) on every bundled
document, scoped as a build validates it and whole (where context nodes do break shapes),
and on fixtures that break each shape of the evidence and of the facts; and validate()
returns pySHACL's own report whenever anything is wrong."""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SH, SKOS
from rdflib.term import Node

from jtkg.graph import shacl_fast
from jtkg.graph.pipeline import default_base
from jtkg.graph.reason import materialize_increment
from jtkg.graph.validate import fast_results, reference, validate
from jtkg.loaders.extract import Extraction, Extractor
from jtkg.loaders.recipe import RULES_ONLY
from jtkg.ontology import JT, OA

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
Triple = tuple[Node, Node, Node]


@pytest.fixture(scope="module")
def extractions() -> list[Extraction]:
    extractor = Extractor(recipe=RULES_ONLY)
    return [extractor.extract_file(p) for p in sorted(CORPUS.glob("*.txt"))]


def scoped(facts: set[Triple], evidence: set[Triple]) -> tuple[list[Triple], set[Node]]:
    """A document's data as the pipeline validates it: facts, evidence, entailments and
    the base's neighbourhood; and the nodes it names (the ones reported)."""
    base = default_base()
    own = [*facts, *evidence, *materialize_increment(base.closed, facts)]
    named = {n for t in own for n in (t[0], t[2]) if not isinstance(n, Literal)}
    return own + list(base.around(named)), named


def key(violations: list) -> list[tuple]:  # type: ignore[type-arg]
    return sorted(
        (v.focus, v.path, v.message, v.shape, v.value, v.severity, tuple(v.sources)) for v in violations
    )


def sources(facts: set[Triple]) -> Callable[[Node], list[str]]:
    subjects = {t[0] for t in facts}
    return lambda node: ["doc"] if node in subjects else []


def same(data: list[Triple], named: set[Node] | None, source_of: Callable[[Node], list[str]]) -> list[tuple]:  # type: ignore[type-arg]
    expected = key(reference(data, source_of, reported=named).violations)
    assert key(fast_results(data, named, sources_of=source_of)) == expected
    return expected


def test_the_bundled_corpus_gets_pyshacls_results(extractions: list[Extraction]) -> None:
    whole_found = 0
    for extraction in extractions:
        facts, evidence = set(extraction.facts), set(extraction.evidence)
        data, named = scoped(facts, evidence)
        assert same(data, named, sources(facts)) == []
        # Unscoped, the base's second hop is context without its types: pySHACL finds
        # violations on those nodes, and so must the direct check.
        whole_found += len(same(data, None, sources(facts)))
    assert whole_found > 0


def _annotation(evidence: set[Triple]) -> tuple[Node, Node, Node, Node]:
    ann = min(s for s, p, o in evidence if p == RDF.type and o == OA.Annotation)
    target = next(o for s, p, o in evidence if s == ann and p == OA.hasTarget)
    selectors = {o for s, p, o in evidence if s == target and p == OA.hasSelector}
    quote = next(s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in evidence)
    position = next(s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in evidence)
    return ann, target, quote, position


def _first(facts: set[Triple], cls: Node) -> Node:
    return min(s for s, p, o in facts if p == RDF.type and o == cls)


def _drop(triples: set[Triple], s: Node | None, p: Node | None, o: Node | None = None) -> None:
    for t in [t for t in triples if (s is None or t[0] == s) and t[1] == p and (o is None or t[2] == o)]:
        triples.discard(t)


def _set(triples: set[Triple], s: Node, p: Node, o: Node) -> None:
    _drop(triples, s, p)
    triples.add((s, p, o))


def break_document(damage: str, facts: set[Triple], evidence: set[Triple]) -> None:
    ann, target, quote, position = _annotation(evidence)
    body = next(o for s, p, o in evidence if s == ann and p == OA.hasBody)
    doc = _first(facts, JT.Document)
    activity = next(o for s, p, o in evidence if p == PROV.wasGeneratedBy)
    page = URIRef(f"{ann}/page")
    if damage == "missing-quote-selector":
        _drop(evidence, target, OA.hasSelector, quote)
    elif damage == "missing-position-selector":
        _drop(evidence, target, OA.hasSelector, position)
    elif damage == "missing-exact":
        _drop(evidence, quote, OA.exact)
    elif damage == "start-a-string":
        _set(evidence, position, OA.start, Literal("12"))
    elif damage == "start-a-decimal":
        _set(evidence, position, OA.start, Literal(Decimal("12.0")))
    elif damage == "start-ill-typed":
        _set(evidence, position, OA.start, Literal("twelve", datatype=XSD.integer))
    elif damage == "start-negative":
        _set(evidence, position, OA.start, Literal(-1, datatype=XSD.integer))
    elif damage == "no-target":
        _drop(evidence, ann, OA.hasTarget)
    elif damage == "source-not-a-document":
        _set(evidence, target, OA.hasSource, _first(facts, JT.Person))
    elif damage == "second-target-from-nowhere":
        evidence.add((ann, OA.hasTarget, URIRef(f"{ann}/elsewhere")))
        evidence.add((URIRef(f"{ann}/elsewhere"), OA.hasSource, URIRef("https://example.org/x")))
    elif damage == "no-body":
        _drop(evidence, ann, OA.hasBody)
    elif damage == "annotation-untyped":  # its body loses the evidence sh:class wants
        _drop(evidence, ann, RDF.type)
        _drop(evidence, None, OA.hasBody, body)
        evidence.add((ann, OA.hasBody, body))
    elif damage == "confidence-too-high":
        _set(evidence, ann, JT.confidence, Literal(Decimal("1.5")))
    elif damage == "confidence-a-string":
        _set(evidence, ann, JT.confidence, Literal("0.9"))
    elif damage == "two-confidences":
        evidence.add((ann, JT.confidence, Literal(Decimal("0.1"))))
    elif damage == "extracted-by-empty":
        _set(evidence, ann, JT.extractedBy, Literal(""))
    elif damage == "page-zero":
        evidence |= {(target, OA.hasSelector, page), (page, RDF.type, OA.FragmentSelector)}
        evidence |= {(page, RDF.value, Literal("page=0")), (page, DCTERMS.conformsTo, URIRef("urn:x"))}
    elif damage == "statement-without-evidence":
        statement = _first(facts, JT.Statement)
        _drop(evidence, None, OA.hasBody, statement)
    elif damage == "position-without-evidence-or-reviewer":
        position_fact = _first(facts, JT.Position)
        _drop(evidence, None, OA.hasBody, position_fact)
    elif damage == "person-and-state":
        facts.add((_first(facts, JT.Person), RDF.type, JT.State))
    elif damage == "label-in-japanese":
        _set(facts, _first(facts, JT.Person), RDFS.label, Literal("名前", lang="ja"))
    elif damage == "issue-outside-the-scheme":
        issue = URIRef("https://w3id.org/jtkg/id/issue/made-up")
        facts |= {(issue, RDF.type, JT.Issue), (issue, RDFS.label, Literal("made up", lang="en"))}
        facts.add((doc, JT.concerns, issue))
    elif damage == "concerns-a-literal":
        facts.add((doc, JT.concerns, Literal("trade")))
    elif damage == "hash-not-hex":
        _set(facts, doc, JT.contentHash, Literal("XYZ"))
    elif damage == "language-not-bcp47":
        _set(facts, doc, DCTERMS.language, Literal("english!", datatype=XSD.language))
    elif damage == "date-a-datetime":
        facts.add((_first(facts, JT.Event), JT.date, Literal("2024-03-03T10:00:00", datatype=XSD.dateTime)))
    elif damage == "activity-without-agent":
        _drop(evidence, activity, PROV.wasAssociatedWith)
    elif damage == "activity-untyped":  # no sh:message: pySHACL's own words
        _drop(evidence, activity, RDF.type)
    elif damage == "registry-hash-malformed":
        _set(evidence, activity, JT.registryHash, Literal("sha256:abc"))
    elif damage == "broader-not-an-issue":
        facts.add((URIRef("https://w3id.org/jtkg/id/state/japan"), SKOS.broader, doc))
    else:
        raise AssertionError(damage)


BREAKS = [
    "missing-quote-selector",
    "missing-position-selector",
    "missing-exact",
    "start-a-string",
    "start-a-decimal",
    "start-ill-typed",
    "start-negative",
    "no-target",
    "source-not-a-document",
    "second-target-from-nowhere",
    "no-body",
    "annotation-untyped",
    "confidence-too-high",
    "confidence-a-string",
    "two-confidences",
    "extracted-by-empty",
    "page-zero",
    "statement-without-evidence",
    "position-without-evidence-or-reviewer",
    "person-and-state",
    "label-in-japanese",
    "issue-outside-the-scheme",
    "concerns-a-literal",
    "hash-not-hex",
    "language-not-bcp47",
    "date-a-datetime",
    "activity-without-agent",
    "activity-untyped",
    "registry-hash-malformed",
]


def broken(extractions: list[Extraction], damage: str) -> tuple[list[Triple], set[Node], set[Triple]]:
    extraction = extractions[0]  # it has statements, positions, events and people
    facts, evidence = set(extraction.facts), set(extraction.evidence)
    break_document(damage, facts, evidence)
    data, named = scoped(facts, evidence)
    return data, named, facts


@pytest.mark.parametrize("damage", BREAKS)
def test_a_broken_document_gets_pyshacls_results_and_report(
    extractions: list[Extraction], damage: str
) -> None:
    data, named, facts = broken(extractions, damage)
    # validate() finds the violations directly, then reports what pySHACL reports (one
    # pySHACL run here, not two): the direct check must have found exactly those.
    report = validate(data, sources_of=sources(facts), reported=named)
    assert not report.conforms, "the damage must break a shape, or this test proves nothing"
    assert len(set(report.graph.subjects(RDF.type, SH.ValidationResult))) >= len(report.violations) > 0
    assert key(fast_results(data, named, sources_of=sources(facts))) == key(report.violations)


def test_a_good_document_is_reported_as_pyshacl_reports_it(extractions: list[Extraction]) -> None:
    facts, evidence = set(extractions[0].facts), set(extractions[0].evidence)
    data, named = scoped(facts, evidence)
    fast, slow = validate(data, reported=named), reference(data, reported=named)
    assert fast.conforms and slow.conforms
    assert fast.render("text") == slow.render("text")
    assert fast.render("json") == slow.render("json")
    # (Scoped, pySHACL's own report graph also holds the context's results, which do not
    # count; unscoped, on the base, both graphs say the same.)
    whole = list(default_base().closed)
    graphs = [validate(whole).graph, reference(whole).graph]
    conforms = [{o for _, _, o in g.triples((None, SH.conforms, None))} for g in graphs]
    assert conforms == [{Literal(True)}, {Literal(True)}]
    assert [len(set(g.subjects(RDF.type, SH.ValidationResult))) for g in graphs] == [0, 0]


def test_a_direct_check_that_misses_a_violation_is_caught(
    extractions: list[Extraction], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The comparison above can fail: with sh:datatype made to pass everything, the
    string offset goes unseen by the direct check, and pySHACL's results differ."""
    monkeypatch.setitem(shacl_fast._VALUE_TESTS, SH.datatype, lambda v, rule, data: True)
    from jtkg.graph import validate as module

    module._compiled.cache_clear()
    try:
        data, named, facts = broken(extractions, "start-a-string")
        with pytest.raises(AssertionError):
            same(data, named, sources(facts))
    finally:
        module._compiled.cache_clear()


def test_shapes_it_cannot_evaluate_are_refused_not_guessed() -> None:
    shapes = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;
            sh:property [ sh:path <urn:p> ; sh:uniqueLang true ; sh:message "x" ] .""",
        format="turtle",
    )
    with pytest.raises(shacl_fast.Unsupported):
        shacl_fast.compile_shapes(shapes)


@pytest.mark.parametrize("seed", range(8))
def test_random_damage_gets_pyshacls_results(extractions: list[Extraction], seed: int) -> None:
    """Damage nobody chose: a few triples of the smallest document dropped, given another
    object (a node of the document, a literal of another type), or duplicated with a new
    value; whatever pySHACL makes of it (conforming or not), the direct check agrees."""
    rng = random.Random(seed)
    extraction = min(extractions, key=lambda e: len(e.evidence))
    facts, evidence = set(extraction.facts), set(extraction.evidence)
    nodes = sorted({t[0] for t in facts | evidence})
    literals = [Literal("x"), Literal(""), Literal(3), Literal(Decimal("2.5")), Literal("y", lang="ja")]
    for _ in range(3):
        layer = facts if rng.random() < 0.4 else evidence
        triple = rng.choice(sorted(layer))
        layer.discard(triple)
        kind = rng.choice(["drop", "node", "literal", "second"])
        if kind == "node":
            layer.add((triple[0], triple[1], rng.choice(nodes)))
        elif kind == "literal":
            layer.add((triple[0], triple[1], rng.choice(literals)))
        elif kind == "second":
            layer |= {triple, (triple[0], triple[1], rng.choice(literals + nodes[:20]))}
    data, named = scoped(facts, evidence)
    same(data, named, sources(facts))
