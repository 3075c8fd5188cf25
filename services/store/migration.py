"""A versioned schema step, the same idea on both backends.

Pure. Each backend keeps its ordered tuple of steps (``MIGRATIONS`` in ``sqlite/database.py``
and ``postgres/schema.py``): step ``n`` brings a database from version ``n - 1`` to ``n`` and
is applied in one transaction together with the new version number, so a crash leaves either
the old or the new version, and re-opening an up-to-date database changes nothing. Version 0 is
an empty database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from services.store.errors import DatabaseNotReadyError, SchemaVersionError


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: the statements that bring the database to ``version``."""

    version: int
    description: str
    statements: tuple[str, ...]


def check_order(migrations: Sequence[Migration]) -> None:
    """Refuse steps that are not numbered 1, 2, 3… in order."""
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(f"migrations must be numbered 1, 2, 3… in order, got {versions}")


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
