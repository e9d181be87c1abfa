"""The extractor names no person of the bundled documents.

The project's rule: the extractor (loaders/*.py) and its data (ontology/*.ttl other than
registry.ttl, the reviewed world knowledge) are general. They must not hold the names of the
people of the documents they are measured on, not even in comments or docstrings, since an
example copied from a document is where document-specific rules start.

Only bundled material is read here: the persons of tests/gold/*.yaml (entities of class
Person with their variants, the authors of the metadata, the persons of the affiliations) and
the persons of ontology/registry.ttl (labels and other names, every script). The development
set (../shared/devset) is not read by this suite except by the scorer's own tests.

Two forms are searched:
- a full name (two words or more, or a name in CJK script), case-insensitively, with any run
  of spaces or hyphens between its words;
- a family name on its own (the gold's one-word variants, and the family name of each full
  name: the word beside a hyphenated given name, "Tsai" in "Tsai Ing-wen", "Wang" in
  "Tsun-yen Wang", else the last word), case-sensitively as a capitalised word.
A phrase of ``GENERAL_TERMS`` (a historical term that holds a family name, not the document's
person) is masked first.

``KNOWN_LEAKS`` listed the leaks found by the audit of 2026-12-01 (all in comments and
docstrings; none in a rule's strings); all are fixed and the list is empty.
``test_no_new_leaks`` fails on any leak not in it; ``test_known_leaks_still_there`` fails once
one is gone, so that the list only shrinks; the rule itself
(``test_extractor_names_no_person_of_the_bundled_documents``) is enforced.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml
from rdflib import RDF, RDFS, Graph, Namespace
from rdflib.namespace import SKOS

ROOT = Path(__file__).resolve().parent.parent
JT = Namespace("https://w3id.org/jtkg/ontology#")

#: Phrases of general knowledge that hold a family name of a document's person. Each is
#: masked before the search, with the reason it is general.
GENERAL_TERMS = {
    # The 1977 doctrine of Prime Minister Takeo Fukuda, a standard term of the field; the
    # person of the Stimson document is Madoka Fukuda.
    "Fukuda doctrine": "historical policy name",
}

#: (file, name as searched) pairs of leaks still to fix. The audit of 2026-12-01 found 36, all
#: in comments and docstrings; all were replaced by invented names, so the list is empty and
#: the rule below is enforced. Keep it empty: fix a leak rather than list it.
KNOWN_LEAKS: frozenset[tuple[str, str]] = frozenset()

_HYPHENS = "\u2010\u2011\u2012\u2013\u2014\u2212"


def _fold(text: str) -> str:
    """Diacritics dropped, typographic apostrophes and hyphens made plain (case kept)."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return text.translate({ord(h): "-" for h in _HYPHENS})


def _bundled_persons() -> dict[str, set[str]]:
    """Each person's names (full name first) -> the documents or the registry naming them."""
    persons: dict[str, set[str]] = {}

    def add(names: list[str], source: str) -> None:
        names = [_fold(str(n)).strip() for n in names if n and str(n).strip()]
        if names:
            persons.setdefault("\t".join(names), set()).add(source)

    for path in sorted((ROOT / "tests" / "gold").glob("*.yaml")):
        gold = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        doc = gold.get("document", path.stem)
        for entity in gold.get("entities") or []:
            if entity.get("class") == "Person":
                add([entity["name"], *(entity.get("variants") or [])], doc)
        for author in (gold.get("metadata") or {}).get("authors") or []:
            add([author], doc)
        for row in gold.get("affiliations") or []:
            if "person" in row:
                add([row["person"]], doc)
    registry = Graph().parse(ROOT / "ontology" / "registry.ttl", format="turtle")
    for person in registry.subjects(RDF.type, JT.Person):
        labels = [
            str(o) for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel) for o in registry.objects(person, p)
        ]
        add(labels, "registry")
    return persons


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")


def _family_name(full: str) -> str | None:
    words = full.split()
    if len(words) < 2:
        return None
    if len(words) == 2 and "-" in words[1] and "-" not in words[0]:
        return words[0]  # "Tsai Ing-wen", "Lo Chih-cheng"
    return words[-1]  # "Tsun-yen Wang", "Yuki Tatsumi", "Darrell Rico Doss"


def _patterns() -> list[tuple[str, re.Pattern[str], frozenset[str]]]:
    """(name as searched, pattern, sources) for every full name and family name."""
    found: dict[str, tuple[str, re.Pattern[str], set[str]]] = {}  # casefolded form -> ...
    for key, sources in _bundled_persons().items():
        names = key.split("\t")
        for i, name in enumerate(names):
            words = name.split()
            if _CJK.search(name):
                found.setdefault(name, (name, re.compile(re.escape(name)), set()))[2].update(sources)
            elif len(words) >= 2:
                parts = [re.escape(w) for w in re.split(r"[\s-]+", name) if w]
                pat = re.compile(r"(?<![A-Za-z])" + r"[\s-]+".join(parts) + r"(?![A-Za-z])", re.IGNORECASE)
                found.setdefault(name.casefold(), (name, pat, set()))[2].update(sources)
            # The family name: a one-word variant, or derived from the full name (the first).
            family = name if len(words) == 1 else _family_name(name) if i == 0 else None
            if family and len(family) >= 2 and family[0].isupper() and "." not in family:
                pat = re.compile(r"(?<![A-Za-z-])" + re.escape(family) + r"(?![A-Za-z-])")
                found.setdefault(family, (family, pat, set()))[2].update(sources)
    return [(name, pat, frozenset(src)) for name, pat, src in sorted(found.values())]


def _checked_files() -> list[Path]:
    files = sorted((ROOT / "loaders").glob("*.py"))
    files += [p for p in sorted((ROOT / "ontology").glob("*.ttl")) if p.name != "registry.ttl"]
    files += sorted((ROOT / "ontology").glob("*.jsonld"))
    return files


def _mask(text: str) -> str:
    for term in GENERAL_TERMS:
        text = re.sub(re.escape(term), lambda m: " " * len(m.group(0)), text, flags=re.I)
    return text


def scan(text: str, patterns=None) -> list[tuple[str, int, str]]:
    """(name, line number, line) for each person name in the text."""
    hits = []
    lines = _mask(_fold(text)).split("\n")
    for name, pat, _ in patterns if patterns is not None else _patterns():
        for number, line in enumerate(lines, 1):
            if pat.search(line):
                hits.append((name, number, line.strip()))
    return hits


def _leaks() -> dict[tuple[str, str], list[str]]:
    patterns = _patterns()
    leaks: dict[tuple[str, str], list[str]] = {}
    for path in _checked_files():
        rel = path.relative_to(ROOT).as_posix()
        for name, number, line in scan(path.read_text(encoding="utf-8"), patterns):
            leaks.setdefault((rel, name), []).append(f"{rel}:{number}: {line[:120]}")
    return leaks


def _describe(keys) -> str:
    return "; ".join(f"{path}: {name!r}" for path, name in sorted(keys))


def test_the_name_list_is_read_from_the_bundled_gold_and_registry() -> None:
    names = {name for name, _, _ in _patterns()}
    # Persons of every bundled document, authors, the registry's persons and their scripts.
    for expected in (
        "Yuki Tatsumi",
        "Tatsumi",
        "Lauren Dickey",
        "Yu-Shih Liao",
        "Hideshi Tokuchi",
        "Tsun-yen Wang",
        "Wang",
        "Tsai Ing-wen",
        "Tsai",
        "Lee Teng-hui",
        "蔡英文",
    ):
        assert expected in names, expected
    assert len(names) > 50


def test_the_scan_finds_names_in_any_form_and_masks_general_terms() -> None:
    text = (
        'x = 1  # "By: LAUREN  DICKEY"\n'
        "s = 'Tsai Ing\u2011wen met'\n"
        '"""... said Wang."""\n'
        "# the Fukuda doctrine of 1977\n"
        "# Wangaratta, Tsaiism and a washing machine are no names\n"
    )
    found = {(name, number) for name, number, _ in scan(text)}
    assert ("Lauren Dickey", 1) in found and ("Tsai Ing-wen", 2) in found
    assert ("Tsai", 2) in found and ("Wang", 3) in found
    assert not {n for n, number in found if number in (4, 5)}


def test_no_new_leaks() -> None:
    """Any person of a bundled document found in the extractor beyond the audited list."""
    leaks = _leaks()
    new = {key: lines for key, lines in leaks.items() if key not in KNOWN_LEAKS}
    assert not new, "names of the documents' persons in the extractor:\n" + "\n".join(
        line for lines in new.values() for line in lines
    )


def test_known_leaks_still_there() -> None:
    """A leak fixed leaves KNOWN_LEAKS: remove its pair there, so the list only shrinks."""
    gone = KNOWN_LEAKS - set(_leaks())
    assert not gone, "fixed, remove from KNOWN_LEAKS: " + _describe(gone)


def test_extractor_names_no_person_of_the_bundled_documents() -> None:
    leaks = _leaks()
    assert not leaks, "\n".join(line for lines in leaks.values() for line in lines)


def test_no_test_reads_the_shared_devset() -> None:
    """Only the scorer's tests (on the invented tests/fixtures/devset_mini) touch a devset; no
    test reads ../shared/devset to assert what the extractor outputs on it."""
    offenders = []
    for path in sorted((ROOT / "tests").glob("*.py")):
        if path.name == Path(__file__).name:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"shared[\\/\"', ]+devset|devset[\\/]docs|devset[\\/]gold", text):
            offenders.append(path.name)
    assert not offenders, offenders
