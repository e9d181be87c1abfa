"""Which language a document or passage is in: by script, and for Latin script by function words.

The extractor's rules are English rules (capitalised runs, English head words, reporting
verbs): over German, every capitalised noun looks like a name. So passages not in English
are found here, and only registry names are recognised in them.

Script first (Unicode blocks): kana is Japanese, Hangul Korean, Han alone Chinese
(Traditional or Simplified by the characters that differ), then Cyrillic, Greek, Arabic,
Hebrew, Thai, Devanagari. Latin-script text is scored by the share of its words that are
common function words of each language (articles, prepositions, conjunctions, pronouns,
auxiliaries). The lists are written for this module from the most frequent function words of
each language, as in the Snowball project's stop-word lists (snowballstem.org, BSD); a word
that is also a common English word ("in", "a", "was", "die", "an", "of") is left out of the
other lists so that it never counts against English. langdetect was measured against this
test (README): on paragraphs it is no more accurate and two orders of magnitude slower.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Function words by language (lowercase). Kept short: the test is a share, not a sum.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the of and to is that for it with as was on be by this are from at or have an "
        "has had not but which were been their its they who will would also there than "
        "more after into about can said other these what when some such between over",
        "de": "der die das und ist nicht mit sich des dem den ein eine einer eines einem auf "
        "für von zu im auch wie aus bei nach oder wird werden wurde sind hat haben noch "
        "über nur aber vor durch sie zum zur dass diese dieser wenn als um",
        "fr": "le la les et des du un une est que qui dans pour pas sur au aux avec ce cette "
        "sont par plus ne se ses leur été être ont mais comme nous vous il elle ils ou "
        "où entre lors après sans dont",
        "es": "el la los las y de del en un una es que por para con se su sus al lo como más "
        "pero fue ha han entre sin sobre este esta también ser está están muy hasta "
        "desde cuando porque",
        "it": "il lo la gli le e di del della dei delle che è un una per con non si sono nel "
        "nella ha alla alle al anche più ma come questo questa tra fra dal dalla essere "
        "stato suo sua loro degli",
        "pt": "o os da das do dos e de em um uma que para com não se por mais ao aos na nas "
        "nos foi é como mas seu sua entre também ser são está pelo pela até quando "
        "muito depois sobre",
        "nl": "de het een en van dat niet zijn op te met voor die hij ze er aan ook bij om "
        "naar werd heeft worden wordt maar nog dan tot uit hun deze dit zal onder tussen",
        "id": "yang dan di ke dari untuk dengan ini itu pada tidak akan juga dalam oleh "
        "adalah bahwa telah atau sebagai tersebut karena bisa sudah masih lebih mereka "
        "kami kita antara",
        "vi": "của và là các những được trong không có cho với một này đã người khi đến từ "
        "cũng như về sẽ theo hai nhưng",
    }.items()
}

NAMES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
    "id": "Indonesian",
    "vi": "Vietnamese",
    "ja": "Japanese",
    "zh": "Chinese",
    "zh-Hant": "Chinese (Traditional)",
    "zh-Hans": "Chinese (Simplified)",
    "ko": "Korean",
    "ru": "Russian",
    "uk": "Ukrainian",
    "el": "Greek",
    "ar": "Arabic",
    "he": "Hebrew",
    "th": "Thai",
    "hi": "Hindi",
    "und-Cyrl": "a Cyrillic-script language",
    "und-Arab": "an Arabic-script language",
    "und-Deva": "a Devanagari-script language",
    "und": "an undetermined language",
}

#: Unicode blocks of each script → the language or BCP 47 script-only tag they mean.
#: Counted by regex, not per character with unicodedata: ten times faster on 2M characters.
_SCRIPTS = tuple(
    (lang, re.compile(f"[{ranges}]"))
    for lang, ranges in (
        ("ja", "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"),
        ("ko", "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"),
        ("zh", "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"),
        ("und-Cyrl", "\u0400-\u052f"),
        ("el", "\u0370-\u03ff\u1f00-\u1fff"),
        ("und-Arab", "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff"),
        ("he", "\u0590-\u05ff"),
        ("th", "\u0e00-\u0e7f"),
        ("und-Deva", "\u0900-\u097f"),
    )
)
_LETTER = re.compile(r"[^\W\d_]")

#: Characters written differently in Traditional and Simplified Chinese (common ones).
_HANT = frozenset("國灣關與為這說對會發經們時來個學臺東實現問題進開產業務區點電機還應從當")
_HANS = frozenset("国湾关与为这说对会发经们时来个学台东实现问题进开产业务区点电机还应从当")
_HANT_ONLY, _HANS_ONLY = _HANT - _HANS, _HANS - _HANT

_CYRILLIC_WORDS = {
    "ru": frozenset(
        "и в не на что с по это как из он она они его но для от к за о также был была было".split()
    ),
    "uk": frozenset(
        "і в не на що з по це як із він вона вони його але для від до за про також був була".split()
    ),
}

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
#: Fewer function-word hits than this and a Latin passage is taken as English (too short).
MIN_WORDS = 6
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    language: str


def language_name(code: str) -> str:
    return NAMES.get(code, NAMES.get(code.split("-")[0], code))


def language_tag(value: str) -> str:
    """A language as metadata gives it ("English", "en_US", "de-DE") as a BCP 47 tag."""
    value = value.strip().replace("_", "-")
    by_name = {name.lower(): code for code, name in NAMES.items()}
    if value.lower() in by_name:
        return by_name[value.lower()]
    head, _, rest = value.partition("-")
    return head.lower() + ("-" + rest if rest else "")


def is_english(tag: str) -> bool:
    return tag == "en" or tag.startswith("en-")


def _script_language(text: str) -> tuple[str | None, int]:
    """The non-Latin language most of the letters are in (None when Latin), and the count."""
    letters = len(_LETTER.findall(text))
    if not letters or text.isascii():
        return None, letters
    other = {lang: n for lang, pattern in _SCRIPTS if (n := len(pattern.findall(text)))}
    if sum(other.values()) <= 0.5 * letters:
        return None, letters
    if other.get("ja"):  # Japanese mixes kana with kanji; any kana decides
        return "ja", letters
    lang = max(other, key=lambda k: other[k])
    if lang == "zh":
        hant = sum(ch in _HANT_ONLY for ch in text)
        hans = sum(ch in _HANS_ONLY for ch in text)
        return ("zh-Hant" if hant > hans else "zh-Hans" if hans > hant else "zh"), letters
    if lang == "und-Cyrl":
        words = [w.lower() for w in _WORD.findall(text)]
        scores = {k: sum(w in v for w in words) for k, v in _CYRILLIC_WORDS.items()}
        best = max(scores, key=lambda k: scores[k])
        if scores[best] >= 2 and scores[best] > min(scores.values()):
            return best, letters
    return lang, letters


def _latin_language(text: str) -> str:
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < MIN_WORDS:
        return "en"
    scores = {lang: sum(w in vocab for w in words) for lang, vocab in FUNCTION_WORDS.items()}
    best = max(scores, key=lambda k: scores[k])
    # Another language only when its function words are frequent and clearly outnumber
    # English ones: a proper name or a quoted phrase must not turn English prose foreign.
    if best != "en" and scores[best] >= max(3, 0.15 * len(words)) and scores[best] > 2 * scores["en"]:
        return best
    return "en"


def language_of(text: str, sample: int = 20000) -> str:
    """The BCP 47 code of the language ``text`` is mostly in ("en", "ja", "zh-Hant", "de"...);
    "en" when too little text says otherwise. Reads the first ``sample`` characters."""
    text = text[:sample]
    lang, _ = _script_language(text)
    return lang or _latin_language(text)


def foreign_passages(text: str, start: int = 0) -> list[Passage]:
    """Passages of ``text[start:]`` not in English: paragraphs (blank-line separated) by
    function words, and single lines by script, so one Japanese line inside an English
    paragraph is found too. Adjacent passages of one language are merged."""
    found: list[Passage] = []
    for para_start, para_end in _blocks(text, start, _PARAGRAPH):
        latin: list[tuple[int, int]] = []
        for line_start, line_end in _blocks(text, para_start, re.compile(r"\n"), para_end):
            lang, letters = _script_language(text[line_start:line_end])
            if lang is not None and letters >= 4:
                _flush(text, latin, found)
                _add(found, Passage(line_start, line_end, lang), text)
            else:
                latin.append((line_start, line_end))
        _flush(text, latin, found)
    return found


def _flush(text: str, lines: list[tuple[int, int]], found: list[Passage]) -> None:
    if lines:
        begin, end = lines[0][0], lines[-1][1]
        lang = _latin_language(text[begin:end])
        if lang != "en":
            _add(found, Passage(begin, end, lang), text)
        lines.clear()


def _add(found: list[Passage], passage: Passage, text: str) -> None:
    last = found[-1] if found else None
    if last is not None and last.language == passage.language and not text[last.end : passage.start].strip():
        found[-1] = Passage(last.start, passage.end, last.language)
    else:
        found.append(passage)


def _blocks(
    text: str, start: int, separator: re.Pattern[str], end: int | None = None
) -> list[tuple[int, int]]:
    """Trimmed (start, end) spans of ``text[start:end]`` between separators."""
    end = len(text) if end is None else end
    spans, begin = [], start
    for match in separator.finditer(text, start, end):
        spans.append((begin, match.start()))
        begin = match.end()
    spans.append((begin, end))
    out = []
    for a, b in spans:
        chunk = text[a:b]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            out.append((a + lead, a + lead + len(chunk.strip())))
    return out
