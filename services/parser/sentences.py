"""Where the sentences of a text end: a final mark, closing quotes or brackets, spaces, and a
capital after, unless the period ends an abbreviation ("Gov. Noem", "on Nov. 18") or follows
a capital ("U.S.", "J."). The quotation modules read the sentences around a quotation by
these offsets. Pure.
"""

from __future__ import annotations

import re

from services.parser.quotecues import UPPER

ABBREVIATIONS = (
    "Mr", "Mrs", "Ms", "Dr", "Jr", "Sr", "St", "Gov", "Sen", "Rep", "Lt", "Col", "Gen", "Capt",
    "Sgt", "Prof", "Rev", "Ft", "Mt", "Supt", "Pres", "Cmdr", "Adm", "Maj",
)  # fmt: skip
# Words a sentence does not end with, abbreviated ("Gov. Noem", "on Nov. 18", "No. 3").
_ABBREVIATED = frozenset(
    (*ABBREVIATIONS, "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
     "Nov", "Dec", "No", "Nos", "Vol", "Fig", "vs", "etc")
)  # fmt: skip
# Where a sentence may end: its final mark, closing quotes or brackets, spaces, and a capital (or
# an opening quote) after. A period after an abbreviation or a capital ("U.S.", "J.") ends none:
# :func:`sentence_ends` checks that in Python, where a lookbehind per abbreviation would cost
# the engine some thirty tests at every period. (Each pattern here opens with a character
# class: the regex engine then skips in C to where one can start.)
_SENTENCE_END = re.compile(rf"[.!?…][\"”’»)\]]*\s+(?=[\"“‘«(\[]?[{UPPER}\d])")
_STOP = re.compile(r"[!?]|\.(?=\s)")  # where a sentence may end, whatever follows


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


_LONGEST_ABBREVIATION = max(map(len, _ABBREVIATED))


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
    where the next sentence starts (both ascending)."""
    marks: list[int] = []
    ends: list[int] = []
    for found in _SENTENCE_END.finditer(text):
        if not _abbreviated(text, found.start()):
            marks.append(found.start())
            ends.append(found.end())
    return marks, ends


def ends_sentence(text: str) -> bool:
    """Whether a sentence ends inside ``text`` (the text after it may start in lower case)."""
    return any(not _abbreviated(text, found.start()) for found in _STOP.finditer(text))


def sentence_starts(text: str, end: int) -> list[int]:
    """Where the sentences of ``text[:end]`` start."""
    return [0, *(stop for stop in sentence_ends(text, 0, min(len(text), end + 2)) if stop <= end)]


def sentence_start(text: str, end: int) -> int:
    """Where the sentence that holds ``text[end]`` (or ends before it) starts."""
    return sentence_starts(text, end)[-1]
