"""The store's errors, and the one place ``sqlite3`` failures are translated into them.

A locked, busy, full or failing database is a dependency problem: it becomes a
:class:`DatabaseUnavailableError` (a :class:`~services.core.errors.TransientError`), so the
consumer runner backs off and retries instead of dead-lettering the record.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from services.core.errors import ConfigurationError, TransientError

# Primary result codes (``sqlite_errorcode & 0xFF``) that mean "try again later".
_TRANSIENT_CODES = frozenset(
    {
        5,  # SQLITE_BUSY
        6,  # SQLITE_LOCKED
        10,  # SQLITE_IOERR
        13,  # SQLITE_FULL
        14,  # SQLITE_CANTOPEN
        15,  # SQLITE_PROTOCOL
    }
)
_TRANSIENT_MESSAGES = ("database is locked", "database table is locked", "disk i/o error")


class DatabaseUnavailableError(TransientError):
    """The SQLite database is locked, busy, full or failing: retry with backoff."""


class DatabaseNotReadyError(DatabaseUnavailableError):
    """The database file does not exist yet, or its schema is older than this code needs."""


class SchemaVersionError(ConfigurationError):
    """The database was migrated by a newer newsflow than this one."""


def is_transient(error: sqlite3.Error) -> bool:
    """Whether a sqlite3 error means the database is unavailable rather than misused."""
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in _TRANSIENT_CODES:
        return True
    message = str(error).lower()
    return any(fragment in message for fragment in _TRANSIENT_MESSAGES)


@contextmanager
def translated(action: str) -> Iterator[None]:
    """Re-raise transient sqlite3 errors as :class:`DatabaseUnavailableError`; others unchanged."""
    try:
        yield
    except sqlite3.OperationalError as error:
        if is_transient(error):
            raise DatabaseUnavailableError(f"{action}: {error}") from error
        raise
