"""Deterministic text fingerprints (pure numpy; values are pinned in the unit tests).

* token hash: polynomial hash of the token's normalised UTF-8 bytes, finalised with splitmix64;
* block hash: positional hash of the token hashes of one line (a paragraph/boilerplate unit);
* body hash: the same positional hash over all tokens (exact-content key);
* shingle hash: weighted sum of ``k`` consecutive token hashes, finalised with splitmix64.

All arithmetic is modulo 2**64 on ``uint64`` arrays, so results are platform-independent.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

from services.dedup.normalise import NEWLINE, prepare, token_bounds

U64 = np.uint64
_P = 0x100000001B3
_P_INV = pow(_P, -1, 1 << 64)
_Q = 0x9E3779B97F4A7C15
_M1 = U64(0xBF58476D1CE4E5B9)
_M2 = U64(0x94D049BB133111EB)
_EMPTY = np.zeros(0, dtype=U64)


def mix64(values: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """splitmix64 finaliser, element-wise."""
    x: NDArray[np.uint64] = values ^ (values >> U64(30))
    x = x * _M1
    x = x ^ (x >> U64(27))
    x = x * _M2
    out: NDArray[np.uint64] = x ^ (x >> U64(31))
    return out


def _power_table(base: int, count: int) -> NDArray[np.uint64]:
    table: NDArray[np.uint64] = np.cumprod(np.full(count, base, dtype=U64), dtype=U64)
    table.setflags(write=False)
    return table


_TABLE_SIZE = 1 << 16
_POWER_TABLES = MappingProxyType({b: _power_table(b, _TABLE_SIZE) for b in (_P, _P_INV, _Q)})


def _powers(base: int, count: int) -> NDArray[np.uint64]:
    """``base**1 .. base**count`` modulo 2**64 (read-only precomputed prefix when short)."""
    if count <= _TABLE_SIZE and base in _POWER_TABLES:
        return _POWER_TABLES[base][:count]
    return _power_table(base, count)


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
    codes = np.frombuffer(prepare(text), dtype=np.uint8)
    starts, ends = token_bounds(codes)
    if starts.size == 0:
        return TokenStream(_EMPTY, np.zeros(0, dtype=np.int64))
    weighted = (codes.astype(U64) + U64(1)) * _powers(_P, codes.size)
    prefix = np.zeros(codes.size + 1, dtype=U64)
    np.cumsum(weighted, out=prefix[1:])
    raw = (prefix[ends] - prefix[starts]) * _powers(_P_INV, codes.size)[starts]
    lines = np.searchsorted(np.flatnonzero(codes == NEWLINE), starts).astype(np.int64)
    return TokenStream(mix64(raw), lines)


def sequence_hash(hashes: NDArray[np.uint64]) -> int:
    """Order-sensitive hash of a token-hash sequence (the normalised-body hash)."""
    total = np.sum(hashes * _powers(_Q, hashes.size), dtype=U64)
    return int(mix64(np.array([total ^ U64(hashes.size)], dtype=U64))[0])


@dataclass(frozen=True, slots=True)
class Blocks:
    """The lines of a text that hold tokens: hash and token range of each."""

    hashes: NDArray[np.uint64]
    starts: NDArray[np.int64]
    ends: NDArray[np.int64]


def blocks(stream: TokenStream) -> Blocks:
    """Split the token stream into per-line blocks and hash each block."""
    if stream.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Blocks(_EMPTY, empty, empty)
    change = np.flatnonzero(np.diff(stream.lines)) + 1
    starts = np.concatenate(([0], change)).astype(np.int64)
    ends = np.concatenate((change, [stream.size])).astype(np.int64)
    lengths = ends - starts
    relative = np.arange(stream.size) - np.repeat(starts, lengths)
    weights = _powers(_Q, int(lengths.max()))[relative]
    sums: NDArray[np.uint64] = np.add.reduceat(stream.hashes * weights, starts, dtype=U64)
    summed: NDArray[np.uint64] = np.bitwise_xor(sums, lengths.astype(U64))
    return Blocks(mix64(summed), starts, ends)


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
    head = sequence[: count * 4]
    _, first = np.unique(head, return_index=True)
    return head[np.sort(first)[:count]]


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
        opening = np.unique(self.sequence[:head_size])[:head]
        return np.union1d(self.shingles[: count - head], opening)

    def probes(self, limit: int, head_size: int) -> NDArray[np.uint64]:
        """Shingles to look up: the bottom-``limit`` of the whole text and the opening."""
        return np.union1d(self.shingles[:limit], self.sequence[:head_size])


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
        shingles=np.unique(sequence),
        sequence=sequence,
        lede=first_distinct(sequence, lede_size),
        boilerplate_tokens=int(stream.size - int(keep_tokens.sum())),
        boilerplate_shingles=dropped,
    )
