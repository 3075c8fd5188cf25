"""Case folding for the fast paths: as re.IGNORECASE matches ASCII letters, one character for one."""

from __future__ import annotations

import re

from services.parser.folding import fold

# Characters re.IGNORECASE matches to ASCII letters other than their own case pair.
_EXOTIC = "İıſK"


def _bmp() -> list[str]:
    return [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF]


def test_fold_matches_ascii_letters_as_ignorecase_does() -> None:
    letters = "abcdefghijklmnopqrstuvwxyz"
    for char in _bmp():
        folded = fold(char)
        assert len(folded) == 1
        if folded in letters or re.fullmatch("[a-z]", char, re.IGNORECASE):
            for letter in letters:
                assert (folded == letter) == bool(re.fullmatch(letter, char, re.IGNORECASE))


def test_fold_keeps_word_characters_and_digits() -> None:
    for char in _bmp():
        folded = fold(char)
        assert bool(re.match(r"\w", char)) == bool(re.match(r"\w", folded))
        assert bool(re.match(r"\d", char)) == bool(re.match(r"\d", folded))


def test_fold_keeps_the_length() -> None:
    text = "PUBLİSHED ıſ K Ünïcode"
    assert len(fold(text)) == len(text)
    assert fold(text) == "published is k ünïcode"
