"""Who wrote a web page: declared authors checked, else the byline in the page's markup or text.

The declared authors (JSON-LD, OpenGraph, meta tags) win unless every one of them is the site
itself (its name, its domain or its initials), an organisation or a placeholder ("admin",
"publisher"), or the page does not credit them: a declared name must be shown as a byline is (a
text of its own, after a byline word, in an element marked as the author's), not only in
metadata, scripts, hidden markup, running text or a copyright line (:mod:`pagetext`).
Otherwise the page's own byline: an element marked as the author (``rel=author``,
``itemprop=author``, a class or id naming the author or byline), then a short line of text
that opens with a byline word ("By", "Von", "Par", "Por", "Di", "Door", "Posted by" ..., a date
before it: "06.11.2023 13:30 von …"), then a link to an author's own page whose text is the
name its address spells ("/staff/jane-doe/"); not in comments, sidebars, teasers for other
pages or a list of a work's features. Names are
normalised: no byline word, role, date or site name; never invented (a candidate that does not
read as a name is dropped).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from urllib.parse import unquote, urlsplit

from lxml import etree  # type: ignore[import-untyped]
from lxml.html import HtmlElement  # type: ignore[import-untyped]

from services.parser.authornames import clean_authors
from services.parser.date_words import WEEKDAYS
from services.parser.folding import fold
from services.parser.outlet_names import is_known_outlet
from services.parser.pageregions import in_prose_list, is_away
from services.parser.pagetext import PageText, Placement, is_hidden
from services.parser.zones import is_city

MAX_BYLINE_CHARS = 120
MAX_NAME_WORDS = 5
MIN_INITIALS = 3  # "Jane Doe" is no acronym's expansion, "Deutsches Rotes Kreuz" (DRK) is
MAX_TEXT_BYLINES = 3000  # text elements looked at, in document order
MARK_LEVELS = 5  # ancestors of a declared name's text looked at for an author mark
# The author marked as such (``rel``, ``itemprop``) comes before one a class or id suggests.
# (The first predicate, implied by the second, spares most elements the string tests.)
_DECLARED_MARK = etree.XPath(
    "descendant::*[@rel or @itemprop][@rel='author' or contains(@itemprop, 'author')]"
)
_AUTHOR_CLASS = re.compile(r"author|byline|autor|auteur", re.IGNORECASE)
_AUTHOR_CLASS_FOLDED = re.compile(_AUTHOR_CLASS.pattern)  # see _LEAD_WORD_FOLDED
_FURNITURE = " |•·—–-"
_LINE_ENDS = frozenset({"br", "p", "div", "ul", "ol", "li", "hr", "table", "h2", "h3", "h4"})
_TEXT_TAGS = ("p", "span", "div", "address", "small", "li", "em", "strong", "i", "b")
_LEAD_WORD = re.compile(
    # the date a byline may open with: "06.11.2023 13:30 von …", "May 3, 2021 by …"
    r"^\s*(?:(?:\d{1,2}[./]\d{1,2}[./]\d{2,4}|(?:posted\s+on\s+)?[a-z]{3,9}\.?\s+\d{1,2},?\s+\d{4})"
    r"(?:,?\s+\d{1,2}:\d{2}(?:\s*(?:uhr|[ap]m))?)?\s+(?=by\b|von\b|par\b|por\b))?"
    r"(?:(?:written|posted|reported|published|text|story|words|photos?|article)\s+)?"
    r"(?:by|von|vom|par|por|di|da|door|av|af|przez|из|autor(?:in)?|author|auteur|autore"
    r"|verfasst von|geschrieben von|(?:ein\s+)?(?:blog[\s-]?|gast)?beitrag von|publié par"
    r"|écrit par|erstellt von|gespeichert von|eingestellt von|submitted by"
    r"|escrito por|scritto da)\b\s*[:\-]?\s*",
    re.IGNORECASE,
)
# _LEAD_WORD, case-sensitive, for folded text (services.parser.folding): the same matches at
# the same offsets (its letters are lower-case ones that folding maps to), in a third of the
# time (a case-blind alternation tries every word at every start).
_LEAD_WORD_FOLDED = re.compile(_LEAD_WORD.pattern)
_CUT = re.compile(
    r"\s*(?:[|•·—–]|\s-\s|\bon\s+\w+day\b|\bam\s+\d|\ble\s+\d|\bel\s+\d|\bon\s+\d|\d{1,4}[./-]\d"
    r"|\b(?:updated|published|posted|veröffentlicht|aktualisiert|publié|mis à jour|actualizado)\b"
    r"|\b(?:illustrations?|fotos?|photos?|bilder?|images?|grafik|video)\b"
    # a weekday before the date: "Fr, 18. Oktober", "Mon. 3 May", "jeudi 4"
    r"|\b(?:mo|di|mi|do|fr|sa|so|mon|tue|wed|thu|fri|sat|sun|lun|mer|jeu|ven|dim)[a-zé]*\.?,?\s+\d"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d"
    # a weekday named in full after its preposition: "am Dienstag", "le mardi", "el martes"
    rf"|\b(?:am|on|le|el|il|em|no|na)\s+(?:{'|'.join(w for w in WEEKDAYS if len(w) >= 5)})\b"
    r"|\d{1,2}\.?\s+(?:jan|feb|mär|mar|apr|mai|may|jun|jul|aug|sep|okt|oct|nov|dez|dec)"
    r"|\n|@\w|\s@\s)",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(
    r"^(?:admin(?:istrator)?|publisher|super ?user|webmaster|editor|staff|author|guest"
    r"|unknown|anonymous|anonym|user|team|posted|name|follow)$",
    re.IGNORECASE,
)
_ORGANISATION = re.compile(
    r"\b(?:gmbh|ag|e\.\s?v|ev|inc|ltd|llc|s\.a|sa|srl|plc|co|corp|verlag|media|news|online"
    r"|magazin|magazine|zeitung|times|post|press|redaktion des)\b\.?$",
    re.IGNORECASE,
)
_CREDIT = re.compile(r"^\s*(?:foto|photo|bild|image|credit|quelle|source|grafik)s?\b", re.I)
_SENTENCE = re.compile(r"[!?«»\"“”:]")
_NOT_NAME_WORDS = frozenset(
    {
        *("about", "all", "alle", "more", "mehr", "posts", "beiträge", "beitrag", "artikel"),
        *("articles", "profile", "profil", "view", "see", "über", "the", "der", "die", "das"),
        *("and", "und", "min", "minutes", "minuten", "read", "lesen", "lesezeit", "follow"),
        *("folgen", "autor", "author", "auteur", "autore", "written", "share", "teilen"),
        *("autoren", "authors", "auteurs", "autori", "autores", "redaktion:", "kontakt"),
    }
)
_TITLE_DASH = re.compile(r"\s[-–—]\s")  # "L-MAG – Das Magazin": a tagline, not a name
_RUBRIC = re.compile(r"^\w+\s+(?:von|by|par|por)\s+(?=\S+\s+\S)", re.IGNORECASE)
# The address of an author's own page: "/author/jane-doe/", "/autor/fabian", "/staff/uriel-g".
_AUTHOR_PAGE = re.compile(
    r"/(?:authors?|autor(?:en|in)?|auteurs?|autor[ei]|staff|redakteur(?:in)?|journalist)"
    r"/([^/?#]+)/?(?:[?#]|$)",
    re.IGNORECASE,
)
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}$", re.IGNORECASE)
_NAME_WORD = re.compile(
    r"^(?:[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’.-]*|[A-Z]\.|(?:von|van|de|der|den|da|di|du|la|le|del|dos|bin|al|ter|zu)$)"
)


def page_authors(
    tree: HtmlElement, declared: Iterable[str], site_name: str | None, url: str | None
) -> tuple[str, ...]:
    """The page's authors: declared ones that are people, else its byline; () if none."""
    site = _SiteNames(site_name, url)
    shown = PageText(tree)
    people = site.people(n for n in clean_authors(tuple(declared)) if not _TITLE_DASH.search(n))
    if people := tuple(n for n in people if shown.credits(n, _as_credit(n))):
        return people
    for marked in (_DECLARED_MARK(tree), _class_marked(tree)):
        for text, hidden in _marked_bylines(marked, url):
            names = site.people(_names(text))
            if names := tuple(n for n in names if not hidden or shown.credits(n)):
                return names
    for text in _text_bylines(tree, url):
        if names := site.people(_names(text)):
            return names
    return site.people(_linked_bylines(tree, url))


def _as_credit(name: str) -> Placement:
    """Where a declared name reads as the page's credit: in a text of its own (nothing but the
    name or part of it), after a byline word, or in an element marked as the author's; not only
    in running text ("I am Jane Doe, a lawyer in …")."""
    key = _key(name)

    def credited(text: str, holder: HtmlElement) -> bool:
        line = " ".join(text.split()).strip(_FURNITURE + ",;:()")
        bare = _key(line)
        return (bare != "" and bare in key) or bool(_LEAD_WORD.match(line)) or _marked(holder)

    return credited


def _marked(element: HtmlElement) -> bool:
    """Whether the element or one of its closest ancestors is marked as the author's."""
    for level, node in enumerate((element, *element.iterancestors())):
        if level > MARK_LEVELS or node.tag in {"body", "html"}:
            return False
        get = node.get
        if get("rel") == "author" or "author" in (get("itemprop") or ""):
            return True
        if _AUTHOR_CLASS.search(f"{get('class') or ''} {get('id') or ''}"):
            return True
    return False


class _SiteNames:
    """What names the site rather than a person: its name, its domain's labels."""

    def __init__(self, site_name: str | None, url: str | None) -> None:
        host = urlsplit(url).hostname or "" if url and "://" in url else ""
        labels = [label for label in host.split(".") if label not in {"www", "com", "de", "org"}]
        self.name_key = _key(site_name or "")
        self.host_keys = {_key(label) for label in labels} - {""}
        self.keys = {self.name_key, *self.host_keys} - {""}
        # "DRK e.V." or drk.de for "Deutsches Rotes Kreuz": the site's short name, by its words
        self.short_keys = {*self.host_keys, *(_key(w) for w in (site_name or "").split())}

    def _in_host(self, key: str) -> bool:
        return any(len(k) > 4 and k in key for k in self.host_keys)

    def people(self, names: Iterable[str]) -> tuple[str, ...]:
        """The names left once the site's own name is cut from their end and site names go."""
        found = (self._without_site(name) for name in names)
        return tuple(dict.fromkeys(n for n in found if _long_enough(n) and not self.is_site(n)))

    def _initials_of_site(self, name: str) -> bool:
        """Whether the initials of a name of three or more words spell the site's short name."""
        words = name.split()
        initials = "".join(w[0] for w in words).casefold()
        return len(words) >= MIN_INITIALS and initials in self.short_keys

    def _without_site(self, name: str) -> str:
        words = _RUBRIC.sub("", name).split()
        while len(words) > 1 and _key(words[-1]) in self.keys:
            words.pop()
        left = " ".join(words).rstrip(" ,;-")
        return left if left == name or _reads_as_name(left) else ""

    def is_site(self, name: str) -> bool:
        key = _key(name)
        if key == self.name_key and _reads_as_name(name) and not self._in_host(key):
            return False  # a personal site named for its author (not for its domain)
        return (
            key in self.keys
            or self._initials_of_site(name)
            or bool(_DOMAIN.match(name))
            or bool(_PLACEHOLDER.match(name.strip()))
            or bool(_ORGANISATION.search(name))
            or any(len(k) > 4 and k in key for k in self.keys)
        )


def _class_marked(tree: HtmlElement) -> Iterator[HtmlElement]:
    """Elements whose class or id names the author or the byline, in document order.

    A walk in Python: cheaper than a case-folding XPath (``translate`` on every attribute)."""
    search = _AUTHOR_CLASS_FOLDED.search
    for element in tree.iter(etree.Element):
        get = element.get
        mark = get("class")
        if (mark and search(fold(mark))) or ((mark := get("id")) and search(fold(mark))):
            yield element


def _marked_bylines(
    elements: Iterable[HtmlElement], page: str | None
) -> Iterator[tuple[str, bool]]:
    """The text of each marked element the page shows, and whether it was read from an
    attribute (``<meta itemprop="author" content="…">``): such a name must be shown elsewhere."""
    for element in elements:
        if is_away(element, page) or is_hidden(element):
            continue
        named = element.find(".//*[@itemprop='name']")
        attribute = element.get("content") or (named.get("content") if named is not None else None)
        value = (
            attribute
            or (named.text_content() if named is not None else None)
            or element.text_content()
        )
        text = " ".join(value.split())
        if text and len(text) <= MAX_BYLINE_CHARS:
            yield text, bool(attribute)


def _text_bylines(tree: HtmlElement, page: str | None) -> Iterator[str]:
    """Short elements whose own text opens with a byline word ("By", "Von" ...)."""
    for looked, element in enumerate(tree.iter(_TEXT_TAGS)):
        if looked >= MAX_TEXT_BYLINES:
            return
        head = element.text
        if not head or not _LEAD_WORD_FOLDED.match(fold(head.lstrip(_FURNITURE))):
            continue
        text = " ".join(element.text_content().split()).strip(_FURNITURE)
        if _LEAD_WORD.fullmatch(text):  # <b>By</b> Name, "By" <span>Name</span>
            text = f"{text} {_text_after(element)}"[: MAX_BYLINE_CHARS - 1]
        if (
            len(text) < MAX_BYLINE_CHARS
            and not is_away(element, page)
            and not in_prose_list(element)
        ):
            names = _names(text)
            if names and all(_reads_as_name(n) or _single_name(n) for n in names):
                yield text


def _linked_bylines(tree: HtmlElement, page: str | None) -> tuple[str, ...]:
    """The names of the first links to an author's own page ("/author/jane-doe/") whose text
    is the name the address spells, and of the links beside it (co-authors)."""
    first: HtmlElement | None = None
    names: list[str] = []
    for link in tree.iter("a"):
        href = link.get("href")
        slug = _AUTHOR_PAGE.search(href) if href else None
        if slug is None or (first is not None and link.getparent() is not first.getparent()):
            continue
        text = " ".join(link.text_content().split())
        if not _may_be_name(text) or _ascii_key(text) != _ascii_key(unquote(slug.group(1))):
            continue
        if is_away(link, page) or is_hidden(link):
            continue
        first = first if first is not None else link
        names.append(text)
    return tuple(names)


def _ascii_key(text: str) -> str:
    """The letters and digits of ``text`` without their accents, as an address spells them."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return "".join(c for c in decomposed if c.isascii() and c.isalnum())


def _text_after(element: HtmlElement) -> str:
    """The text that follows ``element`` on its line: its tail and its siblings' text, up to a
    line break or block after some text (``<b>Von:</b><br> Jane Doe<br>Tags: …``)."""
    parts = [element.tail or ""]
    for sibling in element.itersiblings():
        if sibling.tag in _LINE_ENDS and "".join(parts).strip():
            break
        if sum(map(len, parts)) > MAX_BYLINE_CHARS:
            break
        parts += [sibling.text_content(), sibling.tail or ""]
    return " ".join(" ".join(parts).split())


def _names(text: str) -> tuple[str, ...]:
    if _CREDIT.match(text):
        return ()
    stripped = _LEAD_WORD.sub("", text, count=1)
    cut = _CUT.search(stripped)
    if cut is not None:
        stripped = stripped[: cut.start()]
    names = clean_authors([stripped.strip(" ,:;-~")])
    return tuple(n for n in names if _may_be_name(n))


def _may_be_name(name: str) -> bool:
    """A person's name or handle: few words, no link label, no sentence, no count."""
    words = name.split()
    if not words or len(words) > MAX_NAME_WORDS or len(name) < 2 or _SENTENCE.search(name):
        return False
    if len(words) > 1 and any(c.isdigit() for c in name):
        return False
    if not _long_enough(name):
        return False
    if any(w.casefold().strip(".:") in _NOT_NAME_WORDS for w in words):
        return False
    return len(words) == 1 or all(_NAME_WORD.match(w) or w.isupper() for w in words)


def _long_enough(name: str) -> bool:
    """Not initials or a title alone ("kj", "Dr."), a label ("Foto: …") or a numbered body."""
    if " " in name.strip():
        return not _SENTENCE.search(name) and not any(c.isdigit() for c in name)
    return not name.endswith(".") and sum(c.isalpha() for c in name) >= 3


def _reads_as_name(name: str) -> bool:
    words = name.split()
    return 2 <= len(words) <= 4 and all(_NAME_WORD.match(w) for w in words)


def _key(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _single_name(name: str) -> bool:
    """One capitalised word ("Posted by Konstantin") that names no outlet or city."""
    return (
        " " not in name
        and bool(_NAME_WORD.match(name))
        and not is_known_outlet(name)
        and not is_city(name)
    )
