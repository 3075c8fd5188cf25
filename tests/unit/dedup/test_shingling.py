"""The compiled shingling gives exactly the blocks, fingerprint and anchors of the readable
definitions."""

from typing import Any

import numpy as np
import pytest

from services.dedup.fingerprint import (
    analyse,
    blocks,
    fingerprint,
    member,
    sorted_unique,
    tokenise,
)
from tests.unit.dedup.texts import FOOTER, TEXTS, neardup_texts, plain_fingerprint, story

U64 = np.uint64


def _fingerprints(text: str, promoted: np.ndarray, shingles: np.ndarray) -> tuple[Any, ...]:
    stream = tokenise(text)
    parts = blocks(stream)
    readable = fingerprint(
        stream,
        parts=parts,
        boilerplate_blocks=member(promoted, parts.hashes),
        boilerplate_shingles=shingles,
        shingle_size=5,
        lede_size=24,
    )
    _, got_parts, got = analyse(
        text,
        promoted_blocks=promoted,
        boilerplate_shingles=shingles,
        shingle_size=5,
        lede_size=24,
    )
    return parts, readable, got_parts, got


def _assert_same(parts, readable, got_parts, got) -> None:  # type: ignore[no-untyped-def]
    assert got_parts.hashes.tolist() == parts.hashes.tolist()
    assert got_parts.starts.tolist() == parts.starts.tolist()
    assert got_parts.ends.tolist() == parts.ends.tolist()
    assert got.body_hash == readable.body_hash
    assert got.shingles.tolist() == readable.shingles.tolist()
    assert got.sequence.tolist() == readable.sequence.tolist()
    assert got.lede.tolist() == readable.lede.tolist()
    assert got.boilerplate_tokens == readable.boilerplate_tokens
    assert got.boilerplate_shingles == readable.boilerplate_shingles


@pytest.mark.parametrize("text", [*TEXTS, story(3) + "\n" + FOOTER, "one two", "x"])
def test_compiled_fingerprint_equals_the_readable_one(text: str) -> None:
    empty = np.zeros(0, dtype=U64)
    _assert_same(*_fingerprints(text, empty, empty))


def test_compiled_fingerprint_drops_the_same_boilerplate() -> None:
    rng = np.random.default_rng(5)
    for index, text in enumerate(neardup_texts()[:120]):
        parts = blocks(tokenise(text))
        plain = _fingerprints(text, np.zeros(0, dtype=U64), np.zeros(0, dtype=U64))[1]
        promoted = np.sort(rng.choice(parts.hashes, min(2, parts.hashes.size), replace=False))
        known = np.sort(rng.choice(plain.shingles, min(30, plain.shingles.size), replace=False))
        if index % 2:  # as the boilerplate model keeps them
            promoted.setflags(write=False)
            known.setflags(write=False)
        _assert_same(*_fingerprints(text, promoted, known))


def test_anchors_are_the_bottom_shingles_and_the_opening() -> None:
    for text in [*neardup_texts()[:50], "one two three four five six", "a b"]:
        fp = plain_fingerprint(text)
        for count, head, size in ((6, 3, 64), (3, 1, 2), (6, 0, 64), (6, 6, 10)):
            opening = sorted_unique(fp.sequence[:size])[:head]
            expected = sorted_unique(np.concatenate((fp.shingles[: count - head], opening)))
            assert fp.anchors(count, head, size).tolist() == expected.tolist()
