import unicodedata

import numpy as np
import pytest

from services.dedup.fingerprint import (
    analyse,
    blocks,
    fingerprint,
    first_distinct,
    member,
    merge_sorted,
    sequence_hash,
    shingles,
    tokenise,
    tokenise_compiled,
)
from services.dedup.normalise import tokens

TEXT = "Hello, World!\nSecond line here."


def test_token_hashes_and_lines_are_pinned() -> None:
    stream = tokenise(TEXT)
    assert stream.hashes.tolist() == [
        9393432718026428904,
        11381153308873146740,
        824709412292650972,
        13455244503739202617,
        18294429906587642314,
    ]
    assert stream.lines.tolist() == [0, 0, 1, 1, 1]


def test_block_hashes_are_pinned() -> None:
    parts = blocks(tokenise(TEXT))
    assert parts.hashes.tolist() == [2325213659533567137, 4396355059485243877]
    assert parts.starts.tolist() == [0, 2]
    assert parts.ends.tolist() == [2, 5]


def test_body_hash_and_shingles_are_pinned() -> None:
    hashes = tokenise(TEXT).hashes
    assert sequence_hash(hashes) == 6664657221619874598
    assert shingles(hashes, 2).tolist() == [
        69060540389885676,
        10695395904007110667,
        6452451915386543240,
        846821507207408394,
    ]
    assert shingles(hashes, 5).tolist() == [13444878937686706553]


def test_long_token_hashes_are_pinned_and_use_every_byte() -> None:
    text = "a" * 8 + " " + "a" * 9 + " abcdefghijklmnopq " + "x" * 70 + " " + "x" * 71
    assert tokenise(text).hashes.tolist() == [
        8971962773566799931,
        2724596974167654302,
        13426828954346270884,
        7418328894800212983,
        5805174176113001977,
    ]
    near = tokenise("abcdefghijklmnopq abcdefghijklmnopr " + "y" * 69 + "z " + "y" * 70).hashes
    assert len(set(near.tolist())) == 4


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


def test_merge_sorted_is_the_union_of_a_sorted_base_and_any_values() -> None:
    rng = np.random.default_rng(7)
    top = np.iinfo(np.uint64).max
    base = np.unique(rng.integers(0, 1_000, 300, dtype=np.uint64))
    cases = [
        (np.array([], dtype=np.uint64), np.array([5, 5, 1], dtype=np.uint64)),
        (base, np.array([], dtype=np.uint64)),
        (base, base[::7].copy()),  # all present already
        (base, rng.integers(0, 1_200, 90, dtype=np.uint64)),  # repeats, in and out of base
        (np.array([0, top], dtype=np.uint64), np.array([top - 1, 3, 0], dtype=np.uint64)),
    ]
    for sorted_base, values in cases:
        merged = merge_sorted(sorted_base, values)
        assert merged.dtype == np.uint64
        assert merged.tolist() == np.union1d(sorted_base, values).tolist()


ARTICLE = (
    "Das Mittelalter hinterließ in der Altstadt zahlreiche Spuren, berichtete die Zeitung.\n"
    "Die Stadtverwaltung ließ die Auflage des Stadtführers verdoppeln, weil Besucher kamen.\n"
    "Der Bürgermeister eröffnete am Montag die Ausstellung im Rathaus über Handwerkszünfte.\n"
    "Im Café am Marktplatz sprachen Historiker über Handelswege und die Geschichte der Zünfte."
)
ARTICLE_VARIANTS = {
    "soft hyphen": ARTICLE.replace("Mittelalter", "Mit\u00adtel\u00adal\u00adter").replace(
        "Handwerkszünfte", "Hand\u00adwerks\u00adzünf\u00adte"
    ),
    "zero-width space": ARTICLE.replace("Altstadt", "Alt\u200bstadt").replace(
        "Stadtführers", "Stadt\u200bführers"
    ),
    "word joiner": ARTICLE.replace("Rathaus", "Rat\u2060haus"),
    "byte-order mark": "\ufeff" + ARTICLE.replace("\nDer", "\n\ufeffDer"),
    "zero-width non-joiner in Latin": ARTICLE.replace("Auflage", "Auf\u200clage"),
    "zero-width joiner in Latin": ARTICLE.replace("Handelswege", "Handels\u200dwege"),
    "decomposed (NFD)": unicodedata.normalize("NFD", ARTICLE),
    "line separator for a space": ARTICLE.replace("am Montag", "am\u2028Montag"),
}


@pytest.mark.parametrize("variant", ARTICLE_VARIANTS)
def test_copies_differing_in_invisible_characters_have_one_fingerprint(variant: str) -> None:
    text = ARTICLE_VARIANTS[variant]
    assert text != ARTICLE
    empty = np.zeros(0, dtype=np.uint64)
    options = {"promoted_blocks": empty, "boilerplate_shingles": empty}
    _, parts, got = analyse(text, **options, shingle_size=5, lede_size=24)
    _, expected_parts, expected = analyse(ARTICLE, **options, shingle_size=5, lede_size=24)
    assert got.body_hash == expected.body_hash
    assert got.shingles.tolist() == expected.shingles.tolist()
    assert got.lede.tolist() == expected.lede.tolist()
    assert parts.hashes.tolist() == expected_parts.hashes.tolist()
    assert tokenise(text).hashes.tolist() == tokenise(ARTICLE).hashes.tolist()
    assert tokens(text) == tokens(ARTICLE)


def test_joiners_a_script_needs_stay_in_the_tokens() -> None:
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # mi-khaham: two tokens
    assert tokens(persian) == ["\u0645\u06cc", "\u062e\u0648\u0627\u0647\u0645"]
    assert tokens("Auf\u200clage") == ["auflage"]
    assert tokenise_compiled(persian).hashes.tolist() == tokenise(persian).hashes.tolist()
