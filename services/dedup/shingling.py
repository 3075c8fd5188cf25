"""Compiled shingling: a token stream's blocks, body hash, content shingles and lede in one pass,
and the anchors picked from them.

The twins of ``fingerprint.blocks`` + ``fingerprint.fingerprint`` and ``Fingerprint.anchors``; the
unit tests check that both give identical values.

Compiled on first use into numba's disk cache (``newsflow compile`` fills it ahead of time);
numba's cache does not notice an edit to a kernel inlined from another module, so clear
``__pycache__`` after editing one.
"""

# Kernels take flat positional arguments (what numba compiles best) and are single loops.
# ruff: noqa: PLR0912, PLR0915, PLR0917

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from services.core.compiled import jit
from services.dedup.scanner import mix
from services.dedup.sortedsets import contains, maybe_in, sorted_unique

_Q = np.uint64(0x9E3779B97F4A7C15)
_ONE = np.uint64(1)


@jit
def fingerprint_tokens(
    hashes: NDArray[np.uint64],
    lines: NDArray[np.int64],
    promoted: NDArray[np.uint64],
    boilerplate: NDArray[np.uint64],
    boilerplate_screen: NDArray[np.uint64],
    shingle_size: int,
    lede_size: int,
) -> tuple[
    NDArray[np.uint64],
    NDArray[np.int64],
    NDArray[np.int64],
    np.uint64,
    NDArray[np.uint64],
    NDArray[np.uint64],
    int,
    int,
]:
    """Blocks, body hash and content fingerprint of a token stream in one pass.

    The twin of ``blocks`` + ``fingerprint`` (with ``boilerplate_blocks`` the blocks whose hash
    is in the sorted ``promoted``, and ``boilerplate_shingles`` the sorted ``boilerplate``, whose
    :func:`screen` is ``boilerplate_screen``).
    Returns (block hashes, block starts, block ends, body hash, sequence, lede, boilerplate
    tokens, boilerplate shingles dropped); the shingle set is :func:`distinct` of the sorted
    sequence (numpy sorts faster than compiled code can).
    """
    n = hashes.size
    blocks = 0
    for i in range(n):
        if i == 0 or lines[i] != lines[i - 1]:
            blocks += 1
    block_hashes = np.empty(blocks, dtype=np.uint64)
    block_starts = np.empty(blocks, dtype=np.int64)
    block_ends = np.empty(blocks, dtype=np.int64)
    kept = np.empty(n, dtype=np.uint64)
    kept_count = 0
    total = np.uint64(0)
    power = _ONE
    block = -1
    block_sum = np.uint64(0)
    block_power = _ONE
    for i in range(n):
        h = hashes[i]
        power = power * _Q
        total += h * power
        if i == 0 or lines[i] != lines[i - 1]:
            if block >= 0:
                block_ends[block] = i
                block_hashes[block] = mix(block_sum ^ np.uint64(i - block_starts[block]))
            block += 1
            block_starts[block] = i
            block_sum = np.uint64(0)
            block_power = _ONE
        block_power = block_power * _Q
        block_sum += h * block_power
    if block >= 0:
        block_ends[block] = n
        block_hashes[block] = mix(block_sum ^ np.uint64(n - block_starts[block]))
    body_hash = mix(total ^ np.uint64(n))
    for b in range(blocks):
        if promoted.size == 0 or not contains(promoted, block_hashes[b]):
            for i in range(block_starts[b], block_ends[b]):
                kept[kept_count] = hashes[i]
                kept_count += 1
    if kept_count == 0:
        sequence = np.zeros(0, dtype=np.uint64)
    else:
        width = min(shingle_size, kept_count)
        windows = kept_count - width + 1
        weights = np.empty(width, dtype=np.uint64)
        for o in range(width):
            weights[o] = mix(np.uint64(o + 1)) | _ONE
        sequence = np.zeros(windows, dtype=np.uint64)
        for o in range(width):  # offset-major: each pass is a plain multiply-add over arrays
            weight = weights[o]
            for i in range(windows):
                sequence[i] += kept[i + o] * weight
        for i in range(windows):
            sequence[i] = mix(sequence[i])
    dropped = 0
    if boilerplate.size and sequence.size:
        left = 0
        for i in range(sequence.size):
            if maybe_in(boilerplate_screen, sequence[i]) and contains(boilerplate, sequence[i]):
                dropped += 1
            else:
                sequence[left] = sequence[i]
                left += 1
        sequence = sequence[:left]
    lede = np.empty(min(lede_size, sequence.size), dtype=np.uint64)
    found = 0
    for i in range(min(sequence.size, 4 * lede_size)):
        if found == lede.size:
            break
        value = sequence[i]
        seen = False
        for j in range(found):
            if lede[j] == value:
                seen = True
                break
        if not seen:
            lede[found] = value
            found += 1
    return (
        block_hashes,
        block_starts,
        block_ends,
        body_hash,
        sequence,
        lede[:found],
        n - kept_count,
        dropped,
    )


@jit
def select_anchors(
    shingles: NDArray[np.uint64], sequence: NDArray[np.uint64], count: int, head: int, size: int
) -> NDArray[np.uint64]:
    """``Fingerprint.anchors``."""
    opening = sorted_unique(sequence[:size])[:head]
    rest = shingles[: max(count - head, 0)]
    both = np.empty(rest.size + opening.size, dtype=np.uint64)
    both[: rest.size] = rest
    both[rest.size :] = opening
    return sorted_unique(both)
