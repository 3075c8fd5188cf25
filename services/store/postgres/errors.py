"""The one place asyncpg's failures are translated into the store's errors.

A server that is down, restarting, out of connections, disk or memory, a connection that broke,
a deadlock or serialization failure between two writers, a lock or statement timeout: each is
the database being unavailable for now (:class:`DatabaseUnavailableError`, retried with
backoff). A database or schema that does not exist yet is :class:`DatabaseNotReadyError`. Any
other error (a bug: bad SQL, a violated constraint) passes through unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg

from services.store.errors import DatabaseNotReadyError, DatabaseUnavailableError

# SQLSTATE classes and codes that mean "try again later".
_TRANSIENT_CLASSES = ("08", "53", "57P", "58", "40")
_TRANSIENT_CODES = frozenset(
    {
        "55P03",  # lock_not_available (lock_timeout)
        "57014",  # query_canceled (statement_timeout)
        "25006",  # read_only_sql_transaction: the server became a standby (failover)
        "28000",  # invalid_authorization_specification: a role not (yet) allowed
        "28P01",  # invalid_password: the secret not (yet) rotated in
    }
)
_NOT_READY_CODES = frozenset(
    {
        "3D000",  # invalid_catalog_name: the database does not exist
        "42P01",  # undefined_table: the schema is not there (the store creates it)
        "3F000",  # invalid_schema_name
    }
)

_CLOSED = ("connection is closed", "connection was closed")


def sqlstate(error: BaseException) -> str:
    """The SQLSTATE of a server error, ``""`` for anything else."""
    return str(getattr(error, "sqlstate", "") or "")


def is_broken(error: BaseException) -> bool:
    """Whether a connection that raised ``error`` can no longer be trusted: it lost the server,
    or asyncpg lost its place in the protocol (``InternalClientError``, as after the server
    ended an idle session: MagicStack/asyncpg#784)."""
    if isinstance(error, OSError | TimeoutError | asyncpg.InternalClientError):
        return True
    if isinstance(error, asyncpg.InterfaceError):
        return any(text in str(error) for text in _CLOSED)
    return sqlstate(error).startswith(("08", "57P"))


def is_transient(error: BaseException) -> bool:
    """Whether an error means the database is unavailable rather than misused."""
    if is_broken(error):
        return True  # refused, reset, timed out or ended: a new connection will do
    state = sqlstate(error)
    return state in _TRANSIENT_CODES or state.startswith(_TRANSIENT_CLASSES)


@contextmanager
def translated(action: str) -> Iterator[None]:
    """Re-raise transient asyncpg errors as :class:`DatabaseUnavailableError` (a missing
    database or schema as :class:`DatabaseNotReadyError`); others unchanged."""
    try:
        yield
    except (
        asyncpg.PostgresError,
        asyncpg.InterfaceError,
        asyncpg.InternalClientError,
        OSError,
        TimeoutError,
    ) as error:
        if sqlstate(error) in _NOT_READY_CODES:
            raise DatabaseNotReadyError(f"{action}: {error}") from error
        if is_transient(error):
            raise DatabaseUnavailableError(f"{action}: {error}") from error
        raise
