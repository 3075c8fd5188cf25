"""Fast paths of the HTML parser give the answers of the plain forms they replace."""

from __future__ import annotations

import re
from typing import Any

import pytest
import trafilatura
from lxml import etree  # type: ignore[import-untyped]
from trafilatura.utils import load_html

from services.core.text import clean_text
from services.parser import html, metadata

_ARTICLE = "<article>" + "<p>The council voted on Tuesday to approve the budget.</p>" * 6
_ARTICLE += "</article>"
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
    _ARTICLE,
    _ARTICLE + '<svg><title>Icon</title></svg><time itemprop="dateModified">2022-02-02</time>',
    '<div itemprop="headline">Body headline</div>' + _ARTICLE,
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


@pytest.mark.parametrize(
    "text",
    ["", " ", "a  b", " a\tb\n", "a\u00a0b\u2009c\u3000", "\x1c a \x1f", "one", "a\u200bb"],
)
def test_squash_collapses_whitespace_as_the_regex_did(text: str) -> None:
    assert html._squash(text) == re.sub(r"\s+", " ", clean_text(text)).strip()


def test_squash_cleans_the_text() -> None:
    assert (
        html._squash(" Mit\u00adtel\u00adal\u00adter\u200b \ufeffZeit\u2028  ")
        == "Mittelalter Zeit"
    )
    assert html._squash("Cafe\u0301") == "Caf\u00e9"


def test_text_output_format_extracts_the_same_body() -> None:
    page = f"<html><head><title>T</title></head><body><nav>Home</nav>{_ARTICLE}</body></html>"
    bodies: list[Any] = []
    for output_format in ("python", "txt"):
        options = {**html.TRAFILATURA_OPTIONS, "output_format": output_format}
        document: Any = trafilatura.bare_extraction(load_html(page), **options)
        bodies.append(etree.tostring(document.body))
    assert bodies[0] == bodies[1]
    assert html.TRAFILATURA_OPTIONS["output_format"] == "txt"
