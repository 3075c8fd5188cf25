"""Case folding for literal pre-checks that must agree with ``re.IGNORECASE``.

``fold(text)`` lower-cases ``text`` after mapping the non-ASCII letters that ``re.IGNORECASE``
matches to ASCII ones ("İ" and "ı" to "i", "ſ" to "s"; the Kelvin sign lower-cases to "k"), so
an ASCII letter matches a character case-insensitively exactly when that character folds to
it. Folding keeps the length and, at every offset, whether a character is a word character or a
digit: a case-sensitive pattern of lower-case ASCII letters, ``\\b`` and ``\\d`` finds in the
folded text what it finds case-insensitively in the original, at the same offsets.
"""

from __future__ import annotations

_TO_ASCII = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})


def fold(text: str) -> str:
    """``text`` lower-cased, with the letters ``re.IGNORECASE`` matches to ASCII ones mapped."""
    if not text.isascii() and ("İ" in text or "ı" in text or "ſ" in text):
        text = text.translate(_TO_ASCII)
    return text.lower()
