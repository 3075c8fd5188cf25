"""The lead of an HTML page: the opening paragraph it sets apart, where the body lacks it.

Many pages set their first paragraph apart from the text, in the header or a "lead", "intro" or
"teaser" block, and trafilatura's rules often cut it with the rest of the header. The page's own
description (``og:description``, the ``description`` meta tag) is that paragraph, or its
opening: the smallest element of the page whose text holds the description's opening, and not
much more, is the lead. In the press of most languages the lead is the article's first
paragraph (the German Vorspann, the French chapô, the Spanish entradilla); an English
standfirst is display copy, set apart from the text, and stays out (:data:`LEADLESS_LANGUAGES`).
"""

from __future__ import annotations

from typing import Any

from lxml import etree  # type: ignore[import-untyped]
from lxml.html import HtmlElement  # type: ignore[import-untyped]

from services.core.text import clean_text
from services.parser.language import detect_language

LEADLESS_LANGUAGES = frozenset({"en"})
MIN_DESCRIPTION_CHARS = 40  # less is a label or a site slogan, not a paragraph
KEY_CHARS = 80  # the description's opening looked for (a description may be cut short)
MAX_LEAD_GROWTH = 1.5  # the lead is at most this much longer than the description ...
LEAD_SLACK_CHARS = 20  # ... plus this (a dateline or a label before it)
_DESCRIPTION_KEYS = ("og:description", "description", "twitter:description")
_TEXT_CONTAINING = etree.XPath(
    "descendant::text()[contains(., $probe)]"
    "[not(ancestor::script or ancestor::style or ancestor::noscript or ancestor::template)]"
)


def with_lead(tree: HtmlElement, paragraphs: list[str]) -> list[str]:
    """The body ``paragraphs`` opened by the page's lead where they lack it, unless the body is
    in a language whose press sets its lead apart from the text."""
    if not paragraphs or (lead := page_lead(tree, paragraphs)) is None:
        return paragraphs
    if detect_language("\n".join(paragraphs)) in LEADLESS_LANGUAGES:
        return paragraphs
    return [lead, *paragraphs]


def page_lead(tree: HtmlElement, paragraphs: list[str]) -> str | None:
    """The page's lead as one paragraph, when the body ``paragraphs`` do not hold it already."""
    description = _description(tree)
    if description is None:
        return None
    key = description.rstrip(".…").strip()[:KEY_CHARS]
    if any(key in paragraph for paragraph in paragraphs):
        return None
    body = tree.find("body")
    if body is None:
        return None
    probe = max(key.split(), key=len)  # one word: not split by markup or by runs of spaces
    longest = MAX_LEAD_GROWTH * len(description) + LEAD_SLACK_CHARS
    found = (_holder(text, body, key, longest) for text in _TEXT_CONTAINING(body, probe=probe))
    return min(filter(None, found), key=len, default=None)


def _holder(text: Any, body: HtmlElement, key: str, longest: float) -> str | None:
    """The text of the smallest element around ``text`` (lxml's text result: a ``str`` that
    knows its element) that holds ``key``, if not too long."""
    element = text.getparent()
    while element is not None and element is not body:
        squashed = _squash(element.text_content())
        if len(squashed) > longest:
            return None
        if key in squashed:
            return squashed
        element = element.getparent()
    return None


def _description(tree: HtmlElement) -> str | None:
    """The page's description: the first of its description meta tags, if long enough."""
    head = tree.find("head")
    if head is None:
        return None
    found: dict[str, str] = {}
    for meta in head.iterfind("meta"):
        name = (meta.get("property") or meta.get("name") or "").strip().lower()
        content = meta.get("content")
        if name in _DESCRIPTION_KEYS and content and name not in found:
            found[name] = _squash(content)
    description = next((found[name] for name in _DESCRIPTION_KEYS if name in found), None)
    if description is None or len(description) < MIN_DESCRIPTION_CHARS:
        return None
    return description


def _squash(text: str) -> str:
    return " ".join(clean_text(text).split())
