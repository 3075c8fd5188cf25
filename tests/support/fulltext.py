"""The store's full-text index, checked from outside: what a doubled store write would leave.

The ``articles`` table cannot hold an id twice (its ``id`` is UNIQUE), but the full-text index
is written by a separate statement and FTS5 accepts an article's entry twice without a word: a
store write that ran again would show there, and only there."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

INTEGRITY_CHECK = "INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)"


def assert_indexed_once(database: Path) -> None:
    """Every stored article is in the full-text index exactly once: FTS5's integrity check
    compares the index with the articles it indexes (an entry doubled, missing or stale fails
    it). Writes nothing; the database may be in use."""
    assert database.exists(), f"no database at {database}"
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=rw", uri=True)) as db:
        db.execute("PRAGMA busy_timeout = 10000")
        try:
            db.execute(INTEGRITY_CHECK)
        except sqlite3.DatabaseError as error:
            raise AssertionError(
                f"the full-text index disagrees with the articles: {error}"
            ) from error
        finally:
            db.rollback()
