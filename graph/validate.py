"""SHACL validation with pyshacl, and readable reports.

Every violation names the focus node, the path, the message, the shape it comes from, and the
source document(s) that stated the offending triples.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import cache

from pyshacl import validate as shacl_validate
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from jtkg.graph.shacl_fast import Shapes, Unsupported, check, compile_shapes
from jtkg.ontology import PREFIXES, load_shapes

REPORT_FORMATS = ("text", "turtle", "json")


@dataclass
class Violation:
    focus: str
    path: str
    message: str
    shape: str
    severity: str
    value: str = ""
    sources: list[str] = field(default_factory=list)

    def line(self) -> str:
        where = f" [from {', '.join(self.sources)}]" if self.sources else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.focus}  {self.path}: {self.message}{value}  <{self.shape}>{where}"


@dataclass
class ValidationReport:
    conforms: bool
    violations: list[Violation]
    graph: Graph

    def render(self, fmt: str = "text") -> str:
        if fmt == "turtle":
            return self.graph.serialize(format="turtle")
        if fmt == "json":
            return json.dumps(
                {"conforms": self.conforms, "violations": [asdict(v) for v in self.violations]}, indent=2
            )
        if self.conforms:
            return "Conforms: the data satisfies every shape."
        lines = [f"Does not conform: {len(self.violations)} violation(s)"]
        lines += [f"  - {v.line()}" for v in self.violations]
        return "\n".join(lines)


def validate(
    data: Iterable[tuple[Node, Node, Node]],
    sources_of: Callable[[Node], list[str]] | None = None,
    focus_nodes: list[Node] | None = None,
    reported: set[Node] | None = None,
) -> ValidationReport:
    """Validates triples (asserted and inferred together) against the jtkg shapes; with
    ``focus_nodes``, only those nodes (the rest of ``data`` is context). With ``reported``,
    only violations whose focus node is in it count: the rest of ``data`` is context whose
    own validity was checked elsewhere (a document's neighbourhood of the base).

    Data that conforms is recognised by the direct check (graph/shacl_fast.py, ~50× less
    CPU than pySHACL); data it finds a violation in is validated by pySHACL, whose report is
    returned, so a refusal reads exactly as it always did. ``JTKG_SHACL=pyshacl`` in the
    environment uses pySHACL for everything."""
    engine = _fast() if focus_nodes is None else None
    if engine is not None:
        if not isinstance(data, Graph | list | set | frozenset | tuple):
            data = list(data)  # read twice if the reference has to run
        if not fast_results(data, reported, engine):
            return ValidationReport(True, [], _conforming())
    return reference(data, sources_of, focus_nodes, reported)


def reference(
    data: Iterable[tuple[Node, Node, Node]],
    sources_of: Callable[[Node], list[str]] | None = None,
    focus_nodes: list[Node] | None = None,
    reported: set[Node] | None = None,
) -> ValidationReport:
    """``validate`` by pySHACL alone: the reference the direct check is tested against."""
    graph = data if isinstance(data, Graph) else _graph(data)
    options = {"focus_nodes": focus_nodes} if focus_nodes is not None else {}
    conforms, results, _ = shacl_validate(
        graph, shacl_graph=_shapes(), inference="none", advanced=False, allow_warnings=True, **options
    )
    found = [
        r
        for r in results.subjects(RDF.type, SH.ValidationResult)
        if reported is None or results.value(r, SH.focusNode) in reported
    ]
    violations = [_violation(results, r, sources_of) for r in found]
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return ValidationReport(bool(conforms) or not violations, violations, results)


def fast_results(
    data: Iterable[tuple[Node, Node, Node]],
    reported: set[Node] | None = None,
    engine: Shapes | None = None,
    sources_of: Callable[[Node], list[str]] | None = None,
) -> list[Violation]:
    """The direct check's violations, as ``reference`` would write them (unsorted)."""
    engine = engine or _fast()
    if engine is None:
        raise Unsupported("the shapes use what the direct check does not evaluate")
    shapes = _shapes()
    violations = []
    for shape, focus, value in check(engine, data, reported):
        message = shape.message if shape.message is not None else shape.generic_message(shapes)
        violations.append(
            Violation(
                focus=_short(focus),
                path=_path_text(shapes, shape.path_node) if shape.path is not None else "(node)",
                message=message,
                shape=_short(shape.node) if isinstance(shape.node, URIRef) else _shape_name(shape.node),
                severity="Violation",
                value=_short(value) if value is not None else "",
                sources=sources_of(focus) if sources_of else [],
            )
        )
    return violations


def _fast() -> Shapes | None:
    if os.environ.get("JTKG_SHACL", "").lower() == "pyshacl":
        return None
    return _compiled()


@cache
def _compiled() -> Shapes | None:
    try:
        return compile_shapes(_shapes())
    except Unsupported:
        return None


def _conforming() -> Graph:
    """What pySHACL reports for conforming data."""
    graph = Graph()
    graph.add((BNode(), RDF.type, SH.ValidationReport))
    report = next(iter(graph.subjects()))
    graph.add((report, SH.conforms, Literal(True)))
    return graph


@cache
def _shapes() -> Graph:
    return load_shapes()


def _graph(triples: Iterable[tuple[Node, Node, Node]]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def _violation(results: Graph, result: Node, sources_of: Callable[[Node], list[str]] | None) -> Violation:
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    message = results.value(result, SH.resultMessage)
    shape = results.value(result, SH.sourceShape)
    severity = results.value(result, SH.resultSeverity)
    value = results.value(result, SH.value)
    return Violation(
        focus=_short(focus),
        path=_path_text(results, path),
        message=str(message) if message is not None else "constraint not satisfied",
        shape=_short(shape) if isinstance(shape, URIRef) else _shape_name(shape),
        severity=_short(severity).replace("sh:", "") if severity is not None else "Violation",
        value=_short(value) if value is not None else "",
        sources=sources_of(focus) if sources_of and focus is not None else [],
    )


def _shape_name(shape: Node | None) -> str:
    # A blank property shape: name the node shape it belongs to.
    shapes = _shapes()
    owner = shapes.value(None, SH.property, shape) if shape is not None else None
    return f"{_short(owner)} property" if owner is not None else "anonymous shape"


def _path_text(results: Graph, path: Node | None) -> str:
    if path is None:
        return "(node)"
    if isinstance(path, URIRef):
        return _short(path)
    inverse = results.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{_short(inverse)}"
    items = list(results.items(path)) if (path, RDF.first, None) in results else []
    return "/".join(_short(i) for i in items) if items else "(complex path)"


def _short(node: Node | None) -> str:
    if node is None:
        return ""
    text = str(node)
    for prefix, ns in {
        **PREFIXES,
        "jts": "https://w3id.org/jtkg/shapes#",
        "sh": str(SH),
        "id": "https://w3id.org/jtkg/id/",
    }.items():
        if text.startswith(ns) and len(text) > len(ns):
            return f"{prefix}:{text[len(ns) :]}"
    return text
