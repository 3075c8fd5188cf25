"""Sorted multimap key → 32-bit sequence number, in numpy arrays (no per-entry objects).

It is a small log-structured merge: a bounded, sorted write buffer (adding one document's keys
is a compiled in-place merge, no array rebuild) over two sorted runs (a middle run and the main
run). Big runs carry a bucket directory on the key's high bits, so a lookup reads one directory
entry and a bucket of a few keys whatever the index size (flat lookup time, not a deepening
binary search). Lookups are one compiled call over all three (``sortedruns.lookup``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from services.dedup import sortedruns

KeyArray = NDArray[np.unsignedinteger[Any]]
Alive = Callable[[NDArray[np.uint32]], NDArray[np.bool_]]
_DIRECTORY_MIN = 2048
_EMPTY_SEQ = np.zeros(0, dtype=np.uint32)
_NO_DIRECTORY = np.zeros(0, dtype=np.int32)
# (keys, values, directory, shift) of the main and the middle run, then the write buffer's
# (keys, values, size): what ``sortedruns.lookup`` reads
RunParts = tuple[
    KeyArray,
    NDArray[np.uint32],
    NDArray[np.int32],
    int,
    KeyArray,
    NDArray[np.uint32],
    NDArray[np.int32],
    int,
    KeyArray,
    NDArray[np.uint32],
    int,
]


@dataclass(frozen=True, slots=True)
class _Run:
    """A sorted run; big runs carry a directory: ``directory[b]`` is the first entry whose key
    has ``b`` as its high bits (``key >> shift``), ``directory[-1]`` the run's size."""

    keys: KeyArray
    vals: NDArray[np.uint32]
    directory: NDArray[np.int32]
    shift: int

    @property
    def size(self) -> int:
        return int(self.vals.size)

    @classmethod
    def build(cls, keys: KeyArray, vals: NDArray[np.uint32]) -> _Run:
        if keys.size < _DIRECTORY_MIN:
            return cls(keys, vals, _NO_DIRECTORY, 0)
        bits = int(min(max(np.ceil(np.log2(keys.size / 4)), 4), 26))
        shift = keys.dtype.itemsize * 8 - bits
        edges = np.left_shift(np.arange(1 << bits, dtype=np.uint64), np.uint64(shift))
        starts = np.searchsorted(keys, edges.astype(keys.dtype)).astype(np.int32)
        directory = np.concatenate((starts, np.array([keys.size], dtype=np.int32)))
        return cls(keys, vals, directory, shift)

    @property
    def nbytes(self) -> int:
        return int(self.keys.nbytes + self.vals.nbytes + self.directory.nbytes)


def _merge(a: _Run, b: _Run, keep: Alive | None) -> _Run:
    keys, vals = a.keys, a.vals
    if keep is not None and keys.size:
        alive = keep(vals)
        keys, vals = keys[alive], vals[alive]
    at = np.searchsorted(keys, b.keys, side="right")
    merged_keys: KeyArray = np.insert(keys, at, b.keys)
    merged_vals: NDArray[np.uint32] = np.insert(vals, at, b.vals)
    return _Run.build(merged_keys, merged_vals)


class MultiMap:
    """Sorted multimap key → uint32 sequence number (write buffer over two sorted runs)."""

    def __init__(self, dtype: type[np.uint32] | type[np.uint64], buffer: int = 4096) -> None:
        self._dtype = dtype
        self._buffer = buffer
        # the write buffer: sorted ``_pending_keys[:_pending_count]`` (insertion order among
        # equal keys), grown by doubling
        self._pending_keys: KeyArray = np.zeros(0, dtype=dtype)
        self._pending_vals: NDArray[np.uint32] = _EMPTY_SEQ
        self._pending_count = 0
        self._runs: list[_Run] = [self._empty(), self._empty()]

    def _empty(self) -> _Run:
        empty: KeyArray = np.zeros(0, dtype=self._dtype)
        return _Run.build(empty, _EMPTY_SEQ)

    def __len__(self) -> int:
        return self._pending_count + sum(run.size for run in self._runs)

    @property
    def nbytes(self) -> int:
        runs = sum(run.nbytes for run in self._runs)
        return int(runs + self._pending_keys.nbytes + self._pending_vals.nbytes)

    def add(self, keys: KeyArray, vals: NDArray[np.uint32], keep: Alive | None = None) -> None:
        """Add ``vals[i]`` under ``keys[i]``."""
        if keys.size > self._buffer:
            self._merge_in(self._sorted_run(keys, vals), keep)
            return
        self._reserve(int(keys.size))
        self._pending_count = sortedruns.buffer_insert(
            self._pending_keys,
            self._pending_vals,
            self._pending_count,
            keys.astype(self._dtype, copy=False),
            vals.astype(np.uint32, copy=False),
        )
        if self._pending_count > self._buffer:
            self._flush(keep)

    def add_distinct(
        self, keys: KeyArray, val: int, keep: Alive | None = None, shift: int = 0
    ) -> None:
        """Add ``val`` under each distinct key of ``keys >> shift``."""
        if keys.size > self._buffer:
            unique = np.unique((keys >> keys.dtype.type(shift)).astype(self._dtype))
            self._merge_in(self._sorted_run(unique, np.full(unique.size, val, np.uint32)), keep)
            return
        self._reserve(int(keys.size))
        self._pending_count = sortedruns.buffer_insert_value(
            self._pending_keys,
            self._pending_vals,
            self._pending_count,
            np.asarray(keys, dtype=np.uint64),
            shift,
            val,
        )
        if self._pending_count > self._buffer:
            self._flush(keep)

    def _reserve(self, count: int) -> None:
        """Make room for ``count`` more entries in the write buffer."""
        need = self._pending_count + count
        if need <= self._pending_keys.size:
            return
        size = max(64, 2 * self._pending_keys.size, need)
        grown_keys: KeyArray = np.zeros(size, dtype=self._dtype)
        grown_vals = np.zeros(size, dtype=np.uint32)
        grown_keys[: self._pending_count] = self._pending_keys[: self._pending_count]
        grown_vals[: self._pending_count] = self._pending_vals[: self._pending_count]
        self._pending_keys, self._pending_vals = grown_keys, grown_vals

    def _sorted_run(self, keys: KeyArray, vals: NDArray[np.uint32]) -> _Run:
        order = np.argsort(keys, kind="stable")
        typed: KeyArray = keys.astype(self._dtype)
        return _Run.build(typed[order], vals.astype(np.uint32)[order])

    def _flush(self, keep: Alive | None) -> None:
        if not self._pending_count:
            return
        count = self._pending_count
        fresh = _Run.build(self._pending_keys[:count].copy(), self._pending_vals[:count].copy())
        self._pending_count = 0
        self._merge_in(fresh, keep)

    def _merge_in(self, fresh: _Run, keep: Alive | None) -> None:
        main, middle = self._runs
        middle = _merge(middle, fresh, keep)
        if middle.size > max(4 * self._buffer, main.size // 8):
            main = _merge(main, middle, keep)
            middle = self._empty()
        self._runs = [main, middle]

    def lookup(
        self, query: KeyArray, shift: int = 0
    ) -> tuple[NDArray[np.int64], NDArray[np.uint32]]:
        """(query position, value) for every stored entry whose key equals a query key (the
        key being ``query >> shift``)."""
        return sortedruns.lookup(np.asarray(query, dtype=np.uint64), shift, self.parts())

    def parts(self) -> RunParts:
        """The arrays (and sizes) ``sortedruns.lookup`` reads."""
        main, middle = self._runs
        return (
            main.keys,
            main.vals,
            main.directory,
            main.shift,
            middle.keys,
            middle.vals,
            middle.directory,
            middle.shift,
            self._pending_keys,
            self._pending_vals,
            self._pending_count,
        )

    def purge(self, keep: Alive) -> None:
        """Drop every entry whose value ``keep`` rejects (compacts everything into one run)."""
        self._flush(None)
        self._pending_keys, self._pending_vals = self._pending_keys[:0].copy(), _EMPTY_SEQ
        merged = _merge(self._runs[0], self._runs[1], None)
        alive = keep(merged.vals) if merged.size else np.zeros(0, dtype=np.bool_)
        self._runs = [_Run.build(merged.keys[alive], merged.vals[alive]), self._empty()]
