"""Compiled kernels of the multimap's sorted runs: merged lookups over two sorted runs and a sorted
write buffer, stable merges into the buffer, and the index's live-document queries built on
them.

Compiled on first use into numba's disk cache (``newsflow compile`` fills it ahead of time);
numba's cache does not notice an edit to a kernel inlined from another module, so clear
``__pycache__`` after editing one.
"""

# Kernels take flat positional arguments (what numba compiles best) and are single loops.
# ruff: noqa: PLR0917

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from services.core.compiled import inline, jit
from services.dedup.sortedsets import gallop, insertion_sort, lower_bound

_SEQ_MASK = 0xFFFFFFFF


@inline
def _ranges(
    query: NDArray[np.uint64],
    keys: NDArray[np.uint64],
    size: int,
    directory: NDArray[np.int32],
    shift: int,
    bounds: NDArray[np.int64],
) -> int:
    """For each query key, the range ``bounds[q, 0]:bounds[q, 1]`` of the sorted ``keys[:size]``
    equal to it, via the bucket directory when there is one, else a binary search. Returns the
    number of matches."""
    if size == 0:
        bounds[:] = 0
        return 0
    if directory.size:
        # the reads of a big run miss the cache: read all the directory entries first (the
        # reads overlap), then search each (small) bucket
        for q in range(query.size):
            bucket = np.intp(query[q] >> np.uint64(shift))
            bounds[q, 0] = directory[bucket]
            bounds[q, 1] = directory[bucket + 1]
        for q in range(query.size):
            lo = bounds[q, 0]
            bounds[q, 0] = lo + lower_bound(keys[lo : bounds[q, 1]], bounds[q, 1] - lo, query[q])
    else:  # small: search on from the previous match while the query is sorted (as usual)
        walk = query.size * 16 > size  # many keys: step through, else gallop
        lo = 0
        for q in range(query.size):
            key = query[q]
            if q and key < query[q - 1]:
                lo = 0
            if walk:
                while lo < size and keys[lo] < key:
                    lo += 1
            else:
                lo = gallop(keys[:size], lo, key)
            bounds[q, 0] = lo
            bounds[q, 1] = size
    total = 0
    for q in range(query.size):
        key = query[q]
        lo = bounds[q, 0]
        end = lo
        hi = bounds[q, 1]
        while end < hi and keys[end] == key:
            end += 1
        bounds[q, 1] = end
        total += end - lo
    return total


@inline
def _fill(
    bounds: NDArray[np.int64],
    values: NDArray[np.uint32],
    which: NDArray[np.int64],
    out: NDArray[np.uint32],
    total: int,
) -> int:
    for q in range(bounds.shape[0]):
        for at in range(bounds[q, 0], bounds[q, 1]):
            which[total] = q
            out[total] = values[at]
            total += 1
    return total


@jit
def lookup(
    query: NDArray[np.uint64], query_shift: int, parts: tuple[Any, ...]
) -> tuple[NDArray[np.int64], NDArray[np.uint32]]:
    """``MultiMap.lookup`` of the keys ``query >> query_shift`` over its two sorted runs (with or
    without a bucket directory) and its sorted write buffer ``keys2[:size2]``: (query position,
    value) of every match, by source. ``parts`` is ``MultiMap.parts()``."""
    keys0, vals0, dir0, shift0, keys1, vals1, dir1, shift1, keys2, vals2, size2 = parts
    shifted = np.empty(query.size, dtype=np.uint64)
    for q in range(query.size):
        shifted[q] = np.uint64(query[q]) >> np.uint64(query_shift)
    query = shifted
    bounds0 = np.empty((query.size, 2), dtype=np.int64)
    bounds1 = np.empty((query.size, 2), dtype=np.int64)
    bounds2 = np.empty((query.size, 2), dtype=np.int64)
    total = _ranges(query, keys0, vals0.size, dir0, shift0, bounds0)
    total += _ranges(query, keys1, vals1.size, dir1, shift1, bounds1)
    total += _ranges(query, keys2, size2, np.zeros(0, dtype=np.int32), 0, bounds2)
    which = np.empty(total, dtype=np.int64)
    out = np.empty(total, dtype=np.uint32)
    total = _fill(bounds0, vals0, which, out, 0)
    total = _fill(bounds1, vals1, which, out, total)
    _fill(bounds2, vals2, which, out, total)
    return which, out


@inline
def _merge_into(
    keys: NDArray[np.uint64],
    vals: NDArray[np.uint32],
    size: int,
    add_keys: NDArray[np.uint64],
    add_vals: NDArray[np.uint32],
    count: int,
) -> int:
    """Merge the sorted ``add_keys[:count]`` into the sorted ``keys[:size]`` in place (from the
    back), after the equal keys already there. Returns the new size."""
    out = size + count
    a = size - 1
    b = count - 1
    for at in range(out - 1, -1, -1):
        if b < 0:
            break
        if a >= 0 and keys[a] > add_keys[b]:
            keys[at] = keys[a]
            vals[at] = vals[a]
            a -= 1
        else:
            keys[at] = add_keys[b]
            vals[at] = add_vals[b]
            b -= 1
    return out


@jit
def buffer_insert(
    keys: NDArray[np.uint64],
    vals: NDArray[np.uint32],
    size: int,
    new_keys: NDArray[np.uint64],
    new_vals: NDArray[np.uint32],
) -> int:
    """Merge ``new_keys``/``new_vals`` into the sorted buffer ``keys[:size]``/``vals[:size]``
    (capacity permitting), after equal keys already there and in their own order (stable).
    Returns the new size."""
    order = np.argsort(new_keys, kind="mergesort")
    return _merge_into(keys, vals, size, new_keys[order], new_vals[order], order.size)


@jit
def buffer_insert_value(
    keys: NDArray[np.uint64],
    vals: NDArray[np.uint32],
    size: int,
    new_keys: NDArray[np.uint64],
    shift: int,
    value: int,
) -> int:
    """Merge each distinct key of ``new_keys >> shift``, with ``value``, into the sorted buffer
    ``keys[:size]``/``vals[:size]`` (capacity permitting). Returns the new size."""
    add_keys = np.empty(new_keys.size, dtype=keys.dtype)
    for i in range(new_keys.size):
        add_keys[i] = new_keys[i] >> np.uint64(shift)
    insertion_sort(add_keys, 0, add_keys.size)
    count = 0
    for i in range(add_keys.size):
        if i == 0 or add_keys[i] != add_keys[count - 1]:
            add_keys[count] = add_keys[i]
            count += 1
    add_vals = np.full(count, value, dtype=np.uint32)
    return _merge_into(keys, vals, size, add_keys, add_vals, count)


@jit
def live_seqs(
    seq32: NDArray[np.uint32], times: NDArray[np.int64], base: int, size: int, cutoff: int
) -> NDArray[np.int64]:
    """Full sequence numbers, sorted, of the ``seq32`` alive at ``cutoff`` (``SlotTable.times``
    ``>= cutoff`` and ``SlotTable.full_seq``)."""
    out = np.empty(seq32.size, dtype=np.int64)
    count = 0
    low = base & _SEQ_MASK
    for value in seq32:
        row = (np.int64(value) - low) & _SEQ_MASK
        if row < size and times[row] >= cutoff:
            out[count] = row + base
            count += 1
    return np.sort(out[:count])


@jit
def find(
    query: NDArray[np.uint64],
    query_shift: int,
    parts: tuple[Any, ...],
    times: NDArray[np.int64],
    base: int,
    size: int,
    cutoff: int,
    limit: int,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """:func:`lookup` then :func:`live_seqs` of the values found, ranked by :func:`rank_hits`
    when ``limit`` > 0 (else all of them, sorted, with no counts)."""
    _, seq32 = lookup(query, query_shift, parts)
    seqs = live_seqs(seq32, times, base, size, cutoff)
    if limit <= 0:
        return seqs, np.zeros(0, dtype=np.int64)
    return rank_hits(seqs, limit)


@jit
def probe_index(
    shingles: NDArray[np.uint64],
    anchor_shift: int,
    limit: int,
    anchors: tuple[Any, ...],
    url: NDArray[np.uint64],
    urls: tuple[Any, ...],
    body: NDArray[np.uint64],
    bodies: tuple[Any, ...],
    times: NDArray[np.int64],
    base: int,
    size: int,
    cutoff: int,
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """The three :func:`find` of one article in one call: the ``limit`` best candidates
    sharing anchors with ``shingles`` (sequence numbers and hits), then the live documents
    with its URL key and with its body hash (each map given as the tuple of its arrays)."""
    seqs, hits = find(shingles, anchor_shift, anchors, times, base, size, cutoff, limit)
    by_url, _ = find(url, 0, urls, times, base, size, cutoff, 0)
    by_body, _ = find(body, 0, bodies, times, base, size, cutoff, 0)
    return seqs, hits, by_url, by_body


@jit
def rank_hits(seqs: NDArray[np.int64], limit: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The distinct sorted ``seqs`` with their counts: most hits first, then lowest seq."""
    distinct = np.empty(seqs.size, dtype=np.int64)
    hits = np.empty(seqs.size, dtype=np.int64)
    count = 0
    for i in range(seqs.size):
        if count and distinct[count - 1] == seqs[i]:
            hits[count - 1] += 1
        else:
            distinct[count] = seqs[i]
            hits[count] = 1
            count += 1
    order = np.argsort(-hits[:count], kind="mergesort")[:limit]
    return distinct[order], hits[order]
