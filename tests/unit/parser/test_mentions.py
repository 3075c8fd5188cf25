"""Mentions beside a reporting verb: names, pronouns, roles, unnamed sources."""

from __future__ import annotations

import pytest

from services.parser.mentions import (
    Mention,
    clean_name,
    object_after,
    speaker_kind,
    subject_before,
)
from services.parser.quotecues import find_cues
from services.parser.sentences import sentence_start


def test_clean_name_drops_function_words_titles_and_possessives() -> None:
    assert clean_name("But President Donald Trump") == "Donald Trump"
    assert clean_name("NASA’s Steve Clarke") == "Steve Clarke"
    assert clean_name("Secretary of State Marco Rubio") == "Marco Rubio"
    assert clean_name("Rosaly Lopes of NASA") == "Rosaly Lopes"
    assert clean_name("NASA’s Office of the Inspector General") == (
        "NASA’s Office of the Inspector General"
    )
    assert clean_name("Trump’s") == "Trump"
    assert clean_name("The") is None
    assert clean_name("President") is None


@pytest.mark.parametrize(
    ("run", "name"),
    [
        ("Bürgermeister Peter Kurz", "Peter Kurz"),
        ("Innenministerin Nancy Faeser", "Nancy Faeser"),
        ("Regierungssprecher Steffen Hebestreit", "Steffen Hebestreit"),
        ("Oberbürgermeisterin Katja Dörner", "Katja Dörner"),
        ("Bundestrainer Julian Nagelsmann", "Julian Nagelsmann"),
        ("Hans Meister", "Hans Meister"),  # a surname that ends like a role stays
        ("Meister", "Meister"),
    ],
)
def test_clean_name_drops_a_german_role_before_a_name(run: str, name: str) -> None:
    assert clean_name(run) == name


@pytest.mark.parametrize(
    ("run", "name"),
    [
        ("Smith’s", "Smith"),
        ("Jones’", "Jones"),
        ("Jones'", "Jones"),
        ("O’Brien’s", "O’Brien"),  # (only the ending: the apostrophe inside stays)
        ("Lucas Paganini's", "Lucas Paganini"),
        ("’s", "’s"),  # nothing left without it: kept as it is
    ],
)
def test_clean_name_drops_a_possessive_ending(run: str, name: str) -> None:
    assert clean_name(run) == name


def test_speaker_kind() -> None:
    assert speaker_kind("Bruce Boudreau") == "person"
    assert speaker_kind("Fox News") == "organisation"
    assert speaker_kind("NASA") == "organisation"
    assert speaker_kind("Defense Ministry") == "organisation"
    assert speaker_kind("onmeth.com") == "organisation"


def test_subject_before_a_verb() -> None:
    assert subject_before("In an interview with Fox News, he") == Mention("he", "pronoun")
    assert subject_before("Minnesota coach Bruce Boudreau") == Mention("Bruce Boudreau", "name")
    assert subject_before("Steve Clarke, deputy administrator at NASA,") == Mention(
        "Steve Clarke", "name"
    )
    assert subject_before("a WeWork spokesperson") == Mention("a WeWork spokesperson", "unnamed")
    assert subject_before("the coach") == Mention("the coach", "role")
    assert subject_before("Smith has also") == Mention("Smith", "name")


def test_object_after_an_inverted_verb() -> None:
    assert object_after(" U.S. Attorney Nealy Cox.") == Mention("Nealy Cox", "name")
    assert object_after(" Paul Torrey, associate professor") == Mention("Paul Torrey", "name")
    assert object_after(" Clarke on Tuesday.") == Mention("Clarke", "name")
    assert object_after(" the 14th-ranked Schwartzman") == Mention("Schwartzman", "name")
    assert object_after(" a spokesperson for the company.") == Mention(
        "a spokesperson for the company", "unnamed"
    )
    assert object_after(" she.") == Mention("she", "pronoun")


def test_sentence_start_skips_abbreviations_and_initials() -> None:
    text = "He met Gov. Smith in the U.S. Senate. Then he left."
    assert sentence_start(text, len(text)) == text.index("Then")
    assert sentence_start(text, text.index("Senate")) == 0


def test_cues_are_whole_words_the_longest_phrase_winning() -> None:
    cues = find_cues("Essays said nothing; she told reporters it, according to Ann, a déclaré X.")
    assert [(cue.text, cue.kind) for cue in cues] == [
        ("said", "verb"),
        ("told reporters", "verb"),
        ("according to", "according"),
        ("a déclaré", "verb"),
    ]


def test_an_indefinite_article_opens_an_unnamed_source_up_to_its_complement() -> None:
    """The complement ("der Stadt", "for the City of Boston") belongs to the unnamed source,
    capitalised or not; a name right after the article and its adjectives is still a name."""
    assert object_after(" ein Sprecher der Stadt.") == Mention("ein Sprecher der Stadt", "unnamed")
    assert object_after(" a spokesman for the City of Boston.") == Mention(
        "a spokesman for the City of Boston", "unnamed"
    )
    assert object_after(" un porte-parole de la mairie de Paris.") == Mention(
        "un porte-parole de la mairie de Paris", "unnamed"
    )
    assert object_after(" an emotional Steve Kerr.") == Mention("Steve Kerr", "name")
    assert subject_before("Ein Sprecher der Stadt") == Mention("Ein Sprecher der Stadt", "unnamed")
    assert subject_before("A spokesman for the City of Boston") == Mention(
        "A spokesman for the City of Boston", "unnamed"
    )
    assert subject_before("In a statement Smith") == Mention("Smith", "name")
    assert subject_before("In a letter to the editor Smith") == Mention("Smith", "name")


def test_the_day_it_spoke_ends_an_unnamed_source() -> None:
    assert object_after(" ein Sprecher der Stadt am Montag.") == Mention(
        "ein Sprecher der Stadt", "unnamed"
    )
    assert object_after(" un porte-parole de la mairie lundi.") == Mention(
        "un porte-parole de la mairie", "unnamed"
    )
    assert object_after(" un portavoz del ayuntamiento el martes.") == Mention(
        "un portavoz del ayuntamiento", "unnamed"
    )
    assert object_after(" a spokesman for the city Monday.") == Mention(
        "a spokesman for the city", "unnamed"
    )


def test_to_opens_the_complement_of_an_unnamed_source() -> None:
    assert object_after(" an aide to Senator Chuck Schumer.") == Mention(
        "an aide to Senator Chuck Schumer", "unnamed"
    )
    assert subject_before("An adviser to President Biden") == Mention(
        "An adviser to President Biden", "unnamed"
    )
    assert object_after(" a visibly moved Smith to reporters.") == Mention("Smith", "name")
