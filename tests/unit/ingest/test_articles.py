"""The raw-article value ingest encodes is the ``articles.raw.v1`` message, byte for byte."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import orjson
import pytest

from services.core.headers import TraceContext, header_map
from services.core.models import RawArticle
from services.ingest.articles import to_raw_article
from services.ingest.bodies import BodyError
from services.ingest.publisher import RAW_EVENT_TYPE, raw_record, raw_records
from services.ingest.requests import ArticleIn

RECEIVED = datetime(2026, 11, 26, 16, 55, 35, 123456, tzinfo=UTC)


def reference(article: ArticleIn, received_at: datetime, key: str | None = None) -> bytes:
    """The value built the slow way: the validated ``RawArticle`` model, dumped."""
    accepted = to_raw_article(article, received_at, key)
    parsed = RawArticle.from_bytes(accepted.value)
    return RawArticle.model_validate(
        {
            **article.model_dump(exclude={"id", "metadata"}),
            "id": accepted.id,
            "id_source": parsed.id_source,
            "canonical_url": parsed.canonical_url,
            "metadata": article.metadata or {},
            "received_at": received_at,
        }
    ).to_bytes()


@pytest.mark.parametrize(
    "fields",
    [
        {"content": "Body only."},
        {
            "id": "client-7",
            "url": "https://www.Example.com/a/?utm_source=x",
            "source": "wire",
            "title": "Tïtle «quoted» \u2028 line",
            "authors": ["A. Writer", "Ñame"],
            "published_at": "2025-03-19T09:19:00+01:00",
            "language": "en",
            "content": '<p>Some "html" \\ with\ttabs\x01 and emoji 📰</p>',
            "content_type": "text/html",
            "metadata": {"feed": "rss", "k": "v"},
        },
        {"url": "http://example.com/x", "content": "c", "published_at": "2025-03-19T09:19:00Z"},
        {"content": "c", "published_at": "2025-03-19T09:19:00.000120-05:30"},
        {"content": "c", "published_at": "2025-03-19T09:19:00+00:00", "authors": []},
    ],
)
def test_value_equals_the_model_dump(fields: dict[str, Any]) -> None:
    article = ArticleIn.model_validate(fields)
    accepted = to_raw_article(article, RECEIVED)
    assert accepted.value == reference(article, RECEIVED)
    assert RawArticle.from_bytes(accepted.value).id == accepted.id


@pytest.mark.parametrize(
    "received",
    [RECEIVED, RECEIVED.replace(microsecond=0), RECEIVED.astimezone(timezone(timedelta(hours=2)))],
)
def test_received_time_is_written_as_the_model_writes_it(received: datetime) -> None:
    article = ArticleIn(content="c")
    assert to_raw_article(article, received).value == reference(article, received)


def test_the_encoding_follows_the_model_fields() -> None:
    value = to_raw_article(ArticleIn(content="c"), RECEIVED).value
    assert list(orjson.loads(value)) == list(RawArticle.model_fields)


def test_an_idempotency_key_is_the_id() -> None:
    accepted = to_raw_article(ArticleIn(content="c"), RECEIVED, "key-1")
    assert accepted.id == "key-1"
    assert RawArticle.from_bytes(accepted.value).id_source == "idempotency_key"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"content": "c", "id": "has space"}, "id"),
        ({"content": "c", "url": "https://example.com:99999/"}, "url"),
    ],
)
def test_an_invalid_id_or_url_is_a_422_naming_the_field(fields: dict[str, Any], field: str) -> None:
    article = ArticleIn.model_construct(**{"content_type": "auto", **fields})
    with pytest.raises(BodyError) as caught:
        to_raw_article(article, RECEIVED)
    assert caught.value.status == 422
    assert caught.value.detail is not None and caught.value.detail[0]["field"] == field


def test_each_record_has_its_own_event_id_and_span_and_the_shared_headers() -> None:
    trace = TraceContext.new()
    articles = [to_raw_article(ArticleIn(content=f"text {n}"), RECEIVED) for n in range(300)]
    records = raw_records("raw", articles, trace.children(300))
    headers = [header_map(record.headers) for record in records]
    assert len({h["ce_id"] for h in headers}) == 300
    assert all(re.fullmatch(r"[0-9a-f]{32}", h["ce_id"]) for h in headers)
    spans = [TraceContext.parse(h["traceparent"]) for h in headers]
    assert all(span is not None and span.trace_id == trace.trace_id for span in spans)
    assert len({span.span_id for span in spans if span}) == 300
    for h in headers:
        assert h["ce_specversion"] == "1.0" and h["ce_source"] == "/newsflow/ingest"
        assert h["ce_type"] == RAW_EVENT_TYPE and h["content-type"] == "application/json"
        assert h["ce_time"] == RECEIVED.isoformat()
    assert [r.key for r in records] == [a.id.encode() for a in articles]
    assert [r.value for r in records] == [a.value for a in articles]
    assert raw_record("raw", articles[0], trace).headers[:5] == records[0].headers[:5]


def test_articles_received_at_different_times_keep_their_own_time() -> None:
    later = RECEIVED.replace(second=59)
    articles = [to_raw_article(ArticleIn(content="a"), t) for t in (RECEIVED, later, RECEIVED)]
    records = raw_records("raw", articles, TraceContext.new().children(3))
    times = [header_map(r.headers)["ce_time"] for r in records]
    assert times == [RECEIVED.isoformat(), later.isoformat(), RECEIVED.isoformat()]
