"""An article as the columns of its stored row, the same for both backends.

Pure: no I/O. Instants are kept twice where they are queried: ``published_at`` as written
(ISO 8601 with the source's offset) beside ``published_at_utc`` in integer epoch microseconds
(the sort key of every listing), ``received_at`` and ``stored_at`` as fixed-width UTC text; the
whole :class:`ProcessedArticle` is kept as JSON (``doc``), so a retry republishes its exact bytes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson

from services.core.models import ProcessedArticle

ARTICLE_COLUMNS: tuple[str, ...] = (
    "id",
    "canonical_url",
    "url",
    "source",
    "site_name",
    "title",
    "subtitle",
    "authors",
    "published_at",
    "published_at_utc",
    "updated_at",
    "language",
    "lead",
    "word_count",
    "cited_outlets",
    "story_id",
    "verdict",
    "duplicate_of",
    "similarity",
    "dedup_method",
    "dedup_evidence",
    "received_at",
    "stored_at",
    "body",
    "doc",
)
Row = tuple[str | int | float | None, ...]
TITLE = ARTICLE_COLUMNS.index("title")
BODY = ARTICLE_COLUMNS.index("body")

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def epoch_us(moment: datetime) -> int:
    """An aware datetime as integer microseconds since the epoch (exact, no float rounding)."""
    return (moment - _EPOCH) // _MICROSECOND


def from_epoch_us(microseconds: int) -> datetime:
    """The aware UTC datetime of integer epoch microseconds (the inverse of :func:`epoch_us`)."""
    return _EPOCH + timedelta(microseconds=microseconds)


def utc_text(moment: datetime) -> str:
    """Fixed-width ISO 8601 in UTC (``2025-01-02T03:04:05.000006Z``): sorts as it reads."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def article_row(article: ProcessedArticle, doc: str | None = None) -> Row:
    """The ``articles`` row of an article, in :data:`ARTICLE_COLUMNS` order (``doc``: its JSON,
    when the caller has it already)."""
    dedup = article.dedup
    published_utc = article.published_at_utc or article.published_at
    return (
        article.id,
        article.canonical_url,
        article.url,
        article.source,
        article.site_name,
        article.title,
        article.subtitle,
        orjson.dumps(article.authors).decode(),
        _iso(article.published_at),
        epoch_us(published_utc) if published_utc is not None else None,
        _iso(article.updated_at),
        article.language,
        article.lead,
        article.word_count,
        orjson.dumps(article.cited_outlets).decode(),
        dedup.story_id,
        dedup.verdict,
        dedup.duplicate_of,
        dedup.similarity,
        dedup.method,
        orjson.dumps(dedup.evidence).decode(),
        utc_text(article.received_at),
        utc_text(article.stored_at),
        article.body,
        article.model_dump_json() if doc is None else doc,
    )
