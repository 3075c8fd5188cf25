"""Dates a web page shows its reader, beside the ones it declares in its markup.

- The dateline by the headline: the first piece of text near the page's ``<h1>`` that is a
  dateline and nothing else ("17/02/2022", "Veröffentlicht am 3. März 2011, 14:17",
  "2020年07月12日"), or a ``<time datetime>`` there; a few pieces before the headline are looked
  at too (a date above the title).
- The days the page's visible text names (scripts, styles and the head left out) in the years
  asked for.
- The page's own wall clock for an instant it declares in UTC: the same instant written with
  the page's offset in a ``<time datetime>``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from lxml import etree  # type: ignore[import-untyped]
from lxml.html import HtmlElement  # type: ignore[import-untyped]

from services.parser.dateline import ParsedDate, find_dates, parse_date, parse_dateline

MAX_AFTER_HEADLINE = 30  # text pieces (and time elements) looked at after the headline
MAX_BEFORE_HEADLINE = 8
MAX_PIECE_CHARS = 200
MAX_HEADLINES = 8
_UNSEEN = "ancestor::script or ancestor::style or ancestor::noscript or ancestor::template"
# Text pieces and ``<time datetime>`` values after / before an element, in document order.
_AFTER = etree.XPath(
    f"following::text()[normalize-space()][not({_UNSEEN})] | following::time/@datetime"
)
_BEFORE = etree.XPath(
    f"preceding::text()[normalize-space()][not({_UNSEEN})] | preceding::time/@datetime"
)
_H1 = etree.XPath("descendant::h1")
_VISIBLE_WITH = etree.XPath(
    f"descendant::body//text()[contains(., $a) or contains(., $b)][not({_UNSEEN})]"
)


def headline_dateline(
    tree: HtmlElement, headline: str | None, day_first: bool | None
) -> ParsedDate | None:
    """The dateline by the page's headline (its publication date, else its update date)."""
    anchor = _headline_element(tree, headline)
    if anchor is None:
        return None
    after = _AFTER(anchor)[:MAX_AFTER_HEADLINE]
    before = _BEFORE(anchor)[-MAX_BEFORE_HEADLINE:]
    for piece in [*after, *reversed(before)]:
        found = _read_piece(piece, day_first)
        if found is not None:
            return found
    return None


def shown_days(tree: HtmlElement, years: tuple[int, int], day_first: bool | None) -> set[date]:
    """The days of either of two years (the same one twice for one) that the page's visible
    text names."""
    days: set[date] = set()
    for text in _VISIBLE_WITH(tree, a=str(years[0]), b=str(years[1])):
        days.update(d.value.date() for d in find_dates(str(text)[:MAX_PIECE_CHARS], day_first))
    return days


def local_form(tree: HtmlElement, instant: datetime) -> datetime | None:
    """``instant`` as the page writes it with its own (non-zero) offset in a ``<time datetime>``,
    if it does."""
    for element in tree.iter("time"):
        found = parse_date(element.get("datetime") or "")
        if found is None or found.value.tzinfo is None:
            continue
        value = found.value
        if value.utcoffset() != timedelta(0) and value == instant:
            return value
    return None


def _headline_element(tree: HtmlElement, headline: str | None) -> HtmlElement | None:
    """The ``<h1>`` holding the headline, else the page's first ``<h1>``."""
    headings = _H1(tree)[:MAX_HEADLINES]
    if headline:
        key = _key(headline)
        for heading in headings:
            if _key(heading.text_content()) == key:
                return heading
    return headings[0] if headings else None


def _read_piece(piece: str, day_first: bool | None) -> ParsedDate | None:
    text = " ".join(str(piece).split())[:MAX_PIECE_CHARS]
    if getattr(piece, "is_attribute", False):
        return parse_date(text)
    dateline = parse_dateline(text, day_first)
    if dateline is None:
        return None
    return dateline.published or dateline.updated


def _key(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())
