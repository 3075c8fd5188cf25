"""Language detection, offline, ISO 639-1."""

from __future__ import annotations

import pytest

from services.parser.language import detect_language


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
