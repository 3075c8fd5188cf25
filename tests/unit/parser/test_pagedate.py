"""The page's publication date: declared dates read loosely, htmldate's day checked against what
the page declares and shows, offsets kept."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from lxml.html import fromstring  # type: ignore[import-untyped]

from services.parser.html import extract_html
from services.parser.pagedate import Declared, PageDate, parse_declared, read_page_date

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
    found = read_page_date(
        tree, "https://example.com/2023/04/01/story", Declared("2021-01-01T11:00:00Z")
    )
    assert found == PageDate(None, "2023-04-01")


def _page(head: str, article: str, lang: str = "en") -> str:
    return (
        f'<html lang="{lang}"><head>{head}</head><body>'
        f"<article>{article}{BODY}</article></body></html>"
    )


PUBLISHED_AND_MODIFIED = (
    '<meta property="article:published_time" content="2019-10-15T16:59:59Z">'
    '<meta property="article:modified_time" content="2020-03-12T14:42:17Z">'
)


def test_a_page_showing_only_its_revision_day_is_dated_by_it() -> None:
    html = _page(
        PUBLISHED_AND_MODIFIED,
        '<h1>Dead skin cells</h1><div class="timestamp">Updated Mar 12, 2020 @ 10:42 am</div>',
    )
    extracted = extract_html(html, "https://example.com/beauty/skin/")
    assert extracted.published_at == datetime(2020, 3, 12, 14, 42, 17, tzinfo=UTC)


def test_a_page_showing_its_publication_day_keeps_it_beside_a_revision() -> None:
    shown = '<p class="dates">Published Oct 15, 2019 · Updated Mar 12, 2020</p>'
    extracted = extract_html(
        _page(PUBLISHED_AND_MODIFIED, f"<h1>Dead skin cells</h1>{shown}"),
        "https://example.com/beauty/skin/",
    )
    assert extracted.published_at == datetime(2019, 10, 15, 16, 59, 59, tzinfo=UTC)


def test_the_dateline_by_the_headline_dates_a_page_that_declares_nothing() -> None:
    # htmldate takes the header's date (today's date on many sites) first.
    header = '<header><span class="date">Wednesday, February 9, 2022</span></header>'
    html = _page("<title>The budget | Example</title>", "<h1>The budget</h1><div>04/05/2022</div>")
    extracted = extract_html(html.replace("<body>", f"<body>{header}"), "https://example.com/b")
    assert (extracted.published_local, extracted.published_at) == ("2022-04-05", None)


def test_a_slash_dateline_is_day_first_outside_english() -> None:
    html = _page("<title>Le budget</title>", "<h1>Le budget</h1><div>04/05/2022</div>", "fr")
    assert extract_html(html, "https://example.com/b").published_local == "2022-05-04"


def test_a_number_opening_the_slug_after_year_and_month_is_no_day() -> None:
    head = '<meta property="article:published_time" content="2023-10-31T08:47:16+00:00">'
    html = _page(head, "<h1>3 Fragen an Tina</h1>", "de")
    extracted = extract_html(html, "https://example.com/2023/10/3-fragen-an-tina/")
    assert extracted.published_local == "2023-10-31T08:47:16"


def test_a_utc_timestamp_takes_the_offset_the_page_writes_for_the_same_instant() -> None:
    head = '<meta property="article:published_time" content="2023-11-09T02:11:03+00:00">'
    shown = '<time datetime="2023-11-08T21:11:03-05:00">November 8, 2023</time>'
    extracted = extract_html(_page(head, f"<h1>Two hurt</h1>{shown}"), "https://example.com/a")
    assert extracted.published_at == datetime(
        2023, 11, 8, 21, 11, 3, tzinfo=timezone(timedelta(hours=-5))
    )
    assert extracted.published_local == "2023-11-08T21:11:03"
