"""What provenance costs: the bundled build with and without the extraction's provenance
(jt:extractedBy on each annotation, the prov:Activity of each document graph), runs
interleaved, best of N: triples of the document graphs, annotations, and per-stage CPU
(summed over the per-document workers) and wall time. Prints a table; asserts nothing.

"Without" drops those triples in the emitter (monkeypatched before the workers fork); the
shapes stay the same, so it measures the data's cost, not the shapes'.

    python -m benchmarks.provenance [runs]

The first line (validation alone, in one process) is the figure to trust on a busy machine.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from jtkg.graph.build import build, bundled_corpus
from jtkg.graph.store import StoreLocation
from jtkg.loaders.emit import Emitter

ANNOTATIONS = "SELECT ?a { GRAPH ?g { ?a a <http://www.w3.org/ns/oa#Annotation> } }"


def _without_provenance() -> Callable[[], None]:
    """Makes the emitter write no provenance of extraction; returns the undo."""
    activity, annotate = Emitter.activity, Emitter.annotate

    def bare_annotate(self, body, span, confidence, motivation, how=""):  # type: ignore[no-untyped-def]
        annotate(self, body, span, confidence, motivation, "")

    Emitter.activity = lambda self, graph_iri: None  # type: ignore[method-assign]
    Emitter.annotate = bare_annotate  # type: ignore[method-assign]

    def undo() -> None:
        Emitter.activity, Emitter.annotate = activity, annotate  # type: ignore[method-assign]

    return undo


def _one_build() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        location = StoreLocation(Path(tmp) / "store")
        started, cpu = time.perf_counter(), time.process_time()
        result = build(bundled_corpus(), location)
        wall = time.perf_counter() - started
        assert result.published, result.report()
        annotations = len(list(location.open().query(ANNOTATIONS)))
        return {
            "document triples": sum(v for k, v in result.counts.items() if "/graph/doc/" in k),
            "annotations": annotations,
            "wall s": wall,
            "parent cpu s": time.process_time() - cpu,
            **{f"{k} s": v for k, v in result.timings.items() if k.endswith("_cpu")},
        }


def validation_only(runs: int) -> None:
    """Validation CPU of the same extractions with and without the provenance triples, in
    this process, interleaved: free of the extraction's and the workers' noise."""
    from rdflib import Graph
    from rdflib.namespace import PROV

    from jtkg.graph.pipeline import default_base, process
    from jtkg.loaders.extract import Extraction, Extractor
    from jtkg.ontology import JT

    default_base()
    extractor = Extractor()
    pairs = []
    for path in bundled_corpus():
        full = extractor.extract_file(path)
        bare = Graph()
        run = full.evidence.value(full.graph_iri, PROV.wasGeneratedBy)
        for triple in full.evidence:
            if triple[1] != JT.extractedBy and run not in (triple[0], triple[2]):
                bare.add(triple)
        pairs.append((full, Extraction(full.document, full.doc_iri, full.graph_iri, full.facts, bare, [])))
    best = {"with": float("inf"), "without": float("inf")}
    for _ in range(runs):
        for mode, index in (("with", 0), ("without", 1)):
            cpu = time.process_time()
            for pair in pairs:
                assert process(pair[index]).conforms
            best[mode] = min(best[mode], time.process_time() - cpu)
    print(
        f"validate (and reason), in one process, CPU, best of {runs}: with "
        f"{best['with']:.2f} s, without {best['without']:.2f} s, "
        f"diff {best['with'] - best['without']:+.2f} s "
        f"({(best['with'] / best['without'] - 1) * 100:+.1f} %)"
    )


def main(runs: int = 3) -> None:
    best: dict[str, dict[str, float]] = {"with": {}, "without": {}}
    for _ in range(runs):
        for mode in ("with", "without"):  # interleaved: load from elsewhere hits both
            undo = _without_provenance() if mode == "without" else (lambda: None)
            try:
                row = _one_build()
            finally:
                undo()
            for key, value in row.items():
                best[mode][key] = min(best[mode].get(key, value), value)
    print(f"bundled corpus, {len(bundled_corpus())} documents, best of {runs} runs each")
    print(f"{'':<22}{'with':>10}{'without':>10}{'diff':>10}")
    for key in best["with"]:
        with_, without = best["with"][key], best["without"][key]
        fmt = "{:>10.2f}" if key.endswith(" s") else "{:>10.0f}"
        print(f"{key:<22}" + fmt.format(with_) + fmt.format(without) + fmt.format(with_ - without))


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    validation_only(count)
    main(count)
