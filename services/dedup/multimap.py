"""Sorted multimap key → 32-bit sequence number, in numpy arrays (no per-entry objects).

It is a small log-structured merge of three sorted runs (a write buffer, a middle run and the
main run). Big runs carry a bucket directory on the key's high bits, so a lookup costs two
array reads whatever the index size (flat lookup time, not a deepening binary search).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

KeyArray = NDArray[np.unsignedinteger[Any]]
Alive = Callable[[NDArray[np.uint32]], NDArray[np.bool_]]
_DIRECTORY_MIN = 2048
_EMPTY_SEQ = np.zeros(0, dtype=np.uint32)
_EMPTY_POS = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class _Run:
    keys: KeyArray
    vals: NDArray[np.uint32]
    directory: NDArray[np.int32] | None
    shift: int

    @classmethod
    def build(cls, keys: KeyArray, vals: NDArray[np.uint32]) -> _Run:
        if keys.size < _DIRECTORY_MIN:
            return cls(keys, vals, None, 0)
        width = keys.dtype.itemsize * 8
        bits = int(min(max(np.ceil(np.log2(keys.size / 4)), 4), 26))
        shift = width - bits
        edges = np.left_shift(np.arange(1 << bits, dtype=np.uint64), np.uint64(shift))
        starts = np.searchsorted(keys, edges.astype(keys.dtype)).astype(np.int32)
        directory = np.concatenate((starts, np.array([keys.size], dtype=np.int32)))
        return cls(keys, vals, directory, shift)

    def ranges(self, query: KeyArray) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        if self.directory is None:
            lo = np.searchsorted(self.keys, query, side="left")
            hi = np.searchsorted(self.keys, query, side="right")
            return lo.astype(np.int64), hi.astype(np.int64)
        bucket = np.right_shift(query.astype(np.uint64), np.uint64(self.shift)).astype(np.intp)
        return self.directory[bucket].astype(np.int64), self.directory[bucket + 1].astype(np.int64)

    def lookup(self, query: KeyArray) -> tuple[NDArray[np.int64], NDArray[np.uint32]]:
        if self.keys.size == 0 or query.size == 0:
            return _EMPTY_POS, _EMPTY_SEQ
        lo, hi = self.ranges(query)
        counts = (hi - lo).astype(np.int64)
        total = int(counts.sum())
        if total == 0:
            return _EMPTY_POS, _EMPTY_SEQ
        which = np.repeat(np.arange(query.size), counts)
        pos = np.arange(total) + np.repeat(lo - (np.cumsum(counts) - counts), counts)
        equal = self.keys[pos] == query[which]
        return which[equal], self.vals[pos[equal]]

    @property
    def nbytes(self) -> int:
        extra = 0 if self.directory is None else self.directory.nbytes
        return int(self.keys.nbytes + self.vals.nbytes + extra)


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
    """Sorted multimap key → uint32 sequence number (three-level LSM of sorted runs)."""

    def __init__(self, dtype: type[np.uint32] | type[np.uint64], buffer: int = 4096) -> None:
        self._dtype = dtype
        self._buffer = buffer
        self._runs: list[_Run] = [self._empty(), self._empty(), self._empty()]

    def _empty(self) -> _Run:
        empty: KeyArray = np.zeros(0, dtype=self._dtype)
        return _Run.build(empty, _EMPTY_SEQ)

    def __len__(self) -> int:
        return sum(int(run.keys.size) for run in self._runs)

    @property
    def nbytes(self) -> int:
        return sum(run.nbytes for run in self._runs)

    def add(self, keys: KeyArray, vals: NDArray[np.uint32], keep: Alive | None = None) -> None:
        order = np.argsort(keys, kind="stable")
        typed: KeyArray = keys.astype(self._dtype)
        fresh = _Run.build(typed[order], vals.astype(np.uint32)[order])
        main, middle, small = self._runs
        small = _merge(small, fresh, None)
        if small.keys.size > self._buffer:
            middle, small = _merge(middle, small, keep), self._empty()
        if middle.keys.size > max(4 * self._buffer, main.keys.size // 8):
            main = _merge(main, middle, keep)
            middle = self._empty()
        self._runs = [main, middle, small]

    def lookup(self, query: KeyArray) -> tuple[NDArray[np.int64], NDArray[np.uint32]]:
        """(query position, value) for every stored entry whose key equals a query key."""
        query = np.asarray(query, dtype=self._dtype)
        found = [run.lookup(query) for run in self._runs if run.keys.size]
        if not found:
            return _EMPTY_POS, _EMPTY_SEQ
        return np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found])

    def purge(self, keep: Alive) -> None:
        """Drop every entry whose value ``keep`` rejects (compacts all runs into one)."""
        empty = self._empty()
        merged = empty
        for run in self._runs:
            merged = _merge(merged, run, None)
        alive = keep(merged.vals) if merged.keys.size else np.zeros(0, dtype=np.bool_)
        self._runs = [_Run.build(merged.keys[alive], merged.vals[alive]), empty, empty]
