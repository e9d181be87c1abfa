"""Scoring extraction against a development set in the devset format (`docs/*.md` and
`gold/dNN.json`), by the matching rules of its `gold/FORMAT.md`.

The rules, as implemented here:
- names and labels are compared after `normalize` (FORMAT.md's normalisation, nothing more);
- the nodes that count are the objects of oa:hasBody, dcterms:creator, dcterms:publisher and
  dcterms:contributor; a node's classes are its rdf:types followed up rdfs:subClassOf to the
  core classes; its labels are rdfs:label, skos:altLabel and skos:prefLabel, read from the
  extraction and from the checkout's ontology files (registry entities are labelled there);
- Person, Institution, State: a node matches the first entry (file order) one of whose names
  equals one of its labels; the first node of an entry is a TP, later ones FP; a node matching
  nothing is FP unless a label equals an `optional` string; unmatched entries are FN.
  Nodes are taken in the order of their first annotated offset (metadata-only nodes first),
  then by IRI, so the TP node of an entry is its earliest mention;
- Agreement, Policy, Issue: recall only;
- affiliations: for the TP node of a gold person, the entities it is jt:affiliatedWith or holds
  a jt:Position jt:positionIn; each inner list is satisfied by at most one of them and each of
  them satisfies at most one list (a maximum matching, so the order of the lists does not
  change the score); leftovers are FP; every affiliation of an unmatched gold person is FN.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

# The ablation's cells (loaders.ablation), imported from here by the CLI as before.
from jtkg.loaders.ablation import ENTITY_CLASSES
from jtkg.loaders.ablation import Headline as Headline
from jtkg.loaders.ablation import ablation_table as ablation_table
from jtkg.loaders.ablation import headline_json as headline_json
from jtkg.loaders.ablation import headline_of_bundled as headline_of_bundled
from jtkg.loaders.ablation import headline_of_devset as headline_of_devset
from jtkg.loaders.errors import BadInput
from jtkg.loaders.evaluate import Score
from jtkg.loaders.extract import Extractor
from jtkg.loaders.reader import DocumentError, read_document
from jtkg.loaders.recipe import FULL, Recipe
from jtkg.ontology import JT, OA

#: Classes scored for precision and recall, and those scored for recall only.
PR_CLASSES = ENTITY_CLASSES
RECALL_CLASSES = ("Agreement", "Policy", "Issue")
CORE_CLASSES = (*PR_CLASSES, *RECALL_CLASSES, "Event")
NODE_PROPERTIES = (OA.hasBody, DCTERMS.creator, DCTERMS.publisher, DCTERMS.contributor)
LABEL_PROPERTIES = (RDFS.label, SKOS.altLabel, SKOS.prefLabel)
_PREFIX = re.compile(r"^(?:the|dr\.?|mr\.?|ms\.?|mrs\.?) ")
_DROPPED = re.compile(r"[\"“”().,]")


class DevsetError(BadInput):
    """The folder is not a devset, or one of its documents cannot be read: one line."""


def normalize(text: str) -> str:
    """FORMAT.md: NFKD without diacritics, lower case, ’ → ', en/em dash → -, a leading
    title or article dropped, the characters " “ ” ( ) . , dropped, whitespace collapsed."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.lower().replace("’", "'").replace("–", "-").replace("—", "-")
    text = _PREFIX.sub("", text.strip())
    return " ".join(_DROPPED.sub("", text).split())


@dataclass(frozen=True)
class Entry:
    cls: str
    #: The full name as written (for --show-errors only), and every name normalised.
    name: str
    names: frozenset[str]
    #: Person only: each affiliation's alternative labels, normalised.
    affiliations: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True)
class DevGold:
    doc: str
    entries: tuple[Entry, ...]
    optional: frozenset[str]

    def of(self, cls: str) -> list[Entry]:
        return [e for e in self.entries if e.cls == cls]


def parse_gold(data: dict[str, object]) -> DevGold:
    entries = []
    for cls in CORE_CLASSES:
        for item in data.get(cls, []) or []:  # type: ignore[union-attr]
            names = [str(n) for n in item["names"]]
            affiliations = tuple(
                frozenset(normalize(s) for s in inner) for inner in item.get("affiliations", []) if inner
            )
            entries.append(Entry(cls, names[0], frozenset(normalize(n) for n in names), affiliations))
    optional = frozenset(normalize(str(s)) for s in data.get("optional", []) or [])  # type: ignore[union-attr]
    return DevGold(str(data["doc"]), tuple(entries), optional)


def load_devset(folder: Path) -> list[tuple[Path, DevGold]]:
    """(document, gold) pairs of a devset folder, in the gold files' order."""
    docs, gold_dir = folder / "docs", folder / "gold"
    files = sorted(gold_dir.glob("*.json")) if gold_dir.is_dir() else []
    if not docs.is_dir() or not files:
        raise DevsetError(f"{folder}: not a devset (expected docs/ and gold/*.json)")
    pairs = []
    for path in files:
        try:
            gold = parse_gold(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise DevsetError(f"{path}: not a gold file of the devset format ({exc})") from None
        if not (docs / gold.doc).is_file():
            raise DevsetError(f"{path}: its document {gold.doc} is not in {docs}")
        pairs.append((docs / gold.doc, gold))
    return pairs


@cache
def ontology_graph() -> Graph:
    """Every Turtle file of the checkout's ontology/ folder (classes, registry, schemes)."""
    import jtkg.ontology

    graph = Graph()
    for path in sorted(Path(jtkg.ontology.__file__).parent.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


class _View:
    """The extraction's graphs and the ontology's, read as one (no copy)."""

    def __init__(self, *graphs: Graph) -> None:
        self.graphs = graphs
        self._supers: dict[Node, set[Node]] = {}

    def objects(self, s: Node | None, p: URIRef) -> Iterator[Node]:
        for g in self.graphs:
            yield from g.objects(s, p)

    def labels(self, node: Node) -> set[str]:
        return {normalize(str(o)) for p in LABEL_PROPERTIES for o in self.objects(node, p)}

    def superclasses(self, cls: Node) -> set[Node]:
        if cls not in self._supers:
            seen, todo = {cls}, [cls]
            while todo:
                for sup in self.objects(todo.pop(), RDFS.subClassOf):
                    if sup not in seen:
                        seen.add(sup)
                        todo.append(sup)
            self._supers[cls] = seen
        return self._supers[cls]

    def classes(self, node: Node) -> set[str]:
        found = set()
        for t in self.objects(node, RDF.type):
            found |= self.superclasses(t)
        return {c for c in CORE_CLASSES if JT[c] in found}


def _ordered_nodes(graph: Graph) -> list[Node]:
    """The nodes that count, earliest annotated offset first (metadata-only nodes first)."""
    first: dict[Node, int] = {}
    for prop in NODE_PROPERTIES:
        for s, o in graph.subject_objects(prop):
            offset = -1
            if prop == OA.hasBody:
                starts = [
                    int(v)
                    for t in graph.objects(s, OA.hasTarget)
                    for sel in graph.objects(t, OA.hasSelector)
                    for v in graph.objects(sel, OA.start)
                ]
                offset = min(starts, default=-1)
            first[o] = min(first.get(o, offset), offset)
    return sorted(first, key=lambda n: (first[n], str(n)))


def _max_matching(lists: tuple[frozenset[str], ...], labels: list[set[str]]) -> int:
    """Size of a maximum matching of affiliation lists to collected entities (augmenting paths)."""
    owner: dict[int, int] = {}  # collected entity -> the list it satisfies

    def augment(i: int, seen: set[int]) -> bool:
        for j, names in enumerate(labels):
            if j not in seen and names & lists[i]:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    return sum(augment(i, set()) for i in range(len(lists)))


def score_graph(graph: Graph, gold: DevGold, ontology: Graph | None = None) -> dict[str, Score]:
    """One document's rows: Person, Institution, State, Agreement, Policy, Issue, affiliations."""
    view = _View(graph, ontology_graph() if ontology is None else ontology)
    rows = {name: Score() for name in (*PR_CLASSES, *RECALL_CLASSES, "affiliations")}
    taken: dict[int, Node] = {}  # id(entry) -> its TP node (two entries may be equal)
    for node in _ordered_nodes(graph):
        classes = view.classes(node)
        if not classes:
            continue
        labels = view.labels(node)
        shown = sorted(labels)[0] if labels else str(node)
        for cls in classes & set(PR_CLASSES + RECALL_CLASSES):
            entry = next((e for e in gold.of(cls) if e.names & labels), None)
            if entry is None:
                if cls in PR_CLASSES and not labels & gold.optional:
                    rows[cls].wrong(shown)
            elif id(entry) in taken:
                if cls in PR_CLASSES:
                    rows[cls].wrong(f"{shown} (second node of {entry.name})")
            else:
                taken[id(entry)] = node
                rows[cls].tp += 1
    for entry in gold.entries:
        if entry.cls in rows and id(entry) not in taken:
            rows[entry.cls].miss(entry.name)
    for entry in gold.of("Person"):
        _affiliations(rows["affiliations"], view, entry, taken.get(id(entry)))
    return rows


def _affiliations(row: Score, view: _View, entry: Entry, node: Node | None) -> None:
    if node is None:
        for _ in entry.affiliations:
            row.miss(f"{entry.name} (person not found)")
        return
    collected = set(view.objects(node, JT.affiliatedWith))
    for position in view.objects(node, JT.holds):
        if JT.Position in {s for t in view.objects(position, RDF.type) for s in view.superclasses(t)}:
            collected |= set(view.objects(position, JT.positionIn))
    ordered = sorted(collected, key=str)
    labels = [view.labels(n) for n in ordered]
    matched = _max_matching(entry.affiliations, labels)
    row.tp += matched
    row.fn += len(entry.affiliations) - matched
    row.fp += len(ordered) - matched
    # Which ones, for --show-errors: the lists no collected entity can satisfy, and the
    # collected entities that satisfy no list (a lower bound when the matching is contested).
    row.false_negatives += [
        f"{entry.name} / {' | '.join(sorted(a))}"
        for a in entry.affiliations
        if not any(a & ls for ls in labels)
    ][: len(entry.affiliations) - matched]
    row.false_positives += [
        f"{entry.name} / {sorted(ls)[0] if ls else n}"
        for n, ls in zip(ordered, labels, strict=True)
        if not any(a & ls for a in entry.affiliations)
    ]


def total(rows: Iterable[Score]) -> Score:
    out = Score()
    for s in rows:
        out += s
    return out


@dataclass
class DevEvaluation:
    rows: dict[str, Score] = field(default_factory=dict)
    per_document: dict[str, dict[str, Score]] = field(default_factory=dict)
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    characters: int = 0

    def add(self, doc: str, scores: dict[str, Score]) -> None:
        self.per_document[doc] = scores
        for name, s in scores.items():
            self.rows.setdefault(name, Score())
            self.rows[name] += s

    def entities(self) -> Score:
        return total(self.rows.get(c, Score()) for c in PR_CLASSES)

    def affiliations(self) -> Score:
        return self.rows.get("affiliations", Score())

    def recall(self, cls: str) -> float:
        return self.rows.get(cls, Score()).recall

    def table(self) -> str:
        lines = [f"{'':<20}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}"]

        def row(label: str, s: Score, recall_only: bool = False) -> None:
            if recall_only:
                lines.append(f"{label:<20}{'':>7}{s.recall:>7.3f}{'':>7}{s.tp:>6}{'':>6}{s.fn:>6}")
            else:
                lines.append(
                    f"{label:<20}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.tp:>6}{s.fp:>6}{s.fn:>6}"
                )

        for cls in PR_CLASSES:
            row(cls, self.rows.get(cls, Score()))
        row("entities (micro)", self.entities())
        row("affiliations", self.affiliations())
        for cls in RECALL_CLASSES:
            row(f"{cls} (recall)", self.rows.get(cls, Score()), recall_only=True)
        lines.append(self.timing())
        return "\n".join(lines)

    def timing(self) -> str:
        rate = self.characters / self.cpu_seconds if self.cpu_seconds else 0.0
        return (
            f"extraction: {len(self.per_document)} documents, {self.characters:,} characters "
            f"in {self.seconds:.2f} s wall, {self.cpu_seconds:.2f} s CPU "
            f"({rate:,.0f} characters per CPU second)"
        )

    def per_document_table(self) -> str:
        """Counts only: the devset's names are not shown (nobody may tune rules to them)."""
        names = (*PR_CLASSES, "affiliations", *RECALL_CLASSES)
        lines = [
            f"{'document':<44}" + "".join(f"{n[:12]:>13}" for n in names),
            f"{'':<44}" + "".join(f"{'TP/FP/FN':>13}" for _ in names),
        ]
        for doc, scores in self.per_document.items():
            cells = "".join(f"{f'{s.tp}/{s.fp}/{s.fn}':>13}" for s in (scores[n] for n in names))
            lines.append(f"{doc[:43]:<44}{cells}")
        return "\n".join(lines)

    def errors(self) -> str:
        lines = []
        for doc, scores in self.per_document.items():
            lines.append(f"== {doc}")
            for name, s in scores.items():
                lines += [f"  {name:<13} FP  {item}" for item in s.false_positives]
                lines += [f"  {name:<13} FN  {item}" for item in s.false_negatives]
        return "\n".join(lines)

    def to_json(self, per_document: bool = True) -> dict[str, object]:
        def pr(s: Score) -> dict[str, float]:
            return {
                "precision": round(s.precision, 4),
                "recall": round(s.recall, 4),
                "f1": round(s.f1, 4),
                "tp": s.tp,
                "fp": s.fp,
                "fn": s.fn,
            }

        def r(s: Score) -> dict[str, float]:
            return {"recall": round(s.recall, 4), "tp": s.tp, "fn": s.fn}

        def rows(scores: dict[str, Score]) -> dict[str, object]:
            return {name: (r(s) if name in RECALL_CLASSES else pr(s)) for name, s in scores.items()}

        out: dict[str, object] = {
            "rows": rows(self.rows),
            "entities": pr(self.entities()),
            "affiliations": pr(self.affiliations()),
            "documents": len(self.per_document),
            "characters": self.characters,
            "seconds": round(self.seconds, 3),
            "cpu_seconds": round(self.cpu_seconds, 3),
        }
        if per_document:
            out["per_document"] = {d: rows(s) for d, s in self.per_document.items()}
        return out


def evaluate_devset(folder: Path, recipe: Recipe = FULL, extractor: Extractor | None = None) -> DevEvaluation:
    """Extract every document of the devset with ``extractor`` (else one built from
    ``recipe``) and score it by FORMAT.md's rules."""
    pairs = load_devset(folder)
    extractor = extractor or Extractor(recipe=recipe)
    result = DevEvaluation()
    for path, gold in pairs:
        try:
            doc = read_document(path, extractor.limits.max_document_chars)
            wall, cpu = time.perf_counter(), time.process_time()
            extraction = extractor.extract(doc)
        except DocumentError as exc:
            raise DevsetError(str(exc)) from None
        result.seconds += time.perf_counter() - wall
        result.cpu_seconds += time.process_time() - cpu
        result.characters += len(doc.text)
        graph = Graph()
        graph += extraction.facts
        graph += extraction.evidence
        result.add(gold.doc, score_graph(graph, gold))
    return result
