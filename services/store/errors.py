"""The store's errors, whichever database is behind it.

A locked, busy, full, restarting or unreachable database is a dependency problem: each backend
translates its driver's errors into a :class:`DatabaseUnavailableError` (a
:class:`~services.core.errors.TransientError`) in one place (``sqlite/errors.py``,
``postgres/errors.py``), so the consumer runner backs off and retries instead of dead-lettering
the record, and the gateway answers ``503`` instead of failing.
"""

from __future__ import annotations

from services.core.errors import ConfigurationError, TransientError


class DatabaseUnavailableError(TransientError):
    """The database is locked, busy, full, restarting or unreachable: retry with backoff."""


class DatabaseNotReadyError(DatabaseUnavailableError):
    """The database does not exist yet, or its schema is older than this code needs."""


class SchemaVersionError(ConfigurationError):
    """The database was migrated by a newer newsflow than this one."""
