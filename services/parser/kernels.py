"""Compiled (numba) inner loops of the parser.

Each kernel is the compiled twin of a Python loop named in its docstring; the unit tests check
that both give identical values. Kernels are compiled on first use and cached on disk
(``cache=True``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from services.core.compiled import jit

LANES = 8  # walks interleaved in language_features
MIN_LANE = 32  # bytes a lane walks at least (no lanes on shorter data)


@jit
def automaton_depth(nextmove: NDArray[np.uint32], rowbase: NDArray[np.int64]) -> int:
    """The most bytes any state of py3langid's byte automaton stands for.

    The automaton is an Aho-Corasick one: its state after some bytes stands for the longest
    ending of them that begins a feature, so it is set by the last ``depth`` bytes alone. The
    fewest bytes that reach a state from state 0 (breadth first) are that many.
    """
    count = rowbase.size
    depth = np.full(count, -1, dtype=np.int64)
    queue = np.empty(count, dtype=np.int64)
    depth[0] = 0
    queue[0] = 0
    head, tail = 0, 1
    while head < tail:
        state = queue[head]
        head += 1
        base = rowbase[state]
        for letter in range(256):
            target = nextmove[base + letter]
            if depth[target] < 0:
                depth[target] = depth[state] + 1
                queue[tail] = target
                tail += 1
    return int(depth.max())


@jit
def language_features(
    nextmove: NDArray[np.uint32],
    rowbase: NDArray[np.int64],
    output: NDArray[np.int32],
    data: NDArray[np.uint8],
    depth: int,
) -> NDArray[np.int32]:
    """The features py3langid's byte walk meets in ``data``, in the order it meets them.

    The twin of ``py3langid.langid.visit_counts``' loop (which counts them): from state 0, each
    byte moves to ``nextmove[rowbase[state] + byte]``, and a state whose ``output`` is not
    negative adds that feature.

    Each step waits for a read somewhere in a ~39 MB table, so the data is cut in ``LANES``
    pieces walked side by side, their reads in flight together. The state at a byte is set by
    the ``depth`` bytes up to it (:func:`automaton_depth`), so a piece's walk starts from state
    0 ``depth - 1`` bytes before the piece and adds features from the piece's first byte on.
    """
    n = data.size
    lanes = LANES if n >= LANES * MIN_LANE and 0 < depth <= MIN_LANE else 1
    starts = np.empty(lanes + 1, dtype=np.int64)
    for lane in range(lanes + 1):
        starts[lane] = lane * n // lanes
    begin = np.empty(lanes, dtype=np.int64)  # where each lane's walk starts
    longest = 0
    for lane in range(lanes):
        begin[lane] = starts[lane] - (depth - 1) if lane else 0
        longest = max(longest, starts[lane + 1] - begin[lane])
    found = np.empty(n, dtype=np.int32)  # lane k's features from starts[k] on
    counts = np.zeros(lanes, dtype=np.int64)
    states = np.zeros(lanes, dtype=np.int64)
    for step in range(longest):
        for lane in range(lanes):
            at = begin[lane] + step
            if at < starts[lane + 1]:
                state = nextmove[rowbase[states[lane]] + data[at]]
                states[lane] = state
                feature = output[state]
                if feature >= 0 and at >= starts[lane]:
                    found[starts[lane] + counts[lane]] = feature
                    counts[lane] += 1
    total = 0  # the lanes' features, in order (moved down: total <= starts[lane])
    for lane in range(lanes):
        for index in range(starts[lane], starts[lane] + counts[lane]):
            found[total] = found[index]
            total += 1
    return found[:total]


@jit
def count_in_order(values: NDArray[np.int32]) -> tuple[NDArray[np.intp], NDArray[np.float32]]:
    """Each distinct value and how often it occurs, in order of first occurrence.

    The twin of ``Counter(values)``'s keys and values (as py3langid's ``_sparse_score`` reads
    them: indices and float32 counts).
    """
    order = np.argsort(values, kind="mergesort")  # stable: a value's first index comes first
    firsts = np.empty(values.size, dtype=np.int64)
    tallies = np.empty(values.size, dtype=np.int64)
    groups = 0
    for rank in range(values.size):
        index = order[rank]
        if rank == 0 or values[index] != values[order[rank - 1]]:
            firsts[groups] = index
            tallies[groups] = 0
            groups += 1
        tallies[groups - 1] += 1
    by_first = np.argsort(firsts[:groups])
    keys = np.empty(groups, dtype=np.intp)
    counts = np.empty(groups, dtype=np.float32)
    for rank in range(groups):
        group = by_first[rank]
        keys[rank] = values[firsts[group]]
        counts[rank] = tallies[group]
    return keys, counts


_ASCII_SPACE = np.zeros(128, dtype=np.bool_)  # what str.split splits at, below U+0080
_ASCII_SPACE[[0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20]] = True


@jit
def count_words(data: NDArray[np.uint8]) -> int:
    """The number of words in UTF-8 ``data`` (from ``str.encode``): ``len(text.split())``.

    Words are the runs of characters between whitespace, as ``str.split`` sees it: U+0009-U+000D,
    U+001C-U+0020, U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F and
    U+3000 (UTF-8: C2 85, C2 A0, E1 9A 80, E2 80 80-8A, E2 80 A8, E2 80 A9, E2 80 AF,
    E2 81 9F, E3 80 80).
    """
    words = 0
    after_space = True
    i = 0
    n = data.size
    while i < n:
        b = data[i]
        space = False
        if b < 0x80:
            space = _ASCII_SPACE[b]
            i += 1
        elif b < 0xE0:  # two bytes
            if b == 0xC2:
                space = data[i + 1] == 0x85 or data[i + 1] == 0xA0
            i += 2
        elif b < 0xF0:  # three bytes
            second, third = data[i + 1], data[i + 2]
            if b == 0xE2:
                space = (second == 0x80 and (third <= 0x8A or third in (0xA8, 0xA9, 0xAF))) or (
                    second == 0x81 and third == 0x9F
                )
            elif b == 0xE1:
                space = second == 0x9A and third == 0x80
            elif b == 0xE3:
                space = second == 0x80 and third == 0x80
            i += 3
        else:  # four bytes: no whitespace up there
            i += 4
        words += after_space and not space
        after_space = space
    return words


def word_count(text: str) -> int:
    """``len(text.split())``, without building the words."""
    encoded = text.encode("utf-8", "surrogatepass")
    return int(count_words(np.frombuffer(encoded, dtype=np.uint8)))
