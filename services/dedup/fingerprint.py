"""Deterministic text fingerprints (pure numpy; values are pinned in the unit tests).

* token hash: polynomial hash of the token's normalised UTF-8 bytes, finalised with splitmix64;
* block hash: positional hash of the token hashes of one line (a paragraph/boilerplate unit);
* body hash: the same positional hash over all tokens (exact-content key);
* shingle hash: weighted sum of ``k`` consecutive token hashes, finalised with splitmix64.

All arithmetic is modulo 2**64 on ``uint64`` arrays, so results are platform-independent.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from services.dedup.hashing import Q_INV, U64, Q, mix64, powers, word_hashes
from services.dedup.normalise import NEWLINE, prepare, token_bounds

_EMPTY = np.zeros(0, dtype=U64)
_NO_ROWS = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True, slots=True)
class TokenStream:
    """Token hashes of a text, with the line each token sits on."""

    hashes: NDArray[np.uint64]
    lines: NDArray[np.int64]

    @property
    def size(self) -> int:
        return int(self.hashes.size)


def tokenise(text: str) -> TokenStream:
    """Hash every normalised token of ``text`` (see :mod:`services.dedup.normalise`)."""
    data = prepare(text)
    starts, ends = token_bounds(data)
    if starts.size == 0:
        return TokenStream(_EMPTY, _NO_ROWS)
    newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == NEWLINE)
    lines = np.searchsorted(newlines, starts).astype(np.int64)
    return TokenStream(word_hashes(data, starts, ends), lines)


def _finish(sums: NDArray[np.uint64], lengths: NDArray[np.int64]) -> NDArray[np.uint64]:
    return mix64(sums ^ lengths.astype(U64))


def sequence_hash(hashes: NDArray[np.uint64]) -> int:
    """Order-sensitive hash of a token-hash sequence (the normalised-body hash)."""
    total = np.sum(hashes * powers(Q, hashes.size), dtype=U64)
    return int(_finish(np.array([total], dtype=U64), np.array([hashes.size]))[0])


@dataclass(frozen=True, slots=True)
class Blocks:
    """The lines of a text that hold tokens: hash and token range of each."""

    hashes: NDArray[np.uint64]
    starts: NDArray[np.int64]
    ends: NDArray[np.int64]


def blocks(stream: TokenStream) -> Blocks:
    """Split the token stream into per-line blocks and hash each block."""
    size = stream.size
    if size == 0:
        return Blocks(_EMPTY, _NO_ROWS, _NO_ROWS)
    lines = stream.lines
    change = np.flatnonzero(lines[1:] != lines[:-1]) + 1
    starts = np.empty(change.size + 1, dtype=np.int64)
    starts[0] = 0
    starts[1:] = change
    ends = np.empty_like(starts)
    ends[:-1] = change
    ends[-1] = size
    # block sum of h[i] * Q**(i - start + 1) from a prefix sum of h[i] * Q**(i + 1)
    prefix = np.zeros(size + 1, dtype=U64)
    np.cumsum(stream.hashes * powers(Q, size), out=prefix[1:])
    unshift = np.ones(size, dtype=U64)
    unshift[1:] = powers(Q_INV, size - 1)
    sums = (prefix[ends] - prefix[starts]) * unshift[starts]
    return Blocks(_finish(sums, ends - starts), starts, ends)


def shingle_weights(size: int) -> NDArray[np.uint64]:
    """Odd per-position weights of a shingle of ``size`` tokens."""
    weights: NDArray[np.uint64] = mix64(np.arange(1, size + 1, dtype=U64)) | U64(1)
    return weights


def shingles(hashes: NDArray[np.uint64], size: int) -> NDArray[np.uint64]:
    """Hashes of every ``size``-token window, in text order (one window if fewer tokens)."""
    if hashes.size == 0:
        return _EMPTY
    width = min(size, int(hashes.size))
    count = int(hashes.size) - width + 1
    weights = shingle_weights(width)
    acc = hashes[:count] * weights[0]
    for offset in range(1, width):
        acc = acc + hashes[offset : offset + count] * weights[offset]
    return mix64(acc)


def member(haystack: NDArray[np.uint64], needles: NDArray[np.uint64]) -> NDArray[np.bool_]:
    """Which ``needles`` occur in the sorted ``haystack``."""
    if haystack.size == 0 or needles.size == 0:
        return np.zeros(needles.size, dtype=np.bool_)
    idx = np.searchsorted(haystack, needles)
    idx[idx == haystack.size] = 0
    return np.asarray(haystack[idx] == needles, dtype=np.bool_)


def first_distinct(sequence: NDArray[np.uint64], count: int) -> NDArray[np.uint64]:
    """The first ``count`` distinct values of ``sequence``, in order of first appearance."""
    distinct = list(dict.fromkeys(sequence[: count * 4].tolist()))[:count]
    return np.array(distinct, dtype=U64)


def sorted_unique(values: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """The distinct values, sorted (cheaper than ``np.unique`` on short arrays)."""
    ordered = np.sort(values)
    if ordered.size < 2:
        return ordered
    keep = np.empty(ordered.size, dtype=np.bool_)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """Content fingerprint of one article (boilerplate removed).

    ``shingles`` is the sorted set, ``sequence`` the shingles in text order, ``lede`` the first
    distinct ones (the article's opening).
    """

    body_hash: int
    shingles: NDArray[np.uint64]
    sequence: NDArray[np.uint64]
    lede: NDArray[np.uint64]
    boilerplate_tokens: int
    boilerplate_shingles: int

    @property
    def size(self) -> int:
        return int(self.shingles.size)

    def sample(self, size: int) -> NDArray[np.uint64]:
        """Bottom-``size`` sample of the shingle set (it is kept sorted)."""
        return self.shingles[:size]

    def anchors(self, count: int, head: int, head_size: int) -> NDArray[np.uint64]:
        """Shingles to index: the bottom-``count - head`` of the whole text plus the bottom-``head``
        of its first ``head_size`` shingles (so truncated copies, which keep the opening, find it).
        """
        opening = sorted_unique(self.sequence[:head_size])[:head]
        return sorted_unique(np.concatenate((self.shingles[: count - head], opening)))

    def probes(self, limit: int, head_size: int) -> NDArray[np.uint64]:
        """Shingles to look up: the bottom-``limit`` of the whole text and the opening."""
        return sorted_unique(np.concatenate((self.shingles[:limit], self.sequence[:head_size])))


def anchor_keys(values: NDArray[np.uint64]) -> NDArray[np.uint32]:
    """The 32-bit index key of shingle hashes."""
    return (values >> U64(32)).astype(np.uint32)


def fingerprint(
    stream: TokenStream,
    *,
    parts: Blocks,
    boilerplate_blocks: NDArray[np.bool_],
    boilerplate_shingles: NDArray[np.uint64],
    shingle_size: int,
    lede_size: int,
) -> Fingerprint:
    """Fingerprint the tokens outside boilerplate blocks, minus known boilerplate shingles."""
    keep_tokens = np.repeat(~boilerplate_blocks, parts.ends - parts.starts)
    sequence = shingles(stream.hashes[keep_tokens], shingle_size)
    dropped = 0
    if boilerplate_shingles.size and sequence.size:
        known = member(boilerplate_shingles, sequence)
        dropped = int(known.sum())
        sequence = sequence[~known]
    return Fingerprint(
        body_hash=sequence_hash(stream.hashes),
        shingles=sorted_unique(sequence),
        sequence=sequence,
        lede=first_distinct(sequence, lede_size),
        boilerplate_tokens=int(stream.size - int(keep_tokens.sum())),
        boilerplate_shingles=dropped,
    )
