"""The one place ``sqlite3`` failures are translated into the store's errors."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from services.store.errors import DatabaseUnavailableError

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
