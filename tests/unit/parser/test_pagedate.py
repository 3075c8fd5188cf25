"""The page's publication date: declared dates read loosely, htmldate's day, offsets kept."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from lxml.html import fromstring  # type: ignore[import-untyped]

from services.parser.html import extract_html
from services.parser.pagedate import PageDate, parse_declared, read_page_date

BODY = "<article>" + "<p>The council voted on Tuesday to approve the new budget plan.</p>" * 6
PLUS_TWO = timezone(timedelta(hours=2))


def test_loose_iso_forms_are_read() -> None:
    assert parse_declared("2022-1-26T14:32:06+02:00") == datetime(
        2022, 1, 26, 14, 32, 6, tzinfo=PLUS_TWO
    )
    assert parse_declared("20200414T00:38:07Z") == datetime(2020, 4, 14, 0, 38, 7, tzinfo=UTC)
    assert parse_declared("2020-01-20T09:49:32+0000") == datetime(
        2020, 1, 20, 9, 49, 32, tzinfo=UTC
    )
    assert parse_declared("2019-11-18") == date(2019, 11, 18)
    assert parse_declared("08:00") is None


def test_a_date_alone_or_a_naive_time_gets_no_offset() -> None:
    assert PageDate.of(date(2019, 11, 18)) == PageDate(None, "2019-11-18")
    assert PageDate.of(datetime(2019, 11, 18, 10, 0)) == PageDate(None, "2019-11-18T10:00:00")
    aware = datetime(2019, 11, 18, 10, 0, tzinfo=PLUS_TWO)
    assert PageDate.of(aware) == PageDate(aware, "2019-11-18T10:00:00")


def test_an_unreadable_declared_date_falls_back_to_the_page() -> None:
    html = (
        '<html><head><meta name="date" content="08:00"></head><body>'
        '<p class="date">Published 19 October 2019</p>' + BODY + "</body></html>"
    )
    extracted = extract_html(html, "https://example.com/news/story")
    assert extracted.published_local == "2019-10-19"
    assert extracted.published_at is None


def test_the_page_offset_is_kept_not_converted_to_utc() -> None:
    head = '<meta property="article:published_time" content="2023-11-01T23:30:00-05:00">'
    html = f"<html><head>{head}</head><body>{BODY}</body></html>"
    extracted = extract_html(html, "https://example.com/news/story")
    assert extracted.published_at == datetime(
        2023, 11, 1, 23, 30, tzinfo=timezone(timedelta(hours=-5))
    )
    assert extracted.published_local == "2023-11-01T23:30:00"


def test_the_page_day_wins_over_a_declared_day_it_contradicts() -> None:
    tree = fromstring(
        '<html><head><meta property="article:published_time" content="2021-01-01T11:00:00Z">'
        '</head><body><article><time datetime="2023-04-01">1 April 2023</time>'
        "<p>Text.</p></article></body></html>"
    )
    found = read_page_date(tree, "https://example.com/2023/04/01/story", "2021-01-01T11:00:00Z")
    assert found == PageDate(None, "2023-04-01")
