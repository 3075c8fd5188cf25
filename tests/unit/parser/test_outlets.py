"""Cited outlets: news organisations named as sources, not people or other bodies."""

from __future__ import annotations

import pytest

from services.parser.outlets import cue_offsets, find_cited_outlets


@pytest.mark.parametrize(
    ("sentence", "outlets"),
    [
        ("This was reported by Euronews.", ("Euronews",)),
        ("In an interview with Fox News, he said, “We didn’t talk about aid.”", ("Fox News",)),
        ("Witkoff confirmed to Fox News that talks will continue.", ("Fox News",)),
        ("He told Reuters on Monday that he would run.", ("Reuters",)),
        ("He told Fox News Tuesday that he would run.", ("Fox News",)),
        ("He told CNN's Jake Tapper that the deal was done.", ("CNN",)),
        ("according to the Associated Press, three people died", ("Associated Press",)),
        ("The New York Times first reported the deal.", ("The New York Times",)),
        ("Meanwhile Reuters reported that oil rose.", ("Reuters",)),
        ("Xinhua News Agency reported the launch.", ("Xinhua News Agency",)),
        ("He said in an interview with the BBC.", ("BBC",)),
        ("according to a Fox News poll", ("Fox News",)),
        ("WASHINGTON (Reuters) - Scientists said on Monday", ("Reuters",)),
        ("Agence France-Presse reported the blast.", ("Agence France-Presse",)),
        ("Bloomberg said the bank would cut jobs.", ("Bloomberg",)),
    ],
)
def test_source_cues(sentence: str, outlets: tuple[str, ...]) -> None:
    assert find_cited_outlets([sentence]) == outlets


@pytest.mark.parametrize(
    "sentence",
    [
        "According to Zelenskyy, the talks failed.",
        "The Kremlin said it was ready to work with the U.S.",
        "Vice President JD Vance said on Monday that talks would go on.",
        "according to the International Energy Agency, demand will peak",
        "Russia’s Defense Ministry reported that 57 drones were intercepted.",
        "Trump told reporters the call went well.",
        "according to data from MarketAxess",
        "The White House said the call was productive.",
    ],
)
def test_people_and_other_bodies_are_not_outlets(sentence: str) -> None:
    assert find_cited_outlets([sentence]) == ()


def test_order_of_first_appearance_without_repeats() -> None:
    paragraphs = [
        "The Guardian reported the leak first.",
        "He told Reuters the leak was false. Reuters said it stood by its story.",
        "according to the Guardian, the minister resigned",
    ]
    assert find_cited_outlets(paragraphs) == ("The Guardian", "Reuters")


def test_outlet_mentioned_without_a_cue_is_not_cited() -> None:
    assert find_cited_outlets(["He watched Fox News and read the Guardian every morning."]) == ()


@pytest.mark.parametrize(
    "sentence",
    [
        "Reuters REPORTED the deal.",
        "Reuters SAİD on Monday that oil rose.",  # re.IGNORECASE matches "İ" to "i"
        "Reuters ſaid on Monday that oil rose.",  # and "ſ" to "s"
        "Shares fell, “Reuters has reported,” he added.",
        "Oil rose; according  to Reuters, demand grew.",
        "Prices, the statement said, rose 5% (per Reuters) - but cited by Reuters later.",
        "An earlier line, then: in an exclusive interview with Reuters, he spoke.",
    ],
)
def test_cue_gate_does_not_miss_a_cue(sentence: str) -> None:
    assert find_cited_outlets([sentence]) == ("Reuters",)


def test_cue_offsets_find_cue_words_in_each_paragraph() -> None:
    offsets = cue_offsets(["No cue here.", "Reuters SAİD so.", "via"])
    assert offsets == [[], [8], [0]]
