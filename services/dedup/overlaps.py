"""The compiled overlap counts of a new article against a stored record (the twin of
``similarity.overlap_counts``; the unit tests check both give identical values).

Compiled on first use into numba's disk cache (``newsflow compile`` fills it ahead of time);
numba's cache does not notice an edit to a kernel inlined from another module, so clear
``__pycache__`` after editing one.
"""

# Kernels take flat positional arguments (what numba compiles best) and are single loops.
# ruff: noqa: PLR0912, PLR0917

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from services.core.compiled import jit
from services.dedup.sortedsets import contains, gallop, lower_bound, maybe_in, sort_hashes


@jit
def compare_counts(
    shingles: NDArray[np.uint64],
    sequence: NDArray[np.uint64],
    own_lede: NDArray[np.uint64],
    sample: NDArray[np.uint64],
    lede: NDArray[np.uint64],
    boilerplate: NDArray[np.uint64],
    boilerplate_screen: NDArray[np.uint64],
    max_position: float,
) -> tuple[int, int, float, float]:
    """The counts behind ``similarity.compare``: (sample size and how much of it is in
    ``shingles``, both after dropping ``boilerplate`` (whose :func:`screen` is
    ``boilerplate_screen``); lede overlap; lede position)."""
    sample_size = 0
    contained = 0
    # a sorted sample (the usual case) is merged with ``shingles``: stepping through the span
    # it covers when that is short, else searching on from the previous match
    at = 0
    previous = np.uint64(0)
    walk = sample.size > 0 and lower_bound(shingles, shingles.size, sample[-1]) <= 4 * sample.size
    for value in sample:
        if maybe_in(boilerplate_screen, value) and contains(boilerplate, value):
            continue
        sample_size += 1
        if value < previous:  # not sorted after all
            at = 0
            walk = False
        previous = value
        if walk:
            while at < shingles.size and shingles[at] < value:
                at += 1
        else:
            at = gallop(shingles, at, value)
        if at < shingles.size and shingles[at] == value:
            contained += 1
    if sample_size == 0 or shingles.size == 0:
        return sample_size, 0, 0.0, 1.0
    kept = np.empty(lede.size, dtype=np.uint64)
    size = 0
    for value in lede:
        if not (maybe_in(boilerplate_screen, value) and contains(boilerplate, value)):
            kept[size] = value
            size += 1
    if size == 0 or sequence.size == 0:
        return sample_size, contained, 0.0, 1.0
    ordered = sort_hashes(kept[:size])
    # the lede shingles found anywhere in the new article: where the first of them occurs
    present = np.empty(size, dtype=np.uint64)
    hits = 0
    for value in ordered:
        if contains(shingles, value):
            present[hits] = value
            hits += 1
    present = present[:hits]
    position = 1.0
    if hits:
        # a 1024-slot filter on the top bits skips almost every shingle without a search
        slots = np.zeros(1024, dtype=np.uint8)
        for value in present:
            slots[np.intp(value >> np.uint64(54))] = 1
        for i in range(sequence.size):
            value = sequence[i]
            if slots[np.intp(value >> np.uint64(54))] and contains(present, value):
                position = float(i) / sequence.size
                break
    inside = hits / size if position <= max_position else 0.0
    shared = 0.0
    if own_lede.size:
        hits = 0
        for value in own_lede:
            if contains(ordered, value):
                hits += 1
        shared = hits / own_lede.size
    return sample_size, contained, max(inside, shared), position
