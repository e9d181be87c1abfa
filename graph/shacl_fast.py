"""A direct SHACL check of the jtkg shapes, for the common case: data that conforms.

pySHACL spends ~1 CPU-s on one document, most of it walking the Web Annotation evidence
(2-7k triples of regular, machine-made annotations, targets and selectors) through rdflib
graph look-ups. This module compiles ``ontology/shapes.ttl`` once into plain Python objects
and checks a document's triples from dictionaries built in one pass over them: the same
targets (``sh:targetClass`` with subclasses, ``sh:targetObjectsOf``), paths (IRI, inverse,
sequence) and constraint components, each decided by pySHACL's own primitives where it has
them (datatype well-formedness, literal comparison, string forms: graph/shacl_values.py),
so the results are pySHACL's. ``graph/validate.py`` uses it only to say "conforms": when it
finds a violation, the report comes from pySHACL, the reference, so a refused document's
report is exactly what it was. A shapes graph using anything not handled here makes ``compile_shapes`` raise
``Unsupported`` and validation falls back to pySHACL for everything.
tests/test_validation_fast.py compares its results with pySHACL's on the bundled corpus and
on fixtures that break each shape.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from pyshacl.rdfutil import stringify_node
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from jtkg.graph.shacl_values import compared, datatype, language_in, min_length, pattern

Triple = tuple[Node, Node, Node]
#: A path: its steps, each (predicate, inverse?).
Path = tuple[tuple[Node, bool], ...]
#: A raw result: the shape that reports it, the focus node, the value node (or None).
Result = tuple["Shape", Node, Node | None]

#: Shape parameters this module evaluates; any other sh: term on a shape is Unsupported.
_CONSTRAINTS = {
    SH.minCount,
    SH.maxCount,
    SH.datatype,
    SH.languageIn,
    SH.minLength,
    SH["or"],
    SH.xone,
    SH["class"],
    SH.hasValue,
    SH.pattern,
    SH.minInclusive,
    SH.maxInclusive,
}
_STRUCTURE = {SH.path, SH.message, SH.property, SH.targetClass, SH.targetObjectsOf}
_LIST_VALUED = {SH.languageIn, SH["or"], SH.xone}
_SINGLE = {SH.minCount, SH.maxCount, SH.path, SH.message}


_TYPE, _SUBCLASS = RDF.type, RDFS.subClassOf
_MISSING = object()


class Unsupported(Exception):
    """The shapes use something this module does not evaluate: use pySHACL."""


@dataclass(eq=False)
class Shape:
    node: Node
    path: Path | None = None
    #: The sh:path's node in the shapes graph (a report names the path from it).
    path_node: Node | None = None
    message: str | None = None
    #: (parameter, value) pairs; list-valued parameters hold a tuple (of shapes for or/xone).
    constraints: list[tuple[Node, object]] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    target_classes: list[Node] = field(default_factory=list)
    target_objects_of: list[Node] = field(default_factory=list)
    #: ``constraints`` as evaluated: (_MIN/_MAX/_HAS, parameter) or (_VALUES, (test, parameter)).
    checks: list[tuple[int, object]] = field(default_factory=list)

    def generic_message(self, sg: Graph) -> str:
        """pySHACL's message for a shape without sh:message (compile_shapes allows only a
        single sh:class there)."""
        (rule,) = [v for k, v in self.constraints if k == SH["class"]]
        return f"Value does not have class {stringify_node(sg, rule)}"


@dataclass
class Shapes:
    graph: Graph
    targeted: list[Shape]
    #: Predicates whose subjects by object are indexed (inverse paths, targets, types).
    inverse: frozenset[Node]
    #: Every predicate a shape reads (paths, types, subclasses), to its one instance here:
    #: the others are skipped.
    used: dict[Node, Node]


def compile_shapes(sg: Graph) -> Shapes:
    compiled: dict[Node, Shape] = {}
    inverse: set[Node] = {_TYPE, _SUBCLASS}

    def shape(node: Node) -> Shape:
        if node in compiled:
            return compiled[node]
        found = compiled[node] = Shape(node)
        if {RDFS.Class, OWL.Class} & set(sg.objects(node, RDF.type)):
            raise Unsupported(f"implicit class target on {node}")
        for p, o in sg.predicate_objects(node):
            if not str(p).startswith(str(SH)):
                continue
            if p not in _CONSTRAINTS and p not in _STRUCTURE:
                raise Unsupported(f"{p} on {node}")
            if p in _SINGLE and len(list(sg.objects(node, p))) > 1:
                raise Unsupported(f"several {p} on {node}")
            if p == SH.path:
                found.path, found.path_node = _path(sg, o), o
                inverse.update(step for step, back in found.path if back)
            elif p == SH.message:
                found.message = str(o)
            elif p == SH.property:
                found.properties.append(shape(o))
            elif p == SH.targetClass:
                found.target_classes.append(o)
            elif p == SH.targetObjectsOf:
                found.target_objects_of.append(o)
                inverse.add(o)
            elif p in (SH["or"], SH.xone):
                found.constraints.append((p, tuple(shape(m) for m in sg.items(o))))
            elif p in _LIST_VALUED:
                found.constraints.append((p, tuple(sg.items(o))))
            elif p == SH.pattern:
                text = str(o.value) if o.value is not None and len(o.value) > 1 else str(o)
                found.constraints.append((p, re.compile(text)))
            else:
                found.constraints.append((p, o))
        if (found.target_classes or found.target_objects_of) and found.path is not None:
            raise Unsupported(f"targets on the property shape {node}")
        return found

    roots = {s for p in (SH.targetClass, SH.targetObjectsOf) for s in sg.subjects(p, None)}
    targeted = [shape(node) for node in sorted(roots, key=str)]
    for root in targeted:
        _check_messages(root)
    for found in compiled.values():
        found.checks = [_compiled(kind, param) for kind, param in found.constraints]
    if list(sg.subjects(SH.targetNode, None)) or list(sg.subjects(SH.targetSubjectsOf, None)):
        raise Unsupported("sh:targetNode / sh:targetSubjectsOf")
    # One instance per predicate, in the paths and the index both: a dictionary look-up
    # that finds the very key object skips rdflib's Python-level __eq__ (most of the cost).
    canonical = {p: p for p in inverse}
    for found in compiled.values():
        if found.path is not None:
            found.path = tuple((canonical.setdefault(p, p), back) for p, back in found.path)
        found.target_objects_of = [canonical.setdefault(p, p) for p in found.target_objects_of]
    inverse = {canonical[p] for p in inverse}
    return Shapes(sg, targeted, frozenset(inverse), canonical)


def _compiled(kind: Node, param: object) -> tuple[int, object]:
    if kind == SH.minCount:
        return _MIN, int(param)  # type: ignore[call-overload]
    if kind == SH.maxCount:
        return _MAX, int(param)  # type: ignore[call-overload]
    if kind == SH.hasValue:
        return _HAS, param
    return _VALUES, (_VALUE_TESTS[kind], param)


def _check_messages(shape: Shape) -> None:
    """A shape whose results are reported (a targeted one, its property shapes, theirs)
    needs its own sh:message, or a single sh:class (``generic_message``)."""
    kinds = [k for k, _ in shape.constraints]
    if shape.message is None and kinds and kinds != [SH["class"]]:
        raise Unsupported(f"{shape.node} reports without sh:message")
    for child in shape.properties:
        _check_messages(child)


def _path(sg: Graph, node: Node) -> Path:
    if isinstance(node, URIRef):
        return ((node, False),)
    inverse = sg.value(node, SH.inversePath)
    if isinstance(inverse, URIRef):
        return ((inverse, True),)
    if (node, RDF.first, None) in sg:
        steps = list(sg.items(node))
        if steps and all(isinstance(s, URIRef) for s in steps):
            return tuple((s, False) for s in steps)
    raise Unsupported(f"path {node}")


class Data:
    """The triples by subject and predicate, and by object for the predicates asked for."""

    def __init__(self, triples: Iterable[Triple], inverse: frozenset[Node], used: dict[Node, Node]) -> None:
        # Objects in lists, made sets only where a subject has several (values()): hashing
        # an rdflib Literal runs Python code, and most values are single literals.
        out: dict[Node, dict[Node, list[Node]]] = {}
        back: dict[Node, dict[Node, set[Node]]] = {p: {} for p in inverse}
        seen: dict[int, Node | None] = {}  # id(predicate) -> its instance in used, or None
        for s, p, o in triples:
            q = seen.get(id(p), _MISSING)  # the triples hold their predicates alive
            if q is _MISSING:
                q = seen[id(p)] = used.get(p)
            if q is None:
                continue
            p = q
            by_p = out.get(s)
            if by_p is None:
                by_p = out[s] = {}
            objects = by_p.get(p)
            if objects is None:
                by_p[p] = [o]
            else:
                objects.append(o)
            index = back.get(p)
            if index is not None:
                subjects = index.get(o)
                if subjects is None:
                    index[o] = {s}
                else:
                    subjects.add(s)
        self.out, self.back = out, back
        self._supers: dict[Node, set[Node]] = {}
        self._classes: dict[Node, set[Node]] = {}

    def objects(self, node: Node, p: Node) -> Collection[Node]:
        found = self.out.get(node, _NONE).get(p, _EMPTY)
        return found if len(found) < 2 else set(found)  # a triple given twice counts once

    def values(self, focus: Node, path: Path) -> Collection[Node]:
        nodes: Collection[Node] = (focus,)
        for p, back in path:
            index = self.back[p] if back else None
            step: list[Node] = []
            for node in nodes:
                step.extend(
                    index.get(node, _EMPTY) if index is not None else self.out.get(node, _NONE).get(p, _EMPTY)
                )
            nodes = step if len(step) < 2 else set(step)
        return nodes

    def superclasses(self, cls: Node) -> set[Node]:
        """``cls`` and everything it is an rdfs:subClassOf*, as rdflib's transitive_objects."""
        found = self._supers.get(cls)
        if found is None:
            found, todo = {cls}, [cls]
            while todo:
                for parent in self.objects(todo.pop(), _SUBCLASS):
                    if parent not in found:
                        found.add(parent)
                        todo.append(parent)
            self._supers[cls] = found
        return found

    def has_class(self, node: Node, cls: Node) -> bool:
        if isinstance(node, Literal):
            return False
        known = self._classes.get(node)
        if known is None:  # every class of node, once: sh:class asks again and again
            known = self._classes[node] = set()
            for t in self.objects(node, _TYPE):
                known |= self.superclasses(t)
        return cls in known

    def instances(self, cls: Node) -> set[Node]:
        classes, todo = {cls}, [cls]
        subclass_of = self.back[_SUBCLASS]
        while todo:
            for child in subclass_of.get(todo.pop(), ()):
                if child not in classes:
                    classes.add(child)
                    todo.append(child)
        typed = self.back[_TYPE]
        return {s for c in classes for s in typed.get(c, ())}


def check(shapes: Shapes, triples: Iterable[Triple], reported: set[Node] | None = None) -> list[Result]:
    """Every result pySHACL would give on ``triples`` (as (shape, focus, value) triples),
    only those on a focus node in ``reported`` when it is given."""
    data = Data(triples, shapes.inverse, shapes.used)
    results: list[Result] = []
    for shape in shapes.targeted:
        focus_nodes: set[Node] = set()
        for cls in shape.target_classes:
            focus_nodes |= data.instances(cls)
        for p in shape.target_objects_of:
            focus_nodes |= set(data.back[p])
        if reported is not None:
            focus_nodes &= reported
        for focus in focus_nodes:
            _evaluate(shape, focus, data, results)
    return results


def _evaluate(shape: Shape, focus: Node, data: Data, results: list[Result]) -> None:
    path = shape.path
    if path is None:
        values: Collection[Node] = (focus,)
    elif len(path) == 1 and not path[0][1]:  # the common case: one predicate
        values = data.objects(focus, path[0][0])
    else:
        values = data.values(focus, path)
    for code, arg in shape.checks:
        if code == _VALUES:
            test, param = arg  # type: ignore[misc]
            for v in values:
                if not test(v, param, data):
                    results.append((shape, focus, v))
        elif code == _MIN:
            if len(values) < arg:  # type: ignore[operator]
                results.append((shape, focus, None))
        elif code == _MAX:
            if len(values) > arg:  # type: ignore[operator]
                results.append((shape, focus, None))
        elif arg not in values:  # _HAS
            results.append((shape, focus, None))
    for child in shape.properties:
        _evaluate(child, focus, data, results)


_VALUES, _MIN, _MAX, _HAS = range(4)
_NONE: dict[Node, list[Node]] = {}
_EMPTY: tuple[Node, ...] = ()


def _conforms(shape: Shape, node: Node, data: Data) -> bool:
    found: list[Result] = []
    _evaluate(shape, node, data, found)
    return not found


_VALUE_TESTS = {
    SH.datatype: datatype,
    SH.minLength: min_length,
    SH.pattern: pattern,
    SH.languageIn: language_in,
    SH.minInclusive: lambda v, bound, data: compared(v, bound, 1),
    SH.maxInclusive: lambda v, bound, data: compared(v, bound, -1),
    SH["class"]: lambda v, cls, data: data.has_class(v, cls),
    SH["or"]: lambda v, members, data: any(_conforms(m, v, data) for m in members),
    SH.xone: lambda v, members, data: sum(_conforms(m, v, data) for m in members) == 1,
}
