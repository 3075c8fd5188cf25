"""``SqliteReader``: what only SQLite's reader does (the shared behaviour is in
``tests/unit/store/test_reader.py``)."""

from __future__ import annotations

import sqlite3

import pytest

from services.store.errors import DatabaseUnavailableError
from services.store.search import InvalidQueryError
from services.store.sqlite.reader import reading


@pytest.mark.parametrize(
    "message", ['fts5: syntax error near "AND"', "unterminated string", "no such column: x"]
)
def test_an_fts5_refusal_of_q_is_an_invalid_query(message: str) -> None:
    with (
        pytest.raises(InvalidQueryError, match="q cannot be searched"),
        reading("searching articles", full_text=True),
    ):
        raise sqlite3.OperationalError(message)


def test_the_same_refusal_without_q_is_not_the_clients_fault() -> None:
    with (
        pytest.raises(sqlite3.OperationalError, match="no such column"),
        reading("reading an article"),
    ):
        raise sqlite3.OperationalError("no such column: x")


def test_a_locked_database_is_unavailable() -> None:
    with (
        pytest.raises(DatabaseUnavailableError, match="database is locked"),
        reading("searching articles", full_text=True),
    ):
        raise sqlite3.OperationalError("database is locked")
