"""Dedup's durable state: verdicts, fingerprints, boilerplate statistics and the window clock.

One transaction per batch of articles (the engine's ``check_many``) holds their verdicts (with
evidence), their fingerprint records, the boilerplate statistics they changed and the window
clock, so a restart — or a standby taking over — rebuilds exactly the in-memory state the
previous process had committed.

Two backends with the same meaning (:func:`services.dedup.statebackends.open_state` opens
either): a SQLite file (:mod:`services.dedup.sqlitestate`, the default: ``dedup.db`` under the
data directory) and a PostgreSQL database (:mod:`services.dedup.pgstate`: the ``dedup_*``
tables, one *scope* per pipeline — the dedup consumer group — so pipelines with different topic
prefixes sharing a database never meet).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from services.core.lifecycle import AsyncClosing
from services.dedup.decision import Decision
from services.dedup.deduplicator import StateChange
from services.dedup.recordstore import DocRecord
from services.dedup.staterows import Snapshot


@dataclass(frozen=True, slots=True)
class ServerState:
    """Where dedup's state lives on a PostgreSQL server: the database and the scope in it."""

    url: str = field(repr=False)  # may hold a password
    scope: str


StateLocation = Path | ServerState  # a SQLite file, or a scope in a PostgreSQL database


class DedupState(AsyncClosing, ABC):
    """The durable state behind one dedup engine. One writer at a time: the process holding
    dedup's lease (on PostgreSQL, each commit checks the lease's fence)."""

    @abstractmethod
    async def verdicts(self, article_ids: Iterable[str]) -> dict[str, Decision]:
        """The stored verdicts of those ids that have one (one query)."""

    @abstractmethod
    async def records(self, seqs: Iterable[int]) -> dict[int, DocRecord]:
        """The stored fingerprint records of those sequence numbers that have one."""

    @abstractmethod
    async def snapshot(self, window_seconds: int) -> Snapshot:
        """Records inside the window (by the stored watermark), boilerplate and clock, as one
        consistent reading."""

    @abstractmethod
    async def commit(self, changes: Sequence[StateChange]) -> None:
        """Write a batch of changes (in order) in one transaction, with one statement per
        table: the boilerplate rows get their final state after the batch. All or nothing."""

    @abstractmethod
    async def close(self) -> None: ...
