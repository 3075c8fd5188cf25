"""Boilerplate lines in English, German, French, Spanish, Italian and Portuguese, and the rights
notice check giving the answer of the one pattern it was split from."""

from __future__ import annotations

import re

import pytest

from services.parser import boilerplate
from services.parser.boilerplate import is_boilerplate

# The single pattern _WHOLE_LINE and _RIGHTS_RESERVED were split from.
_WHOLE_LINE = re.compile(
    boilerplate._WHOLE_LINE.pattern[:-1] + "|" + boilerplate._RIGHTS_RESERVED.pattern + ")",
    re.IGNORECASE,
)


@pytest.mark.parametrize(
    "line",
    [
        "All rights reserved.",
        "© 2024 Example Media. All Rights Reserved",
        "Copyright Example Media, ALL RIGHTS RESERVED!",
        "Example Media. All rights reſerved",
        "Some text that ends in reserved",
        "all rights reserved and more",
        "x" * 101 + "all rights reserved",
        "Trending Now",
        "Advertisement",
        "He said",
    ],
)
def test_boilerplate_rights_notice_as_in_one_pattern(line: str) -> None:
    core = line.strip().strip(boilerplate._EDGES).rstrip(".!…")
    assert boilerplate.is_boilerplate(line) == bool(_WHOLE_LINE.fullmatch(core))


@pytest.mark.parametrize(
    "line",
    [
        "Anzeige", "ANZEIGE", "Mehr zum Thema", "Lesen Sie auch", "Lesen Sie auch: Der Streit",
        "Aktualisiert vor 2 Stunden", "Publicité", "À lire aussi : Ce qu'il faut retenir",
        "Lire aussi | Le gouvernement", "Publicidad", "Te puede interesar: Así reaccionan",
        "Leggi anche", "Leggi anche: Cosa cambia", "© RIPRODUZIONE RISERVATA", "PUBBLICITÀ",
        "Publicidade", "Leia também", "Continua após a publicidade", "Atualizado há 1 hora",
        "Updated 1 hour ago", "Our Standards: The Thomson Reuters Trust Principles.",
        "Advertisement · Scroll to continue",
        "Get a look at the day ahead with our Morning Bid U.S. newsletter. Sign up here.",
        "Copyright 2019 The Associated Press. All rights reserved. This material may not be "
        "published, broadcast, rewritten or redistributed.",
    ],
)  # fmt: skip
def test_furniture_of_other_languages_and_the_wires(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "Die Anzeige wurde am Montag erstattet, sagte die Polizei.",
        "La publicité a changé depuis dix ans, dit-il.",
        "Leggi anche tu il rapporto completo pubblicato ieri dal ministero.",
        "The newsletter, which launched in May, now has 10,000 readers.",
    ],
)
def test_sentences_holding_those_words_stay(line: str) -> None:
    assert not is_boilerplate(line)
