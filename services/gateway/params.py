"""Query-string values → typed values, with a clear 400 message for each bad one. Pure.

Empty values (``?source=``) are dropped, as if the parameter were absent.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from services.gateway.errors import InvalidQueryError
from services.gateway.search import DEFAULT_LIMIT, SearchQuery
from services.gateway.sse import StreamFilter

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
)
_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


def present(params: Mapping[str, str]) -> dict[str, str]:
    """The parameters with a non-blank value."""
    return {name: value for name, value in params.items() if value.strip()}


def flag(name: str, value: str | None, default: bool) -> bool:
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise InvalidQueryError(f"{name} must be true or false, not {value!r}")


def instant(name: str, value: str | None) -> datetime | None:
    """An ISO 8601 date-time with a UTC offset (a ``+`` decoded to a space is put back)."""
    if value is None:
        return None
    text = value.strip().replace(" ", "+")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise InvalidQueryError(
            f"{name} must be an ISO 8601 date-time with an offset, "
            f"e.g. 2025-03-01T12:00:00+01:00; got {value!r}"
        ) from error
    if moment.utcoffset() is None:
        raise InvalidQueryError(f"{name} needs a UTC offset (e.g. Z or +01:00): {value!r}")
    return moment


def integer(name: str, value: str | None, default: int) -> int:
    if value is None:
        return default
    try:
        return int(value.strip())
    except ValueError as error:
        raise InvalidQueryError(f"{name} must be an integer, not {value!r}") from error


def search_query(params: Mapping[str, str]) -> SearchQuery:
    """The :class:`SearchQuery` of a ``/v1/articles`` query string."""
    given = present(params)
    unknown = sorted(set(given) - set(SEARCH_PARAMS))
    if unknown:
        raise InvalidQueryError(f"unknown parameter(s): {', '.join(unknown)}")
    return SearchQuery(
        q=given.get("q"),
        source=given.get("source"),
        author=given.get("author"),
        language=given.get("language"),
        since=instant("since", given.get("since")),
        until=instant("until", given.get("until")),
        story=given.get("story"),
        include_duplicates=flag("include_duplicates", given.get("include_duplicates"), False),
        limit=integer("limit", given.get("limit"), DEFAULT_LIMIT),
        cursor=given.get("cursor"),
    )


MAX_BACKLOG = 100


def stream_backlog(params: Mapping[str, str]) -> int:
    """How many recent positions a new stream replays first (0 to :data:`MAX_BACKLOG`)."""
    value = integer("backlog", present(params).get("backlog"), 0)
    if not 0 <= value <= MAX_BACKLOG:
        raise InvalidQueryError(f"backlog must be an integer from 0 to {MAX_BACKLOG}")
    return value


def stream_filter(params: Mapping[str, str]) -> StreamFilter:
    """The filter of a ``/v1/stream`` query string."""
    given = present(params)
    return StreamFilter(
        source=given.get("source", "").strip() or None,
        language=given.get("language", "").strip() or None,
        include_duplicates=flag("include_duplicates", given.get("include_duplicates"), False),
    )
