"""Where quotation marks enclose text in a paragraph: the spans a quote can be.

The marks of the languages the parser reads, as pairs: “ ” and " " (English), ‘ ’ as primary
marks where no double mark is open, „ “ and » « (German), « » with or without spaces (French,
Spanish, Italian, Portuguese), 「 」 and 『 』 (Chinese, Japanese). Inside an open quotation only
its own closing mark counts, so a quotation nested in another (‘…’ inside “…”) stays part of
the outer one. An apostrophe is no closing mark (``don’t``: a ’ between letters), nor a straight
mark between a digit and a letter (``5'11"``).

An opening mark left without its close at the end of a paragraph runs to that paragraph's end:
the convention for a quotation running over several paragraphs, where each paragraph opens with
a mark again and only the last one closes. Such an open span is :attr:`QuoteSpan.runs_on`; the
span that opens the next paragraph is :attr:`QuoteSpan.continued`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_MARKS = re.compile("[\"“”„«»「」『』‘’]")
_ANY_MARK = frozenset("\"“”„«»「」『』‘’")
# Each opening mark and the marks that close it.
_CLOSERS = {
    "“": "”\"",  # a straight mark closes a curly one, and the other way round: sloppy but common
    "„": "“”",
    "«": "»",
    "»": "«",
    "「": "」",
    "『": "』",
    '"': '"”',
    "‘": "’",
}
_DOUBLE_OPENERS = frozenset("“„«»「『\"")
_SPACE = " \t\u00a0\u202f\u2009\u2007\u200a"  # the spaces French puts inside « »
_BEFORE_OPEN = frozenset(" \t\u00a0\u202f\u2009([{—–-/:;,…")  # what may precede an opening mark


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """Text between quotation marks in one paragraph.

    ``start``/``end`` delimit the text (its spaces inside the marks left out); ``open_at`` is
    the opening mark's offset and ``close_end`` the offset just past the closing mark (the
    paragraph's length for a span that runs on).
    """

    paragraph: int
    start: int
    end: int
    open_at: int
    close_end: int
    mark: str
    runs_on: bool = False  # no closing mark before the paragraph ends
    continued: bool = False  # opens the paragraph after one that ran on


def find_spans(paragraphs: Sequence[str]) -> list[QuoteSpan]:
    """Every quoted span of the paragraphs, in order; a span that runs on is kept only when the
    next paragraph opens with a quotation mark (it continues there)."""
    spans: list[QuoteSpan] = []
    running = False  # the previous paragraph ended inside a quotation
    for index, text in enumerate(paragraphs):
        found = _paragraph_spans(index, text) if _has_mark(text) else []
        if running and found and _opens_paragraph(text, found[0]):
            first = found[0]
            found[0] = QuoteSpan(
                first.paragraph, first.start, first.end, first.open_at, first.close_end,
                first.mark, first.runs_on, continued=True,
            )  # fmt: skip
        if spans and spans[-1].runs_on and not (found and found[0].continued):
            spans.pop()  # ran on into a paragraph that does not go on quoting: unbalanced
        running = bool(found) and found[-1].runs_on
        spans.extend(found)
    if spans and spans[-1].runs_on:
        spans.pop()
    return spans


def _has_mark(text: str) -> bool:
    return not _ANY_MARK.isdisjoint(text)


def _opens_paragraph(text: str, span: QuoteSpan) -> bool:
    return not text[: span.open_at].strip()


def _paragraph_spans(index: int, text: str) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    open_mark = ""
    open_at = 0
    closers = ""
    skip = -1  # a ‘ that found no ’: an apostrophe ("the ‘90s"), scanned past the second time
    position = 0
    while True:
        for match in _MARKS.finditer(text, position):
            char, at = match.group(), match.start()
            if not open_mark:
                if at != skip and _can_open(text, at, char):
                    open_mark, open_at, closers = char, at, _CLOSERS[char]
            elif char in closers and _can_close(text, at, char):
                spans.append(_span(index, text, open_at, at, open_mark))
                open_mark = ""
        if open_mark != "‘":
            break
        open_mark, skip, position = "", open_at, open_at
    if open_mark:
        spans.append(_span(index, text, open_at, len(text), open_mark))
    return [span for span in spans if span.end > span.start]


def _span(index: int, text: str, open_at: int, close_at: int, mark: str) -> QuoteSpan:
    start, end = open_at + 1, close_at
    while start < end and text[start] in _SPACE:
        start += 1
    while end > start and text[end - 1] in _SPACE:
        end -= 1
    runs_on = close_at == len(text)
    close_end = close_at if runs_on else close_at + 1
    return QuoteSpan(index, start, end, open_at, close_end, mark, runs_on=runs_on)


def _can_open(text: str, at: int, char: str) -> bool:
    if char not in _CLOSERS:
        return False
    after = text[at + 1 : at + 2]
    if not after:
        return False
    if after.isspace() and char in "\"‘":
        # '" You guys…' opens, after a space and before a word; '5" long' does not
        if char != '"' or not text[at + 2 : at + 3].isalnum() or text[at - 1 : at].strip():
            return False
    if char in "“„«「『":
        return True
    before = text[at - 1] if at else " "
    if char == "»":  # German »…«: a closing guillemet opens only where no word ends before it
        return before in _BEFORE_OPEN
    # " and ‘ open after a space, a bracket or a dash, never inside a word or after a digit
    return before in _BEFORE_OPEN or before in _ANY_MARK


def _can_close(text: str, at: int, char: str) -> bool:
    if char != "’":
        return True
    after = text[at + 1 : at + 2]
    return not (after.isalnum() and text[at - 1 : at].isalpha())  # not an apostrophe


def is_double(span: QuoteSpan) -> bool:
    """Whether the span is in double marks (or guillemets, or corner brackets)."""
    return span.mark in _DOUBLE_OPENERS
