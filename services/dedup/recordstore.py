"""What is kept per indexed article for verification, and the store protocol for it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from services.dedup.decision import Decision


@dataclass(frozen=True, slots=True)
class DocRecord:
    """An indexed article: ids, keys and the bottom-k sample/lede used to verify candidates."""

    seq: int
    article_id: str
    story_id: str
    event_time: int
    body_hash: int
    url_key: int | None
    shingle_count: int
    sample: NDArray[np.uint64]
    lede: NDArray[np.uint64]
    anchors: NDArray[np.uint64]
    first_body: bool


class RecordStore(Protocol):
    """Synchronous store of records and verdicts (the engine's async store mirrors it)."""

    def records(self, seqs: Iterable[int]) -> dict[int, DocRecord]: ...

    def verdict(self, article_id: str) -> Decision | None: ...

    def save(self, record: DocRecord | None, verdict: Decision) -> None: ...

    def evict(self, cutoff: int) -> None: ...


class MemoryRecordStore:
    """Records and verdicts in dicts (tests, benchmarks, the quality gate).

    Records out of the window are dropped by :meth:`evict`; verdicts are kept for replay.
    """

    def __init__(self) -> None:
        self._records: dict[int, DocRecord] = {}
        self._verdicts: dict[str, Decision] = {}

    def records(self, seqs: Iterable[int]) -> dict[int, DocRecord]:
        return {seq: self._records[seq] for seq in seqs if seq in self._records}

    def verdict(self, article_id: str) -> Decision | None:
        return self._verdicts.get(article_id)

    def save(self, record: DocRecord | None, verdict: Decision) -> None:
        if record is not None:
            self._records[record.seq] = record
        self._verdicts[verdict.article_id] = verdict

    def evict(self, cutoff: int) -> None:
        old = [seq for seq, record in self._records.items() if record.event_time < cutoff]
        for seq in old:
            del self._records[seq]

    def __len__(self) -> int:
        return len(self._records)
