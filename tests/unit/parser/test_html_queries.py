"""The compiled XPath queries find what the string expressions they replace found, in order."""

from __future__ import annotations

from lxml.html import HtmlElement  # type: ignore[import-untyped]
from trafilatura.utils import load_html

from services.parser import html, metadata

PAGE = """<html><head><meta itemprop="datePublished" content="2024-01-02"></head><body>
<div class="a"><p>One two three</p><span itemprop="headline dateline">Head</span></div>
<div class="b"><p>Alpha beta <b>gamma</b></p><div class="a"><p>gamma delta</p></div></div>
<p itemprop="x">gamma</p><div itemprop="dateModified">Mod</div></body></html>"""


def _tree() -> HtmlElement:
    tree: HtmlElement = load_html(PAGE)
    return tree


def test_microdata_query_matches_the_descendant_xpath() -> None:
    tree = _tree()
    expected = tree.xpath(
        "//*[@itemprop][contains(@itemprop, 'date') or contains(@itemprop, 'headline')]"
    )
    assert len(expected) == 3
    assert metadata._MICRODATA(tree) == expected


def test_paragraph_probe_query_matches_the_descendant_xpath() -> None:
    tree = _tree()
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
    tree = _tree()
    scope = tree.find("body")
    expected = scope.xpath(".//*[@class=$cls]", cls="a")
    assert len(expected) == 2
    assert html._SAME_CLASS(scope, cls="a") == expected
