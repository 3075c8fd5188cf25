"""Body extraction from HTML: paragraphs, clean-up, bad input; the compiled queries and fast
paths give the answers of the forms they replace."""

from __future__ import annotations

import re
from typing import Any

import pytest
import trafilatura
from lxml import etree  # type: ignore[import-untyped]
from lxml.html import HtmlElement  # type: ignore[import-untyped]
from trafilatura.utils import load_html

from services.core.text import clean_text
from services.parser import html
from services.parser.errors import EmptyArticleError
from services.parser.html import clean_paragraphs, extract_html
from tests.unit.parser.pages import ARTICLE, query_tree

PARAGRAPHS = [
    "The city council voted on Tuesday to approve a new budget for the coming year.",
    "The plan raises spending on schools and public transport by four percent.",
    "Opponents said the increase would force higher property taxes next spring.",
    "The mayor is expected to sign the budget into law before the end of the month.",
]


def article(extra_top: str = "", extra_bottom: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        "<html><head><title>Council approves budget</title></head><body>"
        '<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        f"<article><h1>Council approves budget</h1>{extra_top}{body}{extra_bottom}</article>"
        "<footer><p>Copyright 2019 Example Media. All rights reserved.</p></footer>"
        "</body></html>"
    )


def test_body_paragraphs_without_navigation_or_footer() -> None:
    extracted = extract_html(article(), "https://example.com/a")
    assert list(extracted.paragraphs) == PARAGRAPHS
    assert extracted.title == "Council approves budget"
    assert extracted.boilerplate_removed == ()


def test_whitespace_inside_paragraphs_is_collapsed() -> None:
    html = article(extra_top="<p>Line one of the\n   story   continues\nhere with more words.</p>")
    assert "Line one of the story continues here with more words." in extract_html(html).paragraphs


def test_line_breaks_split_paragraphs() -> None:
    html = article(extra_bottom="<p>First line of a poem about budgets<br>second line of it</p>")
    paragraphs = extract_html(html).paragraphs
    assert "First line of a poem about budgets" in paragraphs
    assert "second line of it" in paragraphs


def test_clean_paragraphs_drops_headline_promos_and_plugs() -> None:
    paragraphs = [
        "Council Approves Budget",
        PARAGRAPHS[0],
        "Read more: Council fails to agree on last year's plan",
        PARAGRAPHS[1],
        "Sign up for our free daily newsletter.",
        "Follow us on Twitter and Facebook.",
    ]
    assert clean_paragraphs(paragraphs, "Council approves budget") == PARAGRAPHS[:2]


def test_clean_paragraphs_keeps_long_paragraphs_mentioning_newsletters() -> None:
    long = "The newsletter industry " + "grew steadily over the decade " * 10
    assert clean_paragraphs([PARAGRAPHS[0], long], None) == [PARAGRAPHS[0], long]


def test_split_body_chunks_are_joined() -> None:
    first = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2])
    second = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[2:])
    html = (
        "<html><body><article><div class='chunks'>"
        f"<div class='grid'><div class='body chunk'>{first}</div></div>"
        "<div class='ad'><span>Advertisement</span></div>"
        f"<div class='grid'><div class='body chunk'>{second}</div></div>"
        "</div></article></body></html>"
    )
    assert list(extract_html(html).paragraphs) == PARAGRAPHS


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "just some plain text, no markup at all",
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",
        "<html><head><title>Empty</title></head><body></body></html>",
        "\x00\x01\x02<<<>>>\x03",
    ],
)
def test_no_body_raises_empty_article_error(html: str) -> None:
    with pytest.raises(EmptyArticleError):
        extract_html(html)


def test_empty_article_error_is_a_value_error() -> None:
    assert issubclass(EmptyArticleError, ValueError)


def test_paragraph_probe_query_matches_the_descendant_xpath() -> None:
    tree = query_tree()
    expected = tree.xpath("//p[contains(., $probe)]", probe="gamma")
    assert len(expected) == 3
    assert html._P_CONTAINING(tree, probe="gamma") == expected


def test_paragraph_probe_query_skips_the_characters_clean_text_drops() -> None:
    tree: HtmlElement = load_html(
        "<html><body><p>Das Mit\u00adtel\u00adal\u00adter</p></body></html>"
    )
    assert tree.xpath("//p[contains(., $probe)]", probe="Mittelalter") == []
    assert [p.text for p in html._P_CONTAINING(tree, probe="Mittelalter")] == [
        "Das Mit\u00adtel\u00adal\u00adter"
    ]


def test_same_class_query_matches_the_relative_xpath() -> None:
    tree = query_tree()
    scope = tree.find("body")
    expected = scope.xpath(".//*[@class=$cls]", cls="a")
    assert len(expected) == 2
    assert html._SAME_CLASS(scope, cls="a") == expected


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
    page = f"<html><head><title>T</title></head><body><nav>Home</nav>{ARTICLE}</body></html>"
    bodies: list[Any] = []
    for output_format in ("python", "txt"):
        options = {**html.TRAFILATURA_OPTIONS, "output_format": output_format}
        document: Any = trafilatura.bare_extraction(load_html(page), **options)
        bodies.append(etree.tostring(document.body))
    assert bodies[0] == bodies[1]
    assert html.TRAFILATURA_OPTIONS["output_format"] == "txt"
