"""Boilerplate lines in English, German, French, Spanish, Italian and Portuguese, and the rights
notice check giving the answer of the one pattern it was split from."""

from __future__ import annotations

import re

import pytest

from services.parser import boilerplate
from services.parser.boilerplate import is_boilerplate, is_web_notice

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


@pytest.mark.parametrize(
    "line",
    [
        "Auch interessant:", "Mehr Themen", "Top-Themen bei Beispiel Online",
        "Das könnte Sie auch interessieren", "Das Thema könnte dich auch interessieren:",
        "Auch lesen: Warum der Winter so mild war", "Zum Newsletter anmelden",
        "Vea también: Las lluvias dejan tres muertos", "VEA TAMBIÉN",
    ],
)  # fmt: skip
def test_see_also_labels_in_german_and_spanish(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "Foto: dpa", "Photo: Reuters/John Smith",
        "Bild: Keystone", "Crédits photos : Agence Exemple", "Copyright: Max Mustermann",
        "Photo credit: City of Springfield",
    ],
)  # fmt: skip
def test_photo_credit_lines(line: str) -> None:
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    [
        "Subscribe today to read the full story.",
        "To continue reading, please subscribe to the Daily Example. Plans start at $5 a week.",
        "Already a subscriber? Log in for immediate access to this article.",
        "Abonnieren Sie jetzt und lesen Sie weiter: unbegrenzter Zugang. Jetzt weiterlesen",
        "For breaking news alerts, download our app for iOS and Android.",
        "Never miss a story: sign up for our free newsletter today!",
    ],
)
def test_paywall_app_and_newsletter_notices(line: str) -> None:
    assert is_web_notice(line)
    assert not is_boilerplate(line)  # plain text is spared the test


@pytest.mark.parametrize(
    "line",
    [
        "Readers who subscribe get the full story first, the editor said.",
        "The paper lost 2,000 subscribers after it put the full story behind a paywall in May.",
        "Developers can download the app's source code for iOS and Android from its website,"
        " the company said, though few have done so.",
        "Photographs by the author show the storm.",
        "© Reuters",  # a wire's mark, kept as the plain-text body keeps it
        "Photo agencies said the pictures were taken on Monday: none was altered.",
    ],
)
def test_reports_about_subscriptions_apps_or_photos_stay(line: str) -> None:
    assert not is_boilerplate(line)
    assert not is_web_notice(line)


@pytest.mark.parametrize(
    "line",
    [
        "Anzeige", "Werbung", "Kommentare", "\u212aommentare", "Zur Startseite", "Teilen",
        "Newsletter abonnieren", "Jetzt Newsletter", "Das könnte Sie auch interessieren",
        "Top-Themen bei Example", "Publicité", "Réagir", "À lire aussi", "Inscrivez-vous à la "
        "newsletter", "Suscríbete", "Más información", "Vea también", "Pubblicità", "Iscriviti "
        "alla newsletter", "Ultime notizie", "Leia mais", "Continue lendo", "Updated 3 hours ago",
        "Aggiornato 2 ore fa", "Mis à jour il y a 5 minutes", "Hace 2 horas", "© Riproduzione "
        "riservata", "Advertisement | Scroll to continue reading", "Zum Newsletter",
        "Breaking", "123", "“Anzeige”", "'Teilen'",
    ],
)  # fmt: skip
def test_the_intl_forms_lookahead_drops_no_form(line: str) -> None:
    # _WHOLE_LINE_INTL's lookahead names its forms' opening characters: without it, the same
    # answers (case-insensitively, "K" as the Kelvin sign included).
    pattern = boilerplate._WHOLE_LINE_INTL.pattern
    forms = re.compile(pattern[pattern.index(")") + 1 :], re.IGNORECASE)
    for text in (line, line.upper(), line.lower()):
        assert bool(boilerplate._WHOLE_LINE_INTL.fullmatch(text)) == bool(forms.fullmatch(text))
