"""Retired entity IRIs: the table of IRIs a rebuild or re-ingest stopped minting, each pointing
at the entity that took its place, so links others made into the graph keep working.

Entity IRIs are slugs of labels (``ontology.entity_iri``): when extraction improves ("Chairman
Jane Roe" becomes "Jane Roe") the IRI changes. Whenever a generation is written, every entity
IRI that a replaced document's previous extraction held and that is now nowhere in the store
is matched to its successor, in that same document and of the same class:

1. the entity whose annotations overlap the old one's (``oa:TextPositionSelector`` start/end;
   the most overlapping characters, when one candidate has most); failing that,
2. the one entity whose label (or alternative label) contains the old label, word for word,
   or is contained in it.

No candidate: the IRI is gone (the server answers 404, as for any unknown IRI). The table is
kept per generation as ``retired.json`` beside the manifest, written atomically, carried to
the next generation by this module and copied with a generation by backups and restores.
Chains collapse (a→b, then b→c, gives a→c and b→c), an IRI that comes back leaves the table,
and an entry whose successor is gone leaves it too: every key is absent from its generation
and every value present, so no entry can point at another and there is never a cycle.

The server answers a retired IRI with 301 to its successor; exports carry each entry as
``<old> owl:sameAs <new>`` in the graph RETIRED_GRAPH. It is not written into the store: the
per-document OWL-RL closure, SHACL's one-label-per-entity checks and every SPARQL count would
otherwise see two IRIs for one entity (owl:sameAs copies every triple of one onto the other).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import pyoxigraph as ox

from jtkg.graph.files import write_atomic
from jtkg.graph.generations import GENERATION_NAME, RETIRED_FILE, StoreDamaged, open_generation
from jtkg.ontology import GRAPH, ID, INFERRED_GRAPH, JT, OA

#: The named graph that exports put the owl:sameAs links into.
RETIRED_GRAPH = str(GRAPH["retired"])
OWL_SAME_AS = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
#: The classes whose IRIs are minted from labels and may therefore retire. Documents,
#: statements and positions are named by the document (and retire with it).
ENTITY_CLASSES = frozenset(
    str(c) for c in (JT.Person, JT.Institution, JT.State, JT.Agreement, JT.Policy, JT.Issue, JT.Event)
)
_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_LABELS = (
    ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
    ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel"),
)
_INFERRED = ox.NamedNode(str(INFERRED_GRAPH))
_HAS_BODY = ox.NamedNode(str(OA.hasBody))
_SPANS = f"""PREFIX oa: <{OA}>
SELECT ?body ?start ?end WHERE {{ GRAPH GRAPH_IRI {{
  ?a oa:hasBody ?body ; oa:hasTarget ?t . ?t oa:hasSelector ?p . ?p oa:start ?start ; oa:end ?end
}} }}"""


@dataclass(frozen=True)
class Retirement:
    """One entry: ``iri`` is no longer minted; ``current`` took its place in ``generation``."""

    iri: str
    current: str
    generation: str


Table = dict[str, Retirement]


# ------------------------------------------------------------------ the file


def read_table(folder: Path) -> Table:
    """The table of a generation folder (empty when it has none); ValueError when the file
    is there but is not a table."""
    path = Path(folder) / RETIRED_FILE
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return {}
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path} is not JSON text ({exc})") from None
    rows = data.get("retired") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise ValueError(f"{path} holds no list of retired IRIs")
    table: Table = {}
    for row in rows:
        if not isinstance(row, dict) or not all(
            isinstance(row.get(k), str) for k in ("iri", "current", "generation")
        ):
            raise ValueError(f"{path}: an entry is not an IRI, its successor and a generation")
        if (
            not row["iri"].startswith(str(ID))
            or not row["current"].startswith(str(ID))
            or row["iri"] == row["current"]
        ):
            raise ValueError(
                f"{path}: {row['iri'][:80]} -> {row['current'][:80]} is not an entity IRI pointing at another"
            )
        table[row["iri"]] = Retirement(row["iri"], row["current"], row["generation"])
    return table


def write_table(folder: Path, table: Mapping[str, Retirement]) -> None:
    """Writes the table atomically (like the manifest); an empty table writes no file."""
    if not table:
        (Path(folder) / RETIRED_FILE).unlink(missing_ok=True)
        return
    rows = [
        {"iri": r.iri, "current": r.current, "generation": r.generation}
        for r in sorted(table.values(), key=lambda r: r.iri)
    ]
    text = json.dumps({"retired": rows}, indent=1, sort_keys=True) + "\n"
    path = Path(folder) / RETIRED_FILE
    write_atomic(path, text)


@lru_cache(maxsize=16)
def _published(folder: str) -> Mapping[str, str]:
    try:
        table = read_table(Path(folder))
    except (OSError, ValueError):
        table = {}  # a damaged table costs redirects, never the pages themselves
    return MappingProxyType({old: r.current for old, r in table.items()})


def published_table(folder: str | Path) -> Mapping[str, str]:
    """Old IRI -> current IRI for a published generation folder (read once: a published
    generation is never written again). A damaged or missing file reads as empty."""
    return _published(str(folder))


def same_as_quads(table: Mapping[str, str]) -> list[ox.Quad]:
    """``<old> owl:sameAs <new>`` in RETIRED_GRAPH, for exports."""
    graph = ox.NamedNode(RETIRED_GRAPH)
    return [
        ox.Quad(ox.NamedNode(old), OWL_SAME_AS, ox.NamedNode(new), graph)
        for old, new in sorted(table.items())
    ]


# ------------------------------------------------------------------ carrying it forward


def previous_folder(store_folder: Path) -> Path | None:
    """The generation CURRENT names (the one being replaced), if it reads."""
    try:
        name = (Path(store_folder) / "CURRENT").read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    folder = Path(store_folder) / name
    return folder if GENERATION_NAME.fullmatch(name) and folder.is_dir() else None


def carry(
    store_folder: Path,
    target: Path,
    store: ox.Store,
    documents: Mapping[str, Mapping[str, str]],
    changed: Iterable[str],
) -> Table:
    """The table of the generation being written at ``target`` (database ``store``): the
    previous generation's, with the IRIs that documents ``changed`` no longer mint retired
    to their successors. Writes it beside the manifest and returns it."""
    previous = previous_folder(store_folder)
    if previous is None:
        return {}
    try:
        table = read_table(previous)
    except ValueError as exc:
        raise StoreDamaged(f"{exc}; writes are refused until it is repaired or removed") from None
    before = _manifest_documents(previous)
    changed = set(changed)
    replaced = sorted(
        info["graph"]
        for slug, info in documents.items()
        if info.get("graph") in changed and before.get(slug, {}).get("graph") == info.get("graph")
    )
    if not table and not replaced:
        return {}
    successors: dict[str, str] = {}
    if replaced:
        old_store = open_generation(previous)
        successors = match(old_store, store, replaced)
        del old_store
    updated = collapse(table, successors, lambda iri: bool(classes_of(store, iri)), target.name)
    write_table(target, updated)
    return updated


def collapse(
    table: Mapping[str, Retirement],
    successors: Mapping[str, str],
    is_present: Callable[[str], bool],
    generation: str,
) -> Table:
    """The old table followed one step through the new ``successors``, plus them; keys
    that are back (``is_present``) and entries whose successor is gone are dropped."""
    updated: Table = {}
    for old, entry in table.items():
        current = successors.get(entry.current, entry.current)
        updated[old] = Retirement(old, current, entry.generation)
    for old, new in successors.items():
        updated[old] = Retirement(old, new, generation)
    return {
        old: r
        for old, r in updated.items()
        if old != r.current and not is_present(old) and is_present(r.current)
    }


def _manifest_documents(folder: Path) -> dict[str, dict[str, str]]:
    try:
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        documents = data.get("documents", {})
        return documents if isinstance(documents, dict) else {}
    except (OSError, ValueError):
        return {}


# ------------------------------------------------------------------ matching


def match(old: ox.Store, new: ox.Store, graphs: Iterable[str]) -> dict[str, str]:
    """Successor of each entity IRI of the ``graphs`` (document graphs present in both
    stores) that the old store has and the new one lacks."""
    old_classes: dict[str, frozenset[str]] = {}
    new_classes: dict[str, frozenset[str]] = {}
    where: dict[str, list[str]] = {}
    for graph in graphs:  # cheap first: which IRIs went missing (most rebuilds: none)
        for iri in _mentioned(old, graph):
            if _cached_classes(old, iri, old_classes) and not _cached_classes(new, iri, new_classes):
                where.setdefault(iri, []).append(graph)
    old_spans: dict[str, dict[str, list[tuple[int, int]]]] = {}
    new_spans: dict[str, dict[str, list[tuple[int, int]]]] = {}
    for graph in sorted({g for in_graphs in where.values() for g in in_graphs}):
        old_spans[graph] = _spans(old, graph)
        new_spans[graph] = _spans(new, graph)
        for iri in _mentioned(new, graph):
            new_spans[graph].setdefault(iri, [])  # typed without an annotation: by label only
        new_spans[graph] = {
            iri: spans for iri, spans in new_spans[graph].items() if _cached_classes(new, iri, new_classes)
        }
    found: dict[str, str] = {}
    for iri, in_graphs in sorted(where.items()):
        successor = _successor(old, new, iri, old_classes[iri], in_graphs, old_spans, new_spans, new_classes)
        if successor is not None:
            found[iri] = successor
    return found


def _successor(
    old: ox.Store,
    new: ox.Store,
    iri: str,
    cls: frozenset[str],
    graphs: list[str],
    old_spans: dict[str, dict[str, list[tuple[int, int]]]],
    new_spans: dict[str, dict[str, list[tuple[int, int]]]],
    new_classes: dict[str, frozenset[str]],
) -> str | None:
    overlap: dict[str, int] = {}
    for graph in graphs:
        mine = old_spans[graph].get(iri, [])
        for other, spans in new_spans[graph].items():
            if new_classes[other] != cls:
                continue  # never across classes
            overlap[other] = overlap.get(other, 0) + sum(
                max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in mine for s2, e2 in spans
            )
    best = max(overlap.values(), default=0)
    if best > 0:
        leaders = [c for c, n in overlap.items() if n == best]
        if len(leaders) == 1:
            return leaders[0]
        candidates = leaders  # a tie: the label decides among the tied, or nothing does
    else:
        candidates = list(overlap)
    names = {_normal(label) for label in labels_of(old, iri)} - {""}
    fitting = [
        c
        for c in candidates
        if any(
            _contains(a, b) or _contains(b, a)
            for a in names
            for b in {_normal(x) for x in labels_of(new, c)} - {""}
        )
    ]
    return fitting[0] if len(fitting) == 1 else None


#: Where entity IRIs live (``ontology.entity_iri``): a cheap filter before any lookup.
_ENTITY_PREFIXES = tuple(
    f"{ID}{segment}/"
    for segment in ("person", "institution", "state", "agreement", "policy", "issue", "event")
)


def _mentioned(store: ox.Store, graph: str) -> set[str]:
    """IRIs a document graph types as an entity or annotates, that may be entities."""
    name = ox.NamedNode(graph)
    found = {
        q.subject.value
        for cls in ENTITY_CLASSES
        for q in store.quads_for_pattern(None, _TYPE, ox.NamedNode(cls), name)
        if isinstance(q.subject, ox.NamedNode)
    }
    found |= {
        q.object.value
        for q in store.quads_for_pattern(None, _HAS_BODY, None, name)
        if isinstance(q.object, ox.NamedNode)
    }
    return {iri for iri in found if iri.startswith(_ENTITY_PREFIXES)}


def _spans(store: ox.Store, graph: str) -> dict[str, list[tuple[int, int]]]:
    """Each annotated entity IRI of a document graph, with the character spans of its
    annotations (their oa:TextPositionSelector)."""
    found: dict[str, list[tuple[int, int]]] = {}
    for row in store.query(_SPANS.replace("GRAPH_IRI", str(ox.NamedNode(graph)))):
        body = row["body"]
        if not isinstance(body, ox.NamedNode) or not body.value.startswith(_ENTITY_PREFIXES):
            continue
        try:
            found.setdefault(body.value, []).append((int(row["start"].value), int(row["end"].value)))
        except ValueError:
            continue  # not a number: no span to compare
    return found


def _cached_classes(store: ox.Store, iri: str, cache: dict[str, frozenset[str]]) -> frozenset[str]:
    if iri not in cache:
        cache[iri] = classes_of(store, iri)
    return cache[iri]


def classes_of(store: ox.Store, iri: str) -> frozenset[str]:
    """The entity classes an IRI is asserted to have, in any graph but the inferred one."""
    return frozenset(
        q.object.value
        for q in store.quads_for_pattern(ox.NamedNode(iri), _TYPE, None)
        if q.object.value in ENTITY_CLASSES and q.graph_name != _INFERRED
    )


def labels_of(store: ox.Store, iri: str) -> set[str]:
    node = ox.NamedNode(iri)
    return {
        q.object.value
        for predicate in _LABELS
        for q in store.quads_for_pattern(node, predicate, None)
        if isinstance(q.object, ox.Literal)
    }


def _normal(label: str) -> str:
    """Case, accents and punctuation aside: words separated by single spaces."""
    text = unicodedata.normalize("NFKC", label).casefold()
    return " ".join(re.findall(r"\w+", text))


def _contains(longer: str, shorter: str) -> bool:
    """``shorter`` appears in ``longer`` as whole words."""
    return f" {shorter} " in f" {longer} "
