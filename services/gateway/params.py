"""Query-string values → typed values, with a clear 400 message for each bad one. Pure.

What each parameter accepts is stated once, in :data:`SCHEMAS` (the JSON schemas the OpenAPI
document shows), and checked here exactly, no more and no less:

- an empty value (``?source=``) is the same as leaving the parameter out;
- a free-text value (q, source, author, language, story) is any text up to its length limit;
  a blank one is left out too;
- any other value must match its schema exactly: no surrounding spaces, no other spellings.

Patterns are written so that ECMA-262 (what OpenAPI tools read) and Python's
:func:`re.fullmatch` agree on them: ASCII classes only, anchored with ``^…$``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

from services.gateway.sse import StreamFilter
from services.store.quotesearch import QuoteQuery
from services.store.search import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_QUERY,
    MAX_TEXT,
    InvalidQueryError,
    SearchQuery,
)

MAX_BACKLOG = 100
LIMIT = r"^(100|[1-9][0-9]?)$"  # 1 to MAX_LIMIT (100), no sign, no leading zero
BACKLOG = r"^(100|[1-9]?[0-9])$"  # 0 to MAX_BACKLOG (100)
CURSOR = r"^[A-Za-z0-9_-]+$"  # URL-safe base64 without padding, as next_cursor is written
FLAG = ("true", "false")
# RFC 3339 date-time (the JSON schema "date-time" format), the offset optional only so that a
# missing one gets a message of its own. A leap second (:60) is valid only at 23:59 UTC.
_DATE_TIME = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[Tt]"
    r"(?P<hour>[01][0-9]|2[0-3]):(?P<minute>[0-5][0-9]):(?P<second>[0-5][0-9]|60)"
    r"(?:\.(?P<fraction>[0-9]+))?"
    r"(?P<offset>[Zz]|(?P<sign>[+-])(?P<off_hour>[01][0-9]|2[0-3]):(?P<off_minute>[0-5][0-9]))?"
)


def _or_empty(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema``, or the empty string (the same as leaving the parameter out)."""
    return {"anyOf": [schema, {"const": ""}]}


SCHEMAS: dict[str, dict[str, Any]] = {
    "q": {"maxLength": MAX_QUERY},
    "source": {"maxLength": MAX_TEXT},
    "author": {"maxLength": MAX_TEXT},
    "language": {"maxLength": MAX_TEXT},
    "story": {"maxLength": MAX_TEXT},
    "speaker": {"maxLength": MAX_TEXT},
    "since": _or_empty({"format": "date-time"}),
    "until": _or_empty({"format": "date-time"}),
    "include_duplicates": _or_empty({"enum": list(FLAG)}),
    "limit": _or_empty({"pattern": LIMIT}),
    "cursor": _or_empty({"pattern": CURSOR}),
    "backlog": _or_empty({"pattern": BACKLOG}),
}
SEARCH_PARAMS = (
    "q",
    "source",
    "author",
    "language",
    "since",
    "until",
    "story",
    "include_duplicates",
    "limit",
    "cursor",
    "speaker",
)
QUOTE_PARAMS = ("speaker", "q", "limit", "cursor")


def present(params: Mapping[str, str]) -> dict[str, str]:
    """The parameters with a non-empty value."""
    return {name: value for name, value in params.items() if value}


def text(name: str, value: str | None, longest: int = MAX_TEXT) -> str | None:
    """Free text up to ``longest`` characters; blank is the same as absent."""
    if value is None:
        return None
    if len(value) > longest:
        raise InvalidQueryError(f"{name} is longer than {longest} characters")
    return value if value.strip() else None


def flag(name: str, value: str | None, default: bool) -> bool:
    """``true`` or ``false``, in lower case."""
    if value is None:
        return default
    if value not in FLAG:
        raise InvalidQueryError(f"{name} must be true or false, not {value!r}")
    return value == "true"


def bounded(
    name: str, value: str | None, *, pattern: str, low: int, high: int, default: int
) -> int:
    """A decimal integer from ``low`` to ``high`` that ``pattern`` spells."""
    if value is None:
        return default
    if not re.fullmatch(pattern, value):
        raise InvalidQueryError(f"{name} must be an integer from {low} to {high}, not {value!r}")
    return int(value)


def instant(name: str, value: str | None) -> datetime | None:
    """An RFC 3339 date-time, which always has a UTC offset (``Z`` or ``±hh:mm``).

    A leap second (``23:59:60Z``) reads as second 59: a :class:`datetime` has no 61st second.
    """
    if value is None:
        return None
    match = _DATE_TIME.fullmatch(value)
    if match is None:
        hint = " (a + in a query string must be sent as %2B)" if " " in value else ""
        raise InvalidQueryError(
            f"{name} must be an RFC 3339 date-time, e.g. 2025-03-01T12:00:00+01:00 or "
            f"2025-03-01T11:00:00Z; got {value!r}{hint}"
        )
    if match["offset"] is None:
        raise InvalidQueryError(f"{name} needs a UTC offset (e.g. Z or +01:00): {value!r}")
    hour, minute, second = int(match["hour"]), int(match["minute"]), int(match["second"])
    offset = timedelta(hours=int(match["off_hour"] or 0), minutes=int(match["off_minute"] or 0))
    offset = -offset if match["sign"] == "-" else offset
    if second == 60:
        utc_minute = (timedelta(hours=hour, minutes=minute) - offset) % timedelta(days=1)
        if utc_minute != timedelta(hours=23, minutes=59):
            raise InvalidQueryError(f"{name} has a leap second other than at 23:59 UTC: {value!r}")
        second = 59
    micro = int((match["fraction"] or "0")[:6].ljust(6, "0"))
    try:
        day = date.fromisoformat(match["date"])
    except ValueError as error:
        raise InvalidQueryError(f"{name} is not a date of the calendar: {value!r}") from error
    zone = UTC if not offset else timezone(offset)
    return datetime.combine(day, time(hour, minute, second, micro), tzinfo=zone)


def search_query(params: Mapping[str, str]) -> SearchQuery:
    """The :class:`SearchQuery` of a ``/v1/articles`` query string."""
    given = present(params)
    unknown = sorted(set(given) - set(SEARCH_PARAMS))
    if unknown:
        raise InvalidQueryError(f"unknown parameter(s): {', '.join(unknown)}")
    cursor = given.get("cursor")
    if cursor is not None and not re.fullmatch(CURSOR, cursor):
        raise InvalidQueryError("cursor is not one this API returned")
    return SearchQuery(
        q=text("q", given.get("q"), MAX_QUERY),
        source=text("source", given.get("source")),
        author=text("author", given.get("author")),
        language=text("language", given.get("language")),
        since=instant("since", given.get("since")),
        until=instant("until", given.get("until")),
        story=text("story", given.get("story")),
        include_duplicates=flag("include_duplicates", given.get("include_duplicates"), False),
        limit=bounded(
            "limit", given.get("limit"), pattern=LIMIT, low=1, high=MAX_LIMIT, default=DEFAULT_LIMIT
        ),
        cursor=cursor,
        speaker=text("speaker", given.get("speaker")),
    )


def quote_query(params: Mapping[str, str]) -> QuoteQuery:
    """The :class:`QuoteQuery` of a ``/v1/quotes`` query string."""
    given = present(params)
    unknown = sorted(set(given) - set(QUOTE_PARAMS))
    if unknown:
        raise InvalidQueryError(f"unknown parameter(s): {', '.join(unknown)}")
    cursor = given.get("cursor")
    if cursor is not None and not re.fullmatch(CURSOR, cursor):
        raise InvalidQueryError("cursor is not one this API returned")
    return QuoteQuery(
        speaker=text("speaker", given.get("speaker")),
        q=text("q", given.get("q"), MAX_QUERY),
        limit=bounded(
            "limit", given.get("limit"), pattern=LIMIT, low=1, high=MAX_LIMIT, default=DEFAULT_LIMIT
        ),
        cursor=cursor,
    )


def stream_backlog(params: Mapping[str, str]) -> int:
    """How many recent positions a new stream replays first (0 to :data:`MAX_BACKLOG`)."""
    value = present(params).get("backlog")
    return bounded("backlog", value, pattern=BACKLOG, low=0, high=MAX_BACKLOG, default=0)


def stream_filter(params: Mapping[str, str]) -> StreamFilter:
    """The filter of a ``/v1/stream`` query string (source and language: any text, trimmed)."""
    given = present(params)
    return StreamFilter(
        source=given.get("source", "").strip() or None,
        language=given.get("language", "").strip() or None,
        include_duplicates=flag("include_duplicates", given.get("include_duplicates"), False),
    )
