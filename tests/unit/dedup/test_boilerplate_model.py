import numpy as np

from services.dedup.boilerplate_model import BlockStat, BoilerplateModel
from services.dedup.fingerprint import blocks, tokenise
from tests.unit.dedup.texts import FOOTER, story


def _see(model: BoilerplateModel, text: str, story_key: int, seq: int) -> None:
    stream = tokenise(text)
    model.apply(model.observe(stream, blocks(stream), story_key, seq, 5))


def _footer_hash() -> int:
    return int(blocks(tokenise(FOOTER)).hashes[0])


def test_block_is_promoted_after_min_distinct_stories() -> None:
    model = BoilerplateModel(min_stories=3, max_blocks=1000, max_shingles=10_000)
    footer = _footer_hash()
    _see(model, story(1) + "\n" + FOOTER, story_key=1, seq=0)
    _see(model, story(1) + "\n" + FOOTER, story_key=1, seq=1)  # same story: no new count
    _see(model, story(2) + "\n" + FOOTER, story_key=2, seq=2)
    assert model.stat(footer) == BlockStat((1, 2), 2)
    assert not model.block_mask(np.array([footer], dtype=np.uint64))[0]
    _see(model, story(3) + "\n" + FOOTER, story_key=3, seq=3)
    assert model.block_mask(np.array([footer], dtype=np.uint64))[0]
    assert model.stat(footer) is None
    assert model.shingles.size > 50  # the footer's own shingles
    assert model.promoted_blocks.tolist() == [footer]


def test_observe_is_pure_until_applied() -> None:
    model = BoilerplateModel(min_stories=2, max_blocks=1000, max_shingles=10_000)
    stream = tokenise(FOOTER)
    delta = model.observe(stream, blocks(stream), 9, 0, 5)
    assert len(model) == 0
    model.apply(delta)
    assert len(model) == 1


def test_statistics_are_bounded_and_pruned_deterministically() -> None:
    model = BoilerplateModel(min_stories=3, max_blocks=40, max_shingles=10_000)
    for seq in range(30):
        _see(model, story(seq, paragraphs=3, words=8), story_key=seq, seq=seq)
        assert len(model) <= 40
    twin = BoilerplateModel(min_stories=3, max_blocks=40, max_shingles=10_000)
    for seq in range(30):
        _see(twin, story(seq, paragraphs=3, words=8), story_key=seq, seq=seq)
    assert {b: twin.stat(b) for b in range(0)} == {}
    assert len(twin) == len(model)


def test_promoted_shingles_are_capped() -> None:
    model = BoilerplateModel(min_stories=1, max_blocks=1000, max_shingles=5)
    _see(model, FOOTER, story_key=1, seq=0)
    assert model.shingles.size == 0  # the footer alone has more shingles than the cap
    _see(model, "Share this article", story_key=1, seq=1)
    assert model.shingles.size == 1
