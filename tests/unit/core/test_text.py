"""clean_text: NFC, no invisible characters, joiners only where a script or an emoji needs them."""

from __future__ import annotations

import random
import unicodedata

import pytest

from services.core.text import (
    _BREAK,
    _DROPPED,
    _JOINER,
    BREAKS,
    BREAKS_LINE,
    DROPPED,
    DROPS,
    JOINERS,
    JOINS,
    MAYBE_NOT_NFC,
    TABLE_SIZE,
    TOUCHED,
    _keep_joiner,
    char_flags,
    clean_text,
)

ZWNJ, ZWJ = "\u200c", "\u200d"


@pytest.mark.parametrize(
    ("name", "char"),
    [
        ("soft hyphen", "\u00ad"),
        ("zero-width space", "\u200b"),
        ("word joiner", "\u2060"),
        ("function application", "\u2061"),
        ("invisible times", "\u2062"),
        ("invisible separator", "\u2063"),
        ("invisible plus", "\u2064"),
        ("inhibit symmetric swapping", "\u206a"),
        ("nominal digit shapes", "\u206f"),
        ("byte-order mark", "\ufeff"),
    ],
)
def test_invisible_characters_are_dropped(name: str, char: str) -> None:
    assert clean_text(f"Mit{char}tel{char}al{char}ter") == "Mittelalter", name
    assert clean_text(f"{char}Titel{char}") == "Titel", name
    assert clean_text(char * 3) == "", name


def test_every_dropped_character_is_listed_as_touched() -> None:
    assert set(DROPPED) | set(JOINERS) | set(BREAKS) == set(TOUCHED)
    for char in DROPPED:
        assert unicodedata.category(char) == "Cf"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Caf\u0065\u0301", "Caf\u00e9"),  # NFD to NFC
        ("A\u030angstr\u006f\u0308m", "\u00c5ngstr\u00f6m"),
        ("\u1100\u1161\u11a8", "\uac01"),  # conjoining jamo to a Hangul syllable
        ("\u2126", "\u03a9"),  # OHM SIGN is canonically OMEGA
        ("ﬁle ½", "ﬁle ½"),  # compatibility forms are not folded (NFC, not NFKC)
    ],
)
def test_text_is_nfc(text: str, expected: str) -> None:
    assert clean_text(text) == expected
    assert unicodedata.is_normalized("NFC", clean_text(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("first\u2028second", "first second"),
        ("first \u2029 second", "first second"),
        ("first\t\u0085  second", "first second"),
        ("line\n\u2028\nnext", "line\n \nnext"),  # newlines stay (dedup counts lines)
    ],
)
def test_line_and_paragraph_separators_become_one_space(text: str, expected: str) -> None:
    assert clean_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "\u0645\u06cc" + ZWNJ + "\u062e\u0648\u0627\u0647\u0645",  # Persian mi-khaham
        "\u06a9\u062a\u0627\u0628" + ZWNJ + "\u0647\u0627",  # Persian ketab-ha
        "\u0915\u094d" + ZWJ + "\u0937",  # Hindi: half form of ka before ssa
        "\u0915\u094d" + ZWNJ + "\u0937",  # Hindi: explicit virama, no conjunct
        "\u0d28\u0d4d" + ZWJ,  # Malayalam chillu n, old encoding: at the end of the word
        "\u0d15\u0d7e \u0d28\u0d4d" + ZWJ + " \u0d2a",  # Malayalam with spaces around
        "\u0dc1\u0dca" + ZWJ + "\u0dbb\u0dd3",  # Sinhala: repaya
        "\U0001f468" + ZWJ + "\U0001f469" + ZWJ + "\U0001f467" + ZWJ + "\U0001f466",  # family
        "\U0001f3f3\ufe0f" + ZWJ + "\U0001f308",  # rainbow flag: after the emoji selector
        "\U0001f469\U0001f3fd" + ZWJ + "\u2695\ufe0f",  # health worker, skin tone
        "\u2764\ufe0f" + ZWJ + "\U0001f525",  # heart on fire
        "\u1828\u1820" + "\u180e" + "\u1821",  # Mongolian vowel separator between letters
    ],
)
def test_joiners_stay_where_a_script_or_emoji_needs_them(text: str) -> None:
    assert clean_text(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Auf" + ZWNJ + "lage", "Auflage"),  # Latin: only blocks a ligature
        ("Stra" + ZWJ + "sse", "Strasse"),
        (ZWNJ + "\u0645\u06cc", "\u0645\u06cc"),  # nothing before it
        ("2024" + ZWNJ + "\u0645", "2024\u0645"),  # a digit is no letter of the script
        ("\U0001f44d" + ZWJ + "ok", "\U0001f44dok"),  # emoji, then no emoji
        ("ok" + ZWJ + "\U0001f44d", "ok\U0001f44d"),
        ("\U0001f44d" + ZWNJ + "\U0001f44d", "\U0001f44d\U0001f44d"),  # ZWNJ never joins emoji
        ("x\u180ey", "xy"),  # Mongolian vowel separator outside Mongolian
        (ZWJ + ZWJ, ""),
    ],
)
def test_joiners_are_dropped_elsewhere(text: str, expected: str) -> None:
    assert clean_text(text) == expected


def test_clean_text_is_idempotent() -> None:
    text = "Mit\u00adtel\u200b Cafe\u0301 \u0645\u06cc\u200c\u062e Auf\u200clage \u2028 x\ufeff"
    once = clean_text(text)
    assert clean_text(once) == once
    assert once == "Mittel Caf\u00e9 \u0645\u06cc\u200c\u062e Auflage x"


def test_clean_text_returns_clean_text_itself() -> None:
    for text in ("plain ASCII", "Café in NFC, “quoted”", "東京都は19日", ""):
        assert clean_text(text) is text


def _slow_clean(text: str) -> str:
    """The rule without the compiled pre-check: every substitution, then NFC."""
    text = _DROPPED.sub("", text)
    text = _BREAK.sub(" ", text)
    text = _JOINER.sub(_keep_joiner, text)
    return unicodedata.normalize("NFC", text)


def test_flags_mark_every_character_that_may_leave_a_text_not_nfc() -> None:
    flags = char_flags()
    starters = ["a", "e", "A", "\u0915", "\u0b47", "\u1100", "\uac00", "\u3099"]
    for code in range(0x80, TABLE_SIZE):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF or flags[code] & MAYBE_NOT_NFC:
            continue
        for text in (char, char + char, *(starter + char for starter in starters)):
            nfc_before = unicodedata.is_normalized("NFC", text[:-1] or "a")
            assert not nfc_before or unicodedata.is_normalized("NFC", text), hex(code)
    assert flags[TABLE_SIZE] & MAYBE_NOT_NFC  # beyond plane 1: always checked


def test_flags_mark_every_touched_character() -> None:
    flags = char_flags()
    for char in TOUCHED:
        assert flags[ord(char)] & (DROPS | BREAKS_LINE | JOINS), hex(ord(char))
    touched = DROPS | BREAKS_LINE | JOINS
    assert sum(1 for code in range(TABLE_SIZE) if flags[code] & touched) == len(TOUCHED)


ALPHABET = (
    "aé e\u0301\u0308\u0323ü\u00ad\u200b\u200c\u200d\u2060\u2062\u206c\ufeff\u2028\u2029\x85\n\t"
    "\u0645\u06cc\u0915\u094d\u0d28\u1828\u180e\U0001f468\U0001f3fd\ufe0f\u1100\u1161\u11a8"
    "\uac00\u2126\uf900\U0002f800\ud800 \u00a0東"
)


def test_clean_text_equals_the_rule_on_random_text() -> None:
    rng = random.Random(23)
    for _ in range(20000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randrange(0, 14)))
        assert clean_text(text) == _slow_clean(text), repr(text)
