"""Finding a name's other mentions in an article's text: a word's whole-word occurrences, where
the capitalised run around one begins, and whether two names differ in their case endings only
("Ольги Смирновой" and "Ольга Смирнова"). Used by :mod:`services.parser.speakers`. Pure.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Final

from services.parser.mentions import PARTICLES

STEM: Final = 3  # letters a declined name shares with its nominative at the least
ENDING: Final = 3  # letters a case ending may hold ("Trzaskowsk-iego", "Смирнов-ой")
_WORD_REACH: Final = 30  # characters a word of a name may hold
_RUN_WORDS: Final = 6  # words before a surname read for the rest of its name


def occurrences(text: str, word: str, limit: int = 1 << 30) -> Iterator[tuple[int, int]]:
    """Where ``word`` stands as a whole word in ``text`` (the first ``limit`` times), found
    as they are asked for: a caller that stops at the first that fits reads no further."""
    start = text.find(word)
    while start != -1 and limit > 0:
        end = start + len(word)
        if (not start or not text[start - 1].isalnum()) and (
            end == len(text) or not text[end].isalnum()
        ):
            yield start, end
            limit -= 1
        start = text.find(word, end)


def run_start(text: str, start: int) -> int:
    """Where the capitalised run that holds the word at ``start`` begins: words before it
    that are capitalised, initials or particles ("Volodymyr" in "President Volodymyr
    Zelenskyy", "de" in "Luiz Inácio Lula da Silva")."""
    for _ in range(_RUN_WORDS):
        if start < 2 or text[start - 1] not in " \u00a0-":
            return start
        floor = max(0, start - _WORD_REACH)  # (rfind looks back no further than a word)
        previous = max(text.rfind(" ", floor, start - 1), text.rfind("\n", floor, start - 1)) + 1
        word = text[max(previous, floor) : start - 1]
        if not word or not (word[0].isupper() or word in PARTICLES):
            return start
        start = previous
    return start


def declined(nominative: Sequence[str], words: Sequence[str]) -> bool:
    """Whether each of ``words`` is the word of ``nominative`` at its place with another ending
    (of ``ENDING`` letters at most)."""
    for base, word in zip(nominative, words, strict=True):
        common = 0
        while common < min(len(base), len(word)) and base[common] == word[common]:
            common += 1
        if common < STEM or len(base) - common > ENDING or len(word) - common > ENDING:
            return False
    return True


def contains(longer: Sequence[str], shorter: Sequence[str]) -> bool:
    """Whether every word of ``shorter`` is in ``longer``, in order."""
    position = 0
    for word in shorter:
        try:
            position = longer.index(word, position) + 1
        except ValueError:
            return False
    return True
