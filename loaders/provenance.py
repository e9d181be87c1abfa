"""What produced an extraction: the versions, the registry and the recipe, as one stamp.

The stamp goes two places: into each document graph as a ``prov:Activity`` (so a reader can
tell which run made a fact, and a later rebuild is explainable), and into the store's
manifest per document (so ``ingest`` can tell an extraction that is out of date from one that
is current, even when the file itself has not changed).
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
from dataclasses import dataclass, fields
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.compare import to_canonical_graph

from jtkg.loaders.recipe import FULL, Recipe
from jtkg.ontology import ontology_path

#: Bumped whenever a change to the loaders changes what is extracted from the same text:
#: a store's documents extracted by another version are re-extracted by the next ingest.
EXTRACTOR_VERSION = "0.2.3"
#: Ontology files that are vocabulary or constraints, not data the extractor matches on.
_NOT_REGISTRY = {"jtkg.ttl", "shapes.ttl"}
#: The manifest fields a document's record carries for its extraction.
STAMP_FIELDS = ("extractor", "registry", "recipe", "model")


@dataclass(frozen=True)
class Stamp:
    extractor: str
    #: "sha256:<hex>" over the registry's (and issue scheme's) canonical triples.
    registry: str
    #: The recipe's parts that were on, e.g. "rules+all_states+model+parse+issue_scheme".
    recipe: str
    #: The statistical model's name and version, or "" where it was off or missing.
    model_name: str
    model_version: str
    jtkg: str

    @property
    def model(self) -> str:
        return f"{self.model_name} {self.model_version}".strip()

    def record(self) -> dict[str, str]:
        """The fields kept in the manifest (all strings, as the manifest requires)."""
        return {name: getattr(self, name) for name in STAMP_FIELDS}

    def is_current(self, record: dict[str, str]) -> bool:
        """Whether a manifest record was made by this stamp; a record without the fields
        (an older manifest) is out of date."""
        return all(record.get(name) == getattr(self, name) for name in STAMP_FIELDS)

    @property
    def digest(self) -> str:
        """A short name of this configuration (same for every document of one run)."""
        joined = "\x1f".join(self.record().values())
        return hashlib.sha256(joined.encode()).hexdigest()[:12]


def recipe_label(recipe: Recipe) -> str:
    """The parts on, in the recipe's field order; the rules are always on."""
    return "+".join(["rules", *(f.name for f in fields(recipe) if getattr(recipe, f.name))])


def registry_files() -> list[Path]:
    """The data files the extractor matches on: the registry, the issue scheme and any other
    ontology/*.ttl that is not the vocabulary or the shapes."""
    return sorted(p for p in ontology_path().parent.glob("*.ttl") if p.name not in _NOT_REGISTRY)


@cache
def registry_hash() -> str:
    """The registry files' content hash, computed once per process (the pipeline computes
    it before forking, so workers inherit it)."""
    return content_hash(registry_files())


def content_hash(paths: list[Path]) -> str:
    """ "sha256:<hex>" of the files' triples, canonical (blank nodes relabelled, lines
    sorted), so reformatting, reordering or splitting a file keeps the hash."""
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    canonical = to_canonical_graph(graph)
    lines = sorted(line for line in canonical.serialize(format="nt").splitlines() if line)
    return "sha256:" + hashlib.sha256("\n".join(lines).encode()).hexdigest()


@cache
def jtkg_version() -> str:
    try:
        return metadata.version("jtkg")
    except metadata.PackageNotFoundError:  # run from a source tree that is not installed
        return "unknown"


def model_module() -> Any | None:
    """loaders.model where it exists (the statistical model's loader), else None."""
    if importlib.util.find_spec("jtkg.loaders.model") is None:
        return None
    try:
        return importlib.import_module("jtkg.loaders.model")
    except ImportError:  # its own dependency missing: no model, as where it does not exist
        return None


@cache
def model_info(on: bool) -> tuple[str, str]:
    """(name, version) of the model a recipe with the model ``on`` uses, or ("", "") where
    it is off or there is no model module; asked once per process."""
    module = model_module() if on else None
    info_of = getattr(module, "model_info", None)
    if info_of is None:
        return "", ""
    check = getattr(module, "check_model", None)
    if check is not None and check():  # not installed, or not the pinned one: not used
        return "", ""
    try:
        info = info_of()
    except (ImportError, OSError, ValueError, RuntimeError):  # model missing: said elsewhere
        return "", ""
    name, version = info or ("", "")  # loaders.model.model_info(): (name, version)
    return str(name or ""), str(version or "")


def stamp(recipe: Recipe = FULL) -> Stamp:
    """The stamp of extractions made with ``recipe`` in this process (its parts cached)."""
    return Stamp(
        EXTRACTOR_VERSION, registry_hash(), recipe_label(recipe), *model_info(recipe.model), jtkg_version()
    )
