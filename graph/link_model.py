"""What a link is: the pair, how sure, how found; shared by proposing, storing and review."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import OWL, URIRef
from rdflib.namespace import SKOS

from jtkg.loaders.errors import BadInput

#: Links at or above this confidence are accepted unless a review file says otherwise (the
#: first time: after that, the threshold last chosen, stored with the links).
DEFAULT_THRESHOLD = 0.8
#: How a stored link was decided (``dcterms:source`` of its record): by the threshold, or
#: by a person in a review file (kept by automatic re-linking while both entities exist).
BY_THRESHOLD, ACCEPTED, REJECTED = "", "review: accepted", "review: rejected"


class LinkError(BadInput):
    """Linking cannot go on: a one-line reason (a review file's line number included)."""


@dataclass(frozen=True)
class Link:
    ours: str
    theirs: str
    confidence: float
    method: str
    ours_label: str = ""
    theirs_label: str = ""
    graph: str = ""
    concept: bool = False
    decision: str = BY_THRESHOLD

    @property
    def predicate(self) -> URIRef:
        return SKOS.exactMatch if self.concept else OWL.sameAs

    @property
    def pair(self) -> tuple[str, str]:
        return self.ours, self.theirs


def best_per_pair(links: list[Link]) -> list[Link]:
    """One link per (ours, theirs): the most confident (a foreign IRI can be in two imported
    graphs, each proposing it), ties to the first graph by name; sorted best first."""
    best: dict[tuple[str, str], Link] = {}
    for link in sorted(links, key=lambda x: (-x.confidence, x.graph, x.method)):
        best.setdefault(link.pair, link)
    return sorted(best.values(), key=lambda x: (-x.confidence, x.ours, x.theirs))
