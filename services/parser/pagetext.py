"""What a page shows its readers: whether a name appears in the text of its body.

A name that appears nowhere on the page is not the page's byline: declared metadata then names a
template's default (the site's owner, the account that uploaded the page), not an author the page
credits. Neither is a name shown only as the holder of a copyright ("© 2020 Jane Doe", the site's
owner), only inside a longer word or a domain ("jan-doe.de"), or only in a script or in markup
the browser hides (``hidden``, ``display:none``, a "hidden" class).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cached_property
from typing import Any

from lxml import etree  # type: ignore[import-untyped]
from lxml.html import HtmlElement  # type: ignore[import-untyped]

from services.core.text import clean_text

MAX_SPELLINGS = 4  # ways of writing a name ("Jane Doe", "JANE DOE") looked for in the markup
COPYRIGHT_REACH = 40  # characters before a name in which a copyright sign makes it the owner
_COPYRIGHT = re.compile(r"©|\(c\)|copyright|urheberrecht", re.IGNORECASE)
_TEXT_WITH = etree.XPath("descendant::text()[contains(., $word)]")
_UNSHOWN_TAGS = frozenset({"script", "style", "template", "noscript", "head", "title"})
# "hidden", "rich-snippet-hidden", "visually-hidden", "d-none"; not "hidden-xs" (shown elsewhere)
_HIDDEN_CLASS = re.compile(
    r"(?:^|[\s_-])(?:hidden|d-none|display-none|invisible)"
    r"(?!-(?:xs|sm|md|lg|xl|mobile|phone|tablet|desktop|print))(?:$|[\s_])",
    re.IGNORECASE,
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


# Whether a text node (its text, the element holding it) shows a name as the page's credit.
Placement = Callable[[str, HtmlElement], bool]


class PageText:
    """The page's text, read once and only when a name is looked up."""

    def __init__(self, tree: HtmlElement) -> None:
        self._tree = tree

    @cached_property
    def _root(self) -> HtmlElement:
        body = self._tree.find("body")
        return self._tree if body is None else body

    @cached_property
    def raw_text(self) -> str:
        """The body's text (scripts included), its nodes run together."""
        text: str = etree.tostring(self._root, method="text", encoding=str, with_tail=False)
        return text

    @cached_property
    def lower_text(self) -> str | None:
        """The raw text in lower case, if that keeps every character's offset (it does unless
        a character lowers to two, as "İ" does): a lower-case name is found there faster."""
        lower = self.raw_text.lower()
        return lower if len(lower) == len(self.raw_text) else None

    @cached_property
    def clean_text(self) -> str:
        """The same, clean (NFC, no invisible characters): only read when the raw text does
        not show a name (cleaning the whole page costs more than most lookups)."""
        return clean_text(self.raw_text)

    def credits(self, name: str, where: Placement | None = None) -> bool:
        """Whether the page shows ``name`` (its words in order, punctuation between them
        allowed) other than as a copyright holder, in a longer word or a domain; and, given
        ``where``, in a text node (its text and element) that ``where`` accepts."""
        words = clean_text(name).split()
        if not words:
            return False
        # The page's text runs its nodes together ("…sichernMarco KratzenbergText"): the
        # match here asks nothing of what comes before or after it; the nodes holding the
        # name's longest word are then read on their own (:meth:`_placed`).
        if (lower := self.lower_text) is not None:
            spellings = _spellings(_name_pattern([w.lower() for w in words]), lower, self.raw_text)
        else:
            spellings = _spellings(_name_pattern(words, re.IGNORECASE), self.raw_text)
        if not spellings and not self.raw_text.isascii():
            spellings = _spellings(_name_pattern(words, re.IGNORECASE), self.clean_text)
        return any(self._placed(word, where) for word in spellings)

    def _placed(self, word: str, where: Placement | None) -> bool:
        """Whether a shown text node holds ``word`` (as the page spells it) as a word of its
        own, not in a domain, in a place ``where`` accepts. The page's text includes scripts
        and hidden markup: checking it first makes this walk rare. A word the markup spells
        otherwise (a soft hyphen in it) is not found here: the name counts as shown there."""
        nodes = _TEXT_WITH(self._root, word=word)
        if not nodes:
            return True
        alone = re.compile(rf"(?<![\w.-]){re.escape(word)}(?![\w-]|\.\w)")
        for node in nodes:
            if not alone.search(node):
                continue
            holder = _holder(node)
            if not is_hidden(holder) and (where is None or where(str(node), holder)):
                return True
        return False


def _name_pattern(words: list[str], flags: int = 0) -> re.Pattern[str]:
    """The words in order, anything but letters and digits between them; the longest one a
    group of its own ("longest")."""
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    return re.compile(
        r"\W+".join(
            f"(?P<longest>{re.escape(w)})" if i == longest else re.escape(w)
            for i, w in enumerate(words)
        ),
        flags,
    )


def _spellings(pattern: re.Pattern[str], text: str, spelled: str | None = None) -> list[str]:
    """How ``spelled`` (``text`` itself, or the same text in other case) writes the longest
    word of the name ``pattern`` matches in ``text``, in the matches not after a copyright
    sign ("© 2020 Jane Doe"), each spelling once, the first few."""
    found: dict[str, None] = {}
    for match in pattern.finditer(text):
        start = match.start()
        if not _COPYRIGHT.search(text, max(0, start - COPYRIGHT_REACH), start):
            found[(spelled or text)[match.start("longest") : match.end("longest")]] = None
            if len(found) >= MAX_SPELLINGS:
                break
    return list(found)


def _holder(node: Any) -> HtmlElement:
    """The element whose text (or, for a tail, whose parent's text) ``node`` is."""
    parent = node.getparent()
    return parent.getparent() if node.is_tail and parent.getparent() is not None else parent


def is_hidden(element: HtmlElement) -> bool:
    """Whether the browser does not show ``element``: it or an ancestor is a script, a style,
    a template, or hidden (``hidden``, ``display:none``, ``visibility:hidden``, a "hidden"
    class)."""
    for node in (element, *element.iterancestors()):
        if node.tag in {"body", "html"}:  # their classes are page states ("widgets-hidden")
            return False
        if not isinstance(node.tag, str) or node.tag in _UNSHOWN_TAGS:
            return True
        if node.get("hidden") is not None:
            return True
        marks = node.get("class")
        if marks and _HIDDEN_CLASS.search(marks):
            return True
        style = node.get("style")
        if style and _HIDDEN_STYLE.search(style):
            return True
    return False
