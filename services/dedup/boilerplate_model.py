"""Learned boilerplate: lines (blocks) repeated across distinct stories.

Every line of an article is hashed (see :func:`services.dedup.fingerprint.blocks`). For each block
the model keeps the distinct stories that carried it (story keys, up to ``min_stories``). A block
seen in ``min_stories`` stories is promoted to boilerplate: it is left out of later fingerprints,
and its shingles are dropped wherever they appear (also inside other lines and from stored
samples at comparison time). The statistics table is bounded: past
``max_blocks`` entries the least-seen, oldest blocks are pruned (deterministically).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import repeat

import numpy as np
from numpy.typing import NDArray

from services.dedup.fingerprint import (
    Blocks,
    TokenStream,
    member,
    merge_sorted,
    shingles,
    sorted_unique,
)

U64 = np.uint64
_EMPTY = np.zeros(0, dtype=U64)
_EMPTY.setflags(write=False)


@dataclass(frozen=True, slots=True)
class BlockStat:
    """The distinct stories (keys, up to the promotion count) a block was seen in, and when last."""

    stories: tuple[int, ...]
    last_seq: int

    @property
    def count(self) -> int:
        return len(self.stories)


@dataclass(frozen=True, slots=True)
class Promotion:
    """A block that became boilerplate, with the shingles it contributes."""

    block: int
    shingles: NDArray[np.uint64]


@dataclass(frozen=True, slots=True)
class BoilerplateDelta:
    """The change one article makes to the model (applied only after it is persisted).

    The article saw ``blocks`` (those not yet boilerplate), each now carried by ``stories``
    and last seen at ``seq``; ``updates`` gives them as :class:`BlockStat`.
    """

    blocks: tuple[int, ...] = ()
    stories: tuple[tuple[int, ...], ...] = ()
    seq: int = 0
    promotions: tuple[Promotion, ...] = ()
    pruned: tuple[int, ...] = ()

    @property
    def updates(self) -> tuple[tuple[int, BlockStat], ...]:
        """The new statistics of the blocks seen."""
        seq = self.seq
        return tuple(
            (block, BlockStat(stories, seq))
            for block, stories in zip(self.blocks, self.stories, strict=True)
        )


_Stat = tuple[tuple[int, ...], int]  # BlockStat as a plain tuple (stories, last_seq)


class BoilerplateModel:
    """Distinct-story frequency of blocks, and the boilerplate promoted from it."""

    def __init__(self, min_stories: int, max_blocks: int, max_shingles: int) -> None:
        self._min_stories = min_stories
        self._max_blocks = max_blocks
        self._max_shingles = max_shingles
        self._stats: dict[int, _Stat] = {}
        self._blocks: NDArray[np.uint64] = _EMPTY
        self._promoted: set[int] = set()  # the same blocks, for membership tests
        self._shingles: NDArray[np.uint64] = _EMPTY

    @property
    def shingles(self) -> NDArray[np.uint64]:
        """Sorted shingle hashes known to be boilerplate."""
        return self._shingles

    @property
    def promoted_blocks(self) -> NDArray[np.uint64]:
        return self._blocks

    def stat(self, block: int) -> BlockStat | None:
        found = self._stats.get(block)
        return None if found is None else BlockStat(*found)

    def __len__(self) -> int:
        return len(self._stats)

    def block_mask(self, hashes: NDArray[np.uint64]) -> NDArray[np.bool_]:
        """Which of these block hashes are boilerplate."""
        return member(self._blocks, hashes)

    def observe(
        self,
        stream: TokenStream,
        parts: Blocks,
        story_key: int,
        seq: int,
        shingle_size: int,
    ) -> BoilerplateDelta:
        """The delta from seeing this article's blocks as part of story ``story_key`` (pure)."""
        hashes = parts.hashes.tolist()
        fresh = sorted(set(hashes).difference(self._promoted))  # not boilerplate yet
        min_stories = self._min_stories
        alone = (story_key,)
        olds = list(map(self._stats.get, fresh))
        stories = [
            alone
            if old is None
            else old[0]
            if story_key in old[0] or len(old[0]) >= min_stories
            else (*old[0], story_key)
            for old in olds
        ]
        promotions: list[Promotion] = []
        if max(map(len, stories), default=0) >= min_stories:
            room = self._max_shingles - int(self._shingles.size)
            for block, carried in zip(fresh, stories, strict=True):
                if len(carried) >= min_stories:
                    index = hashes.index(block)  # its first occurrence
                    start, end = int(parts.starts[index]), int(parts.ends[index])
                    found = sorted_unique(shingles(stream.hashes[start:end], shingle_size))
                    if found.size <= room:
                        promotions.append(Promotion(block, found))
                        room -= int(found.size)
        size = len(self._stats) + olds.count(None)
        pruned = self._prune_plan(fresh, size)
        return BoilerplateDelta(tuple(fresh), tuple(stories), seq, tuple(promotions), pruned)

    def _prune_plan(self, touched: list[int], size: int) -> tuple[int, ...]:
        """The blocks to forget when the table (``size`` blocks with ``touched``) is full."""
        if size <= self._max_blocks:
            return ()
        keep = set(touched)
        target = (self._max_blocks * 3) // 4
        ranked = sorted(
            (len(stories), last_seq, block)
            for block, (stories, last_seq) in self._stats.items()
            if block not in keep
        )
        return tuple(block for _, _, block in ranked[: size - target])

    def apply(self, delta: BoilerplateDelta) -> None:
        """Apply a delta produced by :meth:`observe` (or restored from durable state)."""
        stats = zip(delta.stories, repeat(delta.seq))
        self._stats.update(zip(delta.blocks, stats, strict=True))
        for block in delta.pruned:
            self._stats.pop(block, None)
        self.promote(delta.promotions)

    def promote(self, promotions: Iterable[Promotion]) -> None:
        items = list(promotions)
        if not items:
            return
        blocks = np.array([item.block for item in items], dtype=U64)
        self._blocks = merge_sorted(self._blocks, blocks)
        self._promoted.update(item.block for item in items)
        for item in items:
            self._stats.pop(item.block, None)
        found = np.concatenate([item.shingles.astype(U64) for item in items])
        self._shingles = merge_sorted(self._shingles, found)
        # read-only: it is replaced, never changed, so derived data can be kept per array
        self._shingles.setflags(write=False)
        self._blocks.setflags(write=False)

    def restore_stats(self, stats: Iterable[tuple[int, BlockStat]]) -> None:
        self._stats.update((block, (stat.stories, stat.last_seq)) for block, stat in stats)

    def nbytes(self) -> int:
        """Approximate RAM: arrays plus ~100 bytes per tracked block."""
        return int(self._blocks.nbytes + self._shingles.nbytes + 100 * len(self._stats))
