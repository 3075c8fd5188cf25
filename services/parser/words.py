"""Word counts that mean something in every script (``ParsedArticle.word_count``, body minimums).

The rule, by script:

- **Scripts written with spaces** (Latin, Cyrillic, Greek, Arabic, Hebrew, Devanagari, Hangul,
  ...): a word is a run of characters between whitespace that holds a letter or a digit
  ("don't", "COVID-19" and "3.5%" are one word each; a lone "—" or "|" is none). Korean is
  written with spaces between its words, so ``서울시는`` is one word.
- **Han and Kana** (Chinese, Japanese): every ideograph and every kana is one word, as word
  processors count East Asian text (``東京都は19日`` is 東, 京, 都, は, "19", 日: six). CJK
  punctuation (``、``, ``。``, ``「」``) counts for nothing.
- **Thai, Lao, Khmer, Myanmar and the other Tai scripts** write words without spaces between
  them (spaces end phrases and sentences) and telling words apart takes a dictionary. A run of
  such letters is counted as one word per 3.5 letters, rounded up (letters: consonants and the
  vowels written before or after them, not the vowel and tone marks above or below): a hand
  segmentation of the Thai test article (``tests/data/scripts/th.segmented.txt``) gives 3.47
  such letters per word. It is an estimate, good to ~10% on running text.

Counting is one compiled pass over the UTF-8 bytes (:func:`services.parser.kernels.count_words`)
with a class per code point, built once.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import numpy as np
from numpy.typing import NDArray

from services.parser.kernels import (
    EACH,
    OTHER,
    SPACE,
    UNSPACED_LETTER,
    UNSPACED_MARK,
    WORD,
    count_words,
)

TABLE_SIZE = 0x40000  # planes 0-3; the last entry stands for all code points beyond
_HAN_PLANES = (0x20000, 0x3FFFF)  # CJK Unified Ideographs Extension B and on
_EACH_RANGES = (
    (0x2E80, 0x2FDF),  # CJK radicals, Kangxi radicals
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3021, 0x3029),  # Hangzhou numerals
    (0x3031, 0x3035),  # kana repeat marks
    (0x3038, 0x303B),
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3100, 0x312F),  # Bopomofo
    (0x3190, 0x31FF),  # Kanbun, Bopomofo Extended, CJK strokes, Katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0xFF66, 0xFF9F),  # halfwidth Katakana
    (0x16FE0, 0x16FFF),  # ideographic symbols (Tangut, Nushu iteration marks)
    (0x17000, 0x18D8F),  # Tangut, Khitan
    (0x1AFF0, 0x1B2FF),  # Kana Extended, Kana Supplement, Nushu
)
_UNSPACED_RANGES = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x1950, 0x19DF),  # Tai Le, New Tai Lue
    (0x1A20, 0x1AAF),  # Tai Tham
    (0xA9E0, 0xA9FF),  # Myanmar Extended-B
    (0xAA60, 0xAADF),  # Myanmar Extended-A, Tai Viet
)


def word_count(text: str) -> int:
    """The number of words in ``text``, by the module's rule."""
    encoded = text.encode("utf-8", "surrogatepass")
    return int(count_words(np.frombuffer(encoded, dtype=np.uint8), char_classes()))


def has_words(paragraphs: list[str], count: int) -> bool:
    """Whether the paragraphs hold at least ``count`` words (counting stops there)."""
    words = 0
    for paragraph in paragraphs:
        words += word_count(paragraph)
        if words >= count:
            return True
    return False


@functools.cache
def char_classes() -> NDArray[np.uint8]:
    """How :func:`~services.parser.kernels.count_words` reads each code point (read-only)."""
    end = _HAN_PLANES[0]
    chars = "".join(map(chr, range(end)))
    general = np.frombuffer(  # each code point's general category, first letter ("L", "N", ...)
        "".join([unicodedata.category(char)[0] for char in chars]).encode("ascii"), np.uint8
    )
    letter, mark, number = general == ord("L"), general == ord("M"), general == ord("N")
    classes = np.full(TABLE_SIZE + 1, OTHER, dtype=np.uint8)
    classes[:end][letter | mark | number] = WORD
    for low, high in _EACH_RANGES:
        span = slice(low, high + 1)
        classes[span] = np.where(letter[span] | number[span], EACH, OTHER)
    for low, high in _UNSPACED_RANGES:
        span = slice(low, high + 1)
        classes[span][letter[span]] = UNSPACED_LETTER
        classes[span][mark[span]] = UNSPACED_MARK
    classes[_HAN_PLANES[0] : _HAN_PLANES[1] + 1] = EACH
    classes[[match.start() for match in re.finditer(r"\s", chars)]] = SPACE  # as str.split
    classes.setflags(write=False)
    return classes
