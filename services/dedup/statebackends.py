"""Opening dedup's state on the backend its location names."""

from __future__ import annotations

from services.core.pglease import LeaseFence
from services.core.settings import DedupSettings
from services.dedup.pgstate import PostgresState
from services.dedup.sqlitestate import SqliteState
from services.dedup.statestore import DedupState, ServerState, StateLocation


async def open_state(
    location: StateLocation, settings: DedupSettings, fence: LeaseFence | None = None
) -> DedupState:
    """Open (or create) the state at ``location``: a SQLite file, or a scope in a PostgreSQL
    database. There, ``fence`` is the lease every commit checks (``None``: the caller guarantees
    a single writer, as tests do)."""
    if isinstance(location, ServerState):
        return await PostgresState.open(location, settings, fence)
    return await SqliteState.open(location, settings)
