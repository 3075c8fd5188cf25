"""Dates, times and zones as datelines write them."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from services.parser import dateline
from services.parser.dateline import parse_date, parse_dateline, parse_datetime
from services.parser.folding import fold


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
    "text",
    [
        "",
        "on the",
        "Monday, ",
        "at 9",
        "the date of",
        " | ",
        "x",
        "on thex",
        "dated. time:",
        "Mon.",
    ],
)
def test_filler_check_matches_sub(text: str) -> None:
    assert dateline._is_filler(text) == (not dateline._FILLER.sub("", text))


def test_filler_check_on_random_text() -> None:
    rng = random.Random(7)
    pieces = ["on", "at", "the", "of", "Date", "time", "LOCAL", "tues", "Tuesday", "wed.", " ", ","]
    pieces += ["x", "9", "|", "(", "-", "—", "ſat", "ſ", "İ", "onthe", "."]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 7)))
        assert dateline._is_filler(text) == (not dateline._FILLER.sub("", text)), text


@pytest.mark.parametrize(
    "text",
    [
        "Published 19 March 2025 | Updated 20 March",
        "PUBLİSHED: 2025-01-02 Last Modified 3:00",
        "Originally poſted Monday",
        "unrevised 2020",
        "Revised: 2020-01-02 | EDITED 3:00",
        *(f"{word.upper()}: 2020-01-02" for word in dateline._LABEL_WORDS),
        "Last revised 2020-01-02",
        "created 2020, issued 2021",
        "19 March 2025 9:19 AM",
        "no label here",
    ],
)
def test_label_precheck_keeps_the_segments(text: str) -> None:
    expected: list[tuple[str | None, str]] = []
    label: str | None = None
    start = 0
    for match in dateline._LABEL.finditer(text):
        if text[start : match.start()].strip(" |·•;,-–—"):
            expected.append((label, text[start : match.start()]))
        label, start = match.group("label"), match.end()
    expected.append((label, text[start:]))
    assert dateline._labelled_segments(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2025-03-19",
        "MAR 3, 2020",
        "3 SEPT 2020",
        "Dec.19 - 2025",
        "19th of MAY, 2025",
        "19.03.2025",
    ],
)
def test_dates_the_gates_let_through(text: str) -> None:
    assert dateline.parse_datetime(text) is not None


def test_month_and_iso_gates_skip_only_what_cannot_match() -> None:
    rng = random.Random(9)
    pieces = ["1", "19", "2025", " ", ".", ",", "-", "/", "of", "th", "ma", "j", "an", "İ", "ſ"]
    pieces += ["Mar", "ſep", "DEC", "jUn", "x"]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 9)))
        if not any(month in fold(text) for month in dateline._MONTH_OPENINGS):
            assert dateline._DATE_FORMS[0].search(text) is None, text
            assert dateline._DATE_FORMS[1].search(text) is None, text
        if "-" not in text:
            assert dateline._ISO.search(text) is None, text
