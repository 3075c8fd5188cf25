"""Text and URL normalisation (pure).

The text is first cleaned as the parser cleans every field (:func:`services.core.text.clean_text`:
soft hyphens, zero-width spaces, word joiners and BOMs dropped, joiners kept only where a script
needs them), so copies that differ only in invisible characters have the same tokens.

A token is a maximal run of ASCII letters/digits or non-ASCII, non-punctuation characters after
NFKC normalisation and case folding; everything else (ASCII punctuation, whitespace, and the
common Unicode punctuation blocks such as curly quotes, dashes, ellipses and non-breaking spaces)
separates tokens. Two texts differing only in case, whitespace or punctuation variants therefore
have the same token sequence, hence the same body hash.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from urllib.parse import urlsplit, urlunsplit

import numpy as np
from numpy.typing import NDArray

from services.core.text import TOUCHED, clean_text

_UNICODE_PUNCT = re.compile(
    "[\u00a0-\u00bf\u00d7\u00f7\u2000-\u206f\u2190-\u2bff\u3000-\u303f"
    "\ufe10-\ufe6f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]"
)
# Starters (canonical combining class 0) that canonical composition may merge into the
# character before them (NFKC_Quick_Check = Maybe) in planes 0 and 1, besides the Hangul medial
# vowels and final consonants (composed algorithmically); the unit tests check this list
COMPOSING_STARTERS = frozenset(
    [
        *(0x09BE, 0x09D7, 0x0B3E, 0x0B56, 0x0B57, 0x0BBE, 0x0BD7, 0x0CC2, 0x0CD5, 0x0CD6),
        *(0x0D3E, 0x0D57, 0x0DCF, 0x0DDF, 0x0FB5, 0x0FB7, 0x102E, 0x1B35, 0x11127, 0x1133E),
        *(0x11357, 0x114B0, 0x114BA, 0x114BD, 0x115AF, 0x11930),
        *range(0x1161, 0x1176),
        *range(0x11A8, 0x11C3),
    ]
)
# How the compiled tokeniser reads a non-ASCII character (see ``char_tables``)
UNSAFE, WORD, SEPARATOR, FOLDED = 0, 1, 2, 3
TABLE_SIZE = 0x20000  # code points of planes 0 and 1; the last entry stands for all others


def _word_byte_table() -> bytes:
    """``bytes.translate`` table: 1 for bytes that belong to tokens, 0 for separators."""
    word = set(b"abcdefghijklmnopqrstuvwxyz0123456789") | set(range(0x80, 0x100))
    # bytes of non-ASCII characters left after punctuation removal are word bytes
    return bytes(1 if code in word else 0 for code in range(256))


WORD_BYTES = _word_byte_table()
NEWLINE = 0x0A


def prepare(text: str) -> bytes:
    """Case-folded, NFKC-normalised UTF-8 of clean ``text`` with Unicode punctuation turned to
    spaces."""
    if text.isascii():
        return text.lower().encode("ascii")
    text = clean_text(text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _UNICODE_PUNCT.sub(" ", text.casefold()).encode("utf-8")


def prepare_raw(text: str) -> bytes:
    """:func:`prepare` minus the punctuation replacement, for the compiled tokeniser (which
    treats those characters as separators itself).

    NFKC is applied line by line, and only to the lines that need it: a newline neither
    composes nor reorders with its neighbours, so this equals normalising the whole text
    (cleaning keeps every newline).
    """
    if text.isascii():
        return text.lower().encode("ascii")
    text = clean_text(text)
    if not unicodedata.is_normalized("NFKC", text):
        text = "\n".join(
            line if unicodedata.is_normalized("NFKC", line) else unicodedata.normalize("NFKC", line)
            for line in text.split("\n")
        )
    return text.casefold().encode("utf-8")


def _read_as(char: str) -> tuple[int, bytes]:
    """How the compiled tokeniser may read ``char`` (non-ASCII, not a surrogate) in the UTF-8
    of a text that has not been through :func:`prepare`: its class and, for ``FOLDED``, the
    bytes to write in its place."""
    if unicodedata.combining(char) or ord(char) in COMPOSING_STARTERS or char in TOUCHED:
        return UNSAFE, b""
    normal = unicodedata.normalize("NFKC", char)
    image = _UNICODE_PUNCT.sub(" ", normal.casefold())
    if normal == char and image == char:
        return WORD, b""
    if all(c.isascii() and not c.isalnum() and c != "\n" for c in image):
        return SEPARATOR, b""
    folded = image.encode("utf-8")
    if (
        normal == char
        and len(folded) == len(char.encode("utf-8"))
        and all(c.isalnum() if c.isascii() else _read_as(c)[0] == WORD for c in image)
    ):
        return FOLDED, folded
    return UNSAFE, b""


@functools.cache
def char_tables(*, raw: bool) -> tuple[NDArray[np.uint8], NDArray[np.uint32]]:
    """Per code point of planes 0 and 1 (the last entry standing for all others), how the
    compiled tokeniser reads it, and the bytes (little-endian) it writes for ``FOLDED`` ones.

    With ``raw=False`` the text went through :func:`prepare_raw`: punctuation is a
    ``SEPARATOR``, everything else a ``WORD`` character. With ``raw=True`` it is the UTF-8 of
    the original text with only ASCII lower-cased, read one character at a time: a ``WORD``
    character is left unchanged by :func:`prepare`, a ``SEPARATOR`` becomes separators only, a
    ``FOLDED`` one becomes characters of the same UTF-8 length (its case folding: capitals,
    ``ß``); none of them composes or reorders with its neighbours (combining class 0, not a
    composing starter). A line holding any other character (``UNSAFE``: combining marks,
    compatibility forms, the characters cleaning drops or replaces...) must go through
    :func:`prepare_raw` first.
    """
    classes = np.full(TABLE_SIZE + 1, UNSAFE if raw else WORD, dtype=np.uint8)
    folds = np.zeros(TABLE_SIZE + 1, dtype=np.uint32)
    for code in range(0x80, TABLE_SIZE):
        char = chr(code)
        if raw:
            if not 0xD800 <= code <= 0xDFFF:
                kind, folded = _read_as(char)
                classes[code] = kind
                folds[code] = int.from_bytes(folded, "little")
        elif _UNICODE_PUNCT.match(char):
            classes[code] = SEPARATOR
    classes.setflags(write=False)
    folds.setflags(write=False)
    return classes, folds


def tokens(text: str) -> list[str]:
    """The normalised word tokens of ``text`` (the slow, readable twin of the fingerprint path)."""
    data = prepare(text)
    starts, ends = token_bounds(data)
    return [data[s:e].decode("utf-8") for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]


def normalise_text(text: str) -> str:
    """The normalised body: its tokens joined by single spaces."""
    return " ".join(tokens(text))


def token_bounds(data: bytes) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Start (inclusive) and end (exclusive) byte offsets of every token in ``data``."""
    word = np.frombuffer(b"\0" + data.translate(WORD_BYTES) + b"\0", dtype=np.int8)
    edges = np.flatnonzero(word[1:] != word[:-1]).astype(np.int64)
    return edges[0::2], edges[1::2]


def hash64(text: str) -> int:
    """A stable unsigned 64-bit hash of a string (BLAKE2b, 8-byte digest)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little")


# scheme://host/path?query#fragment of printable ASCII, no IPv6 brackets: the common case, for
# which urlsplit + urlunsplit reduce to the plain string operations of ``normalised_url``
_PLAIN_URL = re.compile(
    r"([A-Za-z][A-Za-z0-9+.-]*)://([^/?#\[\]]+)((?:/[^?#]*)?)(?:\?([^#]*))?(?:#.*)?"
)
_PRINTABLE = re.compile(r"[!-~]+")


def normalised_url(url: str) -> str:
    """Normalise an already-canonical URL: trim, lower-case scheme and host, drop the fragment."""
    stripped = url.strip()
    if not stripped:
        raise ValueError("canonical URL is blank")
    if _PRINTABLE.fullmatch(stripped) and (plain := _PLAIN_URL.fullmatch(stripped)):
        scheme, host, path, query = plain.groups()
        if len(path) > 1 and path.endswith("/"):
            path = path.rstrip("/") or "/"
        tail = f"?{query}" if query else ""
        return f"{scheme.lower()}://{host.lower()}{path}{tail}"
    return _normalised_url_split(stripped)


def _normalised_url_split(stripped: str) -> str:
    """:func:`normalised_url` by ``urllib.parse`` (any URL)."""
    parts = urlsplit(stripped)
    path = parts.path
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def url_key(url: str | None) -> int | None:
    """64-bit key of a canonical URL, or None when there is no URL."""
    if url is None or not url.strip():
        return None
    return hash64(normalised_url(url))
