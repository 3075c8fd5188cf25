"""Compiled (numba) inner loops of the dedup engine.

Each kernel is a one-pass, compiled twin of a readable numpy function elsewhere in the package
(named in its docstring); the unit tests check that both give identical values. A document
costs a handful of kernel calls instead of about a thousand numpy calls.

Kernels are compiled on first use and cached on disk (``cache=True``, in ``__pycache__``: about
20 s the first time, well under a second to load after that);
:func:`services.dedup.deduplicator.warm_up` compiles (or loads) every specialisation the engine
uses, once per process.
"""

# Kernels take flat positional arguments (what numba compiles best) and are single loops.
# ruff: noqa: PLR0912, PLR0915, PLR0917

from __future__ import annotations

import sys
from typing import Any

import numpy as np
from numpy.typing import NDArray

from services.core.compiled import inline, jit
from services.dedup.normalise import FOLDED, SEPARATOR, TABLE_SIZE, UNSAFE

U64 = np.uint64
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_LENGTH_SALT = np.uint64(0xD6E8FEB86659FD93)
_Q = np.uint64(0x9E3779B97F4A7C15)
_ONE = np.uint64(1)
_SEQ_MASK = 0xFFFFFFFF
_LITTLE_ENDIAN = sys.byteorder == "little"
_UNSAFE, _SEPARATOR, _FOLDED, _TABLE_SIZE = UNSAFE, SEPARATOR, FOLDED, TABLE_SIZE
LONG_TOKEN = 64  # tokens longer than this are hashed with BLAKE2b (see hashing.word_hashes)
MAX_BYTES = 2**31 - 8  # longest text scan_tokens reads (positions are 32-bit)


@inline
def _mix(x: np.uint64) -> np.uint64:
    """splitmix64 finaliser (``hashing.mix64`` on one value)."""
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    return x ^ (x >> np.uint64(31))


@jit
def finish_token(acc: np.uint64, length: int) -> np.uint64:
    """The final mix of a token hash (``word_hashes``' last line) for one token."""
    return _mix(acc ^ (np.uint64(length) * _LENGTH_SALT))


_WORD = np.zeros(256, dtype=np.uint8)  # ``normalise.WORD_BYTES``
_WORD[[*b"abcdefghijklmnopqrstuvwxyz0123456789", *range(0x80, 0x100)]] = 1
_MASKS = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)


@inline
def _load8(data: NDArray[np.uint8], words: NDArray[np.uint64], at: int) -> np.uint64:
    """The little-endian 64-bit word at ``data[at:at + 8]``; ``words`` is ``data`` seen as
    (native) 64-bit words, with at least 8 zero bytes after the end."""
    if _LITTLE_ENDIAN:  # two aligned reads
        index = at >> 3
        shift = np.uint64((at & 7) * 8)
        joined: np.uint64 = (words[index] >> shift) | (
            (words[index + 1] << (np.uint64(63) - shift)) << _ONE
        )
        return joined
    word = np.uint64(0)
    for k in range(8):
        word |= np.uint64(data[at + k]) << np.uint64(8 * k)
    return word


@jit
def scan_text(
    text: NDArray[np.uint8], classes: NDArray[np.uint8], folds: NDArray[np.uint32]
) -> tuple[
    NDArray[np.uint64],
    NDArray[np.int64],
    NDArray[np.int64],
    NDArray[np.int64],
    int,
    NDArray[np.int64],
    NDArray[np.uint8],
]:
    """:func:`scan_tokens` of the UTF-8 ``text`` with its ASCII letters lower-cased (as
    ``bytes.lower``), read from a copy it makes; the copy (as finally read) comes last."""
    n = text.size
    words = np.zeros(n // 8 + 2, dtype=np.uint64)  # 8 zero bytes at least after the text
    data = words.view(np.uint8)[:n]
    for i in range(n):
        b = text[i]
        data[i] = b | np.uint8(0x20) if 0x41 <= b <= 0x5A else b
    hashes, lines, starts, ends, long, unsafe = scan_tokens(data, words, classes, folds)
    return hashes, lines, starts, ends, long, unsafe, data


_NO_LINES = np.zeros(0, dtype=np.int64)


@inline
def _unsafe_lines(data: NDArray[np.uint8], classes: NDArray[np.uint8]) -> NDArray[np.int64]:
    """The lines of ``data`` holding an ``UNSAFE`` character (the rare case of
    :func:`scan_tokens`)."""
    found = np.empty(data.size + 1, dtype=np.int64)
    count = 0
    line = 0
    i = 0
    n = data.size
    while i < n:
        b = data[i]
        width = 1
        if b >= 0xC2:
            width = 2 + (b >= 0xE0) + (b >= 0xF0)
            code = _TABLE_SIZE
            if i + width > n:  # truncated, as in scan_tokens
                width = 1
            elif width == 2:
                code = ((int(b) & 0x1F) << 6) | (int(data[i + 1]) & 0x3F)
            elif width == 3:
                code = ((int(b) & 0x0F) << 12) | ((int(data[i + 1]) & 0x3F) << 6)
                code |= int(data[i + 2]) & 0x3F
            else:
                code = ((int(b) & 0x07) << 18) | ((int(data[i + 1]) & 0x3F) << 12)
                code |= ((int(data[i + 2]) & 0x3F) << 6) | (int(data[i + 3]) & 0x3F)
            if classes[min(code, _TABLE_SIZE)] == _UNSAFE and (
                count == 0 or found[count - 1] != line
            ):
                found[count] = line
                count += 1
        line += b == 0x0A
        i += width
    return found[:count]


@jit
def scan_tokens(
    data: NDArray[np.uint8],
    words: NDArray[np.uint64],
    classes: NDArray[np.uint8],
    folds: NDArray[np.uint32],
) -> tuple[
    NDArray[np.uint64],
    NDArray[np.int64],
    NDArray[np.int64],
    NDArray[np.int64],
    int,
    NDArray[np.int64],
]:
    """Hash every token of UTF-8 ``data`` (seen as 64-bit ``words`` too, with at least 8 zero
    bytes after its end), reading each
    non-ASCII character as ``classes`` says and writing ``folds`` over ``FOLDED`` ones
    (``normalise.char_tables``).

    The twin of ``tokenise``: token bounds of ``normalise.token_bounds`` (``SEPARATOR``
    characters separate tokens here, as ``normalise.prepare`` turns them into spaces), token
    hashes of ``hashing.word_hashes`` and the line of each token. Returns (hashes, lines,
    starts, ends, long, unsafe): the hashes of the ``long`` tokens longer than
    :data:`LONG_TOKEN` bytes are left for the caller (BLAKE2b); ``unsafe`` lists the lines
    holding an ``UNSAFE`` character, whose tokens are wrong (the caller prepares them and scans
    again).
    """
    n = data.size
    # token edges (start, end, start, ...) and the newlines before each, without branches
    edges = np.empty(n + 2, dtype=np.int32)  # n < MAX_BYTES
    edge_lines = np.empty(n + 2, dtype=np.int32)
    bad = 0  # UNSAFE characters seen
    count = 0
    previous = 0
    line = 0
    skip = 0
    for i in range(n):
        b = data[i]
        word = _WORD[b]
        if b >= 0x80:  # part of a multi-byte character
            if skip:  # a continuation byte of a separator
                word = 0
                skip -= 1
            elif b >= 0xC2:  # the lead byte
                width = 2 + (b >= 0xE0) + (b >= 0xF0)
                if i + width > n:  # truncated (not from str.encode): word bytes
                    code = _TABLE_SIZE
                    width = 1
                elif width == 2:
                    code = ((int(b) & 0x1F) << 6) | (int(data[i + 1]) & 0x3F)
                elif width == 3:
                    code = ((int(b) & 0x0F) << 12) | ((int(data[i + 1]) & 0x3F) << 6)
                    code |= int(data[i + 2]) & 0x3F
                else:
                    code = ((int(b) & 0x07) << 18) | ((int(data[i + 1]) & 0x3F) << 12)
                    code |= ((int(data[i + 2]) & 0x3F) << 6) | (int(data[i + 3]) & 0x3F)
                kind = classes[min(code, _TABLE_SIZE)]
                if kind == _SEPARATOR:
                    word = 0
                    skip = width - 1
                elif kind == _FOLDED:
                    fold = folds[code]
                    for k in range(width):
                        data[i + k] = np.uint8((fold >> (8 * k)) & 0xFF)
                elif kind == _UNSAFE:
                    bad += 1
        edges[count] = i
        edge_lines[count] = line
        count += word ^ previous
        previous = word
        line += b == 0x0A
    edges[count] = n  # closes a token running to the end
    count += previous
    tokens = count // 2
    starts = np.empty(tokens, dtype=np.int64)
    ends = np.empty(tokens, dtype=np.int64)
    lines = np.empty(tokens, dtype=np.int64)
    hashes = np.empty(tokens, dtype=np.uint64)
    longer = np.empty(tokens, dtype=np.int64)  # tokens of more than 8 bytes
    more = 0
    for t in range(tokens):  # the first (or only) 8 bytes of every token, without branches
        start = edges[2 * t]
        length = edges[2 * t + 1] - start
        starts[t] = start
        ends[t] = start + length
        lines[t] = edge_lines[2 * t]
        hashes[t] = _load8(data, words, start) & _MASKS[min(length, 8)]
        longer[more] = t
        more += length > 8
    long = 0
    for j in range(more):  # chain the next 8-byte words of the longer tokens
        t = longer[j]
        start = starts[t]
        length = ends[t] - start
        if length > LONG_TOKEN:
            long += 1
            continue
        acc = hashes[t]
        for done in range(8, length, 8):
            acc = _mix(acc) ^ (_load8(data, words, start + done) & _MASKS[min(length - done, 8)])
        hashes[t] = acc
    for t in range(tokens):
        hashes[t] = _mix(hashes[t] ^ (np.uint64(ends[t] - starts[t]) * _LENGTH_SALT))
    return hashes, lines, starts, ends, long, _unsafe_lines(data, classes) if bad else _NO_LINES


@inline
def _lower_bound(hay: NDArray[np.uint64], size: int, value: np.uint64) -> int:
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
def _gallop(hay: NDArray[np.uint64], start: int, value: np.uint64) -> int:
    """:func:`_lower_bound` of the sorted ``hay`` knowing it is ``>= start``: exponential steps
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
    return start + 1 + _lower_bound(hay[start + 1 : end], end - start - 1, value)


@jit
def screen(values: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """A 65536-bit filter of ``values`` on their top 16 bits (see :func:`_maybe`)."""
    bits = np.zeros(1024, dtype=np.uint64)
    for value in values:
        top = np.intp(value >> np.uint64(48))
        bits[top >> 6] |= np.uint64(1) << np.uint64(top & 63)
    return bits


@inline
def _maybe(bits: NDArray[np.uint64], value: np.uint64) -> bool:
    """Whether ``value`` may be in the set :func:`screen` made ``bits`` of (no false negative;
    for hashes, false positives in proportion to the set's size / 65536)."""
    top = np.intp(value >> np.uint64(48))
    return bool((bits[top >> 6] >> np.uint64(top & 63)) & np.uint64(1))


@inline
def _has(hay: NDArray[np.uint64], value: np.uint64) -> bool:
    at = _lower_bound(hay, hay.size, value)
    return at < hay.size and hay[at] == value


@inline
def _insertion_sort(values: NDArray[np.uint64], lo: int, hi: int) -> None:
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
        _insertion_sort(out, 0, n)
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
            _insertion_sort(out, lo, hi)
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


@jit
def analyse(
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
                block_hashes[block] = _mix(block_sum ^ np.uint64(i - block_starts[block]))
            block += 1
            block_starts[block] = i
            block_sum = np.uint64(0)
            block_power = _ONE
        block_power = block_power * _Q
        block_sum += h * block_power
    if block >= 0:
        block_ends[block] = n
        block_hashes[block] = _mix(block_sum ^ np.uint64(n - block_starts[block]))
    body_hash = _mix(total ^ np.uint64(n))
    for b in range(blocks):
        if promoted.size == 0 or not _has(promoted, block_hashes[b]):
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
            weights[o] = _mix(np.uint64(o + 1)) | _ONE
        sequence = np.zeros(windows, dtype=np.uint64)
        for o in range(width):  # offset-major: each pass is a plain multiply-add over arrays
            weight = weights[o]
            for i in range(windows):
                sequence[i] += kept[i + o] * weight
        for i in range(windows):
            sequence[i] = _mix(sequence[i])
    dropped = 0
    if boilerplate.size and sequence.size:
        left = 0
        for i in range(sequence.size):
            if _maybe(boilerplate_screen, sequence[i]) and _has(boilerplate, sequence[i]):
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
def anchors(
    shingles: NDArray[np.uint64], sequence: NDArray[np.uint64], count: int, head: int, size: int
) -> NDArray[np.uint64]:
    """``Fingerprint.anchors``."""
    opening = sorted_unique(sequence[:size])[:head]
    rest = shingles[: max(count - head, 0)]
    both = np.empty(rest.size + opening.size, dtype=np.uint64)
    both[: rest.size] = rest
    both[rest.size :] = opening
    return sorted_unique(both)


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
    walk = sample.size > 0 and _lower_bound(shingles, shingles.size, sample[-1]) <= 4 * sample.size
    for value in sample:
        if _maybe(boilerplate_screen, value) and _has(boilerplate, value):
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
            at = _gallop(shingles, at, value)
        if at < shingles.size and shingles[at] == value:
            contained += 1
    if sample_size == 0 or shingles.size == 0:
        return sample_size, 0, 0.0, 1.0
    kept = np.empty(lede.size, dtype=np.uint64)
    size = 0
    for value in lede:
        if not (_maybe(boilerplate_screen, value) and _has(boilerplate, value)):
            kept[size] = value
            size += 1
    if size == 0 or sequence.size == 0:
        return sample_size, contained, 0.0, 1.0
    ordered = sort_hashes(kept[:size])
    # the lede shingles found anywhere in the new article: where the first of them occurs
    present = np.empty(size, dtype=np.uint64)
    hits = 0
    for value in ordered:
        if _has(shingles, value):
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
            if slots[np.intp(value >> np.uint64(54))] and _has(present, value):
                position = float(i) / sequence.size
                break
    inside = hits / size if position <= max_position else 0.0
    shared = 0.0
    if own_lede.size:
        hits = 0
        for value in own_lede:
            if _has(ordered, value):
                hits += 1
        shared = hits / own_lede.size
    return sample_size, contained, max(inside, shared), position


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
            bounds[q, 0] = lo + _lower_bound(keys[lo : bounds[q, 1]], bounds[q, 1] - lo, query[q])
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
                lo = _gallop(keys[:size], lo, key)
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
    _insertion_sort(add_keys, 0, add_keys.size)
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
