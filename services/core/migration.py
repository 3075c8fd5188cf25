"""A versioned schema step, the one idea behind every newsflow schema (the store's on SQLite and
PostgreSQL, dedup's state on PostgreSQL).

Pure. Each schema keeps its ordered tuple of steps: step ``n`` brings a database from version
``n - 1`` to ``n`` and is applied in one transaction together with the new version number, so a
crash leaves either the old or the new version, and re-opening an up-to-date database changes
nothing. Version 0 is an empty database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: the statements that bring the database to ``version``."""

    version: int
    description: str
    statements: tuple[str, ...]


def version_table(name: str) -> str:
    """PostgreSQL's ``CREATE TABLE IF NOT EXISTS`` of a table ``name`` that records each applied
    step (``version``, ``description``, ``applied_at``)."""
    return (
        f"CREATE TABLE IF NOT EXISTS {name} (version integer PRIMARY KEY, "
        "description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
    )


def check_order(migrations: Sequence[Migration]) -> None:
    """Refuse steps that are not numbered 1, 2, 3… in order."""
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(f"migrations must be numbered 1, 2, 3… in order, got {versions}")
