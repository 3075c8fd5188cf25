"""Both backends of the store, for the tests that must pass alike on each.

A :class:`Backend` is the settings that choose one (a SQLite directory, or a fresh PostgreSQL
database) and opens its repository and reader through the same factories the services use.
SQLite's reader also runs with each of its two full-text plans (``dense``: every match walks
the date index; ``sparse``: the matches are looked up first), so both are held to the same
answers; PostgreSQL's planner chooses on its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from services.core.settings import Settings
from services.store.backend import open_reader, open_repository
from services.store.reader import ArticleReader
from services.store.repository import ArticleRepository
from services.store.sqlite.reader import SqliteReader
from tests.support.postgres import fresh_database, server_under_test

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
BACKENDS = (SQLITE, POSTGRESQL)
# The readers the shared read suite runs: each backend, SQLite with both of its plans.
READERS = (f"{SQLITE}-sparse", f"{SQLITE}-dense", POSTGRESQL)


@dataclass(frozen=True, slots=True)
class Backend:
    """One backend's settings, and which SQLite plan its reader uses."""

    name: str
    settings: Settings
    plan: str | None = None

    def reading(self, reader: str) -> Backend:
        """The same database, read as ``reader`` (one of :data:`READERS`) says."""
        return replace(self, plan=reader.partition("-")[2] or None)

    async def repository(self) -> ArticleRepository:
        return await open_repository(self.settings)

    async def reader(self) -> ArticleReader:
        if self.name == SQLITE and self.plan is not None:
            dense = 1 if self.plan == "dense" else 10**9
            return await SqliteReader.open(self.settings.database_path, dense_matches=dense)
        return await open_reader(self.settings)


@asynccontextmanager
async def backend(name: str, directory: Path) -> AsyncIterator[Backend]:
    """A fresh, empty store database of backend ``name`` (its SQLite file under ``directory``)."""
    if name == SQLITE:
        yield Backend(name, Settings(data_dir=directory))
        return
    async with fresh_database(server_under_test()) as url:
        yield Backend(name, Settings(data_dir=directory, database_url=url))
