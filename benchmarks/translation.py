"""Import + link + translate of a large foreign graph, and a cross-graph query (issue 14).

    python -m benchmarks.translation [--triples 100000] [--store BUILT_STORE]

Writes a Wikidata-shaped N-Triples graph of about ``--triples`` triples (people with
``wdt:P31 wd:Q5``, a party by ``wdt:P102``, a ``p:P39`` statement node with ``ps:P39`` and
``pq:P580``; organizations by ``wdt:P108``; events with ``wdt:P710`` participants and
``wdt:P585``), whose parties, states and a few people are the registry's Wikidata items so
that linking finds them. Into a copy of the bundled store (``--store``: an already built one
to copy; else the bundled corpus is built first) it times, by CPU (this process) and wall:

- *import*: ``jtkg import`` (parse, the change pipeline: the graph's own entailments, its
  translation into jt terms, reasoning and validation of both, publish);
- *link*: proposing links and storing them (which re-derives the translation onto our IRIs);
- *query*: a competency-style question across graphs in jt terms, run five times (median);
- *ingest*: one short document naming a linked person, ingested into the linked store
  (extraction, reasoning, validation), then *re-link after it* (graph/relink.py: only the
  foreign entities the document's entities can match are proposed again; the links are
  unchanged, so nothing is written), against *a full `jtkg link`* (every foreign entity
  proposed again, the links graph committed);
- *import into the linked store*: a second graph of the same shape and size (its own IRIs
  but the same Wikidata items), linked in the import's own change; it prints which imported
  graphs were translated (the first is not: none of its links changed).

and prints the triples the translation added to the inferred graph. CPU is this process's
and its children's. For the machine it runs on; nothing here is a test.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from jtkg.graph.build import build, bundled_corpus
from jtkg.graph.imports import import_graph
from jtkg.graph.ingest import ingest
from jtkg.graph.link import DEFAULT_THRESHOLD, propose, store_links
from jtkg.graph.relink import after_documents
from jtkg.graph.store import StoreLocation
from jtkg.graph.translation_publish import latest
from jtkg.ontology import INFERRED_GRAPH

W, E = "http://www.wikidata.org/", "https://example.org/bench/"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
DATETIME = "<http://www.w3.org/2001/XMLSchema#dateTime>"
PARTIES = ("Q903822", "Q31113")  # the registry's DPP and Kuomintang
LINKED_PEOPLE = ("Q233984", "Q19216", "Q315528", "Q22368")
LINKED_NAMES = ("Tsai Ing-wen", "Ma Ying-jeou", "Lee Teng-hui", "Chen Shui-bian")
GRAPH = "https://example.org/graphs/bench"
QUERY = """PREFIX jt: <https://w3id.org/jtkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?event (COUNT(DISTINCT ?who) AS ?members) WHERE {
  ?e a jt:Event ; rdfs:label ?event ; jt:participant ?who .
  ?who jt:affiliatedWith <https://w3id.org/jtkg/id/institution/democratic-progressive-party> }
GROUP BY ?event ORDER BY DESC(?members) LIMIT 20"""


def foreign_graph(target: int) -> str:
    """About ``target`` triples, shaped like a Wikidata extract."""
    lines: list[str] = []
    add = lines.append
    people = max(10, target * 10 // 106)  # about 10.6 triples per person, events and orgs included
    for i in range(40):  # position items: "member of the legislature 1..40"
        add(f'<{E}item/post-{i}> {LABEL} "Legislator (term {i + 1})"@en .')
        add(f"<{E}item/post-{i}> <{W}prop/direct/P1001> <{W}entity/Q865> .")
    for qid, name in (
        ("Q903822", "Democratic Progressive Party"),
        ("Q31113", "Kuomintang"),
        ("Q865", "Taiwan"),
    ):
        add(f'<{W}entity/{qid}> {LABEL} "{name}"@en .')
        kind = "Q3624078" if qid == "Q865" else "Q7278"  # sovereign state, political party
        add(f"<{W}entity/{qid}> <{W}prop/direct/P31> <{W}entity/{kind}> .")
    for i in range(people // 5):
        org = f"<{E}org/{i}>"
        add(f'{org} {LABEL} "Research Institute {i}"@en .')
        add(f"{org} <{W}prop/direct/P31> <{W}entity/Q43229> .")
        add(f"{org} <{W}prop/direct/P17> <{W}entity/Q865> .")
    for i in range(people):
        person = f"<{W}entity/{LINKED_PEOPLE[i]}>" if i < len(LINKED_PEOPLE) else f"<{E}person/{i}>"
        statement = f"<{E}statement/{i}-p39>"
        name = LINKED_NAMES[i] if i < len(LINKED_NAMES) else f"Person {i}"
        add(f'{person} {LABEL} "{name}"@en .')
        add(f"{person} <{W}prop/direct/P31> <{W}entity/Q5> .")
        add(f"{person} <{W}prop/direct/P102> <{W}entity/{PARTIES[i % 2]}> .")
        add(f"{person} <{W}prop/direct/P108> <{E}org/{i % max(1, people // 5)}> .")
        add(f"{person} <{W}prop/direct/P39> <{E}item/post-{i % 40}> .")
        add(f"{person} <{W}prop/P39> {statement} .")
        add(f"{statement} <{W}prop/statement/P39> <{E}item/post-{i % 40}> .")
        add(f'{statement} <{W}prop/qualifier/P580> "{2000 + i % 24}-02-01T00:00:00Z"^^{DATETIME} .')
    for i in range(people // 4):
        event = f"<{E}event/{i}>"
        add(f'{event} {LABEL} "Policy Forum {i}"@en .')
        add(f"{event} <{W}prop/direct/P31> <{W}entity/Q1656682> .")
        add(f'{event} <{W}prop/direct/P585> "{2000 + i % 24}-06-01T00:00:00Z"^^{DATETIME} .')
        for k in range(5):
            who = (i * 7 + k * 13) % people
            person = f"<{W}entity/{LINKED_PEOPLE[who]}>" if who < len(LINKED_PEOPLE) else f"<{E}person/{who}>"
            add(f"{event} <{W}prop/direct/P710> {person} .")
    return "\n".join(lines) + "\n"


def cpu_seconds() -> float:
    """This process's CPU and its children's (an ingest extracts in worker processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(func):  # type: ignore[no-untyped-def]
    cpu, wall = cpu_seconds(), time.perf_counter()
    result = func()
    return result, cpu_seconds() - cpu, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--store", type=Path, default=None, help="a built store to copy")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        if args.store:
            shutil.copytree(args.store, store)
        else:
            assert build(bundled_corpus(), StoreLocation(store)).published
        location = StoreLocation(store)
        data = Path(tmp) / "extract.nt"
        data.write_text(foreign_graph(args.triples), encoding="utf-8")
        inferred = location.manifest().graphs[str(INFERRED_GRAPH)]  # type: ignore[union-attr]
        imported, icpu, iwall = timed(lambda: import_graph([data], GRAPH, location))
        after_import = location.manifest().graphs[str(INFERRED_GRAPH)]  # type: ignore[union-attr]

        def link() -> int:
            manifest = location.manifest()
            assert manifest is not None
            links = [
                x for x in propose(location.open(), manifest.graphs) if x.confidence >= DEFAULT_THRESHOLD
            ]
            store_links(links, location)
            return len(links)

        links, lcpu, lwall = timed(link)
        after_link = location.manifest().graphs[str(INFERRED_GRAPH)]  # type: ignore[union-attr]
        opened = location.open()
        runs = [timed(lambda: list(opened.query(QUERY, use_default_graph_as_union=True))) for _ in range(5)]
        answers = len(runs[0][0])
        doc = Path(tmp) / "brief.txt"
        doc.write_text("A Brief\n\nPresident Tsai Ing-wen said Japan and Taiwan should talk.\n")
        before = location.open()
        ingested, ncpu, nwall = timed(lambda: ingest([doc], location))
        graph_of = {location.manifest().documents[s]["graph"] for s in ingested.added}  # type: ignore[union-attr]
        relinked, rcpu, rwall = timed(lambda: after_documents(location, before, graph_of))
        _, fcpu, fwall = timed(link)
        second = Path(tmp) / "extract-2.nt"
        second.write_text(foreign_graph(args.triples).replace(E, E + "2/"), encoding="utf-8")
        latest.clear()
        again, scpu, swall = timed(lambda: import_graph([second], GRAPH + "-2", location))
        translated = sorted(latest)
    print(f"foreign graph: {imported.triples:,} triples (Wikidata-shaped N-Triples); {links} links accepted")
    print(f"{'step':<34}{'CPU s':>9}{'wall s':>9}")
    print(f"{'import (+ translate, reason, validate)':<34}{icpu:>9.2f}{iwall:>9.2f}")
    print(f"{'link (+ re-translate onto ours)':<34}{lcpu:>9.2f}{lwall:>9.2f}")
    query_cpu, query_wall = (statistics.median(r[i] for r in runs) for i in (1, 2))
    print(f"{'cross-graph CQ (median of 5)':<34}{query_cpu:>9.3f}{query_wall:>9.3f}")
    print(f"{'ingest one document':<34}{ncpu:>9.2f}{nwall:>9.2f}")
    print(f"{'  re-link after it (what changed)':<34}{rcpu:>9.2f}{rwall:>9.2f}")
    print(f"{'  a full jtkg link instead':<34}{fcpu:>9.2f}{fwall:>9.2f}")
    print(f"{'import a 2nd graph (linked store)':<34}{scpu:>9.2f}{swall:>9.2f}")
    print(f"re-linking after the ingest: {relinked.line() if relinked else 'not a linked store'}")
    print(f"the 2nd import: {again.relinked.line() if again.relinked else '-'}; translated: {translated}")
    print(
        f"inferred graph: {inferred:,} -> {after_import:,} after import (+{after_import - inferred:,}) "
        f"-> {after_link:,} after link; the CQ gave {answers} rows"
    )


if __name__ == "__main__":
    main()
