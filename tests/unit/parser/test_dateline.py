"""Dates, times and zones as datelines write them."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from services.parser.dateline import parse_date, parse_dateline, parse_datetime


def _offset(hours: float) -> timedelta:
    return timedelta(hours=hours)


@pytest.mark.parametrize(
    ("text", "expected", "offset"),
    [
        ("Mar.19 - 2025 9:19 AM CET", datetime(2025, 3, 19, 9, 19), 1),
        ("Wednesday, March 19, 2025, 09:19 CET", datetime(2025, 3, 19, 9, 19), 1),
        ("19 March 2025 09:19 CET", datetime(2025, 3, 19, 9, 19), 1),
        ("Published Monday, April 13, 2026, 17:06 EDT", datetime(2026, 4, 13, 17, 6), -4),
        ("2020-03-20T19:28:00+00:00", datetime(2020, 3, 20, 19, 28), 0),
        ("2020-03-20T19:28:00Z", datetime(2020, 3, 20, 19, 28), 0),
        ("2025-03-19T09:19:00.123+0100", datetime(2025, 3, 19, 9, 19, 0, 123000), 1),
        ("2025-03-19 09:19 CEST", datetime(2025, 3, 19, 9, 19), 2),
        ("9:19 AM EDT, Wed March 19, 2025", datetime(2025, 3, 19, 9, 19), -4),
        ("Mar 19, 2025 12:30am PDT", datetime(2025, 3, 19, 0, 30), -7),
        ("Mar 19, 2025 12:30 p.m. PST", datetime(2025, 3, 19, 12, 30), -8),
        ("19th of March, 2025 at 9:19 pm IST", datetime(2025, 3, 19, 21, 19), 5.5),
        ("March 19, 2025 09:19 JST", datetime(2025, 3, 19, 9, 19), 9),
        ("March 19, 2025 09:19 AEDT", datetime(2025, 3, 19, 9, 19), 11),
        ("March 19, 2025 09:19 MSK", datetime(2025, 3, 19, 9, 19), 3),
        ("1 July 2025 10:00 GMT+1", datetime(2025, 7, 1, 10, 0), 1),
        ("2025-07-01 10:00 (UTC+02:00)", datetime(2025, 7, 1, 10, 0), 2),
        ("03/19/2025 9:19 pm EST", datetime(2025, 3, 19, 21, 19), -5),
        ("19.03.2025 09:19 UTC", datetime(2025, 3, 19, 9, 19), 0),
    ],
)
def test_forms_keep_the_written_offset(text: str, expected: datetime, offset: float) -> None:
    value = parse_datetime(text)
    assert value is not None
    assert value.replace(tzinfo=None) == expected
    assert value.utcoffset() == _offset(offset)


def test_abbreviations_are_fixed_offsets_whatever_the_season() -> None:
    summer_cet = parse_datetime("July 19, 2025 09:19 CET")
    winter_edt = parse_datetime("January 19, 2025 09:19 EDT")
    assert summer_cet is not None
    assert summer_cet.utcoffset() == _offset(1)
    assert winter_edt is not None
    assert winter_edt.utcoffset() == _offset(-4)


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("July 4, 2025 9:00 a.m. ET", -4),
        ("January 4, 2025 9:00 a.m. ET", -5),
        ("July 4, 2025 9:00 Eastern Time", -4),
        ("July 4, 2025 9:00 PT", -7),
        ("January 4, 2025 9:00 Pacific Time", -8),
        ("July 4, 2025 9:00 CT", -5),
        ("July 1, 2025 14:00 Central European Time", 2),
        ("January 1, 2025 14:00 Central European Time", 1),
        ("July 1, 2025 10:00 UK time", 1),
        ("January 1, 2025 10:00 UK time", 0),
        ("1 July 2025 14:00 Europe/Berlin", 2),
        ("1 January 2025 14:00 Europe/Berlin", 1),
        ("1 July 2025 10:00 New York time", -4),
    ],
)
def test_generic_and_iana_zones_follow_daylight_saving(text: str, offset: float) -> None:
    value = parse_datetime(text)
    assert value is not None
    assert value.utcoffset() == _offset(offset)


def test_no_zone_gives_naive_value() -> None:
    assert parse_datetime("March 19, 2025") == datetime(2025, 3, 19)
    assert parse_datetime("2025-03-19") == datetime(2025, 3, 19)


def test_unknown_zone_is_reported() -> None:
    parsed = parse_date("March 19, 2025 09:19 XYZ")
    assert parsed is not None
    assert parsed.value == datetime(2025, 3, 19, 9, 19)
    assert parsed.zone == "XYZ"
    assert not parsed.zone_known


@pytest.mark.parametrize(
    "text", ["", "no date here", "Route 66 opened", "2025-13-45", "Feb 30, 2025"]
)
def test_no_date(text: str) -> None:
    assert parse_datetime(text) is None


def test_published_and_updated_on_one_line() -> None:
    line = "Published 19 March 2025 09:19 CET | Updated 19 March 2025 11:00 CET"
    dateline = parse_dateline(line)
    assert dateline is not None
    assert dateline.published is not None
    assert dateline.updated is not None
    assert dateline.published.value.isoformat() == "2025-03-19T09:19:00+01:00"
    assert dateline.updated.value.isoformat() == "2025-03-19T11:00:00+01:00"


def test_updated_time_alone_takes_the_published_day_and_zone() -> None:
    dateline = parse_dateline("Published Monday, April 13, 2026, 17:06 EDT | Updated 18:10")
    assert dateline is not None
    assert dateline.updated is not None
    assert dateline.updated.value.isoformat() == "2026-04-13T18:10:00-04:00"


def test_updated_only_line() -> None:
    dateline = parse_dateline("Last updated: 10:32 BST, 5 June 2024")
    assert dateline is not None
    assert dateline.published is None
    assert dateline.updated is not None
    assert dateline.updated.value.isoformat() == "2024-06-05T10:32:00+01:00"


@pytest.mark.parametrize(
    "line",
    [
        "He arrived on March 19, 2025 at 9:19 AM CET.",
        "By Camille Brennan | Global Dispatch",
        "The vote on March 19, 2025 was close",
        "Trending Now",
    ],
)
def test_sentences_are_not_datelines(line: str) -> None:
    assert parse_dateline(line) is None


def test_month_names_the_pattern_matches_case_insensitively_are_all_known() -> None:
    # re.IGNORECASE lets the long s (U+017F) stand for "s": the month still resolves
    parsed = parse_datetime("3 ſept 2020 10:00 CET")
    assert parsed is not None and (parsed.month, parsed.day, parsed.hour) == (9, 3, 10)


@pytest.mark.parametrize(
    ("line", "published"),
    [
        ("Erschienen am 25. August 2020, 8:02 Uhr CEST", "2020-08-25T08:02:00+02:00"),
        ("Donnerstag, 1. Januar 2026, 11:31 Uhr MEZ", "2026-01-01T11:31:00+01:00"),
        ("5. Oktober 2025, 09:22 Uhr MESZ", "2025-10-05T09:22:00+02:00"),
        ("Publié le 12/09/2023 à 15:52 (heure de Paris)", "2023-09-12T15:52:00+02:00"),
        ("Publié le 07/02/2024 à 13:02 (heure de Paris)", "2024-02-07T13:02:00+01:00"),
        ("Publié le dimanche 19 juillet 2020 à 19h07 UTC", "2020-07-19T19:07:00+00:00"),
        ("1er janvier 2026 à 11h31 CET", "2026-01-01T11:31:00+01:00"),
        ("9 de noviembre de 2020 - 02:54 CET", "2020-11-09T02:54:00+01:00"),
        ("martes, 24 de marzo de 2020, 21:07 (hora peninsular)", "2020-03-24T21:07:00+01:00"),
        ("Sevilla - 14 sept 2020 - 15:20 UTC", "2020-09-14T15:20:00+00:00"),
        ("Madrid, 19 mar 2025 - 09:19 CET", "2025-03-19T09:19:00+01:00"),
        ("4 dicembre 2020 ore 09:51 (ora italiana)", "2020-12-04T09:51:00+01:00"),
        ("18.abr.2024 às 18h18 (horário de Brasília)", "2024-04-18T18:18:00-03:00"),
        ("28 de setembro de 2021, 2:09 WEST", "2021-09-28T02:09:00+01:00"),
        ("Thursday 19 March 2025 09.19 GMT", "2025-03-19T09:19:00+00:00"),
    ],
)
def test_datelines_of_other_languages_with_their_zone(line: str, published: str) -> None:
    dateline = parse_dateline(line, day_first=True)
    assert dateline is not None and dateline.published is not None
    assert dateline.published.value.isoformat() == published


@pytest.mark.parametrize(
    ("line", "local"),
    [
        ("19.03.2025, 09:19 Uhr", "2025-03-19T09:19:00"),
        ("14 dicembre 2022 ore 18:17", "2022-12-14T18:17:00"),
        ("22/12/2020 23h19", "2020-12-22T23:19:00"),
        ("14.dez.2019 às 6h22", "2019-12-14T06:22:00"),
        ("28/05/2024 - 02:21", "2024-05-28T02:21:00"),
        ("12/10/2023 - 09:11 h", "2023-10-12T09:11:00"),
        ("12/10/2023 09.11 h", "2023-10-12T09:11:00"),
        ("Publicado el 19 de marzo de 2025 a las 09:19", "2025-03-19T09:19:00"),
        ("domenica 26 maggio 2019", "2019-05-26"),
        ("Publicado em 07/11/2026 - 04:57  Atualizado há 2 horas", "2026-11-07T04:57:00"),
    ],
)
def test_datelines_without_zone_are_wall_clock_only(line: str, local: str) -> None:
    dateline = parse_dateline(line, day_first=True)
    assert dateline is not None and dateline.published is not None
    assert dateline.published.value.tzinfo is None
    assert dateline.published.local == local
    assert dateline.updated is None  # "há 2 horas" dates nothing


def test_update_labels_of_other_languages() -> None:
    for line in (
        "27.09.2019 | Aktualisiert am 28.09.2019, 16:36 Uhr",
        "17 luglio 2022 (modifica il 18 luglio 2022 | 00:42)",
    ):
        dateline = parse_dateline(line, day_first=True)
        assert dateline is not None and dateline.published is not None
        assert dateline.updated is not None
        assert not dateline.published.timed and dateline.updated.timed


def test_slash_dates_are_day_first_unless_us_english() -> None:
    day_first = parse_dateline("04/05/2025 10:00", day_first=True)
    month_first = parse_dateline("04/05/2025 10:00", day_first=False)
    assert day_first is not None and day_first.published is not None
    assert month_first is not None and month_first.published is not None
    assert day_first.published.local == "2025-05-04T10:00:00"
    assert month_first.published.local == "2025-04-05T10:00:00"


@pytest.mark.parametrize(
    "line",
    [
        "Veröffentlicht am 19.03.2025 | Lesedauer: 3 Minuten",
        "Publié le 19/03/2025 - Temps de lecture : 4 min",
        "19 de marzo de 2025 - 5 min de lectura",
        "March 19, 2025 · 5 min read",
    ],
)
def test_a_reading_time_beside_the_date_is_filler(line: str) -> None:
    dateline = parse_dateline(line, day_first=True)
    assert dateline is not None and dateline.published is not None
    assert dateline.published.local == "2025-03-19"
