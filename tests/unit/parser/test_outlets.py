"""Cited outlets: news organisations named as sources, not people or other bodies."""

from __future__ import annotations

import random
import re

import pytest

from services.parser import outlets
from services.parser.outlets import cue_stretches, find_cited_outlets


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


def test_cue_stretches_hold_the_cue_words_between_breaks() -> None:
    text = "\x00".join(
        ["No cue here.", "Reuters SAİD so, he told us.", "via", "Oil broke the news"]
    )
    stretches = cue_stretches(text)
    assert [text[start:end] for start, end, _, _ in stretches] == [
        "Reuters SAİD so",
        " he told us.",
        "via",
        "Oil broke the news",
    ]
    # whether a _BEFORE cue is there, and where an _AFTER match can end at the latest
    assert [(before, text[start:after_end]) for start, _, before, after_end in stretches] == [
        (True, "Reuters SAİD"),
        (True, ""),
        (True, ""),
        (False, "Oil broke the news"),
    ]


# The plain search the gated one replaces: both patterns, without the lookahead that names the
# letters a match may start with, over every paragraph in full.
_LOOKAHEAD = re.compile(r"\(\?=\[[^]]*\]\)")
_BEFORE = re.compile(_LOOKAHEAD.sub("", outlets._BEFORE.pattern, count=1))
_AFTER = re.compile(_LOOKAHEAD.sub("", outlets._AFTER.pattern, count=1))


def test_reference_patterns_have_no_lookahead() -> None:
    assert "(?=" not in _BEFORE.pattern
    assert "(?=" not in _AFTER.pattern


def _reference(paragraphs: list[str]) -> tuple[str, ...]:
    found: list[tuple[int, int, str]] = []
    for number, paragraph in enumerate(paragraphs):
        for pattern, from_start in ((_BEFORE, True), (_AFTER, False), (outlets._WIRE_TAG, True)):
            for match in pattern.finditer(paragraph):
                words = outlets._words(match.group("run"))
                name = outlets._outlet_part(words, from_start=from_start)
                if name is not None:
                    found.append((number, match.start("run"), name))
    names: dict[str, str] = {}
    for _, _, name in sorted(found):
        names.setdefault(outlets._key(name), name)
    return tuple(names.values())


_CUES = [
    "according to", "first reported by", "reported by", "reporting by", "told", "telling",
    "in an interview with", "an exclusive interview on", "in a exclusive interview with",
    "speaking to", "spoke with", "talking to", "talked to", "cited by", "quoted by",
    "in a statement to", "a statement to", "wrote in", "writing in", "published by",
    "confirmed to", "said to", "a report by", "the report from", "reports in", "via",
    "ACCORDING TO", "TOLD", "PUBLİSHED BY", "ſaid to",
]  # fmt: skip
_VERBS = [
    "reported", "reports", "said", "says", "quoted", "cited", "wrote", "writes", "learned",
    "learnt", "obtained", "revealed", "published", "confirmed", "broke the news", "has reported",
    "first reported", "also said", "exclusively revealed", "SAİD", "ſays", "REPORTED",
]  # fmt: skip
_NAMES = [
    "Reuters", "the BBC", "The New York Times", "Fox News Tuesday", "CNN's Jake Tapper",
    "a Fox News poll", "Xinhua News Agency", "Agence France-Presse", "Zelenskyy", "the Kremlin",
    "AP", "BBC Radio 4", "Sky News 24", "Le Monde", "NBC News", "Meanwhile Reuters",
]  # fmt: skip
_AFTER_VERB = ["", "", ".", ",", "’", "-", "&", "/", "+x", "’s", "ly", "2", "_", " news"]
_FILLERS = ["(", ")", " - ", ", ", "; ", "“", "”", "—", "he", "and", "\n", "  ", "\t", "5%"]
_FILLERS += ["WASHINGTON (Reuters) -", "(AP) —", "the", "On Monday,"]


def _sentence(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randrange(1, 8)):
        roll = rng.random()
        if roll < 0.3:
            parts.append(f"{rng.choice(_CUES)} {rng.choice(_NAMES)}")
        elif roll < 0.6:
            verb = rng.choice(_VERBS) + rng.choice(_AFTER_VERB)
            parts.append(f"{rng.choice(_NAMES)}{rng.choice([' ', '’s ', '  ', chr(10)])}{verb}")
        else:
            parts.append(rng.choice(_FILLERS))
    return " ".join(parts)


def test_gated_search_finds_what_the_plain_search_finds() -> None:
    rng = random.Random(13)
    for _ in range(3000):
        paragraphs = [_sentence(rng) for _ in range(rng.randrange(1, 5))]
        assert find_cited_outlets(paragraphs) == _reference(paragraphs), paragraphs
