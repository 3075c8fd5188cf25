"""Stable 64-bit hashing primitives over numpy arrays (pure; values are pinned in the unit tests).

* :func:`mix64` — the splitmix64 finaliser, element-wise;
* :func:`powers` — ``base**1 .. base**count`` modulo 2**64 (positional weights);
* :func:`word_hashes` — one hash per token of a UTF-8 buffer, computed from the token's bytes
  read eight at a time (little-endian words), so the work is per token, not per byte.

All arithmetic is modulo 2**64 on ``uint64`` arrays, so results are platform-independent.
"""

from __future__ import annotations

import hashlib
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

U64 = np.uint64
P = 0x100000001B3
Q = 0x9E3779B97F4A7C15
Q_INV = pow(Q, -1, 1 << 64)
_M1 = U64(0xBF58476D1CE4E5B9)
_M2 = U64(0x94D049BB133111EB)
_LENGTH_SALT = U64(0xD6E8FEB86659FD93)
_CHUNK = 8
_MAX_CHUNKS = 8  # tokens longer than 64 bytes are hashed with BLAKE2b instead
_MASKS = np.array([(1 << (8 * n)) - 1 for n in range(_CHUNK + 1)], dtype=U64)
_MASKS.setflags(write=False)


def mix64(values: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """splitmix64 finaliser, element-wise."""
    x: NDArray[np.uint64] = values ^ (values >> U64(30))
    x *= _M1
    x ^= x >> U64(27)
    x *= _M2
    x ^= x >> U64(31)
    return x


def _power_table(base: int, count: int) -> NDArray[np.uint64]:
    table: NDArray[np.uint64] = np.cumprod(np.full(count, base, dtype=U64), dtype=U64)
    table.setflags(write=False)
    return table


_TABLE_SIZE = 1 << 16
_POWER_TABLES = MappingProxyType({b: _power_table(b, _TABLE_SIZE) for b in (P, Q, Q_INV)})


def powers(base: int, count: int) -> NDArray[np.uint64]:
    """``base**1 .. base**count`` modulo 2**64 (read-only precomputed prefix when short)."""
    if count <= _TABLE_SIZE and base in _POWER_TABLES:
        return _POWER_TABLES[base][:count]
    return _power_table(base, count)


def _windows(data: bytes) -> NDArray[np.uint64]:
    """Every 8-byte little-endian word of ``data`` (zero-padded), one per byte offset."""
    padded = data + bytes(_CHUNK)
    return np.ndarray((len(data),), dtype="<u8", buffer=padded, strides=(1,))


def word_hashes(
    data: bytes, starts: NDArray[np.int64], ends: NDArray[np.int64]
) -> NDArray[np.uint64]:
    """A stable 64-bit hash of every token ``data[start:end]``.

    The token's bytes are read as little-endian 64-bit chunks (the last one masked to the token);
    chunks are chained with :func:`mix64` and the length is folded in before the final mix.
    """
    window = _windows(data)
    lengths = ends - starts
    acc = window[starts] & _MASKS[np.minimum(lengths, _CHUNK)]
    long = np.flatnonzero(lengths > _CHUNK)
    for chunk in range(1, _MAX_CHUNKS):
        if long.size == 0:
            break
        rest = lengths[long] - chunk * _CHUNK
        piece = window[starts[long] + chunk * _CHUNK] & _MASKS[np.minimum(rest, _CHUNK)]
        acc[long] = mix64(acc[long]) ^ piece
        long = long[rest > _CHUNK]
    for index in long.tolist():  # rare: tokens longer than 64 bytes
        digest = hashlib.blake2b(data[starts[index] : ends[index]], digest_size=8).digest()
        acc[index] = int.from_bytes(digest, "little")
    return mix64(acc ^ (lengths.astype(U64) * _LENGTH_SALT))
