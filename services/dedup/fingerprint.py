"""Deterministic text fingerprints (pure; values are pinned in the unit tests).

* token hash: polynomial hash of the token's normalised UTF-8 bytes, finalised with splitmix64;
* block hash: positional hash of the token hashes of one line (a paragraph/boilerplate unit);
* body hash: the same positional hash over all tokens (exact-content key);
* shingle hash: weighted sum of ``k`` consecutive token hashes, finalised with splitmix64.

All arithmetic is modulo 2**64 on ``uint64`` arrays, so results are platform-independent.

The numpy functions here are the readable definition; :func:`analyse` computes the same values
(tokens, blocks and fingerprint at once) with the compiled kernels of
:mod:`~services.dedup.scanner` and :mod:`~services.dedup.shingling`, and is what the engine runs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from services.dedup import scanner, shingling, sortedsets
from services.dedup.hashing import Q_INV, U64, Q, mix64, powers, word_hashes
from services.dedup.normalise import NEWLINE, char_tables, prepare, prepare_raw, token_bounds

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


def merge_sorted(base: NDArray[np.uint64], values: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """``np.union1d(base, values)`` for a sorted, distinct ``base``: only ``values`` are sorted
    and looked up, then inserted in one pass (``union1d`` re-sorts all of ``base`` each time)."""
    fresh = sorted_unique(values)
    fresh = fresh[~member(base, fresh)]
    return np.insert(base, np.searchsorted(base, fresh), fresh) if fresh.size else base


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
        found: NDArray[np.uint64] = shingling.select_anchors(
            self.shingles, self.sequence, count, head, head_size
        )
        return found

    def probes(self, limit: int, head_size: int) -> NDArray[np.uint64]:
        """Shingles to look up: the bottom-``limit`` of the whole text and the opening."""
        return sorted_unique(np.concatenate((self.shingles[:limit], self.sequence[:head_size])))


ANCHOR_SHIFT = 32


def anchor_keys(values: NDArray[np.uint64]) -> NDArray[np.uint32]:
    """The 32-bit index key of shingle hashes (their top bits)."""
    return (values >> U64(ANCHOR_SHIFT)).astype(np.uint32)


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


_last_screen: list[tuple[NDArray[np.uint64], NDArray[np.uint64]]] = []


def screen(values: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """``sortedsets.screen`` of the sorted ``values``, remembered for the last read-only array
    (the boilerplate model's, which changes only by being replaced)."""
    if values.flags.writeable:
        return sortedsets.screen(values)
    if _last_screen and _last_screen[0][0] is values:
        return _last_screen[0][1]
    bits: NDArray[np.uint64] = sortedsets.screen(values)
    _last_screen[:] = [(values, bits)]
    return bits


def tokenise_compiled(text: str) -> TokenStream:
    """:func:`tokenise` by the compiled tokeniser (same values).

    The tokeniser reads the UTF-8 of ``text`` (ASCII lower-cased) and does the rest of
    :func:`~services.dedup.normalise.prepare` itself, one character at a time (see
    :func:`~services.dedup.normalise.char_tables`); only the lines holding a character it
    cannot handle that way go through ``prepare`` (and are read again on their own, their
    tokens put in place of those the first reading found on them).
    """
    if len(text) > scanner.MAX_BYTES // 4:  # beyond 32-bit positions (never, for an article)
        return tokenise(text)
    if text.isascii():
        return _scan(text.encode("ascii"), raw=False)[0]
    stream, unsafe = _scan(text.encode("utf-8"), raw=True)
    if not unsafe:
        return stream
    originals = text.split("\n")
    firsts = np.searchsorted(stream.lines, unsafe, "left").tolist()
    afters = np.searchsorted(stream.lines, unsafe, "right").tolist()
    hashes: list[NDArray[np.uint64]] = []
    lines: list[NDArray[np.int64]] = []
    done = 0  # the tokens before this one are placed (the unsafe lines come in order)
    for line, first, after in zip(unsafe, firsts, afters, strict=True):
        again = _scan(prepare_raw(originals[line]), raw=False)[0]
        hashes += [stream.hashes[done:first], again.hashes]
        lines += [stream.lines[done:first], again.lines + line]
        done = after
    hashes.append(stream.hashes[done:])
    lines.append(stream.lines[done:])
    return TokenStream(np.concatenate(hashes), np.concatenate(lines))


def _scan(data: bytes, *, raw: bool) -> tuple[TokenStream, list[int]]:
    """The tokens of the UTF-8 ``data`` (``scanner.scan_text``: ASCII lower-cased) and the
    lines it could not read."""
    found = scanner.scan_text(np.frombuffer(data, dtype=np.uint8), *char_tables(raw=raw))
    hashes, lines, starts, ends, long, unsafe, view = found
    if long:  # rare: tokens longer than 64 bytes are hashed with BLAKE2b
        for index in np.flatnonzero(ends - starts > scanner.LONG_TOKEN).tolist():
            start, end = int(starts[index]), int(ends[index])
            digest = hashlib.blake2b(view[start:end].tobytes(), digest_size=8).digest()
            acc = np.uint64(int.from_bytes(digest, "little"))
            hashes[index] = scanner.finish_token(acc, end - start)
    return TokenStream(hashes, lines), unsafe.tolist()


def analyse(
    text: str,
    *,
    promoted_blocks: NDArray[np.uint64],
    boilerplate_shingles: NDArray[np.uint64],
    shingle_size: int,
    lede_size: int,
) -> tuple[TokenStream, Blocks, Fingerprint]:
    """:func:`tokenise`, :func:`blocks` and :func:`fingerprint` of ``text`` in compiled code,
    the blocks whose hash is in the sorted ``promoted_blocks`` being boilerplate."""
    stream = tokenise_compiled(text)
    (
        block_hashes,
        block_starts,
        block_ends,
        body_hash,
        sequence,
        lede,
        boilerplate_tokens,
        dropped,
    ) = shingling.fingerprint_tokens(
        stream.hashes,
        stream.lines,
        promoted_blocks,
        boilerplate_shingles,
        screen(boilerplate_shingles),
        shingle_size,
        lede_size,
    )
    fp = Fingerprint(
        body_hash=int(body_hash),
        shingles=sortedsets.distinct(np.sort(sequence)),
        sequence=sequence,
        lede=lede,
        boilerplate_tokens=int(boilerplate_tokens),
        boilerplate_shingles=int(dropped),
    )
    return stream, Blocks(block_hashes, block_starts, block_ends), fp
