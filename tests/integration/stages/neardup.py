"""Parsed-article records built from the near-duplicate dev set, for dedup stage tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from services.core import ndjson
from services.core.models import ParsedArticle
from services.core.records import OutgoingRecord
from services.core.urls import InvalidUrlError, canonical_url
from tests.conftest import DATA

NEARDUP = DATA / "neardup" / "neardup-dev.jsonl"


def canonical_or_none(url: str | None) -> str | None:
    try:
        return canonical_url(url) if url else None
    except InvalidUrlError:
        return None


def parsed_records(topic: str, limit: int) -> list[OutgoingRecord]:
    out = []
    for line in ndjson.records(NEARDUP.read_text("utf-8"))[:limit]:
        doc = json.loads(line.text)
        article = ParsedArticle(
            id=doc["doc_id"],
            url=doc.get("url"),
            canonical_url=canonical_or_none(doc.get("url")),
            source=doc.get("source"),
            title=doc.get("title"),
            paragraphs=[p for p in doc["text"].split("\n\n") if p.strip()],
            parser_version="test",
            received_at=datetime(2025, 1, 1, tzinfo=UTC),
        )
        out.append(OutgoingRecord(topic, article.id.encode(), article.to_bytes()))
    return out
