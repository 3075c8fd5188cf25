"""asyncpg's failures at the boundary: a server away (down, shutting down, a connection closed
or confused under us) is newsflow's transient DatabaseUnavailableError; a misuse or a violated
constraint passes through unchanged; a URL shown never carries its user or password."""

from __future__ import annotations

import asyncpg
import pytest

from services.core.errors import DatabaseUnavailableError, TransientError
from services.core.pgclient import is_transient, redacted, translated

AWAY = [
    ConnectionRefusedError(111, "Connection refused"),
    TimeoutError(),
    asyncpg.exceptions.AdminShutdownError("terminating connection due to administrator command"),
    asyncpg.exceptions.CannotConnectNowError("the database system is starting up"),
    asyncpg.exceptions.ConnectionDoesNotExistError(
        "connection was closed in the middle of operation"
    ),
    asyncpg.exceptions.TooManyConnectionsError("sorry, too many clients already"),
    asyncpg.exceptions.SerializationError("could not serialize access"),
    asyncpg.exceptions.InvalidCatalogNameError('database "news" does not exist'),
    asyncpg.InterfaceError("connection is closed"),
    asyncpg.InternalClientError("cannot switch to state 11; another operation (2) is in progress"),
]
MISUSE = [
    asyncpg.exceptions.UniqueViolationError("duplicate key value violates unique constraint"),
    asyncpg.exceptions.UndefinedColumnError('column "x" does not exist'),
    asyncpg.InterfaceError("cannot use Connection.transaction() in a manually started transaction"),
]


@pytest.mark.parametrize("error", AWAY, ids=lambda e: type(e).__name__)
def test_a_server_away_is_transient(error: Exception) -> None:
    assert is_transient(error)
    with (
        pytest.raises(DatabaseUnavailableError, match=r"^writing x: ") as raised,
        translated("writing x"),
    ):
        raise error
    assert isinstance(raised.value, TransientError) and raised.value.__cause__ is error


@pytest.mark.parametrize("error", MISUSE, ids=lambda e: type(e).__name__)
def test_a_misuse_passes_through(error: Exception) -> None:
    assert not is_transient(error)
    with pytest.raises(type(error)), translated("writing x"):
        raise error


def test_a_url_is_shown_without_its_credentials() -> None:
    url = "postgresql://newsflow:s3cret@db.example:6543/news?sslmode=require"
    assert redacted(url) == "postgresql://db.example:6543/news"
    assert redacted("postgres://localhost/news") == "postgresql://localhost/news"
