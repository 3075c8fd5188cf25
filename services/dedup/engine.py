"""The async dedup engine: pure :class:`Deduplicator` + durable :class:`DedupState`.

``verdict = await engine.check(DedupInput(...))`` (or ``check_many`` for a batch, one
transaction) returns only once the verdict (and the state change behind it) is committed to the
state (a SQLite file or PostgreSQL), so the caller may commit its Kafka offset afterwards.
A replayed article id returns the stored verdict. Checks are serialised (single writer).

A batch whose write fails (the database away, the lease lost) leaves nothing of it in memory:
the engine rebuilds from the committed state — at once, or, when the database is still away,
before its next batch.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from services.core.errors import RecordFault
from services.core.lifecycle import AsyncClosing
from services.core.pglease import LeaseFence
from services.core.settings import DedupSettings
from services.dedup.decision import Decision, DedupInput
from services.dedup.deduplicator import Deduplicator, StateChange
from services.dedup.recordstore import DocRecord
from services.dedup.statebackends import open_state
from services.dedup.statestore import DedupState, StateLocation

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class RecentRecords:
    """A bounded, least-recently-used map of document records by sequence number."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._records: OrderedDict[int, DocRecord] = OrderedDict()

    def get(self, seq: int) -> DocRecord | None:
        record = self._records.get(seq)
        if record is not None:
            self._records.move_to_end(seq)
        return record

    def put(self, record: DocRecord) -> None:
        self._records[record.seq] = record
        self._records.move_to_end(record.seq)
        if len(self._records) > self._size:
            self._records.popitem(last=False)


async def _restored(state: DedupState, settings: DedupSettings) -> Deduplicator:
    """A deduplicator holding the committed state within the window."""
    snapshot = await state.snapshot(settings.window_seconds)
    dedup = Deduplicator(settings)
    dedup.restore(
        snapshot.records,
        snapshot.stats,
        snapshot.promotions,
        snapshot.watermark,
        snapshot.next_seq,
    )
    return dedup


class DedupEngine(AsyncClosing):
    """Open with :meth:`open`, call :meth:`check` per article, :meth:`close` at shutdown."""

    def __init__(
        self, state: DedupState, dedup: Deduplicator, settings: DedupSettings, clock: Clock
    ) -> None:
        self._state = state
        self._dedup = dedup
        self._settings = settings
        self._recent = RecentRecords(settings.recent_records)
        self._clock = clock
        self._lock = asyncio.Lock()
        self._closed = False
        self._stale = False  # memory holds changes that were not committed: rebuild first

    @classmethod
    async def open(
        cls,
        location: StateLocation,
        settings: DedupSettings,
        clock: Clock | None = None,
        fence: LeaseFence | None = None,
    ) -> DedupEngine:
        """Open (or create) the state at ``location`` (a SQLite file, or a scope of a PostgreSQL
        database, whose commits check ``fence``) and rebuild the in-memory index within the
        window."""
        state = await open_state(location, settings, fence)
        try:
            dedup = await _restored(state, settings)
        except BaseException:
            await state.close()
            raise
        return cls(state, dedup, settings, clock or utc_now)

    @property
    def deduplicator(self) -> Deduplicator:
        return self._dedup

    async def check(self, article: DedupInput) -> Decision:
        """The verdict for ``article``, persisted before it is returned.

        Raises :class:`~services.dedup.errors.EmptyBodyError` for a body without words.
        """
        [result] = await self.check_many([article])
        if isinstance(result, Exception):
            raise result
        return result

    async def check_many(self, articles: Sequence[DedupInput]) -> list[Decision | Exception]:
        """Verdicts for ``articles`` in order, all persisted in one transaction before this
        returns. An article that can never be checked (no words) gets its error instead of a
        verdict; a failing write rolls the whole batch back (and the in-memory index with it)
        and raises.

        The batch is decided in memory first (each article sees the ones before it), then
        written with one statement per table.
        """
        async with self._lock:
            if self._closed:
                raise RuntimeError("dedup engine is closed")
            if self._stale:
                await self._rebuild()
            try:
                results, changes = await self._decide_all(articles)
                await self._state.commit(changes)
            except BaseException:
                self._stale = True
                with contextlib.suppress(Exception):  # still away: rebuilt before the next batch
                    await self._rebuild()
                raise
            return results

    async def _decide_all(
        self, articles: Sequence[DedupInput]
    ) -> tuple[list[Decision | Exception], list[StateChange]]:
        known = await self._state.verdicts(a.article_id for a in articles)
        changes: list[StateChange] = []
        results: list[Decision | Exception] = []
        for article in articles:
            if (verdict := known.get(article.article_id)) is not None:
                results.append(verdict)
                continue
            try:
                probe = self._dedup.probe(article, self._clock())
            except RecordFault as error:  # EmptyBodyError: input it can never check
                results.append(error)
                continue
            change = self._dedup.decide(probe, await self._records(probe.wanted))
            self._dedup.apply(change)
            self._recent.put(change.record)
            known[article.article_id] = change.verdict
            changes.append(change)
            results.append(change.verdict)
        return results, changes

    async def _records(self, seqs: Sequence[int]) -> dict[int, DocRecord]:
        """The stored records of candidates: recent ones from memory, the rest from the state."""
        found = {seq: record for seq in seqs if (record := self._recent.get(seq)) is not None}
        missing = [seq for seq in seqs if seq not in found]
        if missing:
            for record in (await self._state.records(missing)).values():
                found[record.seq] = record
                self._recent.put(record)
        return found

    async def _rebuild(self) -> None:
        """Reload the in-memory index from the committed state (after a rolled-back batch)."""
        self._recent = RecentRecords(self._settings.recent_records)
        self._dedup = await _restored(self._state, self._settings)
        self._stale = False

    async def close(self) -> None:
        async with self._lock:
            if not self._closed:
                self._closed = True
                await self._state.close()
