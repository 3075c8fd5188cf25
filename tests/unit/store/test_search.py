"""The pure search: validation, full-text syntax, cursors."""

from __future__ import annotations

import base64
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from services.store import search
from services.store.search import (
    NO_DATE,
    InvalidQueryError,
    SearchQuery,
    SortKey,
    Term,
    TextQuery,
    decode_cursor,
    encode_cursor,
    parse_text,
)
from services.store.sqlite.query import search_statement

T0 = datetime(2025, 3, 1, tzinfo=UTC)
T0_US = 1_740_787_200_000_000


@pytest.mark.parametrize(
    ("q", "text"),
    [
        ("climate", TextQuery(((Term("climate"),),))),
        ("Climate  summit", TextQuery(((Term("Climate"),), (Term("summit"),)))),
        (
            '"climate summit" paris',
            TextQuery(((Term("climate summit", quoted=True),), (Term("paris"),))),
        ),
        ("clim*", TextQuery(((Term("clim", prefix=True),),))),
        ('"climate sum"*', TextQuery(((Term("climate sum", prefix=True, quoted=True),),))),
        ("a OR b OR c d", TextQuery(((Term("a"), Term("b"), Term("c")), (Term("d"),)))),
        (
            "paris NOT london -rome*",
            TextQuery(((Term("paris"),),), (Term("london"), Term("rome", prefix=True))),
        ),
        ("paris AND london", TextQuery(((Term("paris"),), (Term("london"),)))),
        ("covid-19 !!! ...", TextQuery(((Term("covid-19"),),))),
        ('paris ""', TextQuery(((Term("paris"),),))),
        ("東京 -大阪", TextQuery(((Term("東京"),),), (Term("大阪"),))),
    ],
)
def test_q_is_read_into_groups_of_terms_and_exclusions(q: str, text: TextQuery) -> None:
    assert parse_text(q) == text
    assert SearchQuery(q=q).text == text


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ('"unbalanced', "unbalanced"),
        ('a "b" "c', "unbalanced"),
        ("-paris", "at least one word"),
        ("NOT paris", "at least one word"),
        ("!!! ???", "at least one word"),
        ("OR paris", "between two words"),
        ("paris OR", "ends with OR"),
        ("paris NOT", "ends with NOT"),
        ("paris OR OR london", "between two words"),
        ("paris OR NOT london", "between two words"),
        ("x" * 501, "longer than 500"),
        (" ".join(["w"] * 33), "more than 32 terms"),
        ("   ", "blank"),
    ],
)
def test_unusable_full_text_is_an_invalid_query(q: str, message: str) -> None:
    with pytest.raises(InvalidQueryError, match=message):
        SearchQuery(q=q)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "20"}, "limit"),
        ({"limit": True}, "limit"),
        ({"limit": 2.0}, "limit"),
        ({"since": datetime(2025, 1, 1)}, "since must be a datetime with a UTC offset"),
        ({"until": "2025-01-01"}, "until must be a datetime"),
        ({"since": T0, "until": T0}, "since must be before until"),
        ({"since": T0 + timedelta(seconds=1), "until": T0}, "since must be before until"),
        ({"source": ""}, "source must not be blank"),
        ({"author": "  "}, "author must not be blank"),
        ({"language": "x" * 201}, "language is longer"),
        ({"story": 42}, "story must be text"),
        ({"include_duplicates": "yes"}, "include_duplicates"),
        ({"include_duplicates": 1}, "include_duplicates"),
        ({"cursor": "not a cursor!"}, "cursor"),
        ({"cursor": ""}, "cursor must not be blank"),
    ],
)
def test_bad_parameters_are_invalid_queries(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidQueryError, match=message):
        SearchQuery(**kwargs)  # type: ignore[arg-type]


def test_invalid_query_is_a_value_error() -> None:
    assert issubclass(InvalidQueryError, ValueError)


@pytest.mark.parametrize(
    "key",
    [
        SortKey(T0_US, "article-1"),
        SortKey(NO_DATE, "undated"),
        SortKey(-5, "before 1970"),
        SortKey(2**63 - 1, "ïd/with?odd&chars=é"),
    ],
)
def test_cursor_round_trip(key: SortKey) -> None:
    cursor = encode_cursor(key)
    assert cursor.replace("-", "").replace("_", "").isalnum()
    assert decode_cursor(cursor) == key
    query = SearchQuery(cursor=cursor)
    assert query.after == key
    statement = search_statement(query)
    assert "(a.sort_ts, a.id) < (:after_ts, :after_id)" in statement.sql
    assert statement.params["after_ts"] == key.ts
    assert statement.params["after_id"] == key.id


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "%%%",
        "a",
        _b64(b"\xff\xfe"),
        _b64(b"not json"),
        _b64(b'{"ts": 1, "id": "x"}'),
        _b64(b"[1]"),
        _b64(b'[1, "x", 2]'),
        _b64(b'["1", "x"]'),
        _b64(b'[true, "x"]'),
        _b64(b'[1.5, "x"]'),
        _b64(b"[1, 2]"),
        _b64(b'[99999999999999999999, "x"]'),
    ],
)
def test_bad_cursor_is_an_invalid_query(cursor: str) -> None:
    with pytest.raises(InvalidQueryError, match="cursor"):
        decode_cursor(cursor)
    with pytest.raises(InvalidQueryError, match="cursor"):
        SearchQuery(cursor=cursor)


def test_query_is_frozen() -> None:
    query = SearchQuery(q="paris")
    with pytest.raises(AttributeError):
        query.q = "london"  # type: ignore[misc]


def test_builder_is_pure() -> None:
    code = (
        "import sys, services.store.search, services.store.sqlite.query; "
        "banned = {'aiosqlite', 'sqlite3', '_sqlite3', 'fastapi', 'starlette', 'httpx'}; "
        "print(sorted(banned & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert search.__name__ == "services.store.search"
