"""Opening the store's PostgreSQL database: connection pools, the versioned schema, migrations.

Several store processes may start at once against one database: :func:`migrate` holds an
advisory lock (:data:`~services.store.postgres.schema.MIGRATION_LOCK`) on its own connection
while it reads the version and applies the pending steps, each in one transaction with its row
in ``schema_version``, so exactly one process migrates and the others find the work done.
Readers (the gateway) never migrate: :func:`check_schema` tells them to wait for the store.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

from services.core.migration import Migration, check_order
from services.core.pgclient import (
    Connection,
    apply_step,
    close_quietly,
    connect,
    is_broken,
    translated,
)
from services.store.errors import SchemaVersionError
from services.store.migration import check_version
from services.store.postgres.schema import (
    MIGRATION_LOCK,
    MIGRATIONS,
    SCHEMA_VERSION,
    SCHEMA_VERSION_TABLE,
    VERSION_TABLE_NAME,
)

CONNECT_TIMEOUT_S = 10.0
WRITER_POOL_SIZE = 4
READER_POOL_SIZE = 10
# Each search's SQL carries its own full-text query: plan it for those values every time (a
# generic plan cannot tell a rare word from a common one).
_READER_SETTINGS = {"plan_cache_mode": "force_custom_plan"}

Pool = Any  # asyncpg.Pool: untyped, kept inside the postgres package


async def create_pool(url: str, application_name: str, *, reading: bool = False) -> Pool:
    """A pool of connections to ``url``, at least one opened now (so a bad URL fails here)."""
    settings = {"application_name": application_name, **(_READER_SETTINGS if reading else {})}
    with translated("connecting to the database"):
        return await asyncpg.create_pool(
            url,
            min_size=1,
            max_size=READER_POOL_SIZE if reading else WRITER_POOL_SIZE,
            timeout=CONNECT_TIMEOUT_S,
            server_settings=settings,
        )


@asynccontextmanager
async def acquired(pool: Pool) -> AsyncIterator[Connection]:
    """A connection of ``pool`` for the block. One that broke under it (the server ended the
    session, the protocol lost its place) is closed, never handed out again: the pool opens a
    new one for the next caller."""
    conn = await pool.acquire()
    try:
        yield conn
    except BaseException as error:
        if is_broken(error):
            conn.terminate()
        raise
    finally:
        await pool.release(conn)


async def schema_version(conn: Connection) -> int:
    """The version of the schema (0: an empty database)."""
    if await conn.fetchval("SELECT to_regclass('schema_version')") is None:
        return 0
    return int(await conn.fetchval("SELECT coalesce(max(version), 0) FROM schema_version"))


async def migrate(url: str, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Apply every pending migration, each in its own transaction, under the migration lock;
    returns the final version. Refuses a database migrated by a newer newsflow."""
    check_order(migrations)
    latest = migrations[-1].version if migrations else 0
    conn = await connect(url, "newsflow-migrate", timeout_s=CONNECT_TIMEOUT_S)
    try:
        with translated("migrating the database"):
            await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
            try:
                await conn.execute(SCHEMA_VERSION_TABLE)
                found = await schema_version(conn)
                if found > latest:
                    raise SchemaVersionError(
                        f"database has schema version {found}; this newsflow knows up to {latest}"
                    )
                for step in migrations[found:]:
                    await _apply(conn, step)
                return await schema_version(conn)
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)
    finally:
        await close_quietly(conn)


async def _apply(conn: Connection, step: Migration) -> None:
    async with conn.transaction():
        await apply_step(conn, step, VERSION_TABLE_NAME)


async def check_schema(conn: Connection, where: str) -> None:
    """A reader's check: the schema is the one this code knows (see
    :func:`~services.store.migration.check_version`)."""
    with translated(f"reading the schema version of {where}"):
        found = await schema_version(conn)
    check_version(where, found, SCHEMA_VERSION)


async def search_configs(conn: Connection) -> dict[str, int]:
    """The id of each text-search configuration the schema made, by stemmer name."""
    rows = await conn.fetch("SELECT stemmer, id FROM search_configs")
    return {str(row["stemmer"]): int(row["id"]) for row in rows}
