"""Compact in-memory candidate index (numpy arrays, no per-document Python objects).

* :class:`SlotTable` — event time per sequence number, over the live sequence range.
* :class:`CandidateIndex` — anchors (32-bit keys of each document's bottom-k shingles), exact
  body hashes and canonical-URL keys, each a :class:`~services.dedup.multimap.MultiMap`.

A document whose bottom-``anchors`` shingles are ``B`` is found by a new document ``A`` whenever
one of them is among the shingles ``A`` probes with; for a pair sharing a fraction ``c`` of ``B``
that misses with probability about ``(1 - c) ** anchors``. RAM per document: ``8 * anchors``
(anchor entries) + 12 (body key) + 12 (URL key) + 8 (event time) + ~1 byte/entry of directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from services.dedup import sortedruns
from services.dedup.fingerprint import ANCHOR_SHIFT
from services.dedup.multimap import MultiMap

SEQ_MASK = 0xFFFFFFFF
DEAD = np.iinfo(np.int64).min


class SlotTable:
    """Event time (epoch seconds) per sequence number, for a contiguous live range of them."""

    def __init__(self) -> None:
        self._base = 0
        self._size = 0
        self._times = np.full(1024, DEAD, dtype=np.int64)

    @property
    def base(self) -> int:
        return self._base

    @property
    def end(self) -> int:
        """One past the highest sequence number stored."""
        return self._base + self._size

    @property
    def nbytes(self) -> int:
        return int(self._times.nbytes)

    def append(self, seq: int, time: int) -> None:
        if self._size == 0:
            self._base = seq
        if seq < self.end:
            raise ValueError(f"sequence number {seq} is not after {self.end - 1}")
        row = seq - self._base
        if row >= self._times.size:
            grown = np.full(max(2 * self._times.size, row + 1), DEAD, dtype=np.int64)
            grown[: self._size] = self._times[: self._size]
            self._times = grown
        if row > self._size:
            self._times[self._size : row] = DEAD
        self._times[row] = time
        self._size = row + 1

    def extend(self, first: int, times: NDArray[np.int64]) -> None:
        """Append consecutive sequence numbers ``first, first + 1, ...`` with their times."""
        if times.size == 0:
            return
        self.append(first, int(times[0]))
        end = self._size + times.size - 1
        if end > self._times.size:
            grown = np.full(max(2 * self._times.size, end), DEAD, dtype=np.int64)
            grown[: self._size] = self._times[: self._size]
            self._times = grown
        self._times[self._size : end] = times[1:]
        self._size = end

    def times(self, seq32: NDArray[np.uint32]) -> NDArray[np.int64]:
        """Event time of each sequence number (``DEAD`` when unknown or evicted)."""
        row = (seq32.astype(np.int64) - (self._base & SEQ_MASK)) & SEQ_MASK
        known = row < self._size
        out = np.full(seq32.size, DEAD, dtype=np.int64)
        out[known] = self._times[row[known]]
        return out

    def parts(self) -> tuple[NDArray[np.int64], int, int]:
        """The arrays (and numbers) ``sortedruns.live_seqs`` reads, after the sequence numbers."""
        return self._times, self._base, self._size

    def full_seq(self, seq32: NDArray[np.uint32]) -> NDArray[np.int64]:
        row = (seq32.astype(np.int64) - (self._base & SEQ_MASK)) & SEQ_MASK
        return np.asarray(row + self._base, dtype=np.int64)

    def evict(self, cutoff: int) -> int:
        """Mark rows older than ``cutoff`` dead and release the dead prefix; returns rows freed."""
        live = self._times[: self._size]
        live[live < cutoff] = DEAD
        alive_rows = np.flatnonzero(live != DEAD)
        drop = int(alive_rows[0]) if alive_rows.size else self._size
        if drop and (drop >= self._size // 4 or drop == self._size):
            remaining = self._size - drop
            keep = max(1024, 2 * remaining)
            times = np.full(keep, DEAD, dtype=np.int64)
            times[:remaining] = live[drop:]
            self._times, self._base, self._size = times, self._base + drop, remaining
            return drop
        return 0


@dataclass(frozen=True, slots=True)
class Candidate:
    """An indexed document sharing ``hits`` anchors with the probe."""

    seq: int
    hits: int


@dataclass(frozen=True, slots=True)
class IndexBatch:
    """Documents ``first_seq + row`` for each row of ``times`` (``DEAD`` rows are gaps), and
    their keys; ``*_rows`` give the row each key belongs to."""

    first_seq: int
    times: NDArray[np.int64]
    anchors: NDArray[np.uint32]
    anchor_rows: NDArray[np.int64]
    bodies: NDArray[np.uint64]
    body_rows: NDArray[np.int64]
    urls: NDArray[np.uint64]
    url_rows: NDArray[np.int64]


class CandidateIndex:
    """Sub-linear candidate lookup over the documents inside the time window."""

    def __init__(self) -> None:
        self._anchors = MultiMap(np.uint32)
        self._bodies = MultiMap(np.uint64)
        self._urls = MultiMap(np.uint64)
        self._slots = SlotTable()
        self._cutoff = DEAD + 1
        self._count = 0

    @property
    def cutoff(self) -> int:
        """Documents with an event time below this are out of the window."""
        return self._cutoff

    @property
    def next_seq(self) -> int:
        return self._slots.end

    def __len__(self) -> int:
        """Documents added and not yet swept out."""
        return self._count

    @property
    def nbytes(self) -> int:
        maps = self._anchors.nbytes + self._bodies.nbytes + self._urls.nbytes
        return int(maps + self._slots.nbytes)

    def _alive(self, seq32: NDArray[np.uint32]) -> NDArray[np.bool_]:
        return np.asarray(self._slots.times(seq32) >= self._cutoff, dtype=np.bool_)

    def add(
        self,
        seq: int,
        time: int,
        anchors: NDArray[np.unsignedinteger[Any]],
        body_hash: int | None,
        url: int | None,
        *,
        shift: int = 0,
    ) -> None:
        """Index document ``seq``: its anchor keys (``anchors >> shift``: the 32-bit keys, or
        the shingles with ``ANCHOR_SHIFT``), body hash and URL key."""
        self._slots.append(seq, time)
        self._count += 1
        seq32 = seq & SEQ_MASK
        if anchors.size:
            self._anchors.add_distinct(anchors, seq32, self._alive, shift)
        for table, key in ((self._bodies, body_hash), (self._urls, url)):
            if key is not None:
                table.add_distinct(np.array([key], dtype=np.uint64), seq32, self._alive)

    def add_many(self, batch: IndexBatch) -> None:
        """Bulk :meth:`add` of a run of documents (rebuilds and benchmarks)."""
        self._slots.extend(batch.first_seq, batch.times)
        self._count += int(np.count_nonzero(batch.times != DEAD))
        for table, keys, rows in (
            (self._anchors, batch.anchors, batch.anchor_rows),
            (self._bodies, batch.bodies, batch.body_rows),
            (self._urls, batch.urls, batch.url_rows),
        ):
            if keys.size:
                seq32 = ((rows + batch.first_seq) & SEQ_MASK).astype(np.uint32)
                table.add(keys, seq32, self._alive)

    def candidates(self, shingles: NDArray[np.uint64], limit: int) -> list[Candidate]:
        """Live documents sharing an anchor with the sorted ``shingles``: most hits, then oldest."""
        seqs, hits = self._find(self._anchors, shingles, ANCHOR_SHIFT, limit)
        return [
            Candidate(seq, count) for seq, count in zip(seqs.tolist(), hits.tolist(), strict=True)
        ]

    def probe(
        self, shingles: NDArray[np.uint64], limit: int, url: int | None, body_hash: int
    ) -> tuple[list[Candidate], list[int], list[int]]:
        """:meth:`candidates`, :meth:`by_url` (none without a URL) and :meth:`by_body` at once."""
        keys = np.array([0 if url is None else url, body_hash], dtype=np.uint64)
        seqs, hits, by_url, by_body = sortedruns.probe_index(
            shingles,
            ANCHOR_SHIFT,
            limit,
            self._anchors.parts(),
            keys[:0] if url is None else keys[:1],
            self._urls.parts(),
            keys[1:],
            self._bodies.parts(),
            *self._slots.parts(),
            self._cutoff,
        )
        found = [
            Candidate(seq, count) for seq, count in zip(seqs.tolist(), hits.tolist(), strict=True)
        ]
        return found, by_url.tolist(), by_body.tolist()

    def by_body(self, body_hash: int) -> list[int]:
        """Live documents with this body hash, oldest first."""
        return self._exact(self._bodies, body_hash)

    def by_url(self, url: int) -> list[int]:
        """Live documents with this URL key, oldest first."""
        return self._exact(self._urls, url)

    def _exact(self, table: MultiMap, key: int) -> list[int]:
        seqs: list[int] = self._find(table, np.array([key], dtype=np.uint64), 0, 0)[0].tolist()
        return seqs

    def _find(
        self, table: MultiMap, query: NDArray[np.uint64], shift: int, limit: int
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """``sortedruns.find``: the live documents under the keys ``query >> shift``."""
        found: tuple[NDArray[np.int64], NDArray[np.int64]] = sortedruns.find(
            query, shift, table.parts(), *self._slots.parts(), self._cutoff, limit
        )
        return found

    def advance(self, cutoff: int) -> None:
        """Move the window start (never backwards); lookups ignore older documents at once."""
        self._cutoff = max(self._cutoff, cutoff)

    def sweep(self) -> int:
        """Physically drop documents out of the window; returns how many were freed."""
        freed = self._slots.evict(self._cutoff)
        if freed:
            self._count = max(self._count - freed, 0)
            for table in (self._anchors, self._bodies, self._urls):
                table.purge(self._alive)
        return freed
