"""``q`` as PostgreSQL full-text queries: pure, with the lexemes given as the database would."""

from __future__ import annotations

import pytest

from services.store.postgres.languages import SIMPLE, STEMMER_IDS
from services.store.postgres.tsquery import (
    LexemeMap,
    config_query,
    config_tag,
    index_query,
    term_words,
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
    (SIMPLE, "o reilly"): ((1, ("o",)), (3, ("reilly",))),
    (EN, "quote"): ((1, ("a\\b", "it's")),),
}


@pytest.mark.parametrize(
    ("q", "config", "expected"),
    [
        ("Elections", EN, "'elect'"),
        ("Elections", SIMPLE, "'elections'"),
        (  # a phrase: its words as written, by the key of their pair, then side by side
            '"climate summit"',
            EN,
            "('+ff84' & (('climate':C <-> 'summit':C) | ('climate':D <-> 'summit':D)))",
        ),
        (
            '"climate summit"',
            SIMPLE,
            "('+ff84' & (('climate':A <-> 'summit':A) | ('climate':B <-> 'summit':B)))",
        ),
        ('"Elections"', EN, "'elections'"),  # a quoted word: as written
        ("runn*", EN, "'runn':*"),  # a prefix of the words as written (their lexemes)
        ('"big runn"*', EN, "(('big':C <-> 'runn':*C) | ('big':D <-> 'runn':*D))"),
        ('"big runn"*', SIMPLE, "(('big':A <-> 'runn':*A) | ('big':B <-> 'runn':*B))"),
        ("paris OR london elections", EN, "('pari' | 'london') & 'elect'"),
        ("elections -paris NOT london", EN, "'elect' & !'pari' & !'london'"),
        ('"O\'Reilly"', EN, "('+34a0' & (('o':C <2> 'reilly':C) | ('o':D <2> 'reilly':D)))"),
        ("quote", EN, "('a\\\\b' | 'it''s')"),
    ],
)
def test_each_term_becomes_lexemes_with_their_weights(q: str, config: int, expected: str) -> None:
    assert config_query(parse_text(q), config, LEXEMES) == expected


def test_a_term_without_lexemes_matches_nothing_or_excludes_nothing() -> None:
    assert config_query(parse_text("elections unknownword"), EN, LEXEMES) is None
    assert config_query(parse_text("elections OR unknownword"), EN, LEXEMES) == "'elect'"
    assert config_query(parse_text("elections -unknownword"), EN, LEXEMES) == "'elect'"
    assert config_query(parse_text("_"), EN, LEXEMES) is None  # a word of no letters


def test_the_index_is_asked_each_configurations_query_with_its_tag() -> None:
    queries = {"~english": "'elect'", "~irish": None, "~simple": "'elections'", "~dutch": "'elect'"}
    assert index_query(queries) == (
        "(('elect') & ('~dutch' | '~english')) | (('elections') & '~simple')"
    )
    assert index_query({"~english": "'elect'", "~simple": None}) == "('elect') & '~english'"
    assert index_query({"~english": None}) is None
    # Every language in use reads q alike: the tags would only cost the index work.
    assert index_query({"~english": "'elect'", "~french": "'elect'"}) == "'elect'"
    assert config_tag("english") == "~english"


def test_the_words_looked_up_are_each_terms_words_once() -> None:
    text = parse_text('Élections "climate summit" runn* -Élections OR ... _')
    assert term_words(text) == ["climate summit", "elections", "runn"]
