"""Clean text: Unicode NFC without the invisible characters that only get in the way (pure).

Shared by the parser (every text field it writes) and dedup (the text it fingerprints), so that
two copies of an article that look the same read the same: ``clean_text`` is the one rule.

- **Dropped everywhere**: soft hyphen U+00AD (a hyphenation hint, invisible unless a line breaks
  there: ``Mit­tel­al­ter`` reads and searches as ``Mittelalter``), zero-width space U+200B,
  word joiner U+2060, the invisible operators U+2061-U+2064, the deprecated format characters
  U+206A-U+206F and U+FEFF (a byte-order mark, or the old zero-width no-break space).
- **Kept where a script needs them, dropped elsewhere**: zero-width non-joiner U+200C and
  zero-width joiner U+200D stay after a letter or mark of a script that shapes with them (the
  Arabic family, Syriac, N'Ko, Mongolian, and the Brahmic scripts of South and Southeast Asia:
  Persian ``می‌خواهم``, Malayalam chillu ``ന്‍``); U+200D also stays between two emoji characters
  (``👩‍👩‍👧``: one family, not three people). Between Latin letters they only block a ligature
  (``Auf‌lage``), which text search must not see. Mongolian vowel separator U+180E stays between
  Mongolian characters and is dropped elsewhere (it was once a space-like character).
- **Line and paragraph separators** U+2028, U+2029 and NEL U+0085 become one space together with
  the spaces and tabs around them: a text field is one line (a plain-text document turns them
  into line breaks before it is split, see :mod:`services.parser.plaintext`). Newlines stay.
- Bidirectional marks and controls (U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) stay: they
  decide how right-to-left text with numbers and Latin words is shown. Variation selectors stay.

Cheap first: ASCII text is returned as it is; other text is read once, compiled, against a
table that marks these characters and those that may not be NFC (combining marks, characters
NFC changes, characters that compose with the one before), and only text holding one of them
goes on to the regular expressions or ``unicodedata``'s NFC check.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import numpy as np
from numpy.typing import NDArray

from services.core.compiled import jit

DROPPED = "\u00ad\u200b\u2060\u2061\u2062\u2063\u2064\u206a\u206b\u206c\u206d\u206e\u206f\ufeff"
JOINERS = "\u200c\u200d\u180e"
BREAKS = "\u2028\u2029\x85"
# Every character ``clean_text`` may remove or replace
TOUCHED = DROPPED + JOINERS + BREAKS

_DROPPED = re.compile(f"[{DROPPED}]+")
_BREAK = re.compile(rf"[^\S\n]*[{BREAKS}][^\S\n]*")
_JOINER = re.compile(f"[{JOINERS}]")
_JOINING_SCRIPTS = (
    (0x0600, 0x08FF),  # Arabic, Syriac, Arabic Supplement, Thaana, N'Ko, ..., Arabic Extended
    (0x0900, 0x0DFF),  # Devanagari ... Sinhala
    (0x0F00, 0x109F),  # Tibetan, Myanmar
    (0x1780, 0x18AF),  # Khmer, Mongolian
    (0x1A00, 0x1AAF),  # Buginese, Tai Tham
    (0x1B00, 0x1BFF),  # Balinese, Sundanese, Batak
    (0xA800, 0xA8FF),  # Syloti Nagri, Phags-pa, Saurashtra, Devanagari Extended
    (0xA980, 0xAAFF),  # Javanese, Myanmar Extended, Cham, Tai Viet
    (0xABC0, 0xABFF),  # Meetei Mayek
    (0xFB50, 0xFDFF),  # Arabic Presentation Forms-A
    (0xFE70, 0xFEFE),  # Arabic Presentation Forms-B
    (0x10A00, 0x10A5F),  # Kharoshthi
    (0x11000, 0x11FFF),  # Brahmi, Kaithi, Sharada, Grantha, Tirhuta, ... (Brahmic, plane 1)
)
_MONGOLIAN = (0x1800, 0x18AF)
_EMOJI = (
    (0x2190, 0x21FF),  # arrows used as emoji
    (0x2300, 0x23FF),  # misc technical (watch, hourglass)
    (0x2600, 0x27BF),  # misc symbols, dingbats (heart, medical symbol, female/male signs)
    (0x2B00, 0x2BFF),  # stars, squares
    (0xFE0F, 0xFE0F),  # emoji presentation selector (before the joiner: ❤️‍🔥)
    (0x1F000, 0x1FAFF),  # the emoji planes, skin tone modifiers included
)


DROPS, BREAKS_LINE, JOINS, MAYBE_NOT_NFC = 1, 2, 4, 8  # bits of a character's flags
_ALL_FLAGS = DROPS | BREAKS_LINE | JOINS | MAYBE_NOT_NFC
TABLE_SIZE = 0x20000  # planes 0 and 1; the last entry stands for all code points beyond


def clean_text(text: str) -> str:
    """``text`` in NFC, without invisible characters (see the module's rule)."""
    if text.isascii():
        return text
    found = scan_flags(np.frombuffer(_utf32(text), dtype=np.uint32), char_flags())
    if found & DROPS:
        text = _DROPPED.sub("", text)
    if found & BREAKS_LINE:
        text = _BREAK.sub(" ", text)
    if found & JOINS:
        text = _JOINER.sub(_keep_joiner, text)
    if found & MAYBE_NOT_NFC and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def _utf32(text: str) -> bytes:
    try:
        return text.encode("utf-32-le")
    except UnicodeEncodeError:  # a lone surrogate (the error handler is slower, so only then)
        return text.encode("utf-32-le", "surrogatepass")


@jit
def scan_flags(codes: NDArray[np.uint32], flags: NDArray[np.uint8]) -> int:
    """The flags of the characters ``codes`` (their code points), or-ed together."""
    found = 0
    last = flags.size - 1
    for code in codes:
        found |= flags[code] if code < last else flags[last]
        if found == _ALL_FLAGS:
            break
    return found


@functools.cache
def char_flags() -> NDArray[np.uint8]:
    """Per code point of planes 0 and 1 (the last entry standing for all others), whether
    :func:`clean_text` touches it and whether a text holding it may not be NFC (read-only).

    A text none of whose characters may be NFC-unstable is NFC: each is its own NFC, none
    reorders (all combine at class 0) and none composes with the character before it (none is
    the second character of a canonical decomposition, nor a Hangul vowel or final jamo).
    """
    flags = np.zeros(TABLE_SIZE + 1, dtype=np.uint8)
    seconds = {0x1161 + v for v in range(21)} | {0x11A8 + t for t in range(27)}
    for code in range(0x80, TABLE_SIZE):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(int(parts[1], 16))
    for code in range(0x80, TABLE_SIZE):
        char = chr(code)
        if (
            code in seconds
            or unicodedata.combining(char)
            or unicodedata.normalize("NFC", char) != char
        ):
            flags[code] = MAYBE_NOT_NFC
    flags[TABLE_SIZE] = MAYBE_NOT_NFC
    for chars, flag in ((DROPPED, DROPS), (BREAKS, BREAKS_LINE), (JOINERS, JOINS)):
        for char in chars:
            flags[ord(char)] |= flag
    flags.setflags(write=False)
    return flags


def _keep_joiner(match: re.Match[str]) -> str:
    """The joiner ``match`` found, where its neighbours need it; nothing elsewhere."""
    text, at = match.string, match.start()
    before = ord(text[at - 1]) if at else -1
    after = ord(text[at + 1]) if at + 1 < len(text) else -1
    joiner = match.group()
    if joiner == "\u180e":
        return joiner if _within(before, (_MONGOLIAN,)) and _within(after, (_MONGOLIAN,)) else ""
    if _within(before, _JOINING_SCRIPTS) and _is_letter_or_mark(text[at - 1]):
        return joiner
    if joiner == "\u200d" and _within(before, _EMOJI) and _within(after, _EMOJI):
        return joiner
    return ""


def _within(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def _is_letter_or_mark(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"
