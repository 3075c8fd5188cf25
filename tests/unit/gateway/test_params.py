"""Query-string parsing: search and stream parameters, their errors and documented patterns."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from services.gateway.params import (
    BACKLOG,
    CURSOR,
    LIMIT,
    SCHEMAS,
    instant,
    search_query,
    stream_backlog,
    stream_filter,
)
from services.gateway.sse import StreamFilter
from services.store.search import InvalidQueryError, SortKey, Term, TextQuery, encode_cursor


def test_search_params_drop_empty_values_and_parse_types() -> None:
    query = search_query(
        {
            "q": "climate",
            "source": "",
            "author": "   ",  # blank free text is left out too
            "since": "2025-03-01T12:00:00+01:00",
            "until": "",
            "limit": "5",
            "include_duplicates": "true",
            "cursor": "",
        }
    )
    assert query.source is None and query.author is None and query.until is None
    assert query.limit == 5 and query.include_duplicates and query.cursor is None
    assert query.since == datetime(2025, 3, 1, 12, tzinfo=timezone(timedelta(hours=1)))
    assert search_query({"until": "2025-03-01T00:00:00Z"}).until == datetime(2025, 3, 1, tzinfo=UTC)
    assert search_query({"limit": "100", "include_duplicates": "false"}).limit == 100
    assert search_query({"limit": "1", "source": " a "}).source == "a"
    assert search_query({"colour": ""}) == search_query({})  # empty: as if absent


def test_a_nul_in_q_separates_words() -> None:
    """A database reads a NUL as the end of a string (FTS5: "unterminated string"): it parts
    words."""
    assert search_query({"q": "climate\0summit"}).text == TextQuery(
        ((Term("climate"),), (Term("summit"),))
    )
    phrase = search_query({"q": '"climate\0summit"'}).text
    assert phrase == TextQuery(((Term("climate summit", quoted=True),),))
    with pytest.raises(InvalidQueryError, match="at least one word"):
        search_query({"q": "\0"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-03-01t12:00:00z", datetime(2025, 3, 1, 12, tzinfo=UTC)),
        ("2025-03-01T12:00:00-00:00", datetime(2025, 3, 1, 12, tzinfo=UTC)),
        ("2025-03-01T12:00:00.1234567891Z", datetime(2025, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)),
        (
            "2025-03-01T12:00:00.5-23:59",
            datetime(
                2025, 3, 1, 12, 0, 0, 500000, tzinfo=timezone(-timedelta(hours=23, minutes=59))
            ),
        ),
        ("2016-12-31T23:59:60Z", datetime(2016, 12, 31, 23, 59, 59, tzinfo=UTC)),
        (
            "2017-01-01T00:59:60+01:00",
            datetime(2017, 1, 1, 0, 59, 59, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("9999-12-31T23:59:60Z", datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)),
        (
            "0001-01-01T00:00:00+23:59",
            datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=23, minutes=59))),
        ),
    ],
)
def test_since_and_until_accept_every_rfc_3339_date_time(value: str, expected: datetime) -> None:
    assert instant("since", value) == expected


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"since": "soon"}, "since must be an RFC 3339 date-time"),
        ({"since": "2025-03-01"}, "since must be an RFC 3339 date-time"),
        ({"since": " "}, "since must be an RFC 3339 date-time"),
        ({"since": " 2025-03-01T00:00:00Z"}, "since must be an RFC 3339 date-time"),
        ({"since": "2025-03-01 12:00:00Z"}, "since must be an RFC 3339 date-time"),
        ({"since": "2025-03-01T12:00Z"}, "since must be an RFC 3339 date-time"),
        ({"since": "20250301T120000Z"}, "since must be an RFC 3339 date-time"),
        ({"since": "2025-03-01T12:00:00+0100"}, "since must be an RFC 3339 date-time"),
        ({"since": "2025-03-01T24:00:00Z"}, "since must be an RFC 3339 date-time"),
        ({"since": "2025-03-01T12:00:00+24:00"}, "since must be an RFC 3339 date-time"),
        ({"since": "2025-03-01T12:00:00+01:60"}, "since must be an RFC 3339 date-time"),
        ({"since": "2025-03-01T12:00:00.Z"}, "since must be an RFC 3339 date-time"),
        ({"since": "２025-03-01T12:00:00Z"}, "since must be an RFC 3339 date-time"),
        ({"until": "2025-03-01T12:00:00 01:00"}, "must be sent as %2B"),
        ({"until": "2025-03-01T12:00:00"}, "until needs a UTC offset"),
        ({"since": "2025-02-30T00:00:00Z"}, "not a date of the calendar"),
        ({"since": "0000-01-01T00:00:00Z"}, "not a date of the calendar"),
        ({"since": "2025-03-01T12:00:60Z"}, "leap second other than at 23:59 UTC"),
        ({"since": "2016-12-31T23:59:60+01:00"}, "leap second other than at 23:59 UTC"),
        ({"limit": "0"}, "limit must be an integer from 1 to 100, not '0'"),
        ({"limit": "101"}, "limit must be an integer from 1 to 100"),
        ({"limit": "05"}, "limit must be an integer from 1 to 100"),
        ({"limit": "+5"}, "limit must be an integer from 1 to 100"),
        ({"limit": " 5"}, "limit must be an integer from 1 to 100"),
        ({"limit": "1.5"}, "limit must be an integer from 1 to 100"),
        ({"limit": "٥"}, "limit must be an integer from 1 to 100"),
        ({"include_duplicates": "2"}, "include_duplicates must be true or false, not '2'"),
        ({"include_duplicates": "yes"}, "include_duplicates must be true or false"),
        ({"include_duplicates": "True"}, "include_duplicates must be true or false"),
        ({"include_duplicates": " true"}, "include_duplicates must be true or false"),
        ({"cursor": "not a cursor!"}, "cursor is not one this API returned"),
        ({"cursor": "WzEsInkiXQ=="}, "cursor is not one this API returned"),  # padded
        ({"cursor": "bm90LWEtY3Vyc29y"}, "cursor is not one this API returned"),  # decodes badly
        ({"q": "x" * 501}, "q is longer than 500 characters"),
        ({"q": " " * 501}, "q is longer than 500 characters"),
        ({"source": "x" * 201}, "source is longer than 200 characters"),
        ({"story": " " * 201}, "story is longer than 200 characters"),
        ({"nope": "1"}, "unknown parameter(s): nope"),
    ],
)
def test_bad_search_params(params: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidQueryError) as raised:
        search_query(params)
    assert message in str(raised.value)


def test_stream_params() -> None:
    assert stream_filter({"source": " a ", "include_duplicates": "true"}) == StreamFilter(
        "a", None, True
    )
    assert stream_filter({"source": "", "language": " ", "include_duplicates": ""}) == (
        StreamFilter()
    )
    assert stream_backlog({}) == 0 and stream_backlog({"backlog": ""}) == 0
    assert stream_backlog({"backlog": "20"}) == 20
    assert stream_backlog({"backlog": "0"}) == 0 and stream_backlog({"backlog": "100"}) == 100


@pytest.mark.parametrize("backlog", ["-1", "101", "01", " 5", "5 ", "1e2", "ten"])
def test_bad_stream_backlog(backlog: str) -> None:
    with pytest.raises(InvalidQueryError, match="backlog must be an integer from 0 to 100"):
        stream_backlog({"backlog": backlog})


@pytest.mark.parametrize("value", ["yes", "1", "TRUE", "true ", "maybe"])
def test_bad_stream_flag(value: str) -> None:
    with pytest.raises(InvalidQueryError, match="include_duplicates must be true or false"):
        stream_filter({"include_duplicates": value})


def test_documented_patterns_are_the_checked_ones() -> None:
    """The schemas the OpenAPI document shows name the patterns :mod:`params` checks."""
    assert SCHEMAS["limit"]["anyOf"] == [{"pattern": LIMIT}, {"const": ""}]
    assert SCHEMAS["backlog"]["anyOf"] == [{"pattern": BACKLOG}, {"const": ""}]
    assert SCHEMAS["cursor"]["anyOf"] == [{"pattern": CURSOR}, {"const": ""}]
    assert [str(n) for n in range(1, 101)] == [
        str(n) for n in range(200) if re.fullmatch(LIMIT, str(n))
    ]
    assert [str(n) for n in range(101)] == [
        str(n) for n in range(200) if re.fullmatch(BACKLOG, str(n))
    ]
    assert re.fullmatch(CURSOR, encode_cursor(SortKey(-(2**63), "ü/+?" * 20)))
