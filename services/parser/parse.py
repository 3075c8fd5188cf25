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
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from services import __version__
from services.core.models import ParsedArticle, RawArticle
from services.core.text import clean_text
from services.core.urls import InvalidUrlError, canonical_url
from services.parser import zones
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


def parse_article(raw: RawArticle, source_zones: Mapping[str, str] | None = None) -> ParsedArticle:
    """The parsed article for ``raw``; raises EmptyArticleError when no body is left.

    ``source_zones`` maps a source to the IANA zone its dates are written in: a date-time the
    document writes without a zone then gets that zone's offset on that day.
    """
    extracted = extract(raw)
    paragraphs = list(extracted.paragraphs)
    body = "\n\n".join(paragraphs)
    published = (
        raw.published_at
        or extracted.published_at
        or _in_source_zone(extracted.published_local, _zone_of(raw.source, source_zones))
    )
    local = _wall_clock(raw.published_at) or extracted.published_local or _wall_clock(published)
    warnings = list(extracted.warnings)
    language = raw.language or extracted.language or detect_language(body)
    if language is None:
        warnings.append("language_undetected")
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
        language=language,
        paragraphs=paragraphs,
        lead=paragraphs[0] if paragraphs else None,
        word_count=word_count(body),  # the paragraphs' words: their "\n\n" joints are spaces
        cited_outlets=list(find_cited_outlets(paragraphs)),
        quotes=extract_quotes(paragraphs),
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
