"""Where the sentences of a text end: a final mark, closing quotes or brackets, spaces, and a
capital after, unless the period ends an abbreviation ("Gov. Noem", "on Nov. 18") or follows
a capital ("U.S.", "J."). The quotation modules read the sentences around a quotation by
these offsets. Pure.
"""

from __future__ import annotations

import re
from typing import Final

from services.parser.quotecues import UPPER

ABBREVIATIONS: Final = (
    "Mr", "Mrs", "Ms", "Dr", "Jr", "Sr", "St", "Gov", "Sen", "Rep", "Lt", "Col", "Gen", "Capt",
    "Sgt", "Prof", "Rev", "Ft", "Mt", "Supt", "Pres", "Cmdr", "Adm", "Maj",
)  # fmt: skip
# Words a sentence does not end with, abbreviated ("Gov. Noem", "on Nov. 18", "No. 3").
_ABBREVIATED: Final = frozenset(
    (*ABBREVIATIONS, "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
     "Nov", "Dec", "No", "Nos", "Vol", "Fig", "vs", "etc")
)  # fmt: skip
# Where a sentence may end: its final mark, closing quotes or brackets, spaces, and a capital (or
# an opening quote) after. A period after an abbreviation or a capital ("U.S.", "J.") ends none:
# :func:`sentence_ends` checks that in Python, where a lookbehind per abbreviation would cost
# the engine some thirty tests at every period. (Each pattern here opens with a character
# class: the regex engine then skips in C to where one can start.)
_SENTENCE_END: Final = re.compile(rf"[.!?…][\"”’»)\]]*\s+(?=[\"“‘«(\[]?[{UPPER}\d])")
_FINAL_MARKS: Final = ".!?…"  # the marks _SENTENCE_END opens with
_STOP: Final = re.compile(r"[!?]|\.(?=\s)")  # where a sentence may end, whatever follows


def _abbreviated(text: str, at: int) -> bool:
    """Whether the period at ``at`` ends an abbreviation or follows a capital."""
    if text[at] != "." or not at:
        return False
    if text[at - 1].isupper():
        return True
    start = at
    while start and at - start < _LONGEST_ABBREVIATION and text[start - 1].isalpha():
        start -= 1
    return text[start:at] in _ABBREVIATED and not (start and text[start - 1].isalnum())


_LONGEST_ABBREVIATION: Final = max(map(len, _ABBREVIATED))


def sentence_ends(text: str, start: int = 0, end: int | None = None) -> list[int]:
    """Where the sentences that end in ``text[start:end]`` end (the next one starts there)."""
    stop = len(text) if end is None else end
    return [
        found.end()
        for found in _SENTENCE_END.finditer(text, start, stop)
        if not _abbreviated(text, found.start())
    ]


def sentence_breaks(text: str) -> tuple[list[int], list[int]]:
    """Where each sentence of ``text`` but the last ends: the offsets of its final marks, and
    where the next sentence starts (both ascending).

    The final marks are found with ``str.find`` and the expression is only tried at them: the
    same matches as searching with it (none can start elsewhere, and none holds a final mark
    but its first), for a fraction of the engine's test of a class at every character.
    """
    marks: list[int] = []
    ends: list[int] = []
    reached = 0  # where the last match ended: the search goes on from there
    for at in offsets_of(text, _FINAL_MARKS):
        if at < reached:
            continue
        found = _SENTENCE_END.match(text, at)
        if found is None:
            continue
        reached = found.end()
        if not _abbreviated(text, at):
            marks.append(at)
            ends.append(reached)
    return marks, ends


def offsets_of(text: str, chars: str) -> list[int]:
    """Where any of ``chars`` stands in ``text``, ascending: found with ``str.find``, one
    character after the other (a regular expression would test a class at every offset)."""
    found: list[int] = []
    for char in chars:
        at = text.find(char)
        while at >= 0:
            found.append(at)
            at = text.find(char, at + 1)
    found.sort()
    return found


def ends_sentence(text: str) -> bool:
    """Whether a sentence ends inside ``text`` (the text after it may start in lower case).
    (A text without a final mark, the common case, is settled without the regex engine.)"""
    if "." not in text and "!" not in text and "?" not in text:
        return False
    return any(not _abbreviated(text, found.start()) for found in _STOP.finditer(text))


def sentence_starts(text: str, end: int) -> list[int]:
    """Where the sentences of ``text[:end]`` start."""
    return [0, *(stop for stop in sentence_ends(text, 0, min(len(text), end + 2)) if stop <= end)]


def sentence_start(text: str, end: int) -> int:
    """Where the sentence that holds ``text[end]`` (or ends before it) starts."""
    return sentence_starts(text, end)[-1]
