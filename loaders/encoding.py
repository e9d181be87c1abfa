"""Decoding a document's bytes: the declared charset, else UTF-8, else detection.

Order (WHATWG's, less the sniffing a browser does on markup):

1. a byte-order mark (UTF-8, UTF-16, UTF-32) — it cannot be mistaken;
2. the charset a server or the document declared (HTTP ``Content-Type``, ``<meta charset>``),
   read as the superset browsers use for it (Shift_JIS → cp932, GB2312/GBK → GB18030,
   ISO-8859-1/ASCII → Windows-1252), because pages that say the one are written in the other;
3. UTF-8 when the bytes are valid UTF-8 (ASCII included);
4. detection with charset-normalizer; when it finds no encoding that reads the bytes as text,
   one line: ``x.txt: not UTF-8 and its encoding could not be determined``.

Detection cannot tell the single-byte Latin code pages apart on short texts (it takes French
in Windows-1252 for Windows-1250), so a Latin single-byte result is read as Windows-1252, the
web's default for unlabelled Western text; a Central European file needs its charset declared.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from jtkg.loaders.formats import DocumentError

#: Declared names read as the superset that browsers and writers really use for them.
SUPERSETS = {
    "shift_jis": "cp932",
    "ms_kanji": "cp932",
    "x-sjis": "cp932",
    "sjis": "cp932",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "latin_1": "cp1252",
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "euc_kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "big5": "big5hkscs",
}

#: Byte-order marks, longest first (UTF-32-LE's begins with UTF-16-LE's).
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: Multi-byte encodings detection may return as they are; any other result is single-byte.
MULTIBYTE = frozenset(
    {
        "cp932",
        "shift_jis",
        "shift_jis_2004",
        "shift_jisx0213",
        "euc_jp",
        "euc_jis_2004",
        "iso2022_jp",
        "big5",
        "big5hkscs",
        "cp950",
        "gb18030",
        "gb2312",
        "gbk",
        "hz",
        "euc_kr",
        "cp949",
        "johab",
        "iso2022_kr",
        "utf_8",
        "utf_16",
        "utf_16_le",
        "utf_16_be",
        "utf_32",
        "utf_32_le",
        "utf_32_be",
    }
)
#: Single-byte code pages for other scripts: detection's answer stands for these.
NON_LATIN_SINGLE = (
    "cp1251",
    "koi8",
    "iso8859_5",
    "mac_cyrillic",
    "cp866",
    "cp855",
    "cp1253",
    "iso8859_7",
    "cp1255",
    "iso8859_8",
    "cp1256",
    "iso8859_6",
    "cp874",
    "tis_620",
    "cp1258",
    "mac_greek",
    "cp737",
    "cp869",
    "cp1125",
    "ptcp154",
    "kz1048",
    "cp720",
    "cp864",
    "mac_arabic",
)

SAMPLE = 8192


def codec_name(label: str) -> str | None:
    """Python's codec for a charset label, read as the superset in use; None when unknown."""
    label = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return SUPERSETS.get(label) or SUPERSETS.get(name) or name


def decode(data: bytes, declared: str | None, path: Path) -> tuple[str, str]:
    """The text of ``data`` and the encoding read; DocumentError (one line) when the bytes are
    not text or no encoding reads them."""
    for bom, name in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise DocumentError(
                    f"{path}: not valid {name.upper()} after its byte-order mark (byte {exc.start})"
                ) from None
    if b"\x00" in data[:SAMPLE]:
        raise DocumentError(f"{path}: binary content (NUL bytes), not a text document")
    if declared:
        name = codec_name(declared)
        if name is not None:
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                pass  # a server that lies: the bytes themselves decide below
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _detected(data, path)


def _detected(data: bytes, path: Path) -> tuple[str, str]:
    from charset_normalizer import from_bytes  # imported here: most files are UTF-8

    best = from_bytes(data).best()
    if best is None:
        raise DocumentError(f"{path}: not UTF-8 and its encoding could not be determined")
    name = codecs.lookup(best.encoding).name.replace("-", "_")
    if name not in MULTIBYTE and not name.startswith(NON_LATIN_SINGLE):
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass  # bytes cp1252 leaves undefined (0x81, 0x8d, ...): detection's answer stands
    name = SUPERSETS.get(name, name)
    try:
        return data.decode(name), name
    except UnicodeDecodeError:
        return str(best), best.encoding
