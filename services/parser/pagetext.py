"""What a page shows its readers: whether a name appears in the text of its body.

A name that appears nowhere on the page is not the page's byline: declared metadata then names a
template's default (the site's owner, the account that uploaded the page), not an author the page
credits. Neither is a name shown only as the holder of a copyright ("© 2020 Jane Doe", the site's
owner), only inside a longer word or a domain ("jan-doe.de"), or only in a script or in markup
the browser hides (``hidden``, ``display:none``, a "hidden" class).
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from lxml import etree  # type: ignore[import-untyped]
from lxml.html import HtmlElement  # type: ignore[import-untyped]

from services.core.text import clean_text

COPYRIGHT_REACH = 40  # characters before a name in which a copyright sign makes it the owner
_COPYRIGHT = re.compile(r"©|\(c\)|copyright|urheberrecht", re.IGNORECASE)
# Text nodes holding a word as written, in capitals, capitalised or in lower case.
_TEXT_WITH = etree.XPath(
    "descendant-or-self::body//text()"
    "[contains(., $as_is) or contains(., $upper) or contains(., $title) or contains(., $lower)]"
)
_UNSHOWN_TAGS = frozenset({"script", "style", "template", "noscript", "head", "title"})
# "hidden", "rich-snippet-hidden", "visually-hidden", "d-none"; not "hidden-xs" (shown elsewhere)
_HIDDEN_CLASS = re.compile(
    r"(?:^|[\s_-])(?:hidden|d-none|display-none|invisible)"
    r"(?!-(?:xs|sm|md|lg|xl|mobile|phone|tablet|desktop|print))(?:$|[\s_])",
    re.IGNORECASE,
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


class PageText:
    """The page's text, read once and only when a name is looked up."""

    def __init__(self, tree: HtmlElement) -> None:
        self._tree = tree

    @cached_property
    def _root(self) -> HtmlElement:
        body = self._tree.find("body")
        return self._tree if body is None else body

    @cached_property
    def text(self) -> str:
        """The body's clean text nodes (scripts included), a space between each two."""
        return clean_text(" ".join(self._root.itertext()))

    def credits(self, name: str) -> bool:
        """Whether the page shows ``name`` (its words in order, punctuation between them
        allowed) other than as a copyright holder, in a longer word or a domain."""
        words = clean_text(name).split()
        if not words:
            return False
        joined = r"\W+".join(re.escape(w) for w in words)
        pattern = rf"(?<![\w.-]){joined}(?![\w-]|\.\w)"  # not part of "jan-doe.de"
        text = self.text
        for match in re.finditer(pattern, text, re.IGNORECASE):
            start = match.start()
            if not _COPYRIGHT.search(text, max(0, start - COPYRIGHT_REACH), start):
                return not self._hidden_only(max(words, key=len))
        return False

    def _hidden_only(self, word: str) -> bool:
        """Whether every text node holding ``word`` is one the browser does not show (the text
        above includes scripts and hidden markup; checking it first makes this walk rare). A
        word written otherwise in the markup (a soft hyphen in it) is not found here: shown."""
        nodes = _TEXT_WITH(
            self._root,
            as_is=word,
            upper=word.upper(),
            title=word[:1].upper() + word[1:].lower(),
            lower=word.lower(),
        )
        return bool(nodes) and all(_unshown(_holder(node)) for node in nodes)


def _holder(node: Any) -> HtmlElement:
    """The element whose text (or, for a tail, whose parent's text) ``node`` is."""
    parent = node.getparent()
    return parent.getparent() if node.is_tail and parent.getparent() is not None else parent


def _unshown(element: HtmlElement) -> bool:
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
