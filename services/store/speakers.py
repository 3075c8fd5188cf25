"""Speaker names as the store matches them: folded keys kept beside each stored quotation.

Pure. The rule (``?speaker=`` on ``/v1/articles`` and ``/v1/quotes``): a speaker is found by
their full name, or for a person by the surname alone (the last word of the name), in any case
and with or without accents: ``zelenskyy``, ``Volodymyr Zelenskyy`` and ``ZELENSKYY`` all find
"Volodymyr Zelenskyy"; ``Jose Gonzalez`` finds "José González". Nothing else is fuzzy: a first
name alone, a title ("President Trump") or part of a word finds nothing.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

# Dots and commas inside names ("Donald J. Trump", "Martin Luther King, Jr.") are not part of
# what a reader types; hyphens and apostrophes are ("Jean-Luc", "O'Brien").
_DROPPED = str.maketrans({".": " ", ",": " ", "\u2019": "'", "\u02bc": "'"})


def fold(name: str) -> str:
    """``name`` case-folded, without accents, dots or commas, its words single-spaced."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_DROPPED))
    if decomposed.isascii():  # no combining mark is ASCII: nothing to drop, nothing to compose
        return " ".join(decomposed.casefold().split())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(unicodedata.normalize("NFC", bare).casefold().split())


class SpeakerKeys(NamedTuple):
    """What a stored quotation is found by: its speaker's folded full name, and the folded
    surname of a person named by more than one word (``None`` otherwise)."""

    name: str | None
    surname: str | None


def speaker_keys(speaker: str | None, kind: str) -> SpeakerKeys:
    """The keys of a quotation's speaker (``kind``: its ``speaker_kind``)."""
    if speaker is None:
        return SpeakerKeys(None, None)
    name = fold(speaker) or None
    words = name.split() if name else []
    surname = words[-1] if kind == "person" and len(words) > 1 else None
    return SpeakerKeys(name, surname)
