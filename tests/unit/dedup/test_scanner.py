"""The compiled token scanner gives exactly the tokens and hashes of the readable tokeniser,
and the character tables say what ``prepare`` does."""

import unicodedata

import numpy as np
import pytest

from services.core.text import clean_text
from services.dedup.fingerprint import (
    tokenise,
    tokenise_compiled,
)
from services.dedup.normalise import (
    _UNICODE_PUNCT,
    COMPOSING_STARTERS,
    FOLDED,
    SEPARATOR,
    TABLE_SIZE,
    UNSAFE,
    WORD,
    char_tables,
    prepare,
    prepare_raw,
    tokens,
)
from tests.unit.dedup.texts import TEXTS, neardup_texts, random_texts

U64 = np.uint64


@pytest.mark.parametrize("text", TEXTS + random_texts(300, 1))
def test_compiled_tokeniser_equals_the_readable_one(text: str) -> None:
    expected, got = tokenise(text), tokenise_compiled(text)
    assert got.hashes.dtype == expected.hashes.dtype
    assert got.hashes.tolist() == expected.hashes.tolist()
    assert got.lines.tolist() == expected.lines.tolist()


def test_compiled_tokeniser_on_the_neardup_articles() -> None:
    for text in neardup_texts():
        expected, got = tokenise(text), tokenise_compiled(text)
        assert got.hashes.tolist() == expected.hashes.tolist()
        assert got.lines.tolist() == expected.lines.tolist()


def test_prepare_raw_is_prepare_before_the_punctuation() -> None:
    for text in TEXTS + random_texts(200, 2) + neardup_texts()[:60]:
        raw = prepare_raw(text)  # NFKC line by line, only where needed
        expected = unicodedata.normalize("NFKC", clean_text(text)).casefold().encode("utf-8")
        assert raw == expected
        assert prepare(text) == _UNICODE_PUNCT.sub(" ", raw.decode("utf-8")).encode("utf-8")


def test_composing_starters_are_all_listed() -> None:
    seconds = set()
    for code in range(TABLE_SIZE):
        decomposition = unicodedata.decomposition(chr(code))
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:
                seconds.add(int(parts[1], 16))
    starters = {code for code in seconds if unicodedata.combining(chr(code)) == 0}
    assert starters <= COMPOSING_STARTERS


def test_character_classes_say_what_prepare_does() -> None:
    classes, folds = char_tables(raw=True)
    samples: dict[int, list[int]] = {kind: [] for kind in (WORD, SEPARATOR, FOLDED)}
    for code in range(0x80, TABLE_SIZE):
        kind = int(classes[code])
        if kind != UNSAFE:
            samples[kind].append(code)
    for code in samples[WORD]:
        char = chr(code)
        assert tokens(f"a{char}b") == [f"a{char}b"]
    for code in samples[SEPARATOR]:
        assert tokens(f"a{chr(code)}b") == ["a", "b"]
    for code in samples[FOLDED]:
        char = chr(code)
        folded = int(folds[code]).to_bytes(4, "little").rstrip(b"\0").decode("utf-8")
        assert len(folded.encode("utf-8")) == len(char.encode("utf-8"))
        assert tokens(f"a{char}b") == [f"a{folded}b"]
    assert classes[TABLE_SIZE] == UNSAFE  # beyond plane 1
