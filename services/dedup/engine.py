"""The async dedup engine: pure :class:`Deduplicator` + durable :class:`DedupState`.

``verdict = await engine.check(DedupInput(...))`` returns only once the verdict (and the state
change behind it) is committed to SQLite, so the caller may commit its Kafka offset afterwards.
A replayed article id returns the stored verdict. Checks are serialised (single writer).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from services.dedup.deduplicator import Deduplicator
from services.dedup.settings import DedupSettings
from services.dedup.state import DedupState
from services.dedup.verdict import DedupInput, Verdict

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class DedupEngine:
    """Open with :meth:`open`, call :meth:`check` per article, :meth:`close` at shutdown."""

    def __init__(self, state: DedupState, dedup: Deduplicator, clock: Clock) -> None:
        self._state = state
        self._dedup = dedup
        self._clock = clock
        self._lock = asyncio.Lock()
        self._closed = False

    @classmethod
    async def open(
        cls, path: Path, settings: DedupSettings, clock: Clock | None = None
    ) -> DedupEngine:
        """Open (or create) the state file and rebuild the in-memory index within the window."""
        state = await DedupState.open(path, settings)
        try:
            snapshot = await state.snapshot(settings.window_seconds)
        except BaseException:
            await state.close()
            raise
        dedup = Deduplicator(settings)
        dedup.restore(
            snapshot.records,
            snapshot.stats,
            snapshot.promotions,
            snapshot.watermark,
            snapshot.next_seq,
        )
        return cls(state, dedup, clock or utc_now)

    @property
    def deduplicator(self) -> Deduplicator:
        return self._dedup

    async def check(self, article: DedupInput) -> Verdict:
        """The verdict for ``article``, persisted before it is returned.

        Raises :class:`~services.dedup.errors.EmptyBodyError` for a body without words.
        """
        async with self._lock:
            if self._closed:
                raise RuntimeError("dedup engine is closed")
            known = await self._state.verdict(article.article_id)
            if known is not None:
                return known
            probe = self._dedup.probe(article, self._clock())
            records = await self._state.records(probe.wanted)
            outcome = self._dedup.decide(probe, records)
            await self._state.persist(outcome)
            self._dedup.apply(outcome)
            return outcome.verdict

    async def close(self) -> None:
        async with self._lock:
            if not self._closed:
                self._closed = True
                await self._state.close()

    async def __aenter__(self) -> DedupEngine:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()
