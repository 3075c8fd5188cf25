"""Sorted multimap key → 32-bit sequence number, in numpy arrays (no per-entry objects).

It is a small log-structured merge: a bounded write buffer (a dict, so adding one document's
keys and probing a handful of keys cost no array rebuilds) over two sorted runs (a middle run and
the main run). Big runs carry a bucket directory on the key's high bits, so a lookup costs two
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
_COLUMNS = np.arange(1 << 16, dtype=np.int64)
_COLUMNS.setflags(write=False)
_BUFFER_ENTRY_BYTES = 100  # estimate of one buffered entry (dict slot, int objects, list)


@dataclass(frozen=True, slots=True)
class _Run:
    """A sorted run. With a directory, ``keys`` carries ``width`` zero keys of padding past its
    ``size`` entries, so every bucket can be read as a fixed-width row (a zero key read past the
    end is never a match: only bucket 0 holds zero keys, and its rows end before the padding)."""

    keys: KeyArray
    vals: NDArray[np.uint32]
    directory: NDArray[np.int32] | None
    shift: int
    width: int

    @property
    def size(self) -> int:
        return int(self.vals.size)

    @property
    def sorted_keys(self) -> KeyArray:
        return self.keys[: self.vals.size]

    @classmethod
    def build(cls, keys: KeyArray, vals: NDArray[np.uint32]) -> _Run:
        if keys.size < _DIRECTORY_MIN:
            return cls(keys, vals, None, 0, 0)
        bits = int(min(max(np.ceil(np.log2(keys.size / 4)), 4), 26))
        shift = keys.dtype.itemsize * 8 - bits
        edges = np.left_shift(np.arange(1 << bits, dtype=np.uint64), np.uint64(shift))
        starts = np.searchsorted(keys, edges.astype(keys.dtype)).astype(np.int32)
        directory = np.concatenate((starts, np.array([keys.size], dtype=np.int32)))
        width = max(int(np.diff(directory).max()), 1)
        padded: KeyArray = np.concatenate((keys, np.zeros(width, dtype=keys.dtype)))
        return cls(padded, vals, directory, shift, width)

    def lookup(self, query: KeyArray) -> tuple[NDArray[np.int64], NDArray[np.uint32]]:
        if self.vals.size == 0 or query.size == 0:
            return _EMPTY_POS, _EMPTY_SEQ
        if self.directory is None:
            return self._search(query)
        bucket = np.right_shift(query, query.dtype.type(self.shift)).astype(np.intp)
        pos = self.directory[bucket][:, None] + _COLUMNS[: self.width]
        rows, cols = np.nonzero(self.keys[pos] == query[:, None])
        if rows.size == 0:
            return _EMPTY_POS, _EMPTY_SEQ
        return rows, self.vals[pos[rows, cols]]

    def _search(self, query: KeyArray) -> tuple[NDArray[np.int64], NDArray[np.uint32]]:
        lo = np.searchsorted(self.keys, query, side="left")
        counts = np.searchsorted(self.keys, query, side="right") - lo
        total = int(counts.sum())
        if total == 0:
            return _EMPTY_POS, _EMPTY_SEQ
        which = np.repeat(np.arange(query.size), counts)
        pos = np.arange(total) + np.repeat(lo - (np.cumsum(counts) - counts), counts)
        return which, self.vals[pos]

    @property
    def nbytes(self) -> int:
        extra = 0 if self.directory is None else self.directory.nbytes
        return int(self.keys.nbytes + self.vals.nbytes + extra)


def _merge(a: _Run, b: _Run, keep: Alive | None) -> _Run:
    keys, vals = a.sorted_keys, a.vals
    if keep is not None and keys.size:
        alive = keep(vals)
        keys, vals = keys[alive], vals[alive]
    at = np.searchsorted(keys, b.sorted_keys, side="right")
    merged_keys: KeyArray = np.insert(keys, at, b.sorted_keys)
    merged_vals: NDArray[np.uint32] = np.insert(vals, at, b.vals)
    return _Run.build(merged_keys, merged_vals)


class MultiMap:
    """Sorted multimap key → uint32 sequence number (write buffer over two sorted runs)."""

    def __init__(self, dtype: type[np.uint32] | type[np.uint64], buffer: int = 4096) -> None:
        self._dtype = dtype
        self._buffer = buffer
        self._pending: dict[int, list[int]] = {}
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
        return runs + _BUFFER_ENTRY_BYTES * self._pending_count

    def add(self, keys: KeyArray, vals: NDArray[np.uint32], keep: Alive | None = None) -> None:
        if keys.size > self._buffer:
            self._merge_in(self._sorted_run(keys, vals), keep)
            return
        pending = self._pending
        typed = keys.astype(self._dtype, copy=False).tolist()
        for key, val in zip(typed, vals.tolist(), strict=True):
            found = pending.get(key)
            if found is None:
                pending[key] = [val]
            else:
                found.append(val)
        self._pending_count += int(keys.size)
        if self._pending_count > self._buffer:
            self._flush(keep)

    def _sorted_run(self, keys: KeyArray, vals: NDArray[np.uint32]) -> _Run:
        order = np.argsort(keys, kind="stable")
        typed: KeyArray = keys.astype(self._dtype)
        return _Run.build(typed[order], vals.astype(np.uint32)[order])

    def _flush(self, keep: Alive | None) -> None:
        if not self._pending:
            return
        items = self._pending.items()
        sizes = [len(vals) for vals in self._pending.values()]
        keys = np.repeat(np.array([key for key, _ in items], dtype=self._dtype), sizes)
        vals = np.array([val for _, found in items for val in found], dtype=np.uint32)
        self._pending = {}
        self._pending_count = 0
        self._merge_in(self._sorted_run(keys, vals), keep)

    def _merge_in(self, fresh: _Run, keep: Alive | None) -> None:
        main, middle = self._runs
        middle = _merge(middle, fresh, keep)
        if middle.size > max(4 * self._buffer, main.size // 8):
            main = _merge(main, middle, keep)
            middle = self._empty()
        self._runs = [main, middle]

    def lookup(self, query: KeyArray) -> tuple[NDArray[np.int64], NDArray[np.uint32]]:
        """(query position, value) for every stored entry whose key equals a query key."""
        query = np.asarray(query, dtype=self._dtype)
        found = [run.lookup(query) for run in self._runs if run.size]
        if self._pending:
            found.append(self._lookup_pending(query))
        found = [item for item in found if item[0].size]
        if not found:
            return _EMPTY_POS, _EMPTY_SEQ
        if len(found) == 1:
            return found[0]
        return np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found])

    def _lookup_pending(self, query: KeyArray) -> tuple[NDArray[np.int64], NDArray[np.uint32]]:
        get = self._pending.get
        which: list[int] = []
        vals: list[int] = []
        for position, key in enumerate(query.tolist()):
            found = get(key)
            if found is not None:
                which.extend([position] * len(found))
                vals.extend(found)
        if not which:
            return _EMPTY_POS, _EMPTY_SEQ
        return np.array(which, dtype=np.int64), np.array(vals, dtype=np.uint32)

    def purge(self, keep: Alive) -> None:
        """Drop every entry whose value ``keep`` rejects (compacts everything into one run)."""
        self._flush(None)
        merged = _merge(self._runs[0], self._runs[1], None)
        alive = keep(merged.vals) if merged.size else np.zeros(0, dtype=np.bool_)
        self._runs = [_Run.build(merged.sorted_keys[alive], merged.vals[alive]), self._empty()]
