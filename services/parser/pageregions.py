"""Where on a page a byline stands for someone other than the page's author.

In comments, a sidebar, the page's own footer, related stories or sharing widgets; in a photo's
credit or caption; in a teaser
for another page (a headline linking there, or a link around the byline and a summary); in a
list of sentences describing a work ("Autor: …" among a book's or a game's features).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import etree  # type: ignore[import-untyped]
from lxml.html import HtmlElement  # type: ignore[import-untyped]

MAX_FACT_WORDS = 8  # an item of a byline's list of facts ("Updated May 3, 2021 at 10:12")
MAX_TEASER_EXTRA_WORDS = 8  # words a link may hold beside a byline ("View all posts by")
TEASER_LEVELS = 3  # ancestors of a byline looked at for the headline it goes with
# A class or id token that is, or begins with, one of these words ("comments", "sidebar-left").
_AWAY = re.compile(
    r"(?:^|\s)(?:comments?|commentlist|sidebar|related|footer|widgets?|recommended"
    r"|share|sharing|social|newsletter|promo|popular|trending|respond|reply|reviews?)"
    # not a layout's state ("sidebar-off", "comments-closed" on the article's wrapper)
    r"(?!-(?:off|none|open|closed|disabled|enabled)(?:$|\s))(?:$|[\s_-])",
    re.IGNORECASE,
)
# A photo's credit, not the text's: "media-license-author", "photographer-name". (Not
# "caption" or "credits": article headers and credit boxes use them for the text's author too.)
_CREDIT_MARK = re.compile(
    r"licen[cs]e|copyright|photographer|bildnachweis|bildquelle", re.IGNORECASE
)
_HEADING = etree.XPath("descendant::*[self::h1 or self::h2 or self::h3 or self::h4]")


def is_away(element: HtmlElement, page: str | None) -> bool:
    """Inside comments, a sidebar, a footer, related stories or sharing widgets, a photo's
    credit or caption, or a teaser for another page (:func:`_in_teaser`)."""
    return _in_away_region(element) or _in_teaser(element, page)


def _in_away_region(element: HtmlElement) -> bool:
    for node in (element, *element.iterancestors()):
        if node.tag in {"body", "html"}:
            return False
        if node.tag in {"figure", "figcaption"}:
            return True
        marks = f"{node.get('class') or ''} {node.get('id') or ''}"
        if marks.strip() and (_AWAY.search(marks) or _CREDIT_MARK.search(marks)):
            return True
        if node.tag in {"footer", "aside"}:  # the page's, not an article's own footer
            return not any(a.tag in {"article", "main"} for a in node.iterancestors())
    return False


def _in_teaser(byline: HtmlElement, page: str | None) -> bool:
    """Whether the headline nearest the byline (in its closest ancestors holding one) links to
    another page: a teaser's byline, not this page's (whose headline links nowhere or here).
    So does a link to another page around the byline and more text (a teaser's summary)."""
    above = {byline, *byline.iterancestors()}
    words = len(byline.text_content().split())
    for level, node in enumerate(byline.iterancestors()):
        if level >= TEASER_LEVELS or node.tag in {"body", "html"}:
            return False
        if (
            node.tag == "a"
            and len(node.text_content().split()) > words + MAX_TEASER_EXTRA_WORDS
            and _elsewhere(node.get("href"), page)
        ):
            return True
        heading = next((h for h in _HEADING(node) if not _own(h, byline, above)), None)
        if heading is not None:
            links = [*heading.iter("a"), *(a for a in heading.iterancestors("a"))]
            return any(_elsewhere(link.get("href"), page) for link in links)
    return False


def _own(heading: HtmlElement, byline: HtmlElement, above: set[HtmlElement]) -> bool:
    """Whether the heading is the byline's own: the byline, around it (``above``: the byline
    and its ancestors) or inside it."""
    return heading in above or any(a is byline for a in heading.iterancestors())


def _elsewhere(href: str | None, page: str | None) -> bool:
    """Whether a link's target is another page than ``page`` (any target, if it is unknown).

    The same page may be linked under another address (an archive's copy, another host): the
    same last segment of the path ("…/2008/05/the-story.html") is taken as the same page."""
    if not href or href.startswith("#"):
        return False
    if page is None:
        return True
    target, here = urlsplit(urljoin(page, href)).path, urlsplit(page).path
    return _last_segment(target) != _last_segment(here) or not _last_segment(here)


def _last_segment(path: str) -> str:
    return path.rstrip("/").rpartition("/")[2]


def in_prose_list(element: HtmlElement) -> bool:
    """Whether the line is an item of a list of sentences (a product's or a book's features),
    not of a list of short facts ("By Jane Doe", "May 3", "5 min read")."""
    parent = element.getparent()
    item = element if element.tag == "li" or parent is None else parent
    if item.tag != "li":
        return False
    return any(
        len(sibling.text_content().split()) > MAX_FACT_WORDS
        for sibling in (*item.itersiblings("li"), *item.itersiblings("li", preceding=True))
    )
