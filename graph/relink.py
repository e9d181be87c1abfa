"""Linking that stays current: after `jtkg ingest`, `jtkg import` and `jtkg remove` (documents
or ``--graph``), the links are proposed again for what changed, with the threshold stored
with the links (graph/link_store.py), and stale links go.

When: only in a store that has a links graph, i.e. where someone has run `jtkg link` (or
`jtkg link --apply`); a user who never links gets no links. What is proposed again:

- the entities of an imported graph that is new or replaced (an import);
- the foreign entities already linked or rejected in a review (always: so a link whose
  foreign entity is gone, or whose entities no longer match, goes);
- the foreign entities whose Wikidata item, name, alias or name order is one of a changed
  document's entities' (before or after the change: an ingest or a removal), since a new or
  renamed entity of ours can make a foreign one match, or match one of several (1/k).

Every other foreign entity matched nothing at or above the threshold before and its inputs
did not change, so the result is what a full `jtkg link` at that threshold gives (a test
compares the stores' N-Quads). A review's decisions stay: an accepted pair is kept while both
entities exist, a rejected one is never proposed again. An import's links are written in
the import's own change (one commit, one translation); an ingest's or a removal's in a
change of the links graph alone, made only when the links differ.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from jtkg.graph.change import Change, commit
from jtkg.graph.derive import LINKS_GRAPH, foreign_graphs
from jtkg.graph.link import Entity, Index, _entities, foreign_typing, index, match, our_graphs
from jtkg.graph.link_model import BY_THRESHOLD, DEFAULT_THRESHOLD, Link, best_per_pair
from jtkg.graph.link_store import store_links, stored
from jtkg.graph.location import Dataset, Location
from jtkg.ontology import ID

_LINKS = ox.NamedNode(LINKS_GRAPH)


@dataclass(frozen=True)
class Relinked:
    """What re-linking changed: pairs added and dropped, at the stored threshold."""

    added: int
    dropped: int
    threshold: float
    generation: str = ""

    def line(self) -> str:
        return (
            f"links kept current (threshold {self.threshold:g}): {self.added} added, {self.dropped} dropped"
        )


def is_linked(store: Dataset) -> bool:
    return bool(store.contains_named_graph(_LINKS))


def _present(store: Dataset) -> list[str]:
    return [g.value for g in store.named_graphs()]  # type: ignore[union-attr]


def plan(
    published: Dataset,
    graphs: list[str],
    sources: dict[str, Dataset | None],
    keys: set[str] = frozenset(),  # type: ignore[assignment]
    everything: bool = False,
) -> tuple[list[Link], list[Link], float]:
    """(links, rejected pairs, threshold) after a change. ``graphs``: the store's graphs
    after it; ``sources``: each changed imported graph with where to read it now (None:
    removed); ``keys``: what changed entities of ours are found by (Index.keys);
    ``everything``: propose for every foreign entity (a mapping set changed)."""
    before = stored(published)
    threshold = DEFAULT_THRESHOLD if before.threshold is None else before.threshold
    built = index(published, graphs)
    typing = foreign_typing(published)
    reviewed = {x.pair: x for x in before.links if x.decision != BY_THRESHOLD}
    rejected_pairs = {x.pair for x in before.rejected}
    again = {x.theirs for x in (*before.links, *before.rejected)}
    proposals: list[Link] = []
    existing: set[str] = set()
    for graph in sorted(g for g in foreign_graphs(graphs) if g not in sources or sources[g] is not None):
        source = sources.get(graph) or published
        whole = graph in sources or everything or bool(keys)
        found = _entities(source, [graph], ours=False, iris=None if whole else again, typing=typing)
        for theirs in found.values():
            existing.add(theirs.iri)
            if theirs.iri in built.ours:
                continue
            if graph in sources or everything or theirs.iri in again or built.keys(theirs) & keys:
                proposals += match(theirs, graph, built)
    accepted = [
        x
        for x in best_per_pair(proposals)
        if x.confidence >= threshold and x.pair not in rejected_pairs and x.pair not in reviewed
    ]
    alive = lambda x: x.ours in built.ours and x.theirs in existing  # noqa: E731
    links = best_per_pair([*accepted, *(x for x in reviewed.values() if alive(x))])
    return links, [x for x in before.rejected if alive(x)], threshold


def _diff(published: Dataset, links: list[Link], threshold: float) -> Relinked:
    old = {x.pair for x in stored(published).links}
    new = {x.pair for x in links}
    return Relinked(len(new - old), len(old - new), threshold)


def commit_with_links(
    location: Location,
    change: Change,
    graph: str,
    triples: Iterable[ox.Triple] | None,
    everything: bool = False,
) -> tuple[str, Relinked | None]:
    """Commits an import's (``triples``) or a removal's (None) ``change`` of ``graph``, with
    the links graph rewritten in the same change when the store is linked. Returns the
    generation and what the links became (None: not a linked store)."""
    published = location.open()
    if not is_linked(published):
        del published
        return commit(location, change), None
    source: Dataset | None = None
    if triples is not None:
        source = ox.Store()
        name = ox.NamedNode(graph)
        source.extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)
    graphs = sorted({*_present(published), graph} - ({graph} if triples is None else set()))
    links, rejected, threshold = plan(published, graphs, {graph: source}, everything=everything)
    result = _diff(published, links, threshold)
    del published
    generation = store_links(links, location, threshold, rejected, extra=change)
    return generation, Relinked(result.added, result.dropped, threshold, generation)


def changed_keys(stores: Iterable[Dataset], doc_graphs: set[str]) -> set[str]:
    """What the entities of ours named in ``doc_graphs`` are found by, in each of ``stores``
    (the store before a change and after it)."""
    keys: set[str] = set()
    for store in stores:
        iris = {
            q.subject.value
            for g in doc_graphs
            for q in store.quads_for_pattern(None, None, None, ox.NamedNode(g))
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(str(ID))
        }
        if iris:
            found = _entities(store, our_graphs(_present(store)), ours=True, iris=iris)
            keys |= set().union(*(Index({}).keys(e) for e in found.values()))
    return keys


def after_documents(location: Location, before: Dataset, doc_graphs: set[str]) -> Relinked | None:
    """After an ingest or a removal of documents (``before``: the store before it): the links
    proposed again for the foreign entities the changed documents' entities can match."""
    published = location.open()
    if not doc_graphs or not is_linked(published):
        return None
    keys = changed_keys([before, published], doc_graphs)
    links, rejected, threshold = plan(published, _present(published), {}, keys)
    result = _diff(published, links, threshold)
    old = stored(published)
    if {(x.pair, x.confidence, x.method) for x in links} == {
        (x.pair, x.confidence, x.method) for x in old.links
    } and {x.pair for x in rejected} == {x.pair for x in old.rejected}:
        return result  # nothing to write: no new generation
    del published
    return Relinked(
        result.added, result.dropped, threshold, store_links(links, location, threshold, rejected)
    )


__all__ = ["Entity", "Relinked", "after_documents", "changed_keys", "commit_with_links", "plan"]
