"""asyncpg at the boundary: connecting to the configured PostgreSQL server, and its failures
translated into newsflow's errors (the code above sees :class:`DatabaseUnavailableError`, a
transient error the runner retries, never an asyncpg class for a server that is away). Dedup's
state, its lease and the store all use this one translation.

What counts as "unavailable for now": a server that is down, starting, shutting down, out of
connections, disk or memory; a connection refused, reset, timed out or closed under us; a
deadlock or serialization failure; a lock or statement timeout; a role or password not (yet)
accepted. A database, schema or table that does not exist yet is
:class:`DatabaseNotReadyError` (a kind of unavailable: whoever creates it has not run yet).
Anything else (bad SQL, a violated constraint) is a bug and passes through unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import asyncpg

from services.core.errors import DatabaseNotReadyError, DatabaseUnavailableError
from services.core.migration import Migration

Connection = Any  # asyncpg.Connection (untyped): kept behind the modules that use it

# SQLSTATE classes and codes that mean "try again later".
_TRANSIENT_CLASSES = ("08", "40", "53", "57P", "58")
_TRANSIENT_CODES = frozenset(
    {
        "55P03",  # lock_not_available (lock_timeout)
        "57014",  # query_canceled (statement_timeout)
        "25006",  # read_only_sql_transaction: the server became a standby (failover)
        "28000",  # invalid_authorization_specification: a role not (yet) allowed
        "28P01",  # invalid_password: the secret not (yet) rotated in
    }
)
# ... and those that mean "not created yet": retried too, and told apart (a reader says so).
_NOT_READY_CODES = frozenset(
    {
        "3D000",  # invalid_catalog_name: the database does not exist
        "3F000",  # invalid_schema_name
        "42P01",  # undefined_table: the schema is not there (its owner creates it at start)
    }
)
# Asked of the server for a session whose client may vanish without closing its socket (a host
# gone, a network split): the server ends it after idle + interval × count = 11 s of silence,
# with every lock it held.
SERVER_KEEPALIVES = {
    "tcp_keepalives_idle": "5",
    "tcp_keepalives_interval": "2",
    "tcp_keepalives_count": "3",
}
_DRIVER_ERRORS = (
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
    OSError,
    TimeoutError,
)
_CLOSED = ("connection is closed", "connection was closed", "cannot perform operation")


def redacted(url: str) -> str:
    """Where a PostgreSQL URL points, for logs and health: server and database, never the user
    or the password."""
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"postgresql://{parts.hostname or 'localhost'}{port}{parts.path}"


def sqlstate(error: BaseException) -> str:
    """The SQLSTATE of a server error; ``""`` for anything else."""
    return str(getattr(error, "sqlstate", "") or "")


def is_broken(error: BaseException) -> bool:
    """Whether a connection that raised ``error`` can no longer be trusted (a pool must drop
    it, not hand it out again): it lost the server, or asyncpg lost its place in the protocol."""
    if isinstance(error, OSError | TimeoutError):
        return True  # refused, reset, unreachable or timed out on the way to the server
    if isinstance(error, asyncpg.InternalClientError):
        # The driver lost track of the protocol: seen when the server ends a session (a
        # terminated backend, a shutdown) while a call starts on it (MagicStack/asyncpg#784).
        return True
    if isinstance(error, asyncpg.InterfaceError):
        return any(text in str(error) for text in _CLOSED)  # the server went away under us
    return sqlstate(error).startswith(("08", "57P"))  # connection failure, server shut down


def is_transient(error: BaseException) -> bool:
    """Whether ``error`` (raised by asyncpg or the socket under it) means the database is
    unavailable for now rather than misused."""
    if is_broken(error):
        return True  # a new connection will do
    state = sqlstate(error)
    return (
        state in _TRANSIENT_CODES
        or state in _NOT_READY_CODES
        or state.startswith(_TRANSIENT_CLASSES)
    )


@contextmanager
def translated(action: str) -> Iterator[None]:
    """Re-raise a transient failure as :class:`DatabaseUnavailableError` (a missing database,
    schema or table as :class:`DatabaseNotReadyError`), with ``action`` and the cause; every
    other error unchanged."""
    try:
        yield
    except _DRIVER_ERRORS as error:
        if sqlstate(error) in _NOT_READY_CODES:
            raise DatabaseNotReadyError(f"{action}: {type(error).__name__}: {error}") from error
        if is_transient(error):
            raise DatabaseUnavailableError(f"{action}: {type(error).__name__}: {error}") from error
        raise


async def connect(
    url: str,
    application_name: str,
    *,
    timeout_s: float,
    command_timeout_s: float | None = None,
    server_settings: Mapping[str, str] | None = None,
) -> Connection:
    """One connection to ``url`` named ``application_name`` (shown in ``pg_stat_activity``),
    given up after ``timeout_s``; each statement on it after ``command_timeout_s`` (if set)."""
    settings = {"application_name": application_name[:63], **(server_settings or {})}
    with translated(f"cannot connect to {redacted(url)}"):
        return await asyncpg.connect(
            url, timeout=timeout_s, command_timeout=command_timeout_s, server_settings=settings
        )


async def close_quietly(connection: Connection | None, timeout_s: float = 2.0) -> None:
    """Close ``connection`` (its session ends, and with it every session-level lock), or drop
    its socket when the server does not answer in time."""
    if connection is None or connection.is_closed():
        return
    try:
        await connection.close(timeout=timeout_s)
    except _DRIVER_ERRORS:
        connection.terminate()


async def apply_step(connection: Connection, step: Migration, version_table: str) -> None:
    """Run ``step``'s statements and record its version in ``version_table`` (a table with
    ``version`` and ``description`` columns), inside the caller's transaction."""
    for statement in step.statements:
        await connection.execute(statement)
    await connection.execute(
        f"INSERT INTO {version_table} (version, description) VALUES ($1, $2)",
        step.version,
        step.description,
    )
