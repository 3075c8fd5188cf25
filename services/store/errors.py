"""The store's errors, whichever database is behind it.

A locked, busy, full, restarting or unreachable database is a dependency problem: each backend
translates its driver's errors into a :class:`DatabaseUnavailableError` (a
:class:`~services.core.errors.TransientError`, shared with every user of a database) in one
place (``sqlite/errors.py``; :mod:`services.core.pgclient` for PostgreSQL), so the consumer
runner backs off and retries instead of dead-lettering the record, and the gateway answers
``503`` instead of failing.
"""

from __future__ import annotations

from services.core.errors import (
    ConfigurationError,
    DatabaseNotReadyError,
    DatabaseUnavailableError,
)

__all__ = ["DatabaseNotReadyError", "DatabaseUnavailableError", "SchemaVersionError"]


class SchemaVersionError(ConfigurationError):
    """The database was migrated by a newer newsflow than this one."""
