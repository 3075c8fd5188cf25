"""Text and URL normalisation (pure).

A token is a maximal run of ASCII letters/digits or non-ASCII, non-punctuation characters after
NFKC normalisation and case folding; everything else (ASCII punctuation, whitespace, and the
common Unicode punctuation blocks such as curly quotes, dashes, ellipses and non-breaking spaces)
separates tokens. Two texts differing only in case, whitespace or punctuation variants therefore
have the same token sequence, hence the same body hash.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import urlsplit, urlunsplit

import numpy as np
from numpy.typing import NDArray

_UNICODE_PUNCT = re.compile(
    "[\u00a0-\u00bf\u00d7\u00f7\u2000-\u206f\u2190-\u2bff\u3000-\u303f"
    "\ufe10-\ufe6f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]"
)


def _word_byte_table() -> bytes:
    """``bytes.translate`` table: 1 for bytes that belong to tokens, 0 for separators."""
    word = set(b"abcdefghijklmnopqrstuvwxyz0123456789") | set(range(0x80, 0x100))
    # bytes of non-ASCII characters left after punctuation removal are word bytes
    return bytes(1 if code in word else 0 for code in range(256))


WORD_BYTES = _word_byte_table()
NEWLINE = 0x0A


def prepare(text: str) -> bytes:
    """Case-folded, NFKC-normalised UTF-8 of ``text`` with Unicode punctuation turned to spaces."""
    if text.isascii():
        return text.lower().encode("ascii")
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _UNICODE_PUNCT.sub(" ", text.casefold()).encode("utf-8")


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


def canonical_url(url: str) -> str:
    """Normalise an already-canonical URL: trim, lower-case scheme and host, drop the fragment."""
    stripped = url.strip()
    if not stripped:
        raise ValueError("canonical URL is blank")
    parts = urlsplit(stripped)
    path = parts.path
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def url_key(url: str | None) -> int | None:
    """64-bit key of a canonical URL, or None when there is no URL."""
    if url is None or not url.strip():
        return None
    return hash64(canonical_url(url))
