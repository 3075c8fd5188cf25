"""Language detection, offline, ISO 639-1."""

from __future__ import annotations

import pytest

from services.parser.language import SAMPLE_CHARS, detect_language, opening_sample


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "Hopes for a breakthrough in the Ukraine war were dashed within hours on Wednesday.",
            "en",
        ),
        ("Der schnelle braune Fuchs springt über den faulen Hund und läuft davon.", "de"),
        ("Le gouvernement a annoncé mardi une nouvelle réforme des retraites.", "fr"),
        ("El gobierno anunció el martes una nueva reforma de las pensiones.", "es"),
        ("Наши герои знают толк не только во вкусе, но и в красоте.", "ru"),
    ],
)
def test_detects_iso_639_1(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["", "Hello", "12345 67890 12345 67890 12345", "!!! ??? ..."])
def test_too_short_or_no_language(text: str) -> None:
    assert detect_language(text) is None


def test_all_caps_text() -> None:
    assert detect_language("THREE PEOPLE HAVE DIED DURING PROTESTS IN BOLIVIA THIS WEEK") == "en"


_GERMAN = "Der schnelle braune Fuchs springt über den faulen Hund und läuft davon. "
_ENGLISH = "Hopes for a breakthrough in the Ukraine war were dashed within hours on Wednesday. "


def test_opening_sample_is_cut_at_a_paragraph_or_word_break() -> None:
    paragraphs = "\n\n".join([_ENGLISH * 3, _ENGLISH * 10])
    sample = opening_sample(paragraphs)
    assert sample == _ENGLISH * 3
    assert len(sample) <= SAMPLE_CHARS
    words = opening_sample(_ENGLISH * 20)
    assert len(words) <= SAMPLE_CHARS and (_ENGLISH * 20).startswith(words)
    assert (_ENGLISH * 20)[len(words)] == " "  # a whole word last
    assert opening_sample("short text") == "short text"


def test_long_text_is_decided_by_its_opening() -> None:
    assert detect_language(_GERMAN * 10 + _ENGLISH * 300) == "de"
    assert detect_language(_ENGLISH * 300) == "en"


def test_opening_without_enough_letters_falls_back_to_the_longer_sample() -> None:
    table = "2024 | 1.5 | 2.5 | 3.5 | 4.5\n\n" * 40
    assert len(table) > SAMPLE_CHARS
    assert detect_language(table + _GERMAN * 5) == "de"
