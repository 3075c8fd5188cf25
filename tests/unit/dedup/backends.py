"""Both backends of dedup's state, for the tests that must pass alike on each.

A :class:`StateBackend` hands out state locations by name — a SQLite file in the test's
folder, or a scope of its own in the test module's PostgreSQL database (so one test may open
several independent states, as it would several files) — and reaches under the engine into the
stored rows where a test must (a foreign row, an old format, a count).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg

from services.dedup.statestore import ServerState, StateLocation

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
BACKENDS = (SQLITE, POSTGRESQL)


@dataclass
class StateBackend:
    """Where one test's states live: ``folder`` (SQLite) or ``url`` (PostgreSQL)."""

    name: str
    folder: Path
    url: str | None = None
    run: str = field(default_factory=lambda: uuid.uuid4().hex[:12])

    @property
    def integrity_error(self) -> type[Exception]:
        """What a write that breaks a key raises."""
        return sqlite3.IntegrityError if self.url is None else asyncpg.UniqueViolationError

    def location(self, name: str) -> StateLocation:
        if self.url is None:
            return self.folder / name
        return ServerState(self.url, f"{self.run}.{name}")

    async def insert_foreign_fingerprint(self, name: str, seq: int) -> None:
        """A fingerprint row no engine wrote, at ``seq``."""
        if self.url is None:
            self._sqlite(
                name,
                lambda db: db.execute(
                    "INSERT INTO fingerprints VALUES (?, 'z', 'z', 0, 0, NULL, 0, x'', x'', x'', 0)",
                    (seq,),
                ),
            )
            return
        async with self._postgres() as db:
            await db.execute(
                "INSERT INTO dedup_fingerprints (scope, seq, article_id, story_id, event_time, "
                "body_hash, url_key, shingle_count, sample, lede, anchors, first_body) "
                "VALUES ($1, $2, 'z', 'z', 0, 0, NULL, 0, '', '', '', false)",
                await self._scope(db, name),
                seq,
            )

    async def delete_fingerprint(self, name: str, seq: int) -> None:
        if self.url is None:
            self._sqlite(
                name, lambda db: db.execute("DELETE FROM fingerprints WHERE seq = ?", (seq,))
            )
            return
        async with self._postgres() as db:
            scope = await self._scope(db, name)
            await db.execute(
                "DELETE FROM dedup_fingerprints WHERE scope = $1 AND seq = $2", scope, seq
            )

    async def set_meta(self, name: str, key: str, value: str) -> None:
        if self.url is None:
            self._sqlite(
                name, lambda db: db.execute("UPDATE meta SET value = ? WHERE key = ?", (value, key))
            )
            return
        async with self._postgres() as db:
            scope = await self._scope(db, name)
            await db.execute(
                "UPDATE dedup_meta SET value = $3 WHERE scope = $1 AND key = $2", scope, key, value
            )

    async def verdicts(self, name: str) -> dict[str, str]:
        """The stored verdicts of state ``name`` (JSON text) by article id."""
        if self.url is None:
            rows = self._sqlite(
                name, lambda db: db.execute("SELECT article_id, verdict FROM verdicts").fetchall()
            )
            return {str(a): str(v) for a, v in rows}
        async with self._postgres() as db:
            scope = await self._scope(db, name)
            found = await db.fetch(
                "SELECT article_id, verdict FROM dedup_verdicts WHERE scope = $1", scope
            )
            return {str(a): str(v) for a, v in found}

    def _sqlite(self, name: str, action: Callable[[sqlite3.Connection], Any]) -> Any:
        with sqlite3.connect(self.folder / name) as db:
            return action(db)

    @asynccontextmanager
    async def _postgres(self) -> AsyncIterator[Any]:
        assert self.url is not None
        db = await asyncpg.connect(self.url)
        try:
            yield db
        finally:
            await db.close()

    async def _scope(self, db: Any, name: str) -> int:
        location = self.location(name)
        assert isinstance(location, ServerState)
        scope = await db.fetchval("SELECT id FROM dedup_scopes WHERE name = $1", location.scope)
        assert scope is not None, f"no state {name!r} yet"
        return int(scope)
