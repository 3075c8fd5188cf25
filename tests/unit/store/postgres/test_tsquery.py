"""``q`` as PostgreSQL full-text queries: pure, with the lexemes given as the database would."""

from __future__ import annotations

import pytest

from services.store.postgres.languages import SIMPLE, STEMMER_IDS
from services.store.postgres.tsquery import (
    LexemeMap,
    config_query,
    term_words,
    union_query,
)
from services.store.search import parse_text

EN = STEMMER_IDS["english"]
# What each configuration makes of the words (as to_tsvector would): position → lexemes.
LEXEMES: LexemeMap = {
    (EN, "elections"): ((1, ("elect",)),),
    (SIMPLE, "elections"): ((1, ("elections",)),),
    (EN, "climate summit"): ((1, ("climat",)), (2, ("summit",))),
    (SIMPLE, "climate summit"): ((1, ("climate",)), (2, ("summit",))),
    (SIMPLE, "runn"): ((1, ("runn",)),),
    (EN, "runn"): ((1, ("runn",)),),
    (SIMPLE, "big runn"): ((1, ("big",)), (2, ("runn",))),
    (EN, "paris"): ((1, ("pari",)),),
    (SIMPLE, "paris"): ((1, ("paris",)),),
    (EN, "london"): ((1, ("london",)),),
    (SIMPLE, "london"): ((1, ("london",)),),
    (EN, "o reilly"): ((1, ("o",)), (3, ("reilli",))),
    (EN, "quote"): ((1, ("a\\b", "it's")),),
}


@pytest.mark.parametrize(
    ("q", "config", "expected"),
    [
        ("Elections", EN, "'elect':AB"),
        ("Elections", SIMPLE, "'elections':AB"),
        (
            '"climate summit"',
            EN,
            "(('climat':A <-> 'summit':A) | ('climat':B <-> 'summit':B))",
        ),
        ("runn*", EN, "'runn':*CD"),  # a prefix of the words as written: C and D
        ("runn*", SIMPLE, "'runn':*AB"),  # no stemmer: the words are A and B already
        ('"big runn"*', EN, "(('big':C <-> 'runn':*C) | ('big':D <-> 'runn':*D))"),
        ("paris OR london elections", EN, "('pari':AB | 'london':AB) & 'elect':AB"),
        ("elections -paris NOT london", EN, "'elect':AB & !'pari':AB & !'london':AB"),
        ('"O\'Reilly"', EN, "(('o':A <2> 'reilli':A) | ('o':B <2> 'reilli':B))"),
        ("quote", EN, "('a\\\\b':AB | 'it''s':AB)"),
    ],
)
def test_each_term_becomes_lexemes_with_their_weights(q: str, config: int, expected: str) -> None:
    assert config_query(parse_text(q), config, LEXEMES) == expected


def test_a_term_without_lexemes_matches_nothing_or_excludes_nothing() -> None:
    assert config_query(parse_text("elections unknownword"), EN, LEXEMES) is None
    assert config_query(parse_text("elections OR unknownword"), EN, LEXEMES) == "'elect':AB"
    assert config_query(parse_text("elections -unknownword"), EN, LEXEMES) == "'elect':AB"
    assert config_query(parse_text("_"), EN, LEXEMES) is None  # a word of no letters


def test_the_index_is_asked_for_any_configurations_query() -> None:
    assert union_query(["'elect':AB", None, "'elections':AB", "'elect':AB"]) == (
        "('elect':AB) | ('elections':AB)"
    )
    assert union_query(["'elect':AB", None]) == "'elect':AB"
    assert union_query([None, None]) is None


def test_the_words_looked_up_are_each_terms_words_once() -> None:
    text = parse_text('Élections "climate summit" runn* -Élections OR ... _')
    assert term_words(text) == ["climate summit", "elections", "runn"]
