"""A web page's own metadata: JSON-LD, OpenGraph, meta tags, canonical link and title.

Each source yields raw strings; ``merge`` keeps the first non-empty value per field in order of
precedence (JSON-LD > OpenGraph > meta tags > trafilatura's metadata), and ``finish`` turns the
result into clean names and timezone-aware datetimes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from html import unescape
from typing import Any
from urllib.parse import urljoin

import orjson
from lxml import etree  # type: ignore[import-untyped]
from lxml.html import HtmlElement  # type: ignore[import-untyped]
from trafilatura.metadata import extract_sitename, extract_title

from services.parser.authornames import clean_authors
from services.parser.dateline import parse_datetime

_ARTICLE_TYPE = re.compile(r"(?:\w*News)?Article|ReportageNews|(?:LiveBlog|Blog)Posting|Report")
_META_TITLE = ("parsely-title", "sailthru.title", "twitter:title", "dc.title")
_META_AUTHOR = ("author", "parsely-author", "sailthru.author", "dc.creator", "byl")
_META_PUBLISHED: tuple[str, ...] = ("date", "pubdate", "publishdate", "dc.date", "dc.date.issued")
_META_PUBLISHED += ("parsely-pub-date", "sailthru.date")
_META_MODIFIED = ("dc.date.modified", "last-modified", "lastmod")
# Compiled once; ``descendant-or-self`` from the root element finds what ``//`` does, in the same
# (document) order, without building the intermediate node set of ``//``.
_MICRODATA = etree.XPath(
    "descendant-or-self::*[@itemprop]"
    "[contains(@itemprop, 'date') or contains(@itemprop, 'headline')]"
)
_WRITTEN_BY = re.compile(
    r"^(?:written by|verfasst von|geschrieben von|écrit par|rédigé par|escrito por|scritto da"
    r"|geschreven door|author|autor|auteur|autore)$",
    re.IGNORECASE,
)
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•]\s+")
# A host name, as trafilatura's site name must be to be taken: "Example.com", "t3n.de".
_HOST_NAME = re.compile(r"[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)+")


@dataclass(frozen=True, slots=True)
class RawMetadata:
    """Metadata strings as one source states them, before cleaning."""

    title: str | None = None
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    modified: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """Clean metadata of one page."""

    title: str | None = None
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    updated_at: datetime | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    language: str | None = None
    warnings: tuple[str, ...] = ()


def read_metadata(tree: HtmlElement, url: str | None = None) -> RawMetadata:
    """The page's own metadata, JSON-LD first, then OpenGraph, then meta tags."""
    head = _Head.of(tree)
    declared = merge(
        _json_ld(head.json_ld),
        _opengraph(head.properties),
        _meta_tags(tree, head.names, head.canonical, head.title),
    )
    if declared.title and declared.published and declared.modified:
        return declared  # the microdata could fill only these (and costs a walk of the page)
    return merge(declared, read_microdata(tree))


@dataclass(slots=True)
class _Head:
    """The elements the metadata readers look at, found in one walk over the page.

    In document order, as ``.//script[@type="application/ld+json"]``, ``.//meta[@property]``,
    ``.//meta[@name]``, ``.//link[@rel="canonical"]`` and ``.//title`` find them.
    """

    json_ld: list[HtmlElement] = field(default_factory=list)
    properties: dict[str, list[str]] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)
    canonical: HtmlElement | None = None
    title: HtmlElement | None = None

    @classmethod
    def of(cls, tree: HtmlElement) -> _Head:
        head = cls()
        for element in tree.iterdescendants("script", "meta", "link", "title"):
            tag = element.tag
            if tag == "meta":
                prop, name = element.get("property"), element.get("name")
                if (prop is not None or name is not None) and (
                    content := _text(element.get("content"))
                ):
                    if prop is not None:
                        head.properties.setdefault(prop.strip().lower(), []).append(content)
                    if name is not None:
                        head.names.setdefault(name.strip().lower(), []).append(content)
            elif tag == "script":
                if element.get("type") == "application/ld+json":
                    head.json_ld.append(element)
            elif tag == "link":
                if head.canonical is None and element.get("rel") == "canonical":
                    head.canonical = element
            elif head.title is None:
                head.title = element
        return head


def merge(*sources: RawMetadata) -> RawMetadata:
    """The first non-empty value of each field, sources in order of precedence."""
    values: dict[str, Any] = {}
    for source in reversed(sources):
        for f in fields(source):
            value = getattr(source, f.name)
            if value:
                values[f.name] = value
    return RawMetadata(**values)


def read_trafilatura(tree: HtmlElement, url: str | None, known: RawMetadata) -> RawMetadata:
    """trafilatura's own heuristics, the last resort, for a missing title or site name.

    Its site name is the first part of the ``<title>`` that holds a full stop, meant for a
    domain ("Headline | Example.com"); a headline with a full stop in it ("Vegetarier zu sein.
    Bedarf, Trend oder eigene Entscheidung? | Ethify") would then be the site's name, and be cut
    off the title as one: only a part shaped like a host name is taken.

    Its author search (a deep copy of the page per call) costs more than the whole body
    extraction's margin, so authors come only from the page's declared metadata.
    """
    title = None if known.title else _text(extract_title(tree))
    site_name = None if known.site_name else _text(extract_sitename(tree))
    if site_name is not None and _HOST_NAME.fullmatch(site_name) is None:
        site_name = None
    return RawMetadata(title=title, site_name=site_name)


def finish(raw: RawMetadata, url: str | None = None) -> PageMetadata:
    """Clean the raw strings: names, the update date, a title without its site-name suffix.

    The publication date is read apart (:mod:`services.parser.pagedate`)."""
    warnings: list[str] = []
    modified = parse_date(raw.modified, warnings) if raw.modified else None
    canonical = urljoin(url, raw.canonical_url) if url and raw.canonical_url else raw.canonical_url
    return PageMetadata(
        title=_strip_site_name(raw.title, raw.site_name),
        subtitle=raw.subtitle,
        authors=clean_authors(raw.authors),
        updated_at=modified,
        canonical_url=canonical,
        site_name=raw.site_name,
        language=_language(raw.language),
        warnings=tuple(dict.fromkeys(warnings)),
    )


# --- JSON-LD -------------------------------------------------------------------------------------


def read_json_ld(tree: HtmlElement) -> RawMetadata:
    return _json_ld(tree.iterfind('.//script[@type="application/ld+json"]'))


def _json_ld(scripts: Iterable[HtmlElement]) -> RawMetadata:
    nodes = [node for block in _json_ld_blocks(scripts) for node in _nodes(block)]
    index = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}
    article = next((node for node in nodes if _is_article(node)), None)
    if article is None:  # a page type that names its author (WebPage, CreativeWork ...)
        article = next((node for node in nodes if node.get("author")), None)
    if article is None:
        return RawMetadata()
    publisher = _resolve(article.get("publisher"), index)
    return RawMetadata(
        title=_text(article.get("headline")) or _text(article.get("name")),
        subtitle=_text(article.get("alternativeHeadline")),
        authors=tuple(_person_names(article.get("author"), index)),
        published=_text(article.get("datePublished")) or _text(article.get("dateCreated")),
        modified=_text(article.get("dateModified")),
        canonical_url=_entity_url(article.get("mainEntityOfPage")) or _text(article.get("url")),
        site_name=_text(publisher.get("name")) if isinstance(publisher, dict) else None,
        language=_text(article.get("inLanguage")),
    )


def _json_ld_blocks(scripts: Iterable[HtmlElement]) -> Iterator[Any]:
    for script in scripts:
        text = (script.text or "").strip()
        if not text:
            continue
        try:
            yield orjson.loads(text)
        except orjson.JSONDecodeError:
            try:  # raw control characters inside strings are common in the wild
                yield json.loads(text, strict=False)
            except json.JSONDecodeError:
                continue


def _nodes(value: Any) -> Iterator[dict[str, Any]]:
    """Every object of a JSON-LD block: top level, lists, ``@graph`` and ``mainEntity``."""
    if isinstance(value, list):
        for item in value:
            yield from _nodes(item)
    elif isinstance(value, dict):
        yield value
        for key in ("@graph", "mainEntity"):
            if key in value:
                yield from _nodes(value[key])


def _is_article(node: dict[str, Any]) -> bool:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and _ARTICLE_TYPE.fullmatch(k) for k in kinds)


def _resolve(value: Any, index: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict) and "name" not in value and isinstance(value.get("@id"), str):
        return index.get(value["@id"], value)
    return value


def _person_names(value: Any, index: dict[str, dict[str, Any]]) -> Iterator[str]:
    for item in value if isinstance(value, list) else [value]:
        person = _resolve(item, index)
        if isinstance(person, str):
            yield person
        elif isinstance(person, dict) and (name := _text(person.get("name"))):
            yield name


def _entity_url(value: Any) -> str | None:
    if isinstance(value, dict):
        return _text(value.get("@id")) or _text(value.get("url"))
    return _text(value)


# --- OpenGraph and meta tags ---------------------------------------------------------------------


def read_opengraph(tree: HtmlElement) -> RawMetadata:
    return _opengraph(_meta_values(tree, "property"))


def _opengraph(props: dict[str, list[str]]) -> RawMetadata:
    return RawMetadata(
        title=_first(props, "og:title"),
        authors=tuple(props.get("article:author", ())),
        published=_first(props, "article:published_time", "article:published", "og:published_time"),
        modified=_first(props, "article:modified_time", "article:modified", "og:updated_time"),
        canonical_url=_first(props, "og:url"),
        site_name=_first(props, "og:site_name"),
        language=_first(props, "og:locale"),
    )


def read_microdata(tree: HtmlElement) -> RawMetadata:
    """schema.org microdata (``itemprop``) on the page: dates and headline."""
    props: dict[str, list[str]] = {}
    for element in _MICRODATA(tree):
        value = element.get("content") or element.get("datetime") or element.text_content()
        for name in element.get("itemprop").split():
            if text := _text(value):
                props.setdefault(name, []).append(text)
    return RawMetadata(
        title=_first(props, "headline"),
        published=_first(props, "datePublished", "dateCreated"),
        modified=_first(props, "dateModified"),
    )


def read_meta_tags(tree: HtmlElement) -> RawMetadata:
    return _meta_tags(
        tree,
        _meta_values(tree, "name"),
        tree.find('.//link[@rel="canonical"]'),
        tree.find(".//title"),
    )


def _meta_tags(
    tree: HtmlElement,
    names: dict[str, list[str]],
    canonical: HtmlElement | None,
    title: HtmlElement | None,
) -> RawMetadata:
    authors = next((names[key] for key in _META_AUTHOR if key in names), [])
    if not authors and _WRITTEN_BY.match(_first(names, "twitter:label1") or ""):
        authors = names.get("twitter:data1", [])  # Yoast's "Written by" / "Verfasst von" pair
    html_lang = tree.get("lang") if tree.tag == "html" else None
    return RawMetadata(
        title=_first(names, *_META_TITLE)
        or _text(title.text_content() if title is not None else None),
        authors=tuple(authors),
        published=_first(names, *_META_PUBLISHED),
        modified=_first(names, *_META_MODIFIED),
        canonical_url=_text(canonical.get("href")) if canonical is not None else None,
        site_name=_first(names, "application-name", "apple-mobile-web-app-title"),
        language=_text(html_lang) or _first(names, "language", "dc.language"),
    )


def _meta_values(tree: HtmlElement, attribute: str) -> dict[str, list[str]]:
    """``<meta {attribute}=key content=value>`` as lower-cased key → values in page order."""
    values: dict[str, list[str]] = {}
    for meta in tree.iterfind(f".//meta[@{attribute}]"):
        _add_meta_value(values, meta, attribute)
    return values


def _add_meta_value(values: dict[str, list[str]], meta: HtmlElement, attribute: str) -> None:
    """Add ``<meta {attribute}=key content=value>`` to ``values`` if it has both."""
    key = meta.get(attribute)
    if key is not None and (content := _text(meta.get("content"))):
        values.setdefault(key.strip().lower(), []).append(content)


def _first(values: dict[str, list[str]], *keys: str) -> str | None:
    return next((values[key][0] for key in keys if key in values), None)


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str):
        return None
    return " ".join(unescape(value).split()) or None


def _strip_site_name(title: str | None, site_name: str | None) -> str | None:
    """Drop a trailing or leading ``| Site Name`` from a title."""
    if not title or not site_name:
        return title
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) > 1 and parts[-1].casefold() == site_name.casefold():
        return " - ".join(parts[:-1]) if len(parts) > 2 else parts[0]
    if len(parts) > 1 and parts[0].casefold() == site_name.casefold():
        return title[len(parts[0]) :].lstrip(" |-–—:·•")
    return title


def _language(tag: str | None) -> str | None:
    if not tag:
        return None
    primary = re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


# --- dates ---------------------------------------------------------------------------------------


def parse_date(text: str, warnings: list[str]) -> datetime | None:
    """An ISO 8601 or human-form date, timezone-aware; a naive one becomes UTC, with a warning."""
    value = _iso_date(text.strip()) or parse_datetime(text)
    if value is None or value.tzinfo is not None:
        return value
    warnings.append("naive_datetime_assumed_utc")
    return value.replace(tzinfo=UTC)


def _iso_date(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None
