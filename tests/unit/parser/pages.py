"""HTML pages the parser's tests share: an article body, and a page for the compiled queries."""

from __future__ import annotations

from lxml.html import HtmlElement  # type: ignore[import-untyped]
from trafilatura.utils import load_html

ARTICLE = (
    "<article>" + "<p>The council voted on Tuesday to approve the budget.</p>" * 6 + "</article>"
)

QUERY_PAGE = """<html><head><meta itemprop="datePublished" content="2024-01-02"></head><body>
<div class="a"><p>One two three</p><span itemprop="headline dateline">Head</span></div>
<div class="b"><p>Alpha beta <b>gamma</b></p><div class="a"><p>gamma delta</p></div></div>
<p itemprop="x">gamma</p><div itemprop="dateModified">Mod</div></body></html>"""


def query_tree() -> HtmlElement:
    tree: HtmlElement = load_html(QUERY_PAGE)
    return tree
