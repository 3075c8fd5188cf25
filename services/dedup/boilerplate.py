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

import numpy as np
from numpy.typing import NDArray

from services.dedup.fingerprint import Blocks, TokenStream, member, shingles, sorted_unique

U64 = np.uint64


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
    """The change one article makes to the model (applied only after it is persisted)."""

    updates: tuple[tuple[int, BlockStat], ...] = ()
    promotions: tuple[Promotion, ...] = ()
    pruned: tuple[int, ...] = ()


class BoilerplateModel:
    """Distinct-story frequency of blocks, and the boilerplate promoted from it."""

    def __init__(self, min_stories: int, max_blocks: int, max_shingles: int) -> None:
        self._min_stories = min_stories
        self._max_blocks = max_blocks
        self._max_shingles = max_shingles
        self._stats: dict[int, BlockStat] = {}
        self._blocks: NDArray[np.uint64] = np.zeros(0, dtype=U64)
        self._shingles: NDArray[np.uint64] = np.zeros(0, dtype=U64)

    @property
    def shingles(self) -> NDArray[np.uint64]:
        """Sorted shingle hashes known to be boilerplate."""
        return self._shingles

    @property
    def promoted_blocks(self) -> NDArray[np.uint64]:
        return self._blocks

    def stat(self, block: int) -> BlockStat | None:
        return self._stats.get(block)

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
        first: dict[int, int] = {}
        for index, block in enumerate(parts.hashes.tolist()):
            first.setdefault(block, index)
        promoted = self._blocks
        fresh = sorted(first) if promoted.size == 0 else self._fresh(first)
        updates: list[tuple[int, BlockStat]] = []
        promotions: list[Promotion] = []
        room = self._max_shingles - int(self._shingles.size)
        for block in fresh:
            index = first[block]
            stat = self._next_stat(block, story_key, seq)
            updates.append((block, stat))
            if stat.count >= self._min_stories:
                start, end = int(parts.starts[index]), int(parts.ends[index])
                found = sorted_unique(shingles(stream.hashes[start:end], shingle_size))
                if found.size <= room:
                    promotions.append(Promotion(block, found))
                    room -= int(found.size)
        return BoilerplateDelta(tuple(updates), tuple(promotions), self._prune_plan(updates))

    def _fresh(self, first: dict[int, int]) -> list[int]:
        """The blocks (sorted) that are not boilerplate yet."""
        unique = np.array(sorted(first), dtype=U64)
        fresh: list[int] = unique[~member(self._blocks, unique)].tolist()
        return fresh

    def _next_stat(self, block: int, story_key: int, seq: int) -> BlockStat:
        old = self._stats.get(block)
        if old is None:
            return BlockStat((story_key,), seq)
        if story_key in old.stories or old.count >= self._min_stories:
            return BlockStat(old.stories, seq)
        return BlockStat((*old.stories, story_key), seq)

    def _prune_plan(self, updates: list[tuple[int, BlockStat]]) -> tuple[int, ...]:
        touched = {block for block, _ in updates}
        size = len(self._stats) + sum(1 for block in touched if block not in self._stats)
        if size <= self._max_blocks:
            return ()
        target = (self._max_blocks * 3) // 4
        ranked = sorted(
            (stat.count, stat.last_seq, block)
            for block, stat in self._stats.items()
            if block not in touched
        )
        return tuple(block for _, _, block in ranked[: size - target])

    def apply(self, delta: BoilerplateDelta) -> None:
        """Apply a delta produced by :meth:`observe` (or restored from durable state)."""
        for block, stat in delta.updates:
            self._stats[block] = stat
        for block in delta.pruned:
            self._stats.pop(block, None)
        self.promote(delta.promotions)

    def promote(self, promotions: Iterable[Promotion]) -> None:
        items = list(promotions)
        if not items:
            return
        blocks = np.array([item.block for item in items], dtype=U64)
        self._blocks = np.union1d(self._blocks, blocks)
        for item in items:
            self._stats.pop(item.block, None)
            self._shingles = np.union1d(self._shingles, item.shingles.astype(U64))

    def restore_stats(self, stats: Iterable[tuple[int, BlockStat]]) -> None:
        self._stats.update(stats)

    def nbytes(self) -> int:
        """Approximate RAM: arrays plus ~100 bytes per tracked block."""
        return int(self._blocks.nbytes + self._shingles.nbytes + 100 * len(self._stats))
