"""Bytes of a text or HTML article into Unicode, in the order browsers read a page.

1. A UTF-8 byte order mark wins (and is dropped), as in the WHATWG Encoding Standard. A UTF-16
   one is not taken on its own (two bytes FF FE open binary files too): declare ``utf-16``.
2. A declared charset (the ``charset`` of the Content-Type) is honoured; a name that is not a
   text encoding is an :class:`UnknownCharsetError`.
3. Nothing declared: strict UTF-8 first, so the common case costs one decode.
4. HTML that is not UTF-8: the page's own ``<meta charset>`` or ``<meta http-equiv=
   Content-Type>`` in its first :data:`META_SCAN_BYTES` (unless the bytes contradict it), else
   detection (charset_normalizer, the detector trafilatura uses). Plain text has nothing to
   say its encoding and a guess can garble it silently (ISO-8859-2 and windows-1250 differ in
   a few letters): it is refused unless the caller asks for detection (``newsflow push`` of a
   file, where no header can declare it).

Legacy labels decode as browsers decode them: ISO-8859-1 and ASCII as windows-1252,
Shift_JIS as its Windows superset cp932, GB2312 and GBK as GB18030, EUC-KR as cp949,
ISO-8859-9 as windows-1254, TIS-620 and ISO-8859-11 as windows-874.

Pure: no I/O.
"""

from __future__ import annotations

import codecs
import contextlib
import re

import charset_normalizer

META_SCAN_BYTES = 4096
_META = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

WINDOWS_1252 = "windows-1252"
# Python's canonical codec name -> the decoder browsers use for it (a superset).
_DECODERS = {
    "ascii": WINDOWS_1252,
    "iso8859-1": WINDOWS_1252,
    "cp1252": WINDOWS_1252,
    "shift_jis": "cp932",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
}
# Python's canonical names of the encodings a page may be in (the WHATWG list, as Python
# names them); anything else Python knows (rot-13, base64, unicode-escape, utf-7) is refused.
_TEXT_ENCODINGS = frozenset(
    [*_DECODERS, "utf-8", "utf-16", "utf-16-le", "utf-16-be", "cp866", "koi8-r", "koi8-u"]
    + ["mac-roman", "mac-cyrillic", "cp874", "cp932", "cp949", "gb18030", "big5", "big5hkscs"]
    + ["euc_jp", "iso2022_jp", *(f"cp{n}" for n in range(1250, 1259))]
    + [f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)]
)
# WHATWG labels that Python's codec registry does not know.
_LABELS = {
    "x-sjis": "shift_jis",
    "windows-31j": "shift_jis",
    "csshiftjis": "shift_jis",
    "windows-949": "euc_kr",
    "x-gbk": "gbk",
    "x-mac-roman": "mac-roman",
    "x-mac-cyrillic": "mac-cyrillic",
    "x-cp1252": "cp1252",
    "x-euc-jp": "euc_jp",
}
# windows-1252 as browsers decode it: its five unassigned bytes pass through as U+0081 & co.
_WINDOWS_1252_HIGH = {
    byte: bytes([byte]).decode("cp1252")
    for byte in range(0x80, 0xA0)
    if byte not in {0x81, 0x8D, 0x8F, 0x90, 0x9D}
}


class UnknownCharsetError(ValueError):
    """The declared charset names no text encoding this service reads."""


class UndecodableError(ValueError):
    """The bytes are not text in ``encoding`` (the one declared or found; UTF-8 when none)."""

    def __init__(self, message: str, encoding: str = "utf-8") -> None:
        super().__init__(message)
        self.encoding = encoding


def decoder_for(label: str) -> str:
    """The codec that reads text labelled ``label`` (case and quotes ignored)."""
    name = label.strip().strip("\"'").strip().lower()
    name = _LABELS.get(name, name)
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        canonical = ""
    if canonical not in _TEXT_ENCODINGS:
        raise UnknownCharsetError(f"unknown charset {label!r}")
    return _DECODERS.get(canonical, canonical)


def decode_text(body: bytes, media: str, charset: str | None, *, detect_plain: bool = False) -> str:
    """``body`` (of media type ``media``, ``text/html`` or ``text/plain``) as Unicode."""
    if body.startswith(codecs.BOM_UTF8):
        return decode_as(body[len(codecs.BOM_UTF8) :], "utf-8", "UTF-8 (its byte order mark)")
    if charset is not None:
        return decode_as(body, decoder_for(charset), f"{charset} (as declared)")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        not_utf8 = f"not valid UTF-8 ({error.reason} at byte {error.start})"
    if media == "text/html":
        declared = meta_charset(body)
        # a page its own <meta> mislabels falls through to detection
        with contextlib.suppress(UndecodableError):
            if declared is not None:
                return decode_as(body, declared, declared)
    elif not detect_plain:
        raise UndecodableError(
            f"{not_utf8} and no charset declared: send it as 'text/plain; charset=<its encoding>'"
        )
    return detect(body, not_utf8)


def meta_charset(body: bytes) -> str | None:
    """The decoder named by the page's first ``<meta>`` charset, when it names one this
    service reads (a UTF-16 one cannot be right for a page whose ``<meta>`` is ASCII)."""
    found = _META.search(body[:META_SCAN_BYTES])
    if found is None:
        return None
    try:
        name = decoder_for(found.group(1).decode("ascii"))
    except UnknownCharsetError:
        return None
    return None if name.startswith("utf-16") else name


def detect(body: bytes, why: str) -> str:
    best = charset_normalizer.from_bytes(body).best()
    if best is None:
        raise UndecodableError(f"{why}, no charset declared and none detected")
    return str(best)


def decode_as(body: bytes, decoder: str, described: str) -> str:
    if decoder == WINDOWS_1252:
        return body.decode("latin-1").translate(_WINDOWS_1252_HIGH)
    try:
        return body.decode(decoder)
    except UnicodeDecodeError as error:
        raise UndecodableError(
            f"not valid {described}: {error.reason} at byte {error.start}", decoder
        ) from error
