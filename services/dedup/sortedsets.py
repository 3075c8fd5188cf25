"""Compiled kernels over sorted uint64 arrays (sets of hashes): sorting, distinct values,
searching, and a 65536-bit screen that skips most searches.

Compiled on first use into numba's disk cache (``newsflow compile`` fills it ahead of time);
numba's cache does not notice an edit to a kernel inlined from another module, so clear
``__pycache__`` after editing one.
"""

# Kernels take flat positional arguments (what numba compiles best) and are single loops.

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from services.core.compiled import inline, jit


@inline
def lower_bound(hay: NDArray[np.uint64], size: int, value: np.uint64) -> int:
    """The first position in the sorted ``hay[:size]`` whose value is ``>= value`` (a binary
    search without data-dependent branches: they would mispredict half of the time)."""
    if size == 0:
        return 0
    base = 0
    n = size
    while n > 1:
        half = n >> 1
        base = base + half if hay[base + half - 1] < value else base
        n -= half
    return base + int(hay[base] < value)


@inline
def gallop(hay: NDArray[np.uint64], start: int, value: np.uint64) -> int:
    """:func:`lower_bound` of the sorted ``hay`` knowing it is ``>= start``: exponential steps
    from ``start``, then a binary search (cheap when successive values are near each other)."""
    size = hay.size
    if start >= size or hay[start] >= value:
        return start
    step = 1
    while start + step < size and hay[start + step] < value:
        start += step
        step *= 2
    # hay[start] < value <= hay[start + step] (or the end)
    end = min(start + step, size)
    return start + 1 + lower_bound(hay[start + 1 : end], end - start - 1, value)


@jit
def screen(values: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """A 65536-bit filter of ``values`` on their top 16 bits (see :func:`maybe_in`)."""
    bits = np.zeros(1024, dtype=np.uint64)
    for value in values:
        top = np.intp(value >> np.uint64(48))
        bits[top >> 6] |= np.uint64(1) << np.uint64(top & 63)
    return bits


@inline
def maybe_in(bits: NDArray[np.uint64], value: np.uint64) -> bool:
    """Whether ``value`` may be in the set :func:`screen` made ``bits`` of (no false negative;
    for hashes, false positives in proportion to the set's size / 65536)."""
    top = np.intp(value >> np.uint64(48))
    return bool((bits[top >> 6] >> np.uint64(top & 63)) & np.uint64(1))


@inline
def contains(hay: NDArray[np.uint64], value: np.uint64) -> bool:
    at = lower_bound(hay, hay.size, value)
    return at < hay.size and hay[at] == value


@inline
def insertion_sort(values: NDArray[np.uint64], lo: int, hi: int) -> None:
    for i in range(lo + 1, hi):
        value = values[i]
        j = i - 1
        while j >= lo and values[j] > value:
            values[j + 1] = values[j]
            j -= 1
        values[j + 1] = value


@jit
def sort_hashes(values: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """A sorted copy of ``values`` (``np.sort``), fast for hashes: one bucket pass on the top
    bits, then each (typically tiny) bucket sorted on its own."""
    n = values.size
    out = values.copy()
    if n < 32:
        insertion_sort(out, 0, n)
        return out
    bits = 1
    while (1 << bits) < n and bits < 16:
        bits += 1
    shift = np.uint64(64 - bits)
    starts = np.zeros((1 << bits) + 1, dtype=np.int64)
    for value in values:
        starts[np.intp(value >> shift) + 1] += 1
    for b in range(1 << bits):
        starts[b + 1] += starts[b]
    fill = starts[:-1].copy()
    for value in values:
        bucket = np.intp(value >> shift)
        out[fill[bucket]] = value
        fill[bucket] += 1
    for b in range(1 << bits):
        lo = starts[b]
        hi = starts[b + 1]
        if hi - lo > 16:
            out[lo:hi] = np.sort(out[lo:hi])
        elif hi - lo > 1:
            insertion_sort(out, lo, hi)
    return out


@jit
def sorted_unique(values: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """``fingerprint.sorted_unique``."""
    return distinct(sort_hashes(values))


@jit
def distinct(ordered: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """The distinct values of the sorted ``ordered`` (compacted in place)."""
    kept = 0
    for i in range(ordered.size):
        if i == 0 or ordered[i] != ordered[kept - 1]:
            ordered[kept] = ordered[i]
            kept += 1
    return ordered[:kept]
