"""The value tests of the SHACL direct check (graph/shacl_fast.py) that look at one value
node alone: sh:datatype, sh:minLength, sh:pattern, sh:languageIn, sh:minInclusive and
sh:maxInclusive, each deciding as pySHACL's constraint component does (its own primitives
where it has them: datatype well-formedness, string forms, literal comparison). Each takes
(value, parameter, data) like the engine's other tests; ``data`` is unused here."""

from __future__ import annotations

from decimal import Decimal

from pyshacl.constraints.core.string_based_constraints import StringBasedConstraintBase
from pyshacl.constraints.core.value_constraints import DatatypeConstraintComponent
from pyshacl.rdfutil.compare import compare_literal
from rdflib import RDF, RDFS, XSD, BNode, Literal
from rdflib.term import Node


def datatype(v: Node, rule: object, data: object) -> bool:
    # DatatypeConstraintComponent.evaluate's cases, in its order.
    if not isinstance(v, Literal):
        return False
    if v.datatype == rule:
        return getattr(v, "ill_typed", None) is not True and _ASSERT_TYPE(None, v, rule)
    if rule == _LITERAL:
        return True
    if rule == _DATATYPE and v.datatype:
        return True
    if v.datatype is None and v.language is None and rule == _STRING:
        return bool(_ASSERT_TYPE(None, v, rule))
    if rule == _LANG_STRING and v.language:
        return bool(_ASSERT_TYPE(None, v, rule))
    return False


_ASSERT_TYPE = DatatypeConstraintComponent._assert_actual_datatype
_LITERAL, _DATATYPE, _STRING, _LANG_STRING = RDFS.Literal, RDFS.Datatype, XSD.string, RDF.langString


def _string(v: Node) -> str:
    return StringBasedConstraintBase.value_node_to_string(v)


def min_length(v: Node, rule: object, data: object) -> bool:
    n = rule.value  # type: ignore[attr-defined]
    return n == 0 or (not isinstance(v, BNode) and len(_string(v)) >= n)


def pattern(v: Node, rule: object, data: object) -> bool:
    return not isinstance(v, BNode) and rule.search(_string(v)) is not None  # type: ignore[attr-defined]


def language_in(v: Node, rule: object, data: object) -> bool:
    wanted = {str(t.value).lower() for t in rule}  # type: ignore[attr-defined]
    lang = v.language if isinstance(v, Literal) else None
    if not lang:
        return False
    return "*" in wanted or lang.lower() in wanted or lang.split("-")[0].lower() in wanted


def compared(v: Node, bound: object, sign: int) -> bool:
    if not isinstance(v, Literal):
        return False
    value, limit = v.value, bound.value  # type: ignore[attr-defined]
    if type(value) in _NUMBERS and type(limit) in _NUMBERS:
        # What compare_literal decides for two numbers (a confidence in [0, 1]), without
        # its semantic-equality detour: this is most of the evidence's literals.
        return value >= limit if sign > 0 else value <= limit
    if isinstance(limit, str) != isinstance(value, str):
        return False
    try:
        return compare_literal(v, bound) * sign >= 0
    except (TypeError, NotImplementedError):
        return False


_NUMBERS = (int, Decimal)
