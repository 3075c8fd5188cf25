"""What the store wrote, read from outside: the article ids in its database (the SQLite file or
the PostgreSQL database of the settings), and the checks a doubled write would fail."""

from __future__ import annotations

import contextlib
import sqlite3
from collections import Counter
from pathlib import Path

import asyncpg

from services.core.settings import Settings
from services.store.backend import open_reader
from tests.support.fulltext import assert_indexed_once


def stored_ids(database: Path) -> Counter[str]:
    """Article ids in the store's SQLite file (empty until the store has created it)."""
    if not database.exists():
        return Counter()
    try:
        with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            return Counter(row[0] for row in db.execute("SELECT id FROM articles"))
    except sqlite3.OperationalError:  # not created yet, or busy for a moment
        return Counter()


async def stored_ids_of(settings: Settings) -> Counter[str]:
    """Article ids in the store's database of ``settings``, whichever backend (empty until the
    store has created it)."""
    if settings.database_url is None:
        return stored_ids(settings.database_path)
    connection = await asyncpg.connect(settings.database_url, timeout=10)
    try:
        rows = await connection.fetch("SELECT id FROM articles")
    except asyncpg.UndefinedTableError:  # no store has started yet
        return Counter()
    finally:
        await connection.close()
    return Counter(str(row["id"]) for row in rows)


async def assert_written_once(settings: Settings, ids: Counter[str]) -> None:
    """No store write ran twice: on SQLite the full-text index holds each article once; on
    both, the totals the gateway serves count each stored article (``ids``) once."""
    assert not ids or max(ids.values()) == 1, "an article id stored twice"
    if settings.database_url is None:
        assert_indexed_once(settings.database_path)
    reader = await open_reader(settings)
    try:
        counts = await reader.counts()
    finally:
        await reader.close()
    assert counts.total == len(ids), f"totals count {counts.total}, the database holds {len(ids)}"
