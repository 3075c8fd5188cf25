"""The store's database, opened read-only when it can be: the gateway starts (and serves) before
the store has created it, and retries opening lazily on the next request or poll."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from services.core.settings import Settings
from services.store.backend import describe, open_reader
from services.store.errors import DatabaseUnavailableError, SchemaVersionError
from services.store.reader import ArticleReader


class LazyReader:
    """One shared :class:`ArticleReader`, opened on first use and re-opened after a failure."""

    def __init__(self, where: str, opener: Callable[[], Awaitable[ArticleReader]]) -> None:
        self._where = where
        self._open = opener
        self._reader: ArticleReader | None = None
        self._lock = asyncio.Lock()

    @classmethod
    def of(cls, settings: Settings) -> LazyReader:
        """The reader of the database of ``settings``, tuned as they say."""
        return cls(describe(settings), lambda: open_reader(settings))

    async def get(self) -> ArticleReader:
        """The reader; raises :class:`DatabaseUnavailableError` (or its ``DatabaseNotReadyError``)
        while the database cannot be opened, :class:`SchemaVersionError` if it is too new."""
        if self._reader is not None:
            return self._reader
        async with self._lock:
            if self._reader is None:
                self._reader = await self._open()
            return self._reader

    async def check(self) -> tuple[bool, str]:
        """Whether the database can be read right now (and why not)."""
        try:
            reader = await self.get()
            await reader.head()
        except (DatabaseUnavailableError, SchemaVersionError) as error:
            return False, str(error)
        return True, f"{self._where} readable"

    async def close(self) -> None:
        async with self._lock:
            if self._reader is not None:
                reader, self._reader = self._reader, None
                await reader.close()
