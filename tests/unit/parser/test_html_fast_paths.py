"""Fast paths of the HTML parser give the answers of the plain forms they replace: cheaper
queries, walks and case-sensitive patterns on folded text (see services.parser.folding)."""

from __future__ import annotations

import re

import pytest
from lxml import etree  # type: ignore[import-untyped]
from lxml.html import HtmlElement, fromstring  # type: ignore[import-untyped]

from services.parser import authorship, headline, html
from services.parser.folding import fold
from services.parser.metadata import finish, merge, read_metadata, read_trafilatura
from services.parser.pagedate import Declared, read_page_date


def _bmp() -> list[str]:
    return [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF]


def page(body: str) -> HtmlElement:
    tree: HtmlElement = fromstring(f"<html><head><title>T</title></head><body>{body}</body></html>")
    return tree


# --- the readers that run before the body (html.extract_html) -------------------------------------


def test_the_readers_before_the_body_leave_the_tree_as_it_was() -> None:
    tree = page(
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "H",'
        ' "datePublished": "2024-03-05T10:00:00+01:00"}</script>'
        '<article><h1>Council approves budget</h1><p class="byline">By Jane Doe</p>'
        '<time datetime="2024-03-05">5 March 2024</time><p>Updated 6 March 2024</p>'
        '<div class="comments"><p>By Someone Else</p></div><p>The council voted.</p></article>'
    )
    before = etree.tostring(tree)
    url = "https://example.com/news/budget"  # no date in it: htmldate reads the page
    raw = read_metadata(tree, url)
    raw = merge(raw, read_trafilatura(tree, url, raw))
    meta = finish(raw, url)
    title = headline.page_title(tree, meta.title, None, url)
    read_page_date(tree, url, Declared(raw.published, raw.modified, title, meta.language))
    assert authorship.page_authors(tree, (), None, url) == ("Jane Doe",)
    assert etree.tostring(tree) == before


# --- the last paragraph's container (html._container_of) ----------------------------------------


def test_container_is_the_parent_of_the_last_paragraph_reading_as_the_text() -> None:
    tree = page(
        '<div id="a"><p>The council voted <b>on Tuesday</b>.</p></div>'
        '<div id="b"><p>The  council voted on\nTuesday.</p></div>'
        '<div id="c"><p>The council voted on Tuesday, again.</p></div>'
    )
    assert not html._holds_dropped(tree)
    container = html._container_of(tree, "The council voted on Tuesday.", False)
    assert container is not None and container.get("id") == "b"


def test_container_of_a_paragraph_holding_characters_clean_text_drops() -> None:
    tree = page(
        '<div id="a"><p>Das Mittelalter endet.</p></div>'
        '<div id="b"><p>Das Mit\u00adtel\u00adal\u00adter endet.</p></div>'
    )
    assert html._holds_dropped(tree)
    container = html._container_of(tree, "Das Mittelalter endet.", True)
    assert container is not None and container.get("id") == "b"
    plain = html._container_of(tree, "Das Mittelalter endet.", False)
    assert plain is not None and plain.get("id") == "a"  # the plain query misses "b"


def test_plain_paragraph_query_matches_the_translating_one_without_dropped_characters() -> None:
    tree = page(
        "<p>Alpha <i>beta</i> gamma</p><div><p>gamma delta</p><p>Gam<b>ma</b></p></div>"
        "<p><span>gam</span>ma</p>"
    )
    for probe in ("gamma", "beta", "Gamma", "ma"):
        plain = html._P_CONTAINING_PLAIN(tree, probe=probe)
        assert plain == html._P_CONTAINING(tree, probe=probe)
        assert plain == tree.xpath("//p[contains(., $probe)]", probe=probe)
    assert len(html._P_CONTAINING_PLAIN(tree, probe="gamma")) == 3  # one across elements


# --- headings (headline._headings) ---------------------------------------------------------------


def test_headings_are_the_first_h1_elements_in_document_order() -> None:
    body = "".join(f"<div><h1>Heading number {i}<h1>nested {i}</h1></h1></div>" for i in range(6))
    tree = page(f"<h1>One</h1><H1>Upper-case tag</H1>{body}")
    h1s = tree.xpath("descendant::h1")
    assert len(h1s) > headline.MAX_HEADINGS
    expected = [" ".join(h.text_content().split()) for h in h1s[: headline.MAX_HEADINGS]]
    assert headline._headings(tree) == [t for t in expected if len(t) >= 4]


# --- author marks (authorship) -------------------------------------------------------------------


def test_declared_mark_query_matches_the_plain_one() -> None:
    tree = page(
        '<a rel="author">A</a><a rel="Author">B</a><a rel="nofollow author">C</a>'
        '<span itemprop="author">D</span><span itemprop="coauthor name">E</span>'
        '<span itemprop="">F</span><span rel="">G</span><p>H</p>'
    )
    plain = tree.xpath("descendant::*[@rel='author' or contains(@itemprop, 'author')]")
    assert [e.text for e in plain] == ["A", "D", "E"]
    assert authorship._DECLARED_MARK(tree) == plain


def test_class_marked_elements_match_a_case_blind_search() -> None:
    marks = ["author", "Byline", "post-AUTHOR", "autorİnfo", "AUTEUR", "bylİne", "bylıne"]
    marks += ["ſtory", "authors-list", "au thor", "writer", "", "Autoren"]
    body = "".join(
        f'<div class="{m}">{i}</div><span id="{m}">{i}</span>' for i, m in enumerate(marks)
    )
    tree = page(body)
    expected = [
        e
        for e in tree.iter(etree.Element)
        if any(authorship._AUTHOR_CLASS.search(e.get(a) or "") for a in ("class", "id"))
    ]
    assert len(expected) == 2 * 9
    assert list(authorship._class_marked(tree)) == expected


@pytest.mark.parametrize("pattern", [authorship._LEAD_WORD, authorship._AUTHOR_CLASS])
def test_folded_patterns_hold_only_letters_folding_maps_to(pattern: re.Pattern[str]) -> None:
    assert pattern.flags & re.IGNORECASE
    assert pattern.pattern == pattern.pattern.lower()  # no upper-case letter, \S, \W, \B ...
    for letter in {c for c in pattern.pattern if c.isalpha() and not c.isascii()}:
        for char in _bmp():
            assert (fold(char) == letter) == bool(re.fullmatch(letter, char, re.IGNORECASE))


@pytest.mark.parametrize(
    ("pattern", "folded"),
    [
        (authorship._LEAD_WORD, authorship._LEAD_WORD_FOLDED),
        (authorship._AUTHOR_CLASS, authorship._AUTHOR_CLASS_FOLDED),
    ],
)
def test_folded_patterns_are_the_case_blind_ones_without_the_flag(
    pattern: re.Pattern[str], folded: re.Pattern[str]
) -> None:
    assert folded.pattern == pattern.pattern
    assert folded.flags == pattern.flags & ~re.IGNORECASE


_LINES = [
    "By Jane Doe",
    "BY JANE DOE",
    "  bY  jane",
    "Written BY: Jane",
    "POSTED by Jane",
    "Von Lars Fischer",
    "VERFASST VON Lars",
    "Publié PAR Anne",
    "PUBLIÉ par Anne",
    "ÉCRIT PAR Anne",
    "ИЗ Москвы",
    "Из Москвы",
    "Dİ Mario Rossi",
    "DI Mario",
    "dı Mario",
    "ſubmitted by Sam",
    "Bylines and more",
    "Byzantine history",
    "Author: Jane",
    "AUTORIN: Jane",
    "Paris, March 3",
    "Door Jan",
    "photos by Jane",
    "Photo by Jane",
    "the council voted",
    "",
    "   ",
    "12 comments",
]


def test_lead_word_matches_the_same_in_folded_text() -> None:
    for line in _LINES + [line.swapcase() for line in _LINES]:
        expected = authorship._LEAD_WORD.match(line)
        found = authorship._LEAD_WORD_FOLDED.match(fold(line))
        assert (found and found.span()) == (expected and expected.span()), line
    assert sum(1 for line in _LINES if authorship._LEAD_WORD.match(line)) >= 15


def test_author_class_finds_the_same_in_folded_text() -> None:
    for mark in ["post-Author", "BYLİNE", "bylıne", "autorbox", "Auteur", "writer", "ſ", ""]:
        expected = authorship._AUTHOR_CLASS.search(mark)
        found = authorship._AUTHOR_CLASS_FOLDED.search(fold(mark))
        assert (found and found.span()) == (expected and expected.span()), mark
