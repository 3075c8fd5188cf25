"""Dedup's state in a SQLite file (aiosqlite, WAL): the embedded default, one writer (the
process holding the file's lease)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import aiosqlite

from services.core.settings import DedupSettings
from services.dedup.boilerplate_model import Promotion
from services.dedup.decision import Decision
from services.dedup.deduplicator import StateChange
from services.dedup.recordstore import DocRecord
from services.dedup.staterows import (
    FINGERPRINT_COLUMNS,
    Snapshot,
    array,
    batch_rows,
    block_stat,
    check_meta,
    expected_meta,
    record_of,
    to_unsigned,
    verdict_of,
    window_start,
)
from services.dedup.statestore import DedupState

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS verdicts (
    article_id TEXT PRIMARY KEY, story_id TEXT NOT NULL, verdict TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS fingerprints (
    seq INTEGER PRIMARY KEY, article_id TEXT NOT NULL, story_id TEXT NOT NULL,
    event_time INTEGER NOT NULL, body_hash INTEGER NOT NULL, url_key INTEGER,
    shingle_count INTEGER NOT NULL, sample BLOB NOT NULL, lede BLOB NOT NULL,
    anchors BLOB NOT NULL, first_body INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS fingerprints_event_time ON fingerprints (event_time);
CREATE TABLE IF NOT EXISTS boilerplate_blocks (
    block INTEGER PRIMARY KEY, stories BLOB NOT NULL, last_seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS boilerplate_promoted (
    block INTEGER PRIMARY KEY, shingles BLOB NOT NULL);
"""
_COLUMNS = ", ".join(FINGERPRINT_COLUMNS)


class SqliteState(DedupState):
    """The SQLite file behind one dedup engine."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    @classmethod
    async def open(cls, path: Path, settings: DedupSettings) -> SqliteState:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(path, isolation_level=None)
        try:
            await db.execute("PRAGMA journal_mode=WAL")
            await db.execute(f"PRAGMA synchronous={settings.sqlite_synchronous}")
            await db.executescript(_SCHEMA)
            check_meta(await _meta(db), settings)
            await db.executemany(
                "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)",
                expected_meta(settings).items(),
            )
        except BaseException:
            await db.close()
            raise
        return cls(db)

    async def close(self) -> None:
        await self._db.close()

    async def verdicts(self, article_ids: Iterable[str]) -> dict[str, Decision]:
        wanted = list(dict.fromkeys(article_ids))
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        query = f"SELECT article_id, verdict FROM verdicts WHERE article_id IN ({marks})"
        async with self._db.execute(query, wanted) as cursor:
            return {str(a): verdict_of(v) async for a, v in cursor}

    async def records(self, seqs: Iterable[int]) -> dict[int, DocRecord]:
        wanted = list(seqs)
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        query = f"SELECT {_COLUMNS} FROM fingerprints WHERE seq IN ({marks})"
        async with self._db.execute(query, wanted) as cursor:
            return {int(row[0]): record_of(row) async for row in cursor}

    async def snapshot(self, window_seconds: int) -> Snapshot:
        db = self._db
        await db.execute("BEGIN")  # one reading of the file (WAL: a consistent snapshot)
        try:
            meta = await _meta(db)
            query = f"SELECT {_COLUMNS} FROM fingerprints WHERE event_time >= ? ORDER BY seq"
            async with db.execute(query, (window_start(meta, window_seconds),)) as cursor:
                records = [record_of(row) async for row in cursor]
            async with db.execute("SELECT block, stories, last_seq FROM boilerplate_blocks") as c:
                stats = [(to_unsigned(int(b)), block_stat(s, q)) async for b, s, q in c]
            async with db.execute("SELECT block, shingles FROM boilerplate_promoted") as c:
                promotions = [Promotion(to_unsigned(int(b)), array(s)) async for b, s in c]
        finally:
            await db.execute("COMMIT")
        return Snapshot.of(meta, records, stats, promotions)

    async def commit(self, changes: Sequence[StateChange]) -> None:
        if not changes:
            return
        db = self._db
        await db.execute("BEGIN IMMEDIATE")
        try:
            await _write(db, changes)
        except BaseException:
            await db.execute("ROLLBACK")
            raise
        await db.execute("COMMIT")


async def _meta(db: aiosqlite.Connection) -> dict[str, str]:
    async with db.execute("SELECT key, value FROM meta") as cursor:
        return {str(key): str(value) async for key, value in cursor}


async def _write(db: aiosqlite.Connection, changes: Sequence[StateChange]) -> None:
    rows = batch_rows(changes)
    await db.executemany(
        "INSERT INTO verdicts (article_id, story_id, verdict) VALUES (?, ?, ?)", rows.verdicts
    )
    marks = ",".join("?" * len(FINGERPRINT_COLUMNS))
    await db.executemany(
        f"INSERT INTO fingerprints ({_COLUMNS}) VALUES ({marks})", rows.fingerprints
    )
    if rows.blocks_gone:
        await db.executemany(
            "DELETE FROM boilerplate_blocks WHERE block = ?", [(b,) for b in rows.blocks_gone]
        )
    if rows.blocks_kept:
        await db.executemany(
            "INSERT OR REPLACE INTO boilerplate_blocks (block, stories, last_seq) VALUES (?, ?, ?)",
            rows.blocks_kept,
        )
    if rows.promoted:
        await db.executemany(
            "INSERT OR REPLACE INTO boilerplate_promoted (block, shingles) VALUES (?, ?)",
            rows.promoted,
        )
    await db.executemany(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", rows.clock.items()
    )
    if rows.sweep_before is not None:
        await db.execute("DELETE FROM fingerprints WHERE event_time < ?", (rows.sweep_before,))
