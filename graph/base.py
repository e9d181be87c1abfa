"""The base every source is reasoned and validated against: the ontology and the registry,
closed under reasoning once per process and indexed by subject."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from rdflib import Graph, Literal
from rdflib.term import Node

from jtkg.graph.reason import materialize
from jtkg.ontology import load_ontology, load_registry

Triple = tuple[Node, Node, Node]


@dataclass
class Base:
    """The ontology and registry, closed under reasoning once."""

    ontology: Graph
    registry: Graph
    inferred: set[Triple]
    closed: set[Triple]
    #: The closed base by subject, for a document's neighbourhood (see ``around``).
    by_subject: dict[Node, list[Triple]] = field(default_factory=dict, repr=False)

    def around(self, nodes: set[Node]) -> Iterator[Triple]:
        """The base's triples about ``nodes`` and about the nodes those name.

        A document is validated with these instead of the whole base, and only violations
        on the nodes it names count (``validate(reported=…)``): the base is validated once
        per build (``build.validate_base``), and a shape reaches into the base only through
        nodes the document names (a registry entity it gives a second label) and their
        values (``sh:class`` needs their types; the second hop comes whole so its nodes are
        well-formed context). Sequence paths stay inside the document's own evidence. The
        issue scheme made the base ~4,400 triples, which every document copied before.
        """
        self.index()
        values: set[Node] = set()
        for node in nodes:
            for triple in self.by_subject.get(node, ()):
                yield triple
                if not isinstance(triple[2], Literal):
                    values.add(triple[2])
        for value in values - nodes:
            yield from self.by_subject.get(value, ())

    def index(self) -> None:
        if not self.by_subject:
            for triple in self.closed:
                self.by_subject.setdefault(triple[0], []).append(triple)

    @classmethod
    def load(cls) -> Base:
        ontology, registry = load_ontology(), load_registry()
        facts = set(ontology) | set(registry)
        inferred = set(materialize(facts))
        base = cls(ontology, registry, inferred, facts | inferred)
        base.index()  # now, in the parent, so forked workers share it
        return base


@cache
def default_base() -> Base:
    return Base.load()
