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
from bisect import bisect_right
from collections.abc import Sequence
from typing import Final, NamedTuple

from services.parser.sentences import offsets_of

# Each opening mark and the marks that close it. A straight mark closes a curly one, and the
# other way round: sloppy but common.
_CLOSERS: Final = {
    "“": '”"',
    "„": "“”",
    "«": "»",
    "»": "«",
    "「": "」",
    "『": "』",
    '"': '"”',
    "‘": "’",
}
_OPENING_MARKS: Final = '"“„«»「『‘'
_ANY_MARK: Final = frozenset('"“”„«»「」『』‘’')
_SPACE: Final = " \t\u00a0\u202f\u2009\u2007\u200a"  # the spaces French puts inside « »
# what may precede an opening mark
_BEFORE_OPEN: Final = frozenset(" \t\u00a0\u202f\u2009([{—–-/:;,…")
_SPACES: Final = 4  # a text of five words holds four spaces at the least
# Scripts written without spaces between words (Thai, Lao, Myanmar, Khmer; Han and Kana).
UNSPACED: Final = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u9fff\uf900-\ufaff]")


class QuoteSpan(NamedTuple):
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


def find_spans(
    paragraphs: Sequence[str],
    quoted: list[tuple[int, int, int]] | None = None,
    body: str | None = None,
) -> list[QuoteSpan]:
    """The quoted spans of the paragraphs that may be quotations, in order: those of four
    spaces or more (or in a script written without spaces) and those that run on; a span
    that runs on is kept only when the next paragraph opens with a quotation mark (it
    continues there). ``quoted`` receives the (paragraph, start, end) of their texts.
    ``body`` is the paragraphs joined by line breaks, when the caller has it already (the
    speakers' resolver reads the same).

    The marks are found with ``str.find`` over all the paragraphs at once and the closing
    marks with ``str.find`` too: the regular-expression engine would test a character class
    at every character, some ten times the work.
    """
    body = "\n".join(paragraphs) if body is None else body
    ends: list[int] = []  # where each paragraph ends in the body
    end = -1
    for text in paragraphs:
        end += len(text) + 1
        ends.append(end)
    spans: list[QuoteSpan] = []
    consumed = 0  # the body up to here is inside a span found already
    for at in offsets_of(body, _OPENING_MARKS):
        if at < consumed:
            continue
        index = bisect_right(ends, at)
        text = paragraphs[index]
        first = ends[index] - len(text)
        local = at - first
        mark = text[local]
        if not _can_open(text, local, mark):
            continue
        closing = _closing(text, local + 1, mark)
        if closing < 0 and mark == "‘":
            continue  # no ’ closes it: an apostrophe ("the ‘90s")
        if closing >= 0 and text.count(" ", local + 1, closing) < _SPACES:
            consumed = first + closing + 1
            if not UNSPACED.search(text, local + 1, closing):
                continue  # under five words: no quotation, whatever it is
        span = _span(index, text, local, closing, mark)
        if span is None:
            continue
        consumed = first + span.close_end
        if quoted is not None:
            quoted.append((index, span.start, span.end))
        spans.append(span)
    return _runs_on(paragraphs, spans)


def _span(index: int, text: str, at: int, closing: int, mark: str) -> QuoteSpan | None:
    """The span from the mark at ``at`` to the one at ``closing`` (-1: none, it runs on)."""
    runs_on = closing < 0
    start, end = at + 1, len(text) if runs_on else closing
    if text[start : start + 1] in _SPACE or text[end - 1 : end] in _SPACE:
        while start < end and text[start] in _SPACE:
            start += 1
        while end > start and text[end - 1] in _SPACE:
            end -= 1
    if end <= start:
        return None
    close_end = len(text) if runs_on else closing + 1
    span = (index, start, end, at, close_end, mark, runs_on, False)
    return tuple.__new__(QuoteSpan, span)  # (in C: the named tuple's __new__ is Python)


def _runs_on(paragraphs: Sequence[str], spans: list[QuoteSpan]) -> list[QuoteSpan]:
    """The spans, a span that runs on kept only where the next paragraph opens with a mark,
    and the span that opens that paragraph marked as continuing it."""
    kept: list[QuoteSpan] = []
    for span in spans:
        if span.runs_on:
            following = (
                paragraphs[span.paragraph + 1] if span.paragraph + 1 < len(paragraphs) else ""
            )
            if following.lstrip()[:1] not in _OPENING_MARKS:
                continue  # ran on into a paragraph that does not go on quoting: unbalanced
        after_run = bool(kept) and kept[-1].runs_on and kept[-1].paragraph == span.paragraph - 1
        opens = after_run and not paragraphs[span.paragraph][: span.open_at].strip()
        kept.append(span._replace(continued=True) if opens else span)
    return kept


def _closing(text: str, start: int, opening: str) -> int:
    """The offset of the mark that closes ``opening`` from ``start`` on; -1 if none does."""
    best = -1
    for closer in _CLOSERS[opening]:
        stop = len(text) if best < 0 else best  # a later closer is looked for before the best
        at = text.find(closer, start, stop)
        while at >= 0 and closer == "’" and not _can_close(text, at):
            at = text.find(closer, at + 1, stop)
        if at >= 0:
            best = at
    return best


def _can_open(text: str, at: int, char: str) -> bool:
    after = text[at + 1 : at + 2]
    if not after:
        return False
    # '" You guys…' opens, after a space and before a word; '5" long' does not
    if (
        after.isspace()
        and char in '"‘'
        and (char != '"' or not text[at + 2 : at + 3].isalnum() or text[at - 1 : at].strip())
    ):
        return False
    if char in "“„«「『":
        return True
    if char == "‘" and after.isdigit():
        return False  # an apostrophe: "the ‘90s"
    before = text[at - 1] if at else " "
    if char == "»":  # German »…«: a closing guillemet opens only before a word, no word before
        return before in _BEFORE_OPEN and after.isalnum()
    # " and ‘ open after a space, a bracket or a dash, never inside a word or after a digit
    return before in _BEFORE_OPEN or before in _ANY_MARK


def _can_close(text: str, at: int) -> bool:
    """Whether the ’ at ``at`` closes a quotation: no apostrophe between letters (``don’t``)."""
    return not (text[at + 1 : at + 2].isalnum() and text[at - 1 : at].isalpha())
