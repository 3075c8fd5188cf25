"""Dates a page shows its reader: the dateline by the headline, the days its text names, the
page's own wall clock for a declared instant."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from lxml.html import fromstring  # type: ignore[import-untyped]

from services.parser.dateline import find_dates
from services.parser.shown_dates import headline_dateline, local_form, shown_days


def test_the_dateline_after_the_headline_is_read() -> None:
    tree = fromstring(
        "<html><body><h1>Site</h1><nav><span>Mi, 01.11.2023</span></nav>"
        "<main><h1>Verkündung des Gesetzes</h1><div><span>Datum:</span>"
        "<span>18.10.2021</span></div><p>Im Bundesgesetzblatt vom 17. August 2021 …</p>"
        "</main></body></html>"
    )
    found = headline_dateline(tree, "Verkündung des Gesetzes", True)
    assert found is not None and found.local == "2021-10-18"
    # Without the headline, the page's first h1 is the anchor: the navigation's date follows it.
    first = headline_dateline(tree, None, True)
    assert first is not None and first.local == "2023-11-01"


def test_sentences_and_scripts_by_the_headline_are_no_dateline() -> None:
    tree = fromstring(
        "<html><body><h1>Budget</h1><script>var d = '2020-01-01';</script>"
        "<p>The plan, passed on 17 August 2021, takes effect next year.</p>"
        "<p class='byline'>Posted on 19 March 2025, 09:19</p></body></html>"
    )
    found = headline_dateline(tree, "Budget", None)
    assert found is not None and found.local == "2025-03-19T09:19:00"


def test_a_time_element_or_a_date_above_the_headline_counts() -> None:
    timed = fromstring(
        '<html><body><h1>A</h1><time datetime="2023-11-08T21:11:03-05:00">Yesterday</time>'
        "</body></html>"
    )
    found = headline_dateline(timed, "A", None)
    assert found is not None and found.value.utcoffset() == timedelta(hours=-5)
    above = fromstring("<html><body><p>2020年07月12日</p><h1>A</h1><p>Text.</p></body></html>")
    found = headline_dateline(above, "A", None)
    assert found is not None and found.local == "2020-07-12"
    assert (
        headline_dateline(fromstring("<html><body><p>12.03.2020</p></body></html>"), "A", None)
        is None
    )


def test_shown_days_are_the_visible_texts_days_of_the_years_asked() -> None:
    tree = fromstring(
        "<html><head><title>Updated 1 May 2020</title></head><body>"
        "<p>Updated Mar 12, 2020 @ 10:42 am</p><p>First seen 3 June 2019</p>"
        "<script>var published = '2019-10-15';</script><p>Since 12.03.2018</p></body></html>"
    )
    assert shown_days(tree, (2019, 2020), None) == {date(2020, 3, 12), date(2019, 6, 3)}
    assert shown_days(tree, (2018, 2018), True) == {date(2018, 3, 12)}


def test_the_page_offset_for_a_utc_instant() -> None:
    tree = fromstring(
        '<html><body><time datetime="2023-11-08T21:11:03-05:00">Nov 8</time>'
        '<time datetime="2023-11-08T10:00:00+01:00">Nov 8</time><time>Today</time></body></html>'
    )
    instant = datetime(2023, 11, 9, 2, 11, 3, tzinfo=UTC)
    assert local_form(tree, instant) == datetime(
        2023, 11, 8, 21, 11, 3, tzinfo=timezone(timedelta(hours=-5))
    )
    assert local_form(tree, datetime(2023, 11, 8, 9, 0, tzinfo=UTC)) == datetime(
        2023, 11, 8, 10, 0, tzinfo=timezone(timedelta(hours=1))
    )
    assert local_form(tree, datetime(2023, 11, 9, 3, 0, tzinfo=UTC)) is None


def test_find_dates_reads_each_date_in_turn() -> None:
    found = [d.local for d in find_dates("Published Oct 15, 2019 · Updated 12/03/2020", True)]
    assert found == ["2019-10-15", "2020-03-12"]
