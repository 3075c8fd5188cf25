"""Which database the store uses, and the two factories everything above the store opens it by.

``NEWSFLOW_DATABASE_URL`` unset: SQLite files under ``NEWSFLOW_DATA_DIR`` (one writer, the
embedded default). Set to a ``postgresql://`` URL: that PostgreSQL database, shared by any
number of store processes and gateways (the gateway's queries go to
``NEWSFLOW_DATABASE_READ_URL`` when set). Callers get the backend-neutral
:class:`~services.store.repository.ArticleRepository` and
:class:`~services.store.reader.ArticleReader`; nothing above this module knows which backend
answers.
"""

from __future__ import annotations

from services.core.pgclient import redacted
from services.core.settings import Settings
from services.store.postgres.reader import PostgresReader
from services.store.postgres.repository import PostgresRepository
from services.store.reader import ArticleReader
from services.store.repository import ArticleRepository
from services.store.sqlite.reader import SqliteReader
from services.store.sqlite.repository import SqliteRepository


async def open_repository(settings: Settings) -> ArticleRepository:
    """The store's writer: creates the database's schema, or migrates it, on the way."""
    if settings.database_url is not None:
        return await PostgresRepository.for_settings(settings)
    return await SqliteRepository.for_settings(settings)


async def open_reader(settings: Settings) -> ArticleReader:
    """The read API over the store's database; it must exist and be migrated (else
    :class:`~services.store.errors.DatabaseNotReadyError`, retried by callers)."""
    if settings.database_url is not None:
        return await PostgresReader.for_settings(settings)
    return await SqliteReader.for_settings(settings)


def describe(settings: Settings) -> str:
    """Where the store's database is, for logs and health details: the SQLite file, or the
    PostgreSQL server and database the reads go to (never the user or password)."""
    url = settings.database_read_url or settings.database_url
    return str(settings.database_path) if url is None else redacted(url)
