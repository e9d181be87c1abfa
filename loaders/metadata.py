"""Document metadata: from YAML front matter when present, otherwise from the text itself.

Nothing is invented: a field the document does not give stays absent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jtkg.loaders.gazetteer import Entity, Gazetteer
from jtkg.loaders.institutions import canonical_name
from jtkg.loaders.mentions import MentionIndex
from jtkg.loaders.reader import SourceDocument
from jtkg.loaders.text import DateMention, Span, find_dates
from jtkg.ontology import JT

#: How many non-empty lines at the top of a document count as its header.
HEADER_LINES = 8
_MARKUP = re.compile(r"^[\s#>*_]+|[\s*_#]+$")


@dataclass
class Metadata:
    title: str | None = None
    title_span: Span | None = None
    authors: list[Entity] = field(default_factory=list)
    #: Every publisher named: a wire copy's outlet and agency, an edition and its publisher.
    publishers: list[Entity] = field(default_factory=list)
    issued: str | None = None
    issued_precision: str = "day"
    source: str | None = None

    @property
    def publisher(self) -> Entity | None:
        """The first publisher (the outlet), for callers that take one."""
        return self.publishers[0] if self.publishers else None


def header_lines(text: str, start: int, limit: int = HEADER_LINES) -> list[Span]:
    lines = []
    for m in re.finditer(r"^.*$", text[start:], re.MULTILINE):
        if m.group().strip():
            lines.append(Span(start + m.start(), start + m.end()))
            if len(lines) == limit:
                break
    return lines


def is_heading(line: str) -> bool:
    """A title-case line with no sentence end: a headline, not prose."""
    content = _MARKUP.sub("", line).strip()
    words = re.findall(r"[A-Za-z][\w’'-]*", content)
    if (
        len(words) < 2
        or content.rstrip(")").endswith(".")
        or (content.endswith((":", "?", "”", '"')) and len(words) > 12)
    ):
        return line.lstrip().startswith("#")  # a sentence ends with a full stop; a headline not
    small = {
        "a",
        "an",
        "the",
        "of",
        "and",
        "in",
        "on",
        "for",
        "to",
        "at",
        "by",
        "with",
        "after",
        "amid",
        "as",
        "or",
        "from",
        "between",
    }
    capital = sum(1 for w in words if w[0].isupper() or w.lower() in small)
    return line.lstrip().startswith("#") or capital / len(words) >= 0.85


def find_metadata(doc: SourceDocument, index: MentionIndex, gazetteer: Gazetteer) -> Metadata:
    meta = Metadata()
    fm = doc.front_matter
    text = doc.text
    lines = header_lines(text, doc.body_start)
    byline = _byline(text, lines, index)
    if fm.get("title"):
        meta.title = str(fm["title"]).strip()
    else:
        meta.title_span = _title_line(text, lines, byline)
        if meta.title_span:
            meta.title = _MARKUP.sub("", text[meta.title_span.start : meta.title_span.end]).strip()
    names = fm.get("authors") or fm.get("author")
    if names:
        for name in [names] if isinstance(names, str) else list(names):
            name = str(name).strip()
            if name:
                meta.authors.append(
                    gazetteer.lookup(name)
                    or _local(index, name, JT.Person)
                    or Entity.discovered(JT.Person, name)
                )
    elif byline:
        meta.authors = byline[1]
    if fm.get("publisher"):
        given = fm["publisher"]
        names = [
            n
            for item in ([given] if isinstance(given, str) else list(given))
            for n in split_publishers(str(item))
        ]
        found = [_institution(name, index, gazetteer) for name in names]
        meta.publishers = list({e.iri: e for e in found if e is not None}.values())
    else:
        publisher = _publisher(text, lines, index)
        meta.publishers = [publisher] if publisher is not None else []
    if fm.get("date"):
        meta.issued, meta.issued_precision = _iso(str(fm["date"]))
    else:
        date = _header_date(text, lines)
        if date is not None:
            meta.issued, meta.issued_precision = date.iso(), date.precision
    if fm.get("source"):
        meta.source = str(fm["source"]).strip()
    return meta


def _local(index: MentionIndex, name: str, cls: object) -> Entity | None:
    return next((e for e in index.entities.values() if e.label == name and e.cls == cls), None)


#: "(English edition published by X)", "(via X)", "(a unit of X)": the words before the name.
_PUBLISHER_CUE = re.compile(
    r"^(?:.*?\b(?:published|distributed|syndicated|produced|operated|owned|issued|run)\s+by"
    r"|via|from|by|courtesy\s+of|source:|(?:an?|the)\s+(?:member|part|unit|subsidiary|edition"
    r"|division|publication|service)\s+of)\s+",
    re.IGNORECASE,
)


def split_publishers(value: str) -> list[str]:
    """A publisher field that names two: "Daily A (Daily B Group)", "The X Times (Kyodo)",
    "Asahi (English edition published by Z)" -> the outlet, then the one in parentheses."""
    value = " ".join(value.split())
    m = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", value)
    if m is None:
        return [value] if value else []
    outer, inner = m.group(1).strip(), _PUBLISHER_CUE.sub("", m.group(2).strip()).strip(" ,")
    if not re.search(r"[A-Z]", inner) or re.fullmatch(  # "(online)", "(English edition)"
        r"(?:\w+\s+)?(?:edition|version|ed\.|online|print|digital|web)", inner, re.IGNORECASE
    ):
        return [outer]
    return [outer, inner]


def _institution(name: str, index: MentionIndex, gazetteer: Gazetteer) -> Entity | None:
    """The registry's entity, one the text names (by label or other name), a well-known
    body by its canonical name ("Kyodo" -> Kyodo News), else a new institution. A state or a
    person named in the field (a place in parentheses) is no publisher."""
    known = gazetteer.lookup(name)
    if known is not None:
        return known if known.cls == JT.Institution else None
    label = canonical_name(name) or name
    bare = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)  # "The X Foundation": the text's "X Foundation"
    for entity in index.entities.values():
        if entity.cls == JT.Institution and (
            entity.label in (name, label, bare) or name in entity.aliases or bare in entity.aliases
        ):
            return entity
    entity = Entity.discovered(JT.Institution, label)
    if label != name:
        entity.aliases.add(name)
    return entity


def _byline(text: str, lines: list[Span], index: MentionIndex) -> tuple[Span, list[Entity]] | None:
    """ "By: Jane Roe", "By *Sora Veld*", or a header line "Fellow at X  Name"."""
    for line in lines:
        content = text[line.start : line.end]
        persons = [m for m in index.within(line.start, line.end) if m.entity.cls == JT.Person]
        if not persons:
            continue
        if re.match(r"^[\s*_#]*(?:By|Written by|Author|Authors)\b:?", content, re.IGNORECASE):
            return line, list(dict.fromkeys(m.entity for m in persons))
        before = text[line.start : persons[-1].start]
        if re.search(r"\bat\b", before) and persons[-1].end >= len(content.rstrip()) + line.start - 2:
            return line, [persons[-1].entity]
    return None


def _title_line(text: str, lines: list[Span], byline: tuple[Span, list[Entity]] | None) -> Span | None:
    if byline is not None:
        # The heading nearest above the byline is the title (the first may be a series name).
        above = [
            ln
            for ln in lines
            if ln.end <= byline[0].start
            and is_heading(text[ln.start : ln.end])
            and not _FIELD_LINE.match(_MARKUP.sub("", text[ln.start : ln.end]))
        ]
        if above:
            return above[-1]
    for line in lines:
        content = _MARKUP.sub("", text[line.start : line.end]).strip()
        if len(content) > 3 and not _FIELD_LINE.match(content):
            return line
    return None


#: "Publication: Harbour Ledger Issue: 7": a line of labelled fields, not a title.
_FIELD_LINE = re.compile(r"^[A-Z][\w ]{0,20}:\s")


def _publisher(text: str, lines: list[Span], index: MentionIndex) -> Entity | None:
    # An institution standing alone on a header line: "The Norvane Institute".
    for line in lines:
        content = _MARKUP.sub("", text[line.start : line.end]).strip()
        for m in index.within(line.start, line.end):
            name = text[m.start : m.end]
            if m.entity.cls == JT.Institution and re.fullmatch(
                rf"(?:The\s+)?{re.escape(name)}[\s,.]*", content
            ):
                return m.entity
    # "... the views expressed here are the author's alone, not those of the Norvane Institute."
    for cue in re.finditer(r"views expressed|published by|publication of", text, re.IGNORECASE):
        start = max(text.rfind(".", 0, cue.start()), text.rfind("\n", 0, cue.start())) + 1
        ends = [i for i in (text.find(".", cue.end()), text.find("\n", cue.end())) if i >= 0]
        found = [
            m for m in index.within(start, min(ends) if ends else len(text)) if m.entity.cls == JT.Institution
        ]
        if found:
            return found[-1].entity
    return None


def _header_date(text: str, lines: list[Span]) -> DateMention | None:
    for line in lines:
        content = _MARKUP.sub("", text[line.start : line.end]).strip()
        dates = find_dates(text, line.start, line.end)
        if dates and dates[0].day and len(content) <= len(text[dates[0].start : dates[0].end]) + 20:
            return dates[0]
    return None


def _iso(value: str) -> tuple[str, str]:
    value = value.strip()
    if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return value, "day"  # as given: an impossible date is caught by the SHACL gate
    if re.fullmatch(r"\d{4}-\d\d", value):
        return value, "month"
    if re.fullmatch(r"\d{4}", value):
        return value, "year"
    dates = find_dates(value)
    if dates:
        return dates[0].iso(), dates[0].precision
    return value, "invalid"
