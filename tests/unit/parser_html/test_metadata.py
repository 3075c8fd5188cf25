"""The page's own metadata: each source, precedence, author shapes, dates, URLs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from services.parser.authornames import clean_authors
from services.parser.html import extract_html
from services.parser.metadata import parse_date
from services.parser.result import Extracted

BODY = (
    "<article>"
    + "<p>The council voted on Tuesday to approve the new budget plan.</p>" * 6
    + ("</article>")
)


def page(head: str, body: str = BODY, lang: str = "en-GB") -> str:
    return f'<html lang="{lang}"><head>{head}</head><body>{body}</body></html>'


def parse(head: str, url: str | None = "https://example.com/news/1") -> Extracted:
    return extract_html(page(head), url)


JSON_LD = """<script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
  {"@type": "WebPage", "@id": "https://example.com/news/1#page"},
  {"@type": "Organization", "@id": "#org", "name": "Example Times"},
  {"@type": "Person", "@id": "#jane", "name": "Jane Roe"},
  {"@type": ["NewsArticle"], "headline": "Budget approved",
   "author": [{"@type": "Person", "name": "By John Doe"}, {"@id": "#jane"}, "Max Mustermann"],
   "datePublished": "2019-11-18T09:30:00+01:00", "dateModified": "2019-11-18T12:00:00Z",
   "publisher": {"@id": "#org"},
   "mainEntityOfPage": {"@id": "https://example.com/news/budget"}}
]}</script>"""

OPENGRAPH = """
<meta property="og:title" content="OG title">
<meta property="og:site_name" content="OG Site">
<meta property="og:url" content="https://example.com/og-url">
<meta property="article:published_time" content="2019-11-17T08:00:00-05:00">
<meta property="article:modified_time" content="2019-11-17T09:00:00-05:00">
<meta property="article:author" content="Olga Graph">
"""

META = """
<title>Title tag | Example Times</title>
<meta name="author" content="Meta Author">
<meta name="date" content="2019-11-16T07:00:00+09:00">
<link rel="canonical" href="/canonical-path">
"""


def test_json_ld_graph_with_author_references_and_publisher() -> None:
    extracted = parse(JSON_LD)
    assert extracted.title == "Budget approved"
    assert extracted.authors == ("John Doe", "Jane Roe", "Max Mustermann")
    assert extracted.published_at == datetime(
        2019, 11, 18, 9, 30, tzinfo=timezone(timedelta(hours=1))
    )
    assert extracted.updated_at == datetime(2019, 11, 18, 12, 0, tzinfo=UTC)
    assert extracted.site_name == "Example Times"
    assert extracted.canonical_url == "https://example.com/news/budget"
    assert extracted.language == "en"
    assert extracted.warnings == ()


def test_json_ld_list_with_single_author_object() -> None:
    block = """<script type="application/ld+json">[{"@type": "BreadcrumbList"},
      {"@type": "ReportageNews", "headline": "Flood", "author": {"@type": "Person",
       "name": "Ann Lee"}, "datePublished": "2020-01-02T03:04:05+05:30"}]</script>"""
    extracted = parse(block)
    assert (extracted.title, extracted.authors) == ("Flood", ("Ann Lee",))
    assert extracted.published_at is not None
    assert extracted.published_at.utcoffset() == timedelta(hours=5, minutes=30)


def test_opengraph_only() -> None:
    extracted = parse(OPENGRAPH)
    assert extracted.title == "OG title"
    assert extracted.site_name == "OG Site"
    assert extracted.canonical_url == "https://example.com/og-url"
    assert extracted.authors == ("Olga Graph",)
    assert extracted.published_at == datetime(2019, 11, 17, 13, 0, tzinfo=UTC)
    assert extracted.published_at.utcoffset() == timedelta(hours=-5)
    assert extracted.updated_at == datetime(2019, 11, 17, 14, 0, tzinfo=UTC)


def test_meta_tags_title_and_relative_canonical() -> None:
    extracted = parse(META)
    assert extracted.title == "Title tag"  # the part naming the site (example.com) is dropped
    assert extracted.authors == ("Meta Author",)
    assert extracted.published_at == datetime(2019, 11, 15, 22, 0, tzinfo=UTC)
    assert extracted.canonical_url == "https://example.com/canonical-path"


def test_parsely_and_sailthru_meta() -> None:
    head = """<meta name="parsely-author" content="Pat Parse">
    <meta name="sailthru.date" content="2019-11-18T10:00:00+00:00">
    <meta name="parsely-title" content="Parsely title">"""
    extracted = parse(head)
    assert extracted.authors == ("Pat Parse",)
    assert extracted.title == "Parsely title"
    assert extracted.published_at == datetime(2019, 11, 18, 10, 0, tzinfo=UTC)


def test_precedence_json_ld_over_opengraph_over_meta() -> None:
    extracted = parse(META + OPENGRAPH + JSON_LD)
    assert extracted.title == "Budget approved"
    assert extracted.site_name == "Example Times"
    assert extracted.authors[0] == "John Doe"
    assert extracted.canonical_url == "https://example.com/news/budget"
    without_ld = parse(META + OPENGRAPH)
    assert without_ld.title == "OG title"
    assert without_ld.authors == ("Olga Graph",)
    assert without_ld.canonical_url == "https://example.com/og-url"


def test_title_drops_site_name_suffix() -> None:
    head = (
        "<title>Budget approved - Example Times</title>"
        '<meta property="og:site_name" content="Example Times">'
    )
    assert parse(head).title == "Budget approved"


def test_escaped_entities_in_metadata_are_decoded() -> None:
    head = '<meta property="og:title" content="&amp;#8216;Quoted&amp;#8217; title">'
    assert parse(head).title == "‘Quoted’ title"


def test_naive_date_is_local_time_with_no_invented_offset() -> None:
    extracted = parse('<meta property="article:published_time" content="2019-11-18T10:00:00">')
    assert extracted.published_at is None
    assert extracted.published_local == "2019-11-18T10:00:00"


def test_invalid_json_ld_is_skipped() -> None:
    extracted = parse(
        '<script type="application/ld+json">{"@type": "NewsArticle",</script>' + OPENGRAPH
    )
    assert extracted.title == "OG title"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (["By John Doe"], ("John Doe",)),
        (["John Doe and Jane Roe"], ("John Doe", "Jane Roe")),
        (["John Doe, Jane Roe & Max Mustermann"], ("John Doe", "Jane Roe", "Max Mustermann")),
        (["Doe, John"], ("Doe John",)),
        (["John Doe, Staff Writer"], ("John Doe",)),
        (["https://www.facebook.com/johndoe", "John Doe"], ("John Doe",)),
        (["john@example.com", "John Doe", "JOHN DOE"], ("John Doe",)),
        (["Jane Roe | Reuters"], ("Jane Roe", "Reuters")),
    ],
)
def test_clean_authors(raw: list[str], expected: tuple[str, ...]) -> None:
    assert clean_authors(raw) == expected


def test_parse_date_keeps_offset() -> None:
    warnings: list[str] = []
    value = parse_date("2019-11-18T09:30:00.000-08:00", warnings)
    assert value is not None and value.utcoffset() == timedelta(hours=-8)
    assert parse_date("2019-11-18T09:30:00Z", warnings) == datetime(2019, 11, 18, 9, 30, tzinfo=UTC)
    assert parse_date("not a date", warnings) is None
    assert warnings == []


def test_written_by_label_pair_in_twitter_meta() -> None:
    head = """<meta name="twitter:label1" content="Verfasst von">
    <meta name="twitter:data1" content="Karoline Herr">"""
    assert parse(head).authors == ("Karoline Herr",)
