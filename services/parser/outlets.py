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

from ahocorasick_rs import AhoCorasick

from services.parser.folding import fold
from services.parser.outlet_names import looks_like_outlet

_WORD = r"(?:[A-Z][\w&.+’'/-]*|\d{1,3}\b)"
_RUN = rf"(?P<run>(?:[Tt]he\s+)?[A-Z][\w&.+’'/-]*(?:\s+(?:(?:of|and|&|de|del|la)\s+)?{_WORD})*)"
# The lookahead names the first letters of the cues; it only spares the search the positions
# where no cue can start.
_BEFORE = re.compile(
    r"(?i:(?=[acfipqrstvw])\b(?:according\s+to|(?:first\s+)?reported\s+by|reporting\s+by|told"
    r"|telling|(?:in\s+)?an?\s+(?:exclusive\s+)?interview\s+(?:with|on)|speaking\s+(?:to|with)"
    r"|spoke\s+(?:to|with)|talking\s+to|talked\s+to|cited\s+by|quoted\s+by"
    r"|(?:in\s+)?a\s+statement\s+to|wrote\s+in|writing\s+in|published\s+by|confirmed\s+to"
    r"|said\s+to|(?:a|the)\s+report\s+(?:by|from|in)|reports?\s+(?:by|from|in)|via))"
    rf"\s+(?:(?:a|an)\s+)?{_RUN}"
)
# The lookahead: a run starts with a capital letter or "the".
_AFTER = re.compile(
    rf"(?=[A-Zt]){_RUN}(?:['’]s?)?\s+(?i:(?:has\s+|had\s+|have\s+|first\s+|previously\s+"
    r"|also\s+|earlier\s+|later\s+|exclusively\s+)?(?:reported|reports|said|says|quoted|cited"
    r"|wrote|writes|learned|learnt|obtained|revealed|published|confirmed|broke\s+the\s+news))\b"
)
_WIRE_TAG = re.compile(rf"\({_RUN}\)\s*[-–—:]")
_POSSESSIVE = re.compile(r"['’]s?(?=\s|$)")
# Literal parts, lower-case, of the cues of _BEFORE (a match holds one of the first kind) and
# of the verbs of _AFTER (a match holds one of the second kind).
_BEFORE_CUES = (
    "according", "report", "told", "telling", "interview", "speak", "spoke", "talk", "cited",
    "quoted", "statement", "wrote", "writ", "published", "confirmed", "said", "via",
)  # fmt: skip
_AFTER_CUES = (
    "report", "said", "says", "quoted", "cited", "wrote", "writ", "learn", "obtained",
    "revealed", "published", "confirmed", "broke",
)  # fmt: skip
_CUE_WORDS = tuple(dict.fromkeys(_BEFORE_CUES + _AFTER_CUES))
_CUE_KINDS = tuple((cue in _BEFORE_CUES, cue in _AFTER_CUES) for cue in _CUE_WORDS)
_CUE_SEARCH = AhoCorasick(_CUE_WORDS)  # every occurrence of every cue word, in one pass
_BREAK = re.compile(r"[^\w\s&.+’'/-]")  # a character no _BEFORE or _AFTER match holds
_LAST_BREAK = re.compile(r".*[^\w\s&.+’'/-]", re.DOTALL)  # to the last break before endpos
_NON_WORD = re.compile(r"\W")  # where a word ends
_OPEN_VERB = _CUE_WORDS.index("broke")  # "broke the news": the match goes on past its word
_JOINER = "\x00"  # a break character: paragraphs joined by it keep their stretches apart


def find_cited_outlets(paragraphs: Sequence[str]) -> tuple[str, ...]:
    """Outlets named as sources, in order of first appearance, without repeats."""
    text = _JOINER.join(paragraphs)
    found: list[tuple[int, str]] = []
    for start, end, before, after_end in cue_stretches(text):
        if before:
            found.extend(_names(_BEFORE.finditer(text, start, end), from_start=True))
        if after_end > start:
            found.extend(_names(_AFTER.finditer(text, start, after_end), from_start=False))
    if "(" in text:
        offset = 0
        for paragraph in paragraphs:
            if "(" in paragraph:
                for at, name in _names(_WIRE_TAG.finditer(paragraph), from_start=True):
                    found.append((offset + at, name))
            offset += len(paragraph) + 1
    outlets: dict[str, str] = {}
    for _, name in sorted(found):
        outlets.setdefault(_key(name), name)
    return tuple(outlets.values())


def cue_stretches(text: str) -> list[tuple[int, int, bool, int]]:
    """The stretches of ``text`` that hold a cue word and no break character, in order: for
    each, its start and end, whether it holds a cue of ``_BEFORE``, and where an ``_AFTER``
    match in it can end at the latest (its start if it holds no verb of ``_AFTER``).

    A ``_BEFORE`` or ``_AFTER`` match holds only word characters, spaces and ``&.+'’/-`` and a
    cue word of its kind, so it lies within such a stretch: searching those finds the same
    matches as searching all of ``text``. An ``_AFTER`` match ends with its verb, a whole word
    its cue word starts ("broke the news" goes on): it ends at the latest where the last such
    word does, a word boundary, so the search can stop there and find the same matches. Cue
    words are found in the folded text (see :mod:`services.parser.folding`), where they stand
    at the same offsets as the letters the patterns match case-insensitively.
    """
    folded = fold(text)
    if len(folded) != len(text):  # pragma: no cover - folding keeps the length
        return [(0, len(text), True, len(text))]
    stretches: list[tuple[int, int, bool, int]] = []
    hits = sorted(_CUE_SEARCH.find_matches_as_indexes(folded, overlapping=True), key=_start)
    for cue, at, cue_end in hits:
        if not stretches or at >= stretches[-1][1]:  # a break lies between it and the last cue
            floor = stretches[-1][1] + 1 if stretches else 0
            last = _LAST_BREAK.match(text, floor, at)
            following = _BREAK.search(text, at)
            start = last.end() if last is not None else floor
            end = following.start() if following is not None else len(text)
            stretches.append((start, end, False, start))
        start, end, before, after_end = stretches[-1]
        is_before, is_after = _CUE_KINDS[cue]
        if is_after:
            if cue == _OPEN_VERB:
                after_end = end
            elif after_end < end:
                word_end = _NON_WORD.search(text, cue_end)
                after_end = max(after_end, word_end.start() if word_end is not None else end)
        stretches[-1] = (start, end, before or is_before, after_end)
    return stretches


def _start(hit: tuple[int, int, int]) -> int:
    return hit[1]


def _names(matches: Iterator[re.Match[str]], *, from_start: bool) -> Iterator[tuple[int, str]]:
    for match in matches:
        name = _outlet_part(_words(match.group("run")), from_start=from_start)
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
