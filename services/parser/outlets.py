"""Outlets an article names as its sources: "reported by X", "told X", "X said".

A source cue ("according to", "in an interview with", "reported", ...) next to a capitalised run
of words makes that run a candidate; it counts only if it looks like a news outlet (see
:mod:`services.parser.outlet_names`), so people and other bodies ("according to Zelenskyy",
"the Kremlin said") are left out. The longest outlet-looking part of the run is kept
("Meanwhile Reuters reported" gives "Reuters", "told Fox News Tuesday" gives "Fox News").
"""

from __future__ import annotations

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


def find_cited_outlets(paragraphs: Sequence[str]) -> tuple[str, ...]:
    """Outlets named as sources, in order of first appearance, without repeats."""
    found: list[tuple[int, int, str]] = []
    for number, paragraph in enumerate(paragraphs):
        for position, name in _candidates(paragraph):
            found.append((number, position, name))
    outlets: dict[str, str] = {}
    for _, _, name in sorted(found):
        outlets.setdefault(_key(name), name)
    return tuple(outlets.values())


def _candidates(paragraph: str) -> Iterator[tuple[int, str]]:
    for pattern, longest_from_start in ((_BEFORE, True), (_WIRE_TAG, True), (_AFTER, False)):
        for match in pattern.finditer(paragraph):
            words = _words(match.group("run"))
            name = _outlet_part(words, from_start=longest_from_start)
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
