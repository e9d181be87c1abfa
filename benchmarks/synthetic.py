"""Synthetic corpora in the bundled documents' style, and padding to a million triples.

Each synthetic document is a bundled one with its people renamed (consistently within the
document, differently across documents) and its years shifted, so extraction meets new
names in familiar sentences.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS

from benchmarks.syllables import SYLLABLES
from jtkg.graph.build import bundled_corpus
from jtkg.loaders.extract import Extractor
from jtkg.ontology import JT


def _name(rng: random.Random) -> str:
    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()

    return f"{word()} {word()}"


def person_names(extractor: Extractor, path: Path) -> list[str]:
    facts = extractor.extract_file(path).facts
    names = [str(facts.value(p, RDFS.label)) for p in facts.subjects(RDF.type, JT.Person)]
    return sorted({n for n in names if n != "None"}, key=len, reverse=True)


def write_corpus(folder: Path, count: int, seed: int = 7) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    extractor = Extractor()
    sources = [(p, p.read_text(encoding="utf-8"), person_names(extractor, p)) for p in bundled_corpus()]
    rng = random.Random(seed)
    written = []
    for i in range(count):
        source, text, names = sources[i % len(sources)]
        renamed = text
        for name in names:
            new = _name(rng)
            renamed = renamed.replace(name, new)
            parts, new_parts = name.split(), new.split()
            if len(parts) > 1:  # surnames follow the full name
                renamed = re.sub(rf"\b{re.escape(parts[-1])}\b", new_parts[-1], renamed)
        shift = rng.randint(-5, 5)
        renamed = re.sub(
            r"\b(19[5-9]\d|20[0-2]\d)\b", lambda m, shift=shift: str(int(m.group()) + shift), renamed
        )
        path = folder / f"synthetic-{i:04d}-{source.stem}.txt"
        path.write_text(renamed, encoding="utf-8")
        written.append(path)
    return written


def pad_store(store: ox.Store, target: int, seed: int = 11, start: int = 0) -> int:
    """Adds generated people, institutions, positions and statements (in the ontology's
    vocabulary, in their own graph) until the store holds ``target`` quads."""
    rng = random.Random(seed)
    graph = ox.NamedNode("https://w3id.org/jtkg/graph/padding")
    jt = "https://w3id.org/jtkg/ontology#"
    rdf_type = ox.NamedNode(str(RDF.type))
    label = ox.NamedNode(str(RDFS.label))
    states = [
        ox.NamedNode(f"https://w3id.org/jtkg/id/state/{s}")
        for s in ("japan", "taiwan", "united-states", "peoples-republic-of-china")
    ]
    batch: list[ox.Quad] = []
    i = start
    have = len(store)  # counting is a scan: once, then by hand
    while have + len(batch) < target:
        person = ox.NamedNode(f"https://w3id.org/jtkg/id/person/padding-{i}")
        org = ox.NamedNode(f"https://w3id.org/jtkg/id/institution/padding-{i % 5000}")
        position = ox.NamedNode(f"https://w3id.org/jtkg/id/position/padding/{i}")
        statement = ox.NamedNode(f"https://w3id.org/jtkg/id/statement/padding/{i}")
        batch += [
            ox.Quad(person, rdf_type, ox.NamedNode(jt + "Person"), graph),
            ox.Quad(person, label, ox.Literal(_name(rng), language="en"), graph),
            ox.Quad(person, ox.NamedNode(jt + "holds"), position, graph),
            ox.Quad(position, rdf_type, ox.NamedNode(jt + "Position"), graph),
            ox.Quad(position, ox.NamedNode(jt + "roleTitle"), ox.Literal("researcher"), graph),
            ox.Quad(position, ox.NamedNode(jt + "positionIn"), org, graph),
            ox.Quad(org, rdf_type, ox.NamedNode(jt + "Institution"), graph),
            ox.Quad(org, ox.NamedNode(jt + "basedIn"), rng.choice(states), graph),
            ox.Quad(statement, rdf_type, ox.NamedNode(jt + "Statement"), graph),
            ox.Quad(statement, ox.NamedNode(jt + "statedBy"), person, graph),
            ox.Quad(statement, ox.NamedNode(jt + "quote"), ox.Literal(f"Remark {i}."), graph),
            ox.Quad(statement, ox.NamedNode(jt + "concerns"), rng.choice(states), graph),
        ]
        i += 1
        if len(batch) >= 100_000:
            store.bulk_extend(batch)
            have += len(batch)
            batch = []
    if batch:
        store.bulk_extend(batch)
    store.flush()
    total = len(store)  # repeated quads (shared institutions, states) count once
    return total if total >= target else pad_store(store, target, seed + 1, start=i)
