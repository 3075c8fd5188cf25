"""The store's schema versions on both backends (the steps themselves:
:class:`~services.core.migration.Migration`, ``MIGRATIONS`` in ``sqlite/database.py`` and
``postgres/schema.py``), and a reader's check of the version it finds.

Pure.
"""

from __future__ import annotations

from services.store.errors import DatabaseNotReadyError, SchemaVersionError


def check_version(where: str, found: int, latest: int) -> None:
    """A reader's check of the schema it finds: :class:`SchemaVersionError` when newer than this
    code knows, :class:`DatabaseNotReadyError` when older (the store migrates it at start)."""
    if found > latest:
        raise SchemaVersionError(
            f"database {where} has schema version {found}; this newsflow knows up to {latest}"
        )
    if found < latest:
        raise DatabaseNotReadyError(
            f"database {where} has schema version {found}, needs {latest}: "
            "start the store to migrate it"
        )
