"""A search of the stored articles, as data: :class:`SearchQuery`, its cursor, its ``q`` syntax.

Pure: no I/O, no database driver. Each backend turns a query into its own SQL
(``sqlite/query.py``, ``postgres/query.py``) and its reader runs it. Results are always ordered
by publication instant, newest first, undated articles last, ties by id (descending) — stable
under inserts, so keyset pagination with an opaque cursor visits every row exactly once.

Full-text syntax accepted in ``q`` (case- and accent-insensitive): words (all must match),
``"exact phrases"``, ``word*`` prefixes, ``a OR b``, ``-word`` or ``NOT word`` to exclude.
:func:`parse_text` reads it into a :class:`TextQuery` of plain terms, so user text can never be
a syntax error of the database's own query language; what cannot be understood raises
:class:`InvalidQueryError`.

Chinese, Japanese, Korean and Thai (:mod:`services.store.fulltext`): each word or phrase goes
through the index's own :func:`~services.store.fulltext.index_text`, so ``東京都`` looks for
those three characters side by side — anywhere in a run of text, ``東京都は19日`` or
``서울시는`` (found by ``서울시``) alike. A word of those scripts is therefore already a
substring match (``東京*`` means the same as ``東京``); a quoted phrase with a space in it,
``"東京 大阪"``, finds the two words side by side with or without a space between them;
``OR`` and ``-word`` keep their meaning, and mixed terms (``iPhone16を``) work.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import orjson

from services.store.speakers import fold

DEFAULT_LIMIT = 20
UNKNOWN_SOURCE = "unknown"  # the key of articles without a source in counts and freshness
MAX_LIMIT = 100
MAX_TEXT = 200
MAX_QUERY = 500
MAX_TERMS = 32
# The sort key of every listing is the publication instant in epoch microseconds; undated
# articles get this one, so they come last (the schema's generated ``sort_ts`` column uses it).
NO_DATE = -(2**63)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_ITEM = re.compile(r'"([^"]*)"(\*?)|([^\s"]+)')
_WORD = re.compile(r"\w")


class InvalidQueryError(ValueError):
    """A search parameter, cursor or full-text query that cannot be run (an HTTP 400)."""


@dataclass(frozen=True, slots=True)
class SortKey:
    """Where a row sits in the listing order: ``(sort_ts, id)``, compared descending."""

    ts: int
    id: str


def pack_cursor(values: list[object]) -> str:
    """``values`` as an opaque, URL-safe cursor (JSON in unpadded base64)."""
    return base64.urlsafe_b64encode(orjson.dumps(values)).rstrip(b"=").decode("ascii")


def unpack_cursor(cursor: str) -> object:
    """The values inside a cursor made by :func:`pack_cursor`; what the caller must check."""
    try:
        return orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError) as error:
        raise InvalidQueryError("cursor is not one this API returned") from error


def encode_cursor(key: SortKey) -> str:
    """An opaque, URL-safe cursor pointing just after ``key``."""
    return pack_cursor([key.ts, key.id])


def decode_cursor(cursor: str) -> SortKey:
    """The sort key inside a cursor made by :func:`encode_cursor`."""
    value = unpack_cursor(cursor)
    if (
        not isinstance(value, list)
        or len(value) != 2
        or type(value[0]) is not int
        or not isinstance(value[1], str)
        or not NO_DATE <= value[0] < 2**63
    ):
        raise InvalidQueryError("cursor is not one this API returned")
    return SortKey(value[0], value[1])


@dataclass(frozen=True, slots=True)
class Term:
    """One word or quoted phrase of ``q``, as typed: whether it ends in ``*`` (a prefix) and
    whether it was in double quotes (its words as written, never another form of them)."""

    text: str
    prefix: bool = False
    quoted: bool = False


@dataclass(frozen=True, slots=True)
class TextQuery:
    """``q`` understood: each group must match (by any one of its terms), and no excluded term
    may. A term with several words (a phrase, or ``covid-19``) matches them side by side."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()


def _term(text: str, prefix: bool, quoted: bool = False) -> Term | None:
    if not _WORD.search(text):
        return None  # punctuation only: no token to look for
    return Term(text, prefix, quoted)


def _items(q: str) -> list[tuple[str, Term | None]]:
    """``(kind, term)`` per item: kind is ``term``, ``not``, ``or`` or ``and``."""
    if q.count('"') % 2:
        raise InvalidQueryError('q has an unbalanced double quote (")')
    items: list[tuple[str, Term | None]] = []
    for match in _ITEM.finditer(q):
        phrase, star, word = match.groups()
        if word in {"OR", "AND", "NOT"}:
            items.append((word.lower(), None))
        elif word is not None and word.startswith("-") and len(word) > 1:
            items.append(("not", None))
            items.append(("term", _term(word[1:].rstrip("*"), word.endswith("*"))))
        elif word is not None:
            items.append(("term", _term(word.rstrip("*"), word.endswith("*"))))
        else:
            items.append(("term", _term(phrase, bool(star), quoted=True)))
    return items


def _group(items: list[tuple[str, Term | None]]) -> TextQuery:
    """OR-groups of wanted terms (all groups must match) and the excluded terms."""
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    pending = "and"
    for kind, term in items:
        if kind in {"or", "not"}:
            if pending != "and" or (kind == "or" and not groups):
                raise InvalidQueryError(f"{kind.upper()} must sit between two words in q")
            pending = kind
            continue
        if kind == "and" or term is None:
            continue
        if pending == "not":
            excluded.append(term)
        elif pending == "or":
            groups[-1].append(term)
        else:
            groups.append([term])
        pending = "and"
    if pending != "and":
        raise InvalidQueryError(f"q ends with {pending.upper()}")
    return TextQuery(tuple(tuple(group) for group in groups), tuple(excluded))


def parse_text(q: str) -> TextQuery:
    """Read user search syntax into its terms; :class:`InvalidQueryError` if it cannot be."""
    if len(q) > MAX_QUERY:
        raise InvalidQueryError(f"q is longer than {MAX_QUERY} characters")
    items = _items(q.replace("\0", " "))  # a NUL ends a string in the databases: it parts words
    if sum(kind == "term" for kind, _ in items) > MAX_TERMS:
        raise InvalidQueryError(f"q has more than {MAX_TERMS} terms")
    text = _group(items)
    if not text.groups:
        raise InvalidQueryError("q needs at least one word to look for")
    return text


def _text(
    name: str, value: str | None, *, lower: bool = False, longest: int = MAX_TEXT
) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidQueryError(f"{name} must be text")
    value = value.strip()
    if not value:
        raise InvalidQueryError(f"{name} must not be blank")
    if len(value) > longest:
        raise InvalidQueryError(f"{name} is longer than {longest} characters")
    return value.lower() if lower else value


def instant_us(name: str, value: datetime | None) -> int | None:
    """``value`` as epoch microseconds, the unit of the sort key (``None`` stays ``None``)."""
    if value is None:
        return None
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise InvalidQueryError(f"{name} must be a datetime with a UTC offset")
    return (value - _EPOCH) // _MICROSECOND


def speaker_filter(speaker: str | None) -> str | None:
    """The folded key a ``speaker`` parameter is matched by (``None``: no filter); see
    :mod:`services.store.speakers` for the rule."""
    if speaker is None:
        return None
    if not isinstance(speaker, str):
        raise InvalidQueryError("speaker must be text")
    if len(speaker) > MAX_TEXT:
        raise InvalidQueryError(f"speaker is longer than {MAX_TEXT} characters")
    key = fold(speaker)
    if not any(char.isalnum() for char in key):
        raise InvalidQueryError("speaker must name someone (letters, not only punctuation)")
    return key


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A validated search. Invalid values raise :class:`InvalidQueryError` on construction."""

    q: str | None = None
    source: str | None = None
    author: str | None = None
    language: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    story: str | None = None
    include_duplicates: bool = False
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None
    speaker: str | None = None
    text: TextQuery | None = field(init=False, repr=False)
    after: SortKey | None = field(init=False, repr=False)
    speaker_key: str | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        q = _text("q", self.q, longest=MAX_QUERY)
        for name in ("source", "author", "story"):
            object.__setattr__(self, name, _text(name, getattr(self, name)))
        object.__setattr__(self, "language", _text("language", self.language, lower=True))
        since, until = instant_us("since", self.since), instant_us("until", self.until)
        if since is not None and until is not None and since >= until:
            raise InvalidQueryError("since must be before until")
        if type(self.include_duplicates) is not bool:
            raise InvalidQueryError("include_duplicates must be true or false")
        if type(self.limit) is not int or not 1 <= self.limit <= MAX_LIMIT:
            raise InvalidQueryError(f"limit must be an integer from 1 to {MAX_LIMIT}")
        cursor = _text("cursor", self.cursor)
        object.__setattr__(self, "text", parse_text(q) if q is not None else None)
        object.__setattr__(self, "after", decode_cursor(cursor) if cursor else None)
        object.__setattr__(self, "speaker_key", speaker_filter(self.speaker))
