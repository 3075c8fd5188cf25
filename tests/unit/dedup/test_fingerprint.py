import numpy as np

from services.dedup.fingerprint import (
    blocks,
    fingerprint,
    first_distinct,
    member,
    sequence_hash,
    shingles,
    tokenise,
)

TEXT = "Hello, World!\nSecond line here."


def test_token_hashes_and_lines_are_pinned() -> None:
    stream = tokenise(TEXT)
    assert stream.hashes.tolist() == [
        3973877798973214133,
        15967668876598687052,
        3751631275903218862,
        4609084180862806786,
        18071766865421956605,
    ]
    assert stream.lines.tolist() == [0, 0, 1, 1, 1]


def test_block_hashes_are_pinned() -> None:
    parts = blocks(tokenise(TEXT))
    assert parts.hashes.tolist() == [15052141142454161616, 10837624175830886052]
    assert parts.starts.tolist() == [0, 2]
    assert parts.ends.tolist() == [2, 5]


def test_body_hash_and_shingles_are_pinned() -> None:
    hashes = tokenise(TEXT).hashes
    assert sequence_hash(hashes) == 9167600668693477840
    assert shingles(hashes, 2).tolist() == [
        13099219601164030070,
        12420442942173148860,
        6445048734622617403,
        15287639869717880956,
    ]
    assert shingles(hashes, 5).tolist() == [18038492807512754377]


def test_shorter_than_shingle_gives_one_shingle_and_empty_gives_none() -> None:
    assert shingles(tokenise("one two").hashes, 5).size == 1
    assert shingles(tokenise("").hashes, 5).size == 0
    assert tokenise("...").size == 0


def test_body_hash_ignores_cosmetics_but_not_words() -> None:
    a = sequence_hash(tokenise("Rock 'n' Roll — “live” tonight.").hashes)
    b = sequence_hash(tokenise('ROCK ’N’ ROLL - "LIVE"   tonight').hashes)
    c = sequence_hash(tokenise("Rock 'n' Roll live tomorrow").hashes)
    assert a == b != c


def test_block_hash_does_not_depend_on_surrounding_text() -> None:
    one = blocks(tokenise("Story one here.\nShare this article"))
    two = blocks(tokenise("Another, longer story text\n\nShare this article"))
    assert one.hashes[-1] == two.hashes[-1]
    assert one.hashes[0] != two.hashes[0]


def test_member_and_first_distinct() -> None:
    hay = np.array([1, 5, 9], dtype=np.uint64)
    assert member(hay, np.array([9, 2, 1, 10], dtype=np.uint64)).tolist() == [
        True,
        False,
        True,
        False,
    ]
    assert member(np.zeros(0, dtype=np.uint64), hay).tolist() == [False] * 3
    seq = np.array([7, 3, 7, 1, 3, 8], dtype=np.uint64)
    assert first_distinct(seq, 3).tolist() == [7, 3, 1]


def test_fingerprint_drops_boilerplate_blocks_and_shingles() -> None:
    text = "alpha beta gamma delta epsilon zeta\nSubscribe to our newsletter today please"
    stream = tokenise(text)
    parts = blocks(stream)
    plain = fingerprint(
        stream,
        parts=parts,
        boilerplate_blocks=np.zeros(2, dtype=np.bool_),
        boilerplate_shingles=np.zeros(0, dtype=np.uint64),
        shingle_size=3,
        lede_size=4,
    )
    cleaned = fingerprint(
        stream,
        parts=parts,
        boilerplate_blocks=np.array([False, True]),
        boilerplate_shingles=plain.shingles[:1],
        shingle_size=3,
        lede_size=4,
    )
    assert plain.size == 10
    assert cleaned.boilerplate_tokens == 6
    assert cleaned.size + cleaned.boilerplate_shingles == 4
    assert plain.lede.size == 4
    assert plain.anchors(3, 1, 2).size <= 3
    assert np.all(np.diff(plain.shingles.astype(np.float64)) > 0)
