"""Dedup's state in PostgreSQL (asyncpg): the ``dedup_*`` tables of the configured database,
under the scope of this pipeline (see :mod:`services.dedup.pgschema`).

One connection, opened again after it breaks (a failed call raises
:class:`~services.core.errors.DatabaseUnavailableError`, which the runner retries: the next call
reconnects). Each batch is one transaction that first checks the lease's fence
(:func:`services.core.pglease.hold_fence`), so a process that lost dedup's lease commits
nothing more; the snapshot is one repeatable-read transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from services.core.errors import TransientError
from services.core.pgclient import (
    SERVER_KEEPALIVES,
    Connection,
    apply_step,
    close_quietly,
    connect,
    redacted,
    translated,
)
from services.core.pglease import LeaseFence, hold_fence
from services.core.settings import DedupSettings
from services.dedup import pgschema as sql
from services.dedup.boilerplate_model import Promotion
from services.dedup.decision import Decision
from services.dedup.deduplicator import StateChange
from services.dedup.errors import StateError
from services.dedup.recordstore import DocRecord
from services.dedup.staterows import (
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
from services.dedup.statestore import DedupState, ServerState

CONNECT_TIMEOUT_S = 10.0
STATEMENT_TIMEOUT_S = 60.0
SNAPSHOT_TIMEOUT_S = 600.0  # reading a whole window of fingerprints at start
# A session left inside a transaction this long (a frozen or cut-off process: every statement
# of ours follows the one before at once) is ended by the server, so it never holds the lease's
# gate for long; so is one whose client went silent.
_SESSION = {"idle_in_transaction_session_timeout": "10s", **SERVER_KEEPALIVES}


class PostgresState(DedupState):
    """One scope of dedup's tables, for one engine."""

    def __init__(
        self, location: ServerState, scope_id: int, fence: LeaseFence | None, connection: Connection
    ) -> None:
        self._location = location
        self._scope = scope_id
        self._fence = fence
        self._connection: Connection | None = connection

    @classmethod
    async def open(
        cls, location: ServerState, settings: DedupSettings, fence: LeaseFence | None
    ) -> PostgresState:
        """Connect, bring the schema up to date, register the scope and check the state was
        written by a compatible engine (:class:`StateError` otherwise)."""
        connection = await _connect(location)
        try:
            with translated(f"cannot open dedup's state on {redacted(location.url)}"):
                scope_id = await _prepare(connection, location.scope, settings)
        except BaseException:
            await close_quietly(connection)
            raise
        return cls(location, scope_id, fence, connection)

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        await close_quietly(connection)

    async def verdicts(self, article_ids: Iterable[str]) -> dict[str, Decision]:
        wanted = list(dict.fromkeys(article_ids))
        if not wanted:
            return {}
        async with self._using("cannot read dedup's verdicts") as connection:
            rows = await connection.fetch(sql.VERDICTS, self._scope, wanted)
        return {str(row[0]): verdict_of(row[1]) for row in rows}

    async def records(self, seqs: Iterable[int]) -> dict[int, DocRecord]:
        wanted = list(seqs)
        if not wanted:
            return {}
        async with self._using("cannot read dedup's fingerprints") as connection:
            rows = await connection.fetch(sql.RECORDS, self._scope, wanted)
        return {int(row[0]): record_of(row) for row in rows}

    async def snapshot(self, window_seconds: int) -> Snapshot:
        scope = self._scope
        async with (
            self._using("cannot read dedup's state") as connection,
            connection.transaction(isolation="repeatable_read", readonly=True),
        ):
            meta = await _meta(connection, scope)
            start = window_start(meta, window_seconds)
            rows = await connection.fetch(sql.WINDOW, scope, start, timeout=SNAPSHOT_TIMEOUT_S)
            blocks = await connection.fetch(sql.BLOCKS, scope)
            promoted = await connection.fetch(sql.PROMOTED, scope)
        records = [record_of(row) for row in rows]
        stats = [(to_unsigned(int(b)), block_stat(s, q)) for b, s, q in blocks]
        promotions = [Promotion(to_unsigned(int(b)), array(s)) for b, s in promoted]
        return Snapshot.of(meta, records, stats, promotions)

    async def commit(self, changes: Sequence[StateChange]) -> None:
        if not changes:
            return
        rows = batch_rows(changes)
        scope = self._scope
        async with (
            self._using("cannot write dedup's state") as connection,
            connection.transaction(),
        ):
            if self._fence is not None:
                await hold_fence(connection, self._fence)
            await connection.execute(sql.INSERT_VERDICTS, scope, *_columns(rows.verdicts, 3))
            await connection.execute(
                sql.INSERT_FINGERPRINTS, scope, *_columns(rows.fingerprints, 11)
            )
            if rows.blocks_gone:
                await connection.execute(sql.DELETE_BLOCKS, scope, rows.blocks_gone)
            if rows.blocks_kept:
                await connection.execute(sql.UPSERT_BLOCKS, scope, *_columns(rows.blocks_kept, 3))
            if rows.promoted:
                await connection.execute(sql.UPSERT_PROMOTED, scope, *_columns(rows.promoted, 2))
            await connection.execute(
                sql.META_SET, scope, list(rows.clock), list(rows.clock.values())
            )
            if rows.sweep_before is not None:
                await connection.execute(sql.SWEEP, scope, rows.sweep_before)

    @asynccontextmanager
    async def _using(self, action: str) -> AsyncIterator[Connection]:
        """The connection (opened again if it broke); asyncpg's failures translated, and the
        connection dropped after a transient one (the next call reconnects)."""
        try:
            with translated(action):
                if self._connection is None or self._connection.is_closed():
                    self._connection = await _connect(self._location)
                yield self._connection
        except TransientError:
            await self.close()
            raise


async def _connect(location: ServerState) -> Connection:
    return await connect(
        location.url,
        f"newsflow-dedup {location.scope}",
        timeout_s=CONNECT_TIMEOUT_S,
        command_timeout_s=STATEMENT_TIMEOUT_S,
        server_settings=_SESSION,
    )


async def _prepare(connection: Connection, scope: str, settings: DedupSettings) -> int:
    """In one transaction under the migration lock: apply the missing schema steps, register
    ``scope`` (its number) and check and record the engine's format."""
    async with connection.transaction():
        await connection.execute("SELECT pg_advisory_xact_lock($1, $2)", *sql.MIGRATION_LOCK)
        await connection.execute(sql.VERSION_TABLE)
        found = int(
            await connection.fetchval("SELECT coalesce(max(version), 0) FROM dedup_schema_version")
        )
        if found > sql.SCHEMA_VERSION:
            raise StateError(
                f"dedup's tables have schema version {found}; this newsflow knows up to "
                f"{sql.SCHEMA_VERSION}"
            )
        for step in sql.MIGRATIONS[found:]:
            await apply_step(connection, step, sql.VERSION_TABLE_NAME)
        scope_id = int(await connection.fetchval(sql.SCOPE, scope))
        check_meta(await _meta(connection, scope_id), settings)
        defaults = expected_meta(settings)
        await connection.execute(
            sql.META_DEFAULTS, scope_id, list(defaults), list(defaults.values())
        )
    return scope_id


async def _meta(connection: Connection, scope: int) -> dict[str, str]:
    return {str(k): str(v) for k, v in await connection.fetch(sql.META, scope)}


def _columns(rows: Sequence[tuple[Any, ...]], width: int) -> list[list[Any]]:
    """Rows as ``width`` column lists (the arrays ``unnest`` turns back into rows)."""
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[]] * width
