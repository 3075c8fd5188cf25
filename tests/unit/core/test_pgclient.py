"""asyncpg's failures at the boundary: a server away (down, shutting down, a connection closed
or confused under us) is newsflow's transient DatabaseUnavailableError; a database, schema or
table not created yet is DatabaseNotReadyError (transient too); a misuse or a violated
constraint passes through unchanged; a URL shown never carries its user or password."""

from __future__ import annotations

import asyncpg
import pytest

from services.core.errors import DatabaseNotReadyError, DatabaseUnavailableError, TransientError
from services.core.pgclient import is_broken, is_transient, redacted, translated

# Each also breaks its connection: a pool must not hand it out again.
BROKEN = [
    ConnectionRefusedError(111, "Connection refused"),
    TimeoutError(),
    asyncpg.exceptions.AdminShutdownError("terminating connection due to administrator command"),
    asyncpg.exceptions.CannotConnectNowError("the database system is starting up"),
    asyncpg.exceptions.ConnectionDoesNotExistError(
        "connection was closed in the middle of operation"
    ),
    asyncpg.InterfaceError("connection is closed"),
    asyncpg.InterfaceError("cannot perform operation: connection is closed"),
    asyncpg.InternalClientError("cannot switch to state 11; another operation (2) is in progress"),
]
# Away for now, on a connection that still works.
AWAY = [
    asyncpg.exceptions.TooManyConnectionsError("sorry, too many clients already"),
    asyncpg.exceptions.SerializationError("could not serialize access"),
    asyncpg.exceptions.DeadlockDetectedError("deadlock detected"),
    asyncpg.exceptions.DiskFullError("no space left on device"),
    asyncpg.exceptions.QueryCanceledError("canceling statement due to statement timeout"),
    asyncpg.exceptions.LockNotAvailableError("canceling statement due to lock timeout"),
    asyncpg.exceptions.ReadOnlySQLTransactionError("cannot execute INSERT in a read-only txn"),
    asyncpg.exceptions.InvalidPasswordError('password authentication failed for user "n"'),
    asyncpg.exceptions.InvalidAuthorizationSpecificationError('role "n" is not permitted'),
]
NOT_READY = [
    asyncpg.exceptions.InvalidCatalogNameError('database "news" does not exist'),
    asyncpg.exceptions.InvalidSchemaNameError('schema "news" does not exist'),
    asyncpg.exceptions.UndefinedTableError('relation "articles" does not exist'),
]
MISUSE = [
    asyncpg.exceptions.UniqueViolationError("duplicate key value violates unique constraint"),
    asyncpg.exceptions.UndefinedColumnError('column "x" does not exist'),
    asyncpg.exceptions.PostgresSyntaxError('syntax error at or near "SELEC"'),
    asyncpg.InterfaceError("cannot use Connection.transaction() in a manually started transaction"),
    asyncpg.InterfaceError("cannot call Connection.fetch(): connection has been released"),
]


def _name(error: BaseException) -> str:
    return f"{type(error).__name__}:{str(error)[:20]}"


@pytest.mark.parametrize("error", BROKEN + AWAY, ids=_name)
def test_a_server_away_is_transient(error: Exception) -> None:
    assert is_transient(error)
    with (
        pytest.raises(DatabaseUnavailableError, match=r"^writing x: ") as raised,
        translated("writing x"),
    ):
        raise error
    assert isinstance(raised.value, TransientError) and raised.value.__cause__ is error
    assert not isinstance(raised.value, DatabaseNotReadyError)


@pytest.mark.parametrize("error", BROKEN, ids=_name)
def test_a_lost_connection_is_broken(error: Exception) -> None:
    assert is_broken(error)


@pytest.mark.parametrize("error", AWAY + NOT_READY + MISUSE, ids=_name)
def test_a_connection_that_answered_is_not_broken(error: Exception) -> None:
    assert not is_broken(error)


@pytest.mark.parametrize("error", NOT_READY, ids=_name)
def test_what_is_not_created_yet_is_not_ready(error: Exception) -> None:
    assert is_transient(error)
    with pytest.raises(DatabaseNotReadyError, match="does not exist") as raised, translated("x"):
        raise error
    assert isinstance(raised.value, DatabaseUnavailableError) and raised.value.__cause__ is error


@pytest.mark.parametrize("error", MISUSE, ids=_name)
def test_a_misuse_passes_through(error: Exception) -> None:
    assert not is_transient(error)
    with pytest.raises(type(error)), translated("writing x"):
        raise error


def test_a_url_is_shown_without_its_credentials() -> None:
    url = "postgresql://newsflow:s3cret@db.example:6543/news?sslmode=require"
    assert redacted(url) == "postgresql://db.example:6543/news"
    assert redacted("postgres://localhost/news") == "postgresql://localhost/news"
