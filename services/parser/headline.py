"""A web page's headline: its declared title, trimmed to the part its own ``<h1>`` repeats.

Declared titles (``<title>``, OpenGraph, JSON-LD) often carry the site's name, a section or a
tagline around the headline ("Site » Blog Archive » Headline", "Headline | Site - Tagline").
The page's ``<h1>`` usually holds the headline alone: an ``<h1>`` whose text is part of the
declared title is the headline. Without one, the parts on the far side of a separator-delimited
part that names the site (its name or its domain) are its tagline or section: the headline is
the run of other parts before it, or after it when the site opens the title. A declared title
that is only the site's name gives way to the page's first ``<h1>`` that is not the site's name
either.
"""

from __future__ import annotations

import re
from itertools import islice
from urllib.parse import urlsplit

from lxml.html import HtmlElement  # type: ignore[import-untyped]

MAX_HEADINGS = 8
MIN_HEADING_CHARS = 4
MAX_HEADING_CHARS = 300
BRANDING_LEVELS = 3  # ancestors of an <h1> looked at for the banner's marks
# A class or id token that is, or opens or ends with, a banner's mark ("site-title", "logo").
_BRANDING = re.compile(
    r"(?:^|[\s_-])(?:site[-_]?(?:title|name)|branding|masthead|logo)(?:$|[\s_-])", re.IGNORECASE
)
_SEPARATOR = re.compile(r"\s+(?:[|»›·•:~/]|::|[-–—]{1,2})\s+")
# Parts of a declared title that name a page of every blog, not this one ("Site » Blog Archive
# » Headline", WordPress's default), compared as keys.
_FURNITURE_PARTS = frozenset(
    {"blogarchive", "blogarchiv", "archive", "archiv", "home", "startseite"}
)
_GENERIC_HOST = frozenset({"www", "com", "org", "net", "de", "at", "ch", "fr", "uk", "co", "eu"})


def page_title(
    tree: HtmlElement, declared: str | None, site_name: str | None, url: str | None
) -> str | None:
    """The page's headline (see the module docstring); ``declared`` when nothing better."""
    site = _site_keys(site_name, url)
    headings = [h for h in _headings(tree) if _key(h) not in site]
    if not declared or _key(declared) in site:
        return headings[0] if headings else declared
    title_key = _key(declared)
    inside = [h for h in headings if _key(h) in title_key and not _is_site_part(h, site)]
    if inside:
        return max(inside, key=len)
    return _without_site_parts(declared, site)


def _headings(tree: HtmlElement) -> list[str]:
    found = []
    for element in islice(tree.iterdescendants("h1"), MAX_HEADINGS):
        text = " ".join(element.text_content().split())
        if MIN_HEADING_CHARS <= len(text) <= MAX_HEADING_CHARS and not _in_branding(element):
            found.append(text)
    return found


def _in_branding(heading: HtmlElement) -> bool:
    """Whether the ``<h1>`` is the site's name in the page's banner (``h1.site-title``, inside
    ``#branding`` or the page's ``#header``): themes mark it so, and it is no headline."""
    for level, node in enumerate((heading, *heading.iterancestors())):
        if level > BRANDING_LEVELS or node.tag in {"body", "html"}:
            return False
        if _BRANDING.search(f"{node.get('class') or ''} {node.get('id') or ''}"):
            return True
        if node.get("id") == "header":
            return True
    return False


def _without_site_parts(title: str, site: set[str]) -> str:
    """The title's first run of parts that do not name the site: the headline stands before
    the site's name ("Headline | Site - Tagline") or after it where the site opens the title
    ("Site » Blog » Headline"), never across it."""
    bounds = [0]
    for separator in _SEPARATOR.finditer(title):
        bounds += [separator.start(), separator.end()]
    bounds.append(len(title))
    parts = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
    if len(parts) < 2:
        return title
    site_parts = [_is_site_part(title[start:end], site) for start, end in parts]
    if all(site_parts) or not any(site_parts):
        return title
    first = site_parts.index(False)
    last = first
    while last + 1 < len(parts) and not site_parts[last + 1]:
        last += 1
    return title[parts[first][0] : parts[last][1]]


def _is_site_part(part: str, site: set[str]) -> bool:
    key = _key(part)
    if not key:
        return False
    return key in _FURNITURE_PARTS or any(
        key == s or (len(s) > 4 and s in key and len(key) <= 2 * len(s)) for s in site
    )


def _site_keys(site_name: str | None, url: str | None) -> set[str]:
    host = (urlsplit(url).hostname or "") if url and "://" in url else ""
    labels = [label for label in host.split(".") if label not in _GENERIC_HOST]
    keys = {_key(site_name or ""), _key(host), *(_key(label) for label in labels)}
    return keys - {""}


def _key(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())
