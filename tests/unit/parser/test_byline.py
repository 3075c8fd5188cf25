"""Bylines in English, German, French, Spanish, Italian and Portuguese."""

from __future__ import annotations

import pytest

from services.parser.byline import parse_byline


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("Von A. Bauer und Kai Roth", ("A. Bauer", "Kai Roth")),
        ("Von Lukas Weber, Lena Neumann und Max Krüger", ("Lukas Weber", "Lena Neumann", "Max Krüger")),
        ("Eine Analyse von Jürgen Weber", ("Jürgen Weber",)),
        ("Von Anna Schmidt, Berlin", ("Anna Schmidt",)),
        ("Par Élise Moreau et Benoît Le Goff", ("Élise Moreau", "Benoît Le Goff")),
        ("Par Nicolas Roux (Bruxelles, correspondante)", ("Nicolas Roux",)),
        ("Par Jean Dupont, envoyé spécial à Kiev", ("Jean Dupont",)),
        ("Por Lucía Romero y Miguel Ángel Moreno Pérez", ("Lucía Romero", "Miguel Ángel Moreno Pérez")),
        ("di Marco Rossi e Luca Bianchi, inviati a Roma", ("Marco Rossi", "Luca Bianchi")),
        ("Di Niccolò Lombardi, Alessandro Costa e Elena Esposito", ("Niccolò Lombardi", "Alessandro Costa", "Elena Esposito")),
        ("Por Ana Souza, g1 — São Paulo", ("Ana Souza",)),
        ("Texto: Ana Souza", ("Ana Souza",)),
    ],
)  # fmt: skip
def test_bylines_of_other_languages(line: str, authors: tuple[str, ...]) -> None:
    byline = parse_byline(line)
    assert byline is not None
    assert byline.authors == authors


@pytest.mark.parametrize(
    "line", ["Von dpa", "Par AFP", "Por Agência Brasil", "Por Redação g1", "Par for the course."]
)
def test_agencies_and_sentences_name_no_author(line: str) -> None:
    assert parse_byline(line) is None


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("Por João Souza e Silva", ("João Souza e Silva",)),
        ("Por Ana Souza e Silva e Pedro Costa", ("Ana Souza e Silva", "Pedro Costa")),
        ("Por Ana García y Pedro Sánchez", ("Ana García", "Pedro Sánchez")),
    ],
)
def test_a_surname_joined_by_e_or_y_is_one_name(line: str, authors: tuple[str, ...]) -> None:
    byline = parse_byline(line)
    assert byline is not None
    assert byline.authors == authors


def test_a_city_after_a_pipe_is_no_site() -> None:
    byline = parse_byline("Por Ana García | Madrid")
    assert byline is not None
    assert (byline.authors, byline.site_name) == (("Ana García",), None)
    byline = parse_byline("By Ann Lee | Coastal Times")
    assert byline is not None and byline.site_name == "Coastal Times"
