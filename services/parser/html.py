"""Extract an article from an HTML page: trafilatura's main content as clean paragraphs.

The page is parsed once; the tree feeds both the metadata readers and trafilatura. Settings
were chosen on the extraction dev set (shingle F1): precision focus with comments left out.
The body is a cascade: trafilatura's own extraction alone first, its comparison with its
generic extractors only where that kept a small share of the page, and a balanced extraction
where even that did (:func:`trafilatura_body`). A light clean-up then drops page furniture
(:mod:`services.parser.boilerplate`, table rows aside), a repeated headline
and cross-promotion lines ("Read more: …", newsletter and follow-us plugs at either end of the
body).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import trafilatura
from lxml import etree  # type: ignore[import-untyped]
from lxml.html import HtmlElement  # type: ignore[import-untyped]
from trafilatura.utils import load_html

from services.core.text import DROPPED, clean_text
from services.parser.authorship import page_authors
from services.parser.boilerplate import is_boilerplate, is_web_notice
from services.parser.errors import EmptyArticleError
from services.parser.headline import page_title
from services.parser.lead import with_lead
from services.parser.metadata import finish, merge, read_metadata, read_trafilatura
from services.parser.pagedate import Declared, read_page_date
from services.parser.result import Extracted
from services.parser.words import has_words, word_count

_BLOCK_TAGS = frozenset({"p", "head", "quote", "code", "list", "item", "table", "row", "div"})
_PROMO_LINE = re.compile(
    r"^(?:read more|related(?: articles?| stories| coverage)?|see also|also read|also on [\w.]+"
    r"|recommended|more from [\w .]+|watch|listen)\s*[:|»>-]",
    re.IGNORECASE,
)
_PROMO_EDGE = re.compile(
    r"\b(?:newsletters?|subscribe (?:to|now|today)|follow (?:us|him|her|them|[\w ]{0,40}) on"
    r"|share (?:it|this)(?: story| article)? with|like this (?:story|article))\b",
    re.IGNORECASE,
)
MAX_PROMO_WORDS = 45
MIN_BODY_WORDS = 5  # less is a stray link or label, not an article (words: services.parser.words)
CHUNK_ANCESTOR_LEVELS = 3
MIN_CHUNK_WORDS = 10
MAX_CHUNK_LINK_SHARE = 0.3
MAX_PROBE_CHARS = 40
# Compiled once (an immutable query): what ``//p[contains(translate(., $dropped, ''), $probe)]``
# and ``.//*[@class=$cls]`` find from an element, in document order (the characters clean_text
# drops are left out of a paragraph's text before the clean probe is looked for in it).
_P_CONTAINING = etree.XPath(
    f"descendant-or-self::p[contains(translate(., '{DROPPED}', ''), $probe)]"
)
_P_CONTAINING_PLAIN = etree.XPath("descendant-or-self::p[contains(., $probe)]")
_P_TEXTS = etree.XPath("descendant-or-self::p//text()", smart_strings=False)
_DROPPED = re.compile(f"[{DROPPED}]")
_SAME_CLASS = etree.XPath("descendant::*[@class=$cls]")

# The body-extraction settings that scored best on the extraction dev set. The output format
# changes no extraction: ``bare_extraction`` renders its body as text only for "python", and
# only ``.body`` is read here.
TRAFILATURA_OPTIONS: dict[str, Any] = {  # keyword arguments of an untyped call
    "output_format": "txt",
    "favor_precision": True,
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "include_formatting": False,
}
# The same without trafilatura's comparison against its generic extractors (readability,
# jusText): most of its cost, and needed only where its own extraction comes up short.
FAST_OPTIONS: dict[str, Any] = {**TRAFILATURA_OPTIONS, "fast": True}
BALANCED_OPTIONS: dict[str, Any] = {**TRAFILATURA_OPTIONS, "favor_precision": False}
RECALL_OPTIONS: dict[str, Any] = {**BALANCED_OPTIONS, "favor_recall": True}
# A body is short of its page when it has fewer non-space characters than this (about 3,000
# with spaces) and less than a share of the page's prose (:func:`page_prose_chars`).
# trafilatura's own extraction is compared with its generic extractors below the first share,
# a balanced extraction is tried below the second (a wider body would add at least half of
# this one again, and a page's prose outside its article is mostly teasers and furniture).
SHORT_BODY_CHARS = 2500
COMPARE_BELOW_SHARE = 0.2
WIDEN_BELOW_SHARE = 0.4
# A wider extraction replaces the body when it is at least this much longer, by at least this
# many characters (a few paragraphs: less is a headline, a standfirst or a caption it now keeps).
WIDER_BODY_GAIN = 1.5
WIDER_BODY_MIN_GAIN_CHARS = 400
# The elements whose text is not a page's prose: links, scripts, styles, asides and footers
# (trafilatura leaves all but links out of a whole page's text too).
_NOT_PROSE = ("a", "script", "style", "template", "svg", "noscript", "aside", "footer")


def extract_html(html: str, url: str | None = None) -> Extracted:
    """Body paragraphs and metadata of one HTML page.

    Raises ``EmptyArticleError`` when no body text is left (including input that is not HTML).
    """
    tree = _parse(html)
    # The readers that need no body go first, while the fresh tree is still in the CPU's
    # caches (trafilatura's copies and passes push it out). None of them changes the tree.
    raw = read_metadata(tree, url)
    if not (raw.title and raw.site_name):
        raw = merge(raw, read_trafilatura(tree, url, raw))
    meta = finish(raw, url)
    title = _squash(page_title(tree, meta.title, raw.site_name, url) or "") or None
    declared = Declared(raw.published, raw.modified, title, meta.language)
    published = read_page_date(tree, url, declared)
    authors = page_authors(tree, raw.authors, raw.site_name, url)
    paragraphs = clean_paragraphs(with_lead(tree, _main_paragraphs(tree, url)), title)
    if not has_words(paragraphs, MIN_BODY_WORDS):
        raise EmptyArticleError("no body text found in the HTML page")
    return Extracted(
        paragraphs=tuple(paragraphs),
        title=title,
        subtitle=meta.subtitle,
        authors=authors,
        published_at=published.published_at,
        published_local=published.published_local,
        updated_at=meta.updated_at,
        canonical_url=meta.canonical_url,
        site_name=meta.site_name,
        language=meta.language,
        warnings=meta.warnings,
    )


def _parse(html: str) -> HtmlElement:
    if not html or html.isspace() or "<" not in html:
        raise EmptyArticleError("the document is not HTML")
    tree: HtmlElement | None = load_html(html)
    if tree is None:
        raise EmptyArticleError("the document could not be parsed as HTML")
    return tree


def _main_paragraphs(tree: HtmlElement, url: str | None) -> list[str]:
    """trafilatura's main-content body (it copies the tree, ours stays intact) as paragraphs,
    and the chunks of it that ad slots split off."""
    dropped = _holds_dropped(tree)  # read before trafilatura's passes push the tree out of cache
    paragraphs = trafilatura_body(tree, url)
    return paragraphs + _continuation(tree, paragraphs, dropped)


def trafilatura_body(tree: HtmlElement, url: str | None) -> list[str]:
    """trafilatura's main-content body as paragraphs.

    Each step only where the one before kept a small share of the page: trafilatura's own
    precision-focused extraction; the same compared with its generic extractors, or, when that
    keeps too little to be an article, a recall-focused pass (short pages whose one text block
    the precision rules judged boilerplate); a balanced pass, kept when much longer (pages
    whose main text the precision rules cut).
    """
    page = _PageText(tree)
    paragraphs = _trafilatura_paragraphs(tree, url, FAST_OPTIONS)
    if page.is_short(paragraphs, COMPARE_BELOW_SHARE):
        paragraphs = _trafilatura_paragraphs(tree, url, TRAFILATURA_OPTIONS)
        if not has_words(paragraphs, MIN_BODY_WORDS):
            return _trafilatura_paragraphs(tree, url, RECALL_OPTIONS)
    if page.is_short(paragraphs, WIDEN_BELOW_SHARE):
        wider = _trafilatura_paragraphs(tree, url, BALANCED_OPTIONS)
        chars, wider_chars = _chars(paragraphs), _chars(wider)
        if wider_chars >= max(WIDER_BODY_GAIN * chars, chars + WIDER_BODY_MIN_GAIN_CHARS):
            return wider
    return paragraphs


class _PageText:
    """A page's prose length (:func:`page_prose_chars`), measured when first asked."""

    def __init__(self, tree: HtmlElement) -> None:
        self._tree = tree
        self._chars: int | None = None

    def is_short(self, paragraphs: list[str], share: float) -> bool:
        """Whether ``paragraphs`` are too few words, or short and less than ``share`` of the
        page's prose."""
        if not has_words(paragraphs, MIN_BODY_WORDS):
            return True
        chars = _chars(paragraphs)
        if chars >= SHORT_BODY_CHARS:
            return False
        if self._chars is None:
            self._chars = page_prose_chars(self._tree)
        return chars < share * self._chars


def page_prose_chars(tree: HtmlElement) -> int:
    """The non-space characters of the page's prose: its text outside links, scripts, styles,
    asides and footers."""
    body = tree.find("body")
    root = tree if body is None else body
    left_out = "".join(
        element.text_content()
        for element in root.iter(_NOT_PROSE)
        if next(element.iterancestors(_NOT_PROSE), None) is None  # the outermost ones
    )
    return _text_chars(root.text_content()) - _text_chars(left_out)


def _chars(paragraphs: list[str]) -> int:
    """The non-space characters of the paragraphs (whose whitespace runs are single spaces)."""
    return sum(len(p) - p.count(" ") for p in paragraphs)


def _text_chars(text: str) -> int:
    return len("".join(text.split()))


def _trafilatura_paragraphs(
    tree: HtmlElement, url: str | None, options: dict[str, Any]
) -> list[str]:
    document: Any = trafilatura.bare_extraction(tree, url=url, **options)
    if document is None or document.body is None:
        return []
    return list(_blocks(document.body))


def _blocks(element: HtmlElement) -> Iterator[str]:
    """The paragraphs of trafilatura's output tree: one per block, ``<lb>`` splitting lines."""
    if element.tag == "row":
        cells = (_squash("".join(cell.itertext())) for cell in element)
        text = " | ".join(cell for cell in cells if cell)
        if text:
            yield text
        return
    lines: list[str] = [element.text or ""]
    for child in element:
        if child.tag in _BLOCK_TAGS:
            yield from _flush(lines)
            lines = [""]
            yield from _blocks(child)
        elif child.tag == "lb":
            lines.append("")
        else:
            lines[-1] += "".join(child.itertext())
        lines[-1] += child.tail or ""
    yield from _flush(lines)


def _continuation(tree: HtmlElement, paragraphs: list[str], dropped: bool) -> list[str]:
    """Body text split by ad slots into sibling chunks: trafilatura keeps only the first one.

    Later elements with the exact class of the last paragraph's container, sharing an ancestor
    close by, whose direct ``<p>`` children read as prose (few link words), are the rest.
    ``dropped``: :func:`_holds_dropped` of the tree.
    """
    anchor = _container_of(tree, paragraphs[-1], dropped) if paragraphs else None
    if anchor is None or not anchor.get("class"):
        return []
    scope = next(
        (a for i, a in enumerate(anchor.iterancestors(), 1) if i == CHUNK_ANCESTOR_LEVELS), None
    )
    if scope is None:
        return []
    seen = set(paragraphs)
    found: list[str] = []
    chunks = _SAME_CLASS(scope, cls=anchor.get("class"))
    for chunk in chunks[chunks.index(anchor) + 1 :]:
        texts = [t for p in chunk.iterfind("p") if (t := _squash(p.text_content())) not in seen]
        words = sum(word_count(t) for t in texts)
        link_words = sum(
            word_count(a.text_content()) for p in chunk.iterfind("p") for a in p.iter("a")
        )
        if words >= MIN_CHUNK_WORDS and link_words < MAX_CHUNK_LINK_SHARE * words:
            found.extend(t for t in texts if t)
    return found


def _container_of(tree: HtmlElement, paragraph: str, dropped: bool) -> HtmlElement | None:
    """The parent of the page's last ``<p>`` reading exactly as ``paragraph``; ``dropped``:
    whether a paragraph of the page holds a character clean_text drops (:func:`_holds_dropped`).
    """
    probe = max(paragraph.split(), key=len)[:MAX_PROBE_CHARS]
    # Where none does, ``translate`` changes nothing: the plain query finds the same paragraphs
    # at a third of the cost.
    query = _P_CONTAINING if dropped else _P_CONTAINING_PLAIN
    matches = [
        p.getparent() for p in query(tree, probe=probe) if _squash(p.text_content()) == paragraph
    ]
    return matches[-1] if matches else None


def _holds_dropped(tree: HtmlElement) -> bool:
    """Whether the text of a ``<p>`` of the page holds a character clean_text drops."""
    return _DROPPED.search("".join(_P_TEXTS(tree))) is not None


def _flush(lines: list[str]) -> Iterator[str]:
    """The lines of a block as paragraphs, page furniture (:func:`is_boilerplate`,
    :func:`is_web_notice`) left out."""
    for line in lines:
        if (text := _squash(line)) and not (is_boilerplate(text) or is_web_notice(text)):
            yield text


def _squash(text: str) -> str:
    """The clean text (:func:`~services.core.text.clean_text`), its whitespace runs as one space
    and none at the ends (``str.split`` and ``\\s`` agree on what whitespace is)."""
    return " ".join(clean_text(text).split())


def clean_paragraphs(paragraphs: list[str], title: str | None) -> list[str]:
    """Drop a leading copy of the headline, cross-promotion lines and edge plugs."""
    kept = [p for p in paragraphs if not _is_promo_line(p)]
    if title and kept and _key(kept[0]) == _key(title):
        kept = kept[1:]
    while kept and _is_edge_plug(kept[-1]):
        kept.pop()
    while kept and _is_edge_plug(kept[0]):
        kept.pop(0)
    return kept


def _is_promo_line(paragraph: str) -> bool:
    return bool(_PROMO_LINE.match(paragraph)) and word_count(paragraph) <= MAX_PROMO_WORDS


def _is_edge_plug(paragraph: str) -> bool:
    return word_count(paragraph) <= MAX_PROMO_WORDS and bool(_PROMO_EDGE.search(paragraph))


def _key(text: str) -> str:
    return "".join(c for c in clean_text(text).casefold() if c.isalnum())
