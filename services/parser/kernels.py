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
def count_in_order(
    values: NDArray[np.int32], slots: NDArray[np.int32]
) -> tuple[NDArray[np.intp], NDArray[np.float32]]:
    """Each distinct value and how often it occurs, in order of first occurrence.

    The twin of ``Counter(values)``'s keys and values (as py3langid's ``_sparse_score`` reads
    them: indices and float32 counts), in one pass without sorting. ``slots`` (one entry per
    possible value) is scratch whose contents never matter: a value's entry is trusted only
    when it points at a key already listed that is the value itself, so whatever an earlier
    call (or anything else) left there, a value first met is listed anew.
    """
    keys = np.empty(values.size, dtype=np.intp)
    counts = np.empty(values.size, dtype=np.float32)
    groups = 0
    for value in values:
        slot = slots[value]
        if 0 <= slot < groups and keys[slot] == value:
            counts[slot] += 1  # exact: float32 counts whole numbers up to 2**24
        else:
            slots[value] = groups
            keys[groups] = value
            counts[groups] = 1
            groups += 1
    return keys[:groups], counts[:groups]


# How :func:`count_words` reads a character (see :mod:`services.parser.words`)
SPACE, WORD, OTHER, EACH, UNSPACED_LETTER, UNSPACED_MARK = 0, 1, 2, 3, 4, 5
PER_WORD_X2 = 7  # letters of an unspaced script per word (3.5), doubled to count in integers


@jit
def count_words(data: NDArray[np.uint8], classes: NDArray[np.uint8]) -> int:
    """The number of words in UTF-8 ``data`` (from ``str.encode``), each character read by its
    class in ``classes`` (indexed by code point; the last entry stands for all beyond).

    A run of ``WORD`` and ``OTHER`` characters is one word if it holds a ``WORD`` character; an
    ``EACH`` character is a word on its own; a run of ``UNSPACED_LETTER`` and ``UNSPACED_MARK``
    characters holding n letters is ceil(n / 3.5) words; ``SPACE`` ends every run.
    """
    words = 0
    has_word = False  # the current run of WORD and OTHER characters holds a WORD one
    letters = 0  # letters in the current run of unspaced-script characters
    last = classes.size - 1
    i = 0
    n = data.size
    while i < n:
        b = data[i]
        if b < 0x80:
            code = np.int64(b)
            i += 1
        elif b < 0xE0:  # two bytes
            code = (np.int64(b & 0x1F) << 6) | (data[i + 1] & 0x3F)
            i += 2
        elif b < 0xF0:  # three bytes
            code = (np.int64(b & 0x0F) << 12) | ((data[i + 1] & 0x3F) << 6) | (data[i + 2] & 0x3F)
            i += 3
        else:  # four bytes
            code = (
                (np.int64(b & 0x07) << 18)
                | ((data[i + 1] & 0x3F) << 12)
                | ((data[i + 2] & 0x3F) << 6)
                | (data[i + 3] & 0x3F)
            )
            i += 4
        kind = classes[code] if code < last else classes[last]
        if kind == WORD:
            has_word = True
        elif kind != OTHER:
            words += has_word
            has_word = False
            if kind == EACH:
                words += 1
        if kind == UNSPACED_LETTER:
            letters += 1
        elif kind != UNSPACED_MARK and letters:
            words += (2 * letters + PER_WORD_X2 - 1) // PER_WORD_X2
            letters = 0
    words += has_word
    if letters:
        words += (2 * letters + PER_WORD_X2 - 1) // PER_WORD_X2
    return words
