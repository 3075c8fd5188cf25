"""The page's own metadata: each source, precedence, author shapes, dates, URLs; the one walk
and the compiled query read what each reader and XPath read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from trafilatura.utils import load_html

from services.parser import metadata
from services.parser.authornames import clean_authors
from services.parser.html import extract_html
from services.parser.metadata import parse_date
from services.parser.result import Extracted
from tests.unit.parser.pages import ARTICLE, query_tree

# The declared authors of the tests below are shown on the page (a declared name the page never
# shows is no author: services.parser.pagetext), here in a contributors' box.
CONTRIBUTORS = (
    "John Doe",
    "Jane Roe",
    "Max Mustermann",
    "Ann Lee",
    "Olga Graph",
    "Meta Author",
    "Pat Parse",
    "Karoline Herr",
)
BODY = (
    "<article>"
    + "<p>The council voted on Tuesday to approve the new budget plan.</p>" * 6
    + "</article>"
    + "".join(f'<div class="contributor"><h4>{name}</h4></div>' for name in CONTRIBUTORS)
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


@pytest.mark.parametrize(
    ("head", "site_name"),
    [
        ("<title>Budget approved. What it means for you | Example Times</title>", None),
        ("<title>Budget approved: what it means | Example.com</title>", "Example.com"),
    ],
)
def test_a_headline_with_a_full_stop_is_no_site_name(head: str, site_name: str | None) -> None:
    """Only a title part shaped like a host name is taken for the site's name, so a headline
    holding a full stop is neither named the site nor cut off the title as its name."""
    extracted = parse(head, "https://www.example-times.org/news/1")
    assert extracted.site_name == site_name
    assert extracted.title is not None and extracted.title.startswith("Budget approved")


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


def test_microdata_query_matches_the_descendant_xpath() -> None:
    tree = query_tree()
    expected = tree.xpath(
        "//*[@itemprop][contains(@itemprop, 'date') or contains(@itemprop, 'headline')]"
    )
    assert len(expected) == 3
    assert metadata._MICRODATA(tree) == expected


_HEADS = [
    "",
    '<meta property="og:title" content="OG"><meta name="author" content="A">',
    # one meta naming both a property and a name; empty and blank contents; repeated keys
    '<meta property="og:title" name="twitter:title" content=" Both &amp; more ">'
    '<meta property="og:title" content=""><meta name="author" content="  ">'
    '<meta name="Author" content="First"><meta name="author" content="Second">'
    '<meta property="" content="empty key"><meta content="no key">',
    '<meta property="article:section" name="author" content="Both Ways">',
    # two canonical links, a non-canonical one, titles in the head and in an svg
    '<link rel="alternate" href="/alt"><link rel="canonical" href="/one">'
    '<link rel="canonical" href="/two"><title>Head title</title>',
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "LD",'
    ' "datePublished": "2020-01-02T03:04:05Z", "dateModified": "2020-01-03T00:00:00Z"}</script>'
    '<script>var x = 1;</script><script type="application/json">{}</script>',
    # JSON-LD without a modified date: the microdata is read for it
    '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "LD",'
    ' "datePublished": "2020-01-02T03:04:05Z"}</script>'
    '<meta itemprop="dateModified" content="2021-05-06">',
    '<meta itemprop="headline" content="Micro"><meta itemprop="datePublished" content="2019">',
]


_BODIES = [
    ARTICLE,
    ARTICLE + '<svg><title>Icon</title></svg><time itemprop="dateModified">2022-02-02</time>',
    '<div itemprop="headline">Body headline</div>' + ARTICLE,
]


def _pages() -> list[str]:
    return [
        f'<html lang="en"><head>{head}</head><body>{body}</body></html>'
        for head in _HEADS
        for body in _BODIES
    ]


@pytest.mark.parametrize("page", _pages())
def test_one_walk_reads_what_each_reader_reads(page: str) -> None:
    tree = load_html(page)
    expected = metadata.merge(
        metadata.read_json_ld(tree),
        metadata.read_opengraph(tree),
        metadata.read_meta_tags(tree),
        metadata.read_microdata(tree),
    )
    assert metadata.read_metadata(tree) == expected


def test_written_by_label_pair_in_twitter_meta() -> None:
    head = """<meta name="twitter:label1" content="Verfasst von">
    <meta name="twitter:data1" content="Karoline Herr">"""
    assert parse(head).authors == ("Karoline Herr",)
