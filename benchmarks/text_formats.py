"""Reading speed of Word documents, non-UTF-8 text and language detection.

    python -m benchmarks.text_formats

Prints a Markdown table. Figures are for the machine it runs on; nothing here is a test.
langdetect is measured only when installed (it is not a dependency: see loaders/language.py).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from jtkg.loaders.encoding import decode
from jtkg.loaders.language import foreign_passages, language_of
from jtkg.loaders.reader import read_document

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
JAPANESE = "日本政府は月曜日、台湾との安全保障に関する対話を来年も続けると発表した。\n\n"


def _timed(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _english(chars: int) -> str:
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")))
    return (text * (chars // len(text) + 1))[:chars]


def main() -> None:
    rows = []
    english = _english(1_000_000)
    paragraphs = [p for p in english.split("\n\n") if p.strip()][:2000]
    with tempfile.TemporaryDirectory() as tmp:
        import docx

        document = docx.Document()
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
        path = Path(tmp) / "bench.docx"
        document.save(str(path))
        seconds = _timed(lambda: read_document(path))
        chars = len(read_document(path).text)
        rows.append(
            (
                "Word (.docx), read",
                f"{len(paragraphs):,} paragraphs",
                f"{seconds:.2f} s",
                f"{chars / seconds / 1e6:.2f} M chars/s",
            )
        )
    for name, text, encoding in (
        ("cp1252, detected", english, "cp1252"),
        ("Shift_JIS, detected", JAPANESE * 20000, "shift_jis"),
        ("Shift_JIS, declared", JAPANESE * 20000, "shift_jis"),
    ):
        data = text.encode(encoding, "replace")
        declared = encoding if "declared" in name else None
        seconds = _timed(lambda d=data, c=declared: decode(d, c, Path("x")))
        rows.append(
            (name, f"{len(data) / 1e6:.1f} MB", f"{seconds:.3f} s", f"{len(data) / seconds / 1e6:.1f} MB/s")
        )
    for name, text in (("passages, English", english), ("passages, Japanese", JAPANESE * 20000)):
        seconds = _timed(lambda t=text: foreign_passages(t))
        rows.append(
            (
                name,
                f"{len(text) / 1e6:.1f} M chars",
                f"{seconds:.2f} s",
                f"{len(text) / seconds / 1e6:.2f} M chars/s",
            )
        )
    sample = [p for p in paragraphs if len(p.split()) >= 5][:500]
    seconds = _timed(lambda: [language_of(p) for p in sample])
    rows.append(
        (
            "language_of (jtkg)",
            f"{len(sample)} paragraphs",
            f"{seconds:.3f} s",
            f"{len(sample) / seconds:,.0f} paragraphs/s",
        )
    )
    try:
        from langdetect import DetectorFactory, detect
    except ImportError:
        pass
    else:
        DetectorFactory.seed = 0
        detect("warm up the profiles")
        seconds = _timed(lambda: [detect(p) for p in sample], repeat=1)
        rows.append(
            (
                "langdetect 1.0.9",
                f"{len(sample)} paragraphs",
                f"{seconds:.3f} s",
                f"{len(sample) / seconds:,.0f} paragraphs/s",
            )
        )
    print("| what | size | time | speed |\n| --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
