"""A listing of stored quotations, as data: :class:`QuoteQuery`, its cursor, its words.

Pure: no I/O, no database driver. Quotations are listed by their article's publication,
newest first, undated articles last, ties by article id (descending), then in the order the
article gives them — the order of the article search, so keyset pagination with an opaque
cursor visits every quotation exactly once. Quotations of articles dedup marked as duplicates
are left out (their original's are listed).

``speaker`` follows :mod:`services.store.speakers`. ``q`` holds words and ``"phrases"`` that
must all be in the quotation's text, each as whole words, in any case and with or without
accents; a word in Chinese, Japanese, Korean or Thai is found anywhere in the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from services.store.search import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_QUERY,
    MAX_TERMS,
    NO_DATE,
    InvalidQueryError,
    pack_cursor,
    speaker_filter,
    unpack_cursor,
)
from services.store.speakers import fold

# Scripts written without spaces between words: a term of them is looked for anywhere.
_UNSPACED = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u9fff\uac00-\ud7af]")
_NOT_WORD = re.compile(r"[^\w'-]+")
_ITEM = re.compile(r'"([^"]*)"|([^\s"]+)')


def text_key(text: str) -> str:
    """A quotation's text as ``q`` matches it: folded (:func:`~services.store.speakers.fold`),
    every run of punctuation a space, with a space at each end (``" we will win "``)."""
    folded = fold(unicodedata.normalize("NFC", text))
    return " " + " ".join(_NOT_WORD.sub(" ", folded).split()) + " "


def quote_terms(q: str) -> tuple[str, ...]:
    """What each word or phrase of ``q`` looks for in a :func:`text_key`: ``" word "``
    (a whole word), or the bare folded text for the scripts written without spaces."""
    if len(q) > MAX_QUERY:
        raise InvalidQueryError(f"q is longer than {MAX_QUERY} characters")
    if q.count('"') % 2:
        raise InvalidQueryError('q has an unbalanced double quote (")')
    terms: list[str] = []
    for match in _ITEM.finditer(q.replace("\0", " ")):
        words = text_key(match.group(1) if match.group(1) is not None else match.group(2))
        if not words.strip():
            continue  # punctuation only
        terms.append(words.strip() if _UNSPACED.search(words) else words)
    if not terms:
        raise InvalidQueryError("q needs at least one word to look for")
    if len(terms) > MAX_TERMS:
        raise InvalidQueryError(f"q has more than {MAX_TERMS} terms")
    return tuple(dict.fromkeys(terms))


@dataclass(frozen=True, slots=True)
class QuoteKey:
    """Where a quotation sits in the listing: its article's ``(sort_ts, id)``, compared
    descending, then its place in the article, ascending."""

    ts: int
    article_id: str
    position: int


def encode_quote_cursor(key: QuoteKey) -> str:
    """An opaque, URL-safe cursor pointing just after ``key``."""
    return pack_cursor(["q", key.ts, key.article_id, key.position])


def decode_quote_cursor(cursor: str) -> QuoteKey:
    """The key inside a cursor made by :func:`encode_quote_cursor`."""
    value = unpack_cursor(cursor)
    if (
        not isinstance(value, list)
        or len(value) != 4
        or value[0] != "q"
        or type(value[1]) is not int
        or not isinstance(value[2], str)
        or type(value[3]) is not int
        or not NO_DATE <= value[1] < 2**63
        or not 0 <= value[3] < 2**31
    ):
        raise InvalidQueryError("cursor is not one this API returned")
    return QuoteKey(value[1], value[2], value[3])


@dataclass(frozen=True, slots=True)
class QuoteQuery:
    """A validated listing. Invalid values raise :class:`InvalidQueryError` on construction."""

    speaker: str | None = None
    q: str | None = None
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None
    speaker_key: str | None = field(init=False, repr=False)
    terms: tuple[str, ...] = field(init=False, repr=False)
    after: QuoteKey | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        speaker_key = speaker_filter(self.speaker)
        if type(self.limit) is not int or not 1 <= self.limit <= MAX_LIMIT:
            raise InvalidQueryError(f"limit must be an integer from 1 to {MAX_LIMIT}")
        if self.q is not None and not isinstance(self.q, str):
            raise InvalidQueryError("q must be text")
        terms = quote_terms(self.q) if self.q is not None and self.q.strip() else ()
        cursor = decode_quote_cursor(self.cursor) if self.cursor else None
        object.__setattr__(self, "speaker_key", speaker_key)
        object.__setattr__(self, "terms", terms)
        object.__setattr__(self, "after", cursor)
