"""Outlets an article names as its sources: "reported by X", "told X", "X said".

A source cue ("according to", "in an interview with", "reported", ...) next to a capitalised run
of words makes that run a candidate; it counts only if it looks like a news outlet (see
:mod:`services.parser.outlet_names`), so people and other bodies ("according to Zelenskyy",
"the Kremlin said") are left out. The longest outlet-looking part of the run is kept
("Meanwhile Reuters reported" gives "Reuters", "told Fox News Tuesday" gives "Fox News").
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator, Sequence

from services.parser.outlet_names import looks_like_outlet

_WORD = r"(?:[A-Z][\w&.+’'/-]*|\d{1,3}\b)"
_RUN = rf"(?P<run>(?:[Tt]he\s+)?[A-Z][\w&.+’'/-]*(?:\s+(?:(?:of|and|&|de|del|la)\s+)?{_WORD})*)"
_BEFORE = re.compile(
    r"(?i:\b(?:according\s+to|(?:first\s+)?reported\s+by|reporting\s+by|told|telling"
    r"|(?:in\s+)?an?\s+(?:exclusive\s+)?interview\s+(?:with|on)|speaking\s+(?:to|with)"
    r"|spoke\s+(?:to|with)|talking\s+to|talked\s+to|cited\s+by|quoted\s+by"
    r"|(?:in\s+)?a\s+statement\s+to|wrote\s+in|writing\s+in|published\s+by|confirmed\s+to"
    r"|said\s+to|(?:a|the)\s+report\s+(?:by|from|in)|reports?\s+(?:by|from|in)|via))"
    rf"\s+(?:(?:a|an)\s+)?{_RUN}"
)
_AFTER = re.compile(
    rf"{_RUN}(?:['’]s?)?\s+(?i:(?:has\s+|had\s+|have\s+|first\s+|previously\s+|also\s+"
    r"|earlier\s+|later\s+|exclusively\s+)?(?:reported|reports|said|says|quoted|cited|wrote"
    r"|writes|learned|learnt|obtained|revealed|published|confirmed|broke\s+the\s+news))\b"
)
_WIRE_TAG = re.compile(rf"\({_RUN}\)\s*[-–—:]")
_POSSESSIVE = re.compile(r"['’]s?(?=\s|$)")
# Literal parts of every cue in _BEFORE and every verb in _AFTER, lower-case: a match of either
# holds one of them.
_CUE_WORDS = (
    "according", "report", "told", "telling", "interview", "speak", "spoke", "talk", "cited",
    "quoted", "statement", "wrote", "writ", "published", "confirmed", "said", "says", "via",
    "learn", "obtained", "revealed", "broke",
)  # fmt: skip
_BREAK = re.compile(r"[^\w\s&.+’'/-]")  # a character no _BEFORE or _AFTER match holds
_ASCII_FOLD = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})  # what re.I matches to i and s


def find_cited_outlets(paragraphs: Sequence[str]) -> tuple[str, ...]:
    """Outlets named as sources, in order of first appearance, without repeats."""
    cues = cue_offsets(paragraphs)
    found: list[tuple[int, int, str]] = []
    for number, paragraph in enumerate(paragraphs):
        stretches = [(0, len(paragraph))] if cues is None else _stretches(paragraph, cues[number])
        for position, name in _candidates(paragraph, stretches):
            found.append((number, position, name))
    outlets: dict[str, str] = {}
    for _, _, name in sorted(found):
        outlets.setdefault(_key(name), name)
    return tuple(outlets.values())


def cue_offsets(paragraphs: Sequence[str]) -> list[list[int]] | None:
    """Where each paragraph holds a cue word, found literally in the lower-cased text.

    Non-ASCII letters that ``re.IGNORECASE`` matches to ASCII ones ("ı", "İ", "ſ") are mapped
    to them first. None if lower-casing changed the text's length (offsets would be off).
    """
    text = "\n".join(paragraphs)
    if not text.isascii() and any(ch in text for ch in "İıſ"):
        text = text.translate(_ASCII_FOLD)
    folded = text.lower()
    if len(folded) != len(text):
        return None
    starts = list(itertools.accumulate((len(p) + 1 for p in paragraphs), initial=0))
    offsets: list[list[int]] = [[] for _ in paragraphs]
    for cue in _CUE_WORDS:
        at = folded.find(cue)
        while at >= 0:
            number = bisect.bisect_right(starts, at) - 1
            offsets[number].append(at - starts[number])
            at = folded.find(cue, at + len(cue))
    return offsets


def _stretches(paragraph: str, offsets: list[int]) -> list[tuple[int, int]]:
    """The stretches of ``paragraph`` that hold a cue word and no break character.

    A ``_BEFORE`` or ``_AFTER`` match holds only word characters, spaces and ``&.+'’/-`` and a
    cue word, so it lies within such a stretch: searching those finds the same matches as
    searching the whole paragraph.
    """
    if not offsets:
        return []
    breaks = [match.start() for match in _BREAK.finditer(paragraph)]
    stretches: set[tuple[int, int]] = set()
    for offset in offsets:
        index = bisect.bisect_right(breaks, offset)
        start = breaks[index - 1] + 1 if index else 0
        stretches.add((start, breaks[index] if index < len(breaks) else len(paragraph)))
    return sorted(stretches)


def _candidates(paragraph: str, stretches: list[tuple[int, int]]) -> Iterator[tuple[int, str]]:
    matches: list[tuple[re.Match[str], bool]] = []
    for start, end in stretches:
        matches.extend((match, True) for match in _BEFORE.finditer(paragraph, start, end))
        matches.extend((match, False) for match in _AFTER.finditer(paragraph, start, end))
    if "(" in paragraph:
        matches.extend((match, True) for match in _WIRE_TAG.finditer(paragraph))
    for match, longest_from_start in matches:
        name = _outlet_part(_words(match.group("run")), from_start=longest_from_start)
        if name is not None:
            yield match.start("run"), name


def _words(run: str) -> list[str]:
    """The run's words, cut at the first possessive ("CNN's Jake Tapper" -> ["CNN"])."""
    words: list[str] = []
    for word in run.split():
        possessive = _POSSESSIVE.search(word)
        if possessive is not None:
            words.append(word[: possessive.start()])
            break
        words.append(word)
    if words:
        words[-1] = words[-1].rstrip(".,;:")
    return [w for w in words if w]


def _outlet_part(words: list[str], *, from_start: bool) -> str | None:
    """The longest outlet-looking part of the run: a prefix (cue before) or suffix (after)."""
    for size in range(len(words), 0, -1):
        part = words[:size] if from_start else words[len(words) - size :]
        if part[0].lower() in {"of", "and", "&", "de", "del", "la"}:
            continue
        name = " ".join(part)
        if looks_like_outlet(name):
            return name[4:] if name.startswith("the ") else name
    return None


def _key(name: str) -> str:
    key = " ".join(name.lower().replace("’", "'").split())
    return key[4:] if key.startswith("the ") else key
