"""The compiled token scanner: one pass over UTF-8 bytes gives every token's hash, bounds and line.

The twin of the readable tokeniser (``normalise.token_bounds`` + ``hashing.word_hashes``); the unit
tests check that both give identical values.

Compiled on first use into numba's disk cache (``newsflow compile`` fills it ahead of time);
numba's cache does not notice an edit to a kernel inlined from another module, so clear
``__pycache__`` after editing one.
"""

# Kernels take flat positional arguments (what numba compiles best) and are single loops.
# ruff: noqa: PLR0912, PLR0915

from __future__ import annotations

import sys

import numpy as np
from numpy.typing import NDArray

from services.core.compiled import inline, jit
from services.dedup.normalise import FOLDED, SEPARATOR, TABLE_SIZE, UNSAFE
from services.dedup.utf8 import code_point

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_LENGTH_SALT = np.uint64(0xD6E8FEB86659FD93)
_ONE = np.uint64(1)
_LITTLE_ENDIAN = sys.byteorder == "little"
_UNSAFE, _SEPARATOR, _FOLDED, _TABLE_SIZE = UNSAFE, SEPARATOR, FOLDED, TABLE_SIZE
LONG_TOKEN = 64  # tokens longer than this are hashed with BLAKE2b (see hashing.word_hashes)
MAX_BYTES = 2**31 - 8  # longest text scan_tokens reads (positions are 32-bit)
_WORD = np.zeros(256, dtype=np.uint8)  # ``normalise.WORD_BYTES``
_WORD[[*b"abcdefghijklmnopqrstuvwxyz0123456789", *range(0x80, 0x100)]] = 1
_MASKS = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)
_NO_LINES = np.zeros(0, dtype=np.int64)


@inline
def mix(x: np.uint64) -> np.uint64:
    """splitmix64 finaliser (``hashing.mix64`` on one value)."""
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    return x ^ (x >> np.uint64(31))


@jit
def finish_token(acc: np.uint64, length: int) -> np.uint64:
    """The final mix of a token hash (``word_hashes``' last line) for one token."""
    return mix(acc ^ (np.uint64(length) * _LENGTH_SALT))


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
            code, width = code_point(data, i)
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
                code, width = code_point(data, i)  # truncated: a word byte of its own
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
            acc = mix(acc) ^ (_load8(data, words, start + done) & _MASKS[min(length - done, 8)])
        hashes[t] = acc
    for t in range(tokens):
        hashes[t] = mix(hashes[t] ^ (np.uint64(ends[t] - starts[t]) * _LENGTH_SALT))
    return hashes, lines, starts, ends, long, _unsafe_lines(data, classes) if bad else _NO_LINES
