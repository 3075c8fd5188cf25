"""Word counts in every script: the rule of services.parser.words, and its compiled counter."""

from __future__ import annotations

import itertools
import math
import random
import unicodedata

import pytest

from services.parser.kernels import EACH, OTHER, SPACE, UNSPACED_LETTER, UNSPACED_MARK, WORD
from services.parser.words import (
    _EACH_RANGES,
    _UNSPACED_RANGES,
    TABLE_SIZE,
    char_classes,
    has_words,
    word_count,
)


def _within(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def _expected_class(code: int) -> int:
    """The class of one code point, as the module's docstring states the rule."""
    char = chr(code)
    if char.isspace():
        return SPACE
    if 0x20000 <= code <= 0x3FFFF:
        return EACH  # the ideographs beyond plane 1
    if code >= 0x20000:
        return OTHER
    major = unicodedata.category(char)[0]
    if _within(code, _EACH_RANGES):
        return EACH if major in "LN" else OTHER
    if _within(code, _UNSPACED_RANGES) and major in "LM":
        return UNSPACED_LETTER if major == "L" else UNSPACED_MARK
    return WORD if major in "LNM" else OTHER


def test_every_code_point_has_the_class_the_rule_gives() -> None:
    classes = char_classes()
    assert classes.size == TABLE_SIZE + 1
    for code in range(TABLE_SIZE):
        assert classes[code] == _expected_class(code), hex(code)
    assert classes[TABLE_SIZE] == OTHER  # planes 4-16: tags, variation selectors, private use


def _readable_count(text: str) -> int:
    """The twin of the compiled counter: runs of classes, counted by the rule."""
    classes = char_classes()
    kinds = [int(classes[min(ord(char), TABLE_SIZE)]) for char in text]
    words = 0
    spaced = {WORD: "spaced", OTHER: "spaced", EACH: "each", SPACE: "space"}
    for group, run in itertools.groupby(kinds, key=lambda kind: spaced.get(kind, "unspaced")):
        members = list(run)
        if group == "spaced":
            words += WORD in members
        elif group == "each":
            words += len(members)
        elif group == "unspaced":
            words += math.ceil(members.count(UNSPACED_LETTER) / 3.5)
    return words


SAMPLES = ["a", "ж", "한", "東", "か", "ー", "・", "ก", "\u0e34", "ສ", "ក", "\u17d2", "က", "5", "—",
           "’", "、", "😀", "\ud800", "\x00", " ", "\u3000", "\u00a0", "𠀋", "\U000e0041"]  # fmt: skip


def test_compiled_counter_equals_the_readable_one_on_random_text() -> None:
    rng = random.Random(17)
    for _ in range(30000):
        text = "".join(rng.choice(SAMPLES) for _ in range(rng.randrange(0, 16)))
        assert word_count(text) == _readable_count(text), repr(text)


def test_compiled_counter_decodes_every_code_point() -> None:
    for code in range(0x80, 0x110000):
        char = chr(code)
        for text in (f"a{char}b", f"{char}{char} x"):
            assert word_count(text) == _readable_count(text), hex(code)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("The council voted on Tuesday.", 5),
        ("don't stop — COVID-19 rose 3.5% | ok", 6),  # "—" and "|" are no words
        ("東京都は19日、新型コロナ", 11),  # 東 京 都 は / 19 / 日 / 新 型 / コ ロ ナ
        ("「東京」で", 3),
        ("上海市交通委员会28日宣布", 12),  # eight ideographs, "28", three more
        ("iPhone 16が発売", 5),
        ("서울시는 2일 시민들의 이용을", 4),
        ("กรุงเทพมหานคร", 4),  # 13 letters (no marks) / 3.5, rounded up
        ("ที่", 1),  # one letter, two marks
        ("กรุงเทพฯ (ไทย)", 3),  # ก ร ง เ ท พ ฯ: 7 letters = 2; ไ ท ย: 3 = 1; ( ) none
        ("ພາສາລາວ", 2),
        ("ភាសាខ្មែរ", 2),
        ("", 0),
        ("— … |", 0),
    ],
)
def test_word_count_by_script(text: str, count: int) -> None:
    assert word_count(text) == count


def test_has_words_counts_across_paragraphs() -> None:
    assert has_words(["one two", "three", "four five"], 5)
    assert not has_words(["one two", "three four"], 5)
    assert not has_words([], 1)
    assert has_words(["東京都は19日"], 5)
    assert not has_words(["東京都"], 5)


_WHITESPACE = [chr(c) for c in range(0x110000) if chr(c).isspace()]


def test_word_count_splits_where_str_split_does() -> None:
    for code in range(0x110000):
        char = chr(code)
        if char.isspace():
            for text in (f"a{char}b", char, f"{char}{char}x"):
                assert word_count(text) == len(text.split()), hex(code)
        else:
            assert word_count(f"a{char}") <= 2, hex(code)  # never split in a spaced word


def test_word_count_on_random_text() -> None:
    rng = random.Random(11)
    alphabet = [*_WHITESPACE, "a", "b", "é", "ж", "한", "5", " ", " ", " "]
    for _ in range(50000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))
        assert word_count(text) == len(text.split()), repr(text)
