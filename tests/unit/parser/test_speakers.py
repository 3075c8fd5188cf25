"""Resolving mentions within an article: fullest names, pronouns, roles."""

from __future__ import annotations

from services.parser.mentions import Mention
from services.parser.speakers import Resolver, Speaker

ARTICLE = [
    "Ukrainian President Volodymyr Zelenskyy met Mary Steenburgen in Kyiv.",
    "Steenburgen’s son, filmmaker Charlie McDowell, came along.",
    "Bruce Boudreau, the Wild coach, was there too.",
]


def test_a_surname_or_first_name_gives_the_fullest_name() -> None:
    resolver = Resolver(ARTICLE)
    assert resolver.fullest("Zelenskyy") == "Volodymyr Zelenskyy"
    assert resolver.fullest("Mary") == "Mary Steenburgen"
    assert resolver.fullest("Kyiv") == "Kyiv"


def test_a_pronoun_means_the_first_person_of_the_nearest_sentence_naming_one() -> None:
    resolver = Resolver(ARTICLE)
    at = len(ARTICLE[1])  # after the second paragraph: its subject, not the possessive
    assert resolver.resolve(Mention("he", "pronoun"), 1, at) == Speaker(
        "Charlie McDowell", "person"
    )


def test_a_role_means_the_person_named_with_it() -> None:
    resolver = Resolver(ARTICLE)
    assert resolver.resolve(Mention("the coach", "role"), 2, 40) == Speaker(
        "Bruce Boudreau", "person"
    )


def test_an_unknown_role_stays_as_written() -> None:
    resolver = Resolver(ARTICLE)
    assert resolver.resolve(Mention("the spokesperson", "role"), 2, 0) == Speaker(
        "the spokesperson", "unnamed"
    )
