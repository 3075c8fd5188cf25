"""One raw article into its parse: pick the extractor, merge client fields, derive the rest.

Pure. Fields the client supplied win over inferred ones; inferred values fill the gaps. Every
text field of the parse (title, subtitle, authors, site name, paragraphs, lead, removed
boilerplate, cited outlets, quotes) is clean text (:func:`services.core.text.clean_text`: NFC, no
invisible characters): the extractors clean the body as they read it (the plain-text document
once, each HTML paragraph), the other fields are cleaned here; one left empty is dropped.
Identifiers (URLs, source, id) and the client's metadata are kept as sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import NamedTuple

from services import __version__
from services.core.models import ParsedArticle, Quote, RawArticle
from services.core.text import clean_text
from services.core.urls import InvalidUrlError, canonical_url
from services.parser import zones
from services.parser.errors import EmptyArticleError
from services.parser.html import extract_html
from services.parser.language import detect_language
from services.parser.outlets import find_cited_outlets
from services.parser.plaintext import extract_plaintext
from services.parser.quotes import extract_quotes
from services.parser.result import Extracted
from services.parser.words import word_count

PARSER_VERSION = f"newsflow-parser/{__version__}"
_HTML_SNIFF = re.compile(
    r"<(?:!doctype\s+html|html|head|body|article|p|div|h[1-6]|br)\b", re.IGNORECASE
)


def warm_up() -> None:
    """Load the language model, compile (or load from numba's disk cache) the parser's kernels
    and build their character tables, so that the first article does not wait for them."""
    detect_language("The council voted on Tuesday to approve the budget for the new bridge. " * 5)
    word_count(clean_text("warm up: caf\u00e9"))


def looks_like_html(content: str) -> bool:
    """Whether ``auto`` content is HTML: it starts with markup or carries block-level tags."""
    head = content[:4096]
    return head.lstrip().startswith("<") or len(_HTML_SNIFF.findall(head)) >= 2


def extract(raw: RawArticle) -> Extracted:
    kind = raw.content_type
    if kind == "text/html" or (kind == "auto" and looks_like_html(raw.content)):
        return extract_html(raw.content, raw.url)
    return extract_plaintext(raw.content)


def _canonical(raw: RawArticle, extracted: Extracted) -> str | None:
    if raw.canonical_url:
        return raw.canonical_url
    if extracted.canonical_url:
        try:
            return canonical_url(extracted.canonical_url)
        except InvalidUrlError:
            return None
    return None


class _Read(NamedTuple):
    """What the phases after extraction read from one article's paragraphs."""

    paragraphs: list[str]
    body: str
    language: str | None
    cited_outlets: Sequence[str]
    quotes: list[Quote]


def parse_article(raw: RawArticle, source_zones: Mapping[str, str] | None = None) -> ParsedArticle:
    """The parsed article for ``raw``; raises EmptyArticleError when no body is left.

    ``source_zones`` maps a source to the IANA zone its dates are written in: a date-time the
    document writes without a zone then gets that zone's offset on that day.
    """
    [parsed] = parse_articles([raw], source_zones)  # one way to parse, alone or in a batch
    if isinstance(parsed, EmptyArticleError):
        raise parsed
    return parsed


def parse_articles(
    raws: Sequence[RawArticle], source_zones: Mapping[str, str] | None = None
) -> list[ParsedArticle | EmptyArticleError]:
    """:func:`parse_article` of each of ``raws``, the same parses, done phase by phase over
    them all: every body extracted, then every language, every cited outlet, every quotation.
    Each phase's code and tables then stay in the processor's caches from one article to the
    next, instead of being read back after the other phases pushed them out (about a fifth less
    CPU an article on plain text: docs/performance.md). An article with no body gets its error
    in its place; any other exception propagates, as from :func:`parse_article`."""
    extracted: list[Extracted | EmptyArticleError] = []
    for raw in raws:
        try:
            extracted.append(extract(raw))
        except EmptyArticleError as error:
            extracted.append(error)
    kept = [(raw, e) for raw, e in zip(raws, extracted, strict=True) if isinstance(e, Extracted)]
    paragraphs = [list(e.paragraphs) for _, e in kept]
    bodies = ["\n\n".join(each) for each in paragraphs]
    languages = [
        raw.language or e.language or detect_language(body)
        for (raw, e), body in zip(kept, bodies, strict=True)
    ]
    outlets = [find_cited_outlets(each) for each in paragraphs]
    quotes = [extract_quotes(each) for each in paragraphs]
    parsed = iter(
        [
            _parsed(raw, e, _Read(*read), source_zones)
            for (raw, e), *read in zip(
                kept, paragraphs, bodies, languages, outlets, quotes, strict=True
            )
        ]
    )
    return [e if isinstance(e, EmptyArticleError) else next(parsed) for e in extracted]


def _parsed(
    raw: RawArticle, extracted: Extracted, read: _Read, source_zones: Mapping[str, str] | None
) -> ParsedArticle:
    """The parse of ``raw`` from its extraction and what the later phases read."""
    published = (
        raw.published_at
        or extracted.published_at
        or _in_source_zone(extracted.published_local, _zone_of(raw.source, source_zones))
    )
    local = _wall_clock(raw.published_at) or extracted.published_local or _wall_clock(published)
    warnings = list(extracted.warnings)
    if read.language is None:
        warnings.append("language_undetected")
    paragraphs = read.paragraphs
    return ParsedArticle(
        id=raw.id,
        url=raw.url,
        canonical_url=_canonical(raw, extracted),
        source=raw.source,
        site_name=_clean(extracted.site_name),
        title=_clean(raw.title) or _clean(extracted.title),
        subtitle=_clean(extracted.subtitle),
        authors=_clean_all(raw.authors or ()) or _clean_all(extracted.authors),
        published_at=published,
        published_at_utc=published.astimezone(UTC) if published else None,
        published_local=local,
        updated_at=extracted.updated_at,
        language=read.language,
        paragraphs=paragraphs,
        lead=paragraphs[0] if paragraphs else None,
        word_count=word_count(read.body),  # the paragraphs' words: "\n\n" joints are spaces
        cited_outlets=list(read.cited_outlets),
        quotes=read.quotes,
        boilerplate_removed=list(extracted.boilerplate_removed),
        parser_version=PARSER_VERSION,
        warnings=warnings,
        metadata=raw.metadata,
        received_at=raw.received_at,
    )


def _wall_clock(value: datetime | None) -> str | None:
    return value.replace(tzinfo=None).isoformat() if value is not None else None


def _zone_of(source: str | None, source_zones: Mapping[str, str] | None) -> str | None:
    return source_zones.get(source) if source_zones and source else None


def _in_source_zone(local: str | None, zone: str | None) -> datetime | None:
    """The local date-time in the source's zone; None for a date alone (no time to place)."""
    if local is None or zone is None or "T" not in local:
        return None
    return zones.localize(datetime.fromisoformat(local), zone)


def _clean(text: str | None) -> str | None:
    """``text`` cleaned (and stripped, if cleaning changed it); None if nothing is left."""
    if not text:
        return None
    cleaned = clean_text(text)
    if cleaned is not text:
        cleaned = cleaned.strip()
    return cleaned or None


def _clean_all(texts: Iterable[str]) -> list[str]:
    """Each text cleaned, the ones left empty dropped."""
    return [cleaned for text in texts if (cleaned := _clean(text))]
