"""The text the full-text index sees: scripts written without spaces, cut into characters.

SQLite's ``unicode61`` tokenizer ends a token only at a space or punctuation, so a run of
Chinese, Japanese or Thai text (and a Korean word with its particles, ``서울시는``) is one token,
and no word inside it can be found. Before a title or body enters the index, and before a search
term is looked up, :func:`index_text` puts a space around every character of those scripts:
``東京都は19日`` is indexed as ``東 京 都 は 19 日``, and the term ``東京都`` becomes the phrase
``"東 京 都"``, which FTS5 matches wherever those characters stand side by side — a substring
match on the run, for words of any length (1, 2, 3… characters). Latin words, digits and the
text of every other script pass through untouched, so their search keeps its meaning.

Why characters, not FTS5's ``trigram`` tokenizer nor overlapping bigrams: ``trigram`` cannot
match a term shorter than three characters through the index (``東京`` is a common two-character
word), so those need a scan of every text; bigrams write and store the most for the lookups that
single characters already answer in about a millisecond. ``bench/fts_scripts.py`` (4,000
generated Japanese articles of 1,500 characters, one run): characters 362 µs of CPU an article
to index, 35 MiB, a 1/2/3-character word found in 0.10/0.61/0.59 ms; bigrams 938 µs, 65 MiB,
0.41/0.29/0.73 ms; trigram 1,247 µs, 56 MiB, 25/17 ms (a scan) for 1/2 characters, 0.16 ms for 3.
The price of single characters is precision: a word is found inside a longer one (``京都``,
Kyoto, inside ``東京都``, Tokyo), as a substring search would.

A character of those scripts is a "unit": the letter with the combining marks that follow it
(Thai vowel and tone marks stay on their consonant). Half- and full-width forms (``ｉＰｈｏｎｅ``,
``１９``, ``ﾃﾚﾋﾞ``) are first folded to their ordinary forms (NFKC), so a search for ``iPhone``
or ``19`` finds them too.

Pure and deterministic: the store indexes, unindexes (the stored ``indexed_text``) and the
gateway queries with this one function, so all three always see the same text.

PostgreSQL's text-search parser cuts words differently (``example.com`` is one host token,
``covid-19`` a compound word) and folds case and accents by the database's locale, so on that
backend :func:`index_words` goes one step further before the database sees any text: it cuts
words as SQLite's ``unicode61`` tokenizer does (a run of letters and digits; every other
character, combining marks included, parts words), folds case (``casefold``) and the accents of
Latin letters, and hands PostgreSQL the words one space apart, for its stemmers only. Its output is
pinned in the tests: a change to it needs a schema step that refills ``indexed_text`` and
rebuilds the index, as schema 5 does, or stored articles and new queries would disagree.
Text without any such character (most of the stream) is returned as it is, after an
``isascii`` test or one regular-expression scan.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import pairwise
from typing import overload
from zlib import crc32

# The letters of the scripts written without spaces between words (Thai; Chinese and Japanese
# kanji, kana and their marks), and Hangul, whose words carry particles.
_BASES = (
    "\u0e01-\u0e30\u0e32\u0e33\u0e3f-\u0e46\u0e4f-\u0e5b"  # Thai letters, digits, signs
    "\u1100-\u11ff"  # Hangul Jamo
    "\u2e80-\u2fdf"  # CJK radicals, Kangxi radicals
    "\u3005-\u3007\u3021-\u3029\u3031-\u3035\u303b\u303c"  # 々〆〇, Suzhou numerals, kana repeats
    "\u3040-\u3096\u309b-\u30ff"  # Hiragana, Katakana (with ー and the iteration marks)
    "\u3131-\u318e"  # Hangul compatibility Jamo
    "\u31f0-\u31ff"  # Katakana phonetic extensions
    "\u3400-\u4dbf\u4e00-\u9fff"  # CJK ideographs, extension A
    "\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff"  # Hangul syllables, Jamo extensions
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\U00020000-\U0003134f"  # CJK ideographs, extensions B-G and compatibility supplement
)
# Combining marks that belong to the letter before them: Thai vowels and tone marks, kana
# voicing marks.
_MARKS = "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u3099\u309a"
_RUN = re.compile(f"[{_BASES}][{_BASES}{_MARKS}]*")
_UNIT = re.compile(f"[{_BASES}][{_MARKS}]*")
_WIDTH = re.compile("[\uff01-\uffef]+")  # half- and full-width forms
_NEEDS_WORK = re.compile(f"[{_BASES}\uff01-\uffef]")
# A word: a run of letters and digits (categories L* and N*, as unicode61's token characters).
_WORD = re.compile(r"[^\W_]+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")
# Diacritics on a Latin letter (after canonical decomposition): what unicode61's
# ``remove_diacritics 2`` drops. Marks on the letters of other scripts are kept (a kana voicing
# mark changes the letter).
_LATIN_MARKS = re.compile(
    "(?<=[a-z\u00c0-\u024f\u1e00-\u1eff\u2c60-\u2c7f\ua720-\ua7ff\uab30-\uab6f])"
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)


def _spaced(run: re.Match[str]) -> str:
    return " " + " ".join(_UNIT.findall(run.group())) + " "


def _folded(forms: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", forms.group())


@overload
def index_text(text: str) -> str: ...
@overload
def index_text(text: None) -> None: ...
def index_text(text: str | None) -> str | None:
    """``text`` as the full-text index sees it: each character of the scripts written without
    spaces (and of Hangul) a token of its own, half- and full-width forms folded; any other
    text is returned unchanged (the same object)."""
    if text is None or text.isascii() or _NEEDS_WORK.search(text) is None:
        return text
    return _RUN.sub(_spaced, _WIDTH.sub(_folded, text))


def index_words(text: str | None) -> str:
    """The words of ``text`` as the PostgreSQL index sees them: :func:`index_text`, then cut
    into runs of letters and digits, case-folded, Latin letters without their accents, one
    space apart (``"Élection: COVID-19"`` → ``"election covid 19"``). Two words that SQLite's
    index takes for the same are the same here too. ``None`` gives ``""``."""
    if not text:
        return ""
    text = index_text(text)
    if text.isascii():
        return " ".join(_ASCII_WORD.findall(text.lower()))
    decomposed = unicodedata.normalize("NFD", text.casefold())
    folded = unicodedata.normalize("NFC", _LATIN_MARKS.sub("", decomposed))
    return " ".join(_WORD.findall(folded))


PAIR_BITS = 16
_GOLDEN = 0x9E3779B1  # Fibonacci hashing: spreads the CRC's bits over the top ones


def _pair_key(first: str, second: str) -> str:
    mixed = (crc32(f"{first} {second}".encode()) * _GOLDEN) & 0xFFFFFFFF
    return f"+{mixed >> (32 - PAIR_BITS):04x}"


def word_pairs(words: str) -> list[str]:
    """A key for each two words side by side in ``words`` (:func:`index_words`' output): what
    lets the PostgreSQL index find a phrase's candidates by its pairs, not only by its words
    one by one. A key is one of 2**:data:`PAIR_BITS` (``"+3f2a"``, a hash of the pair): few
    enough for the index to stay small and fast to write, many enough that an article holding a
    phrase's words but not side by side rarely holds its keys too. The ``+`` keeps them apart
    from words."""
    return [_pair_key(first, second) for first, second in pairwise(words.split())]


def needs_segmenting(text: str | None) -> bool:
    """Whether :func:`index_text` would change ``text``."""
    return text is not None and index_text(text) != text
