"""``newsflow tail``: print processed articles as they arrive (a downstream consumer)."""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from services.core import kafka
from services.core.headers import NF_VERDICT
from services.core.models import ProcessedArticle
from services.core.records import ConsumedRecord
from services.core.settings import Settings
from services.core.topics import Topics


def render(record: ConsumedRecord, as_json: bool) -> str:
    if as_json:
        return (record.value or b"").decode("utf-8", "replace")
    article = ProcessedArticle.from_bytes(record.value or b"")
    published = article.published_at.isoformat() if article.published_at else "-"
    return "\t".join(
        [
            article.dedup.verdict,
            article.id,
            article.source or article.site_name or "-",
            published,
            article.title or (article.lead or "")[:80],
        ]
    )


async def tail(
    settings: Settings,
    *,
    from_beginning: bool,
    skip_duplicates: bool,
    as_json: bool,
    limit: int | None = None,
    out: TextIO = sys.stdout,
    stop: asyncio.Event | None = None,
) -> int:
    """Print processed articles until ``stop`` (or ``limit`` printed); returns how many."""
    topic = Topics(settings.topic_prefix).processed
    consumer = kafka.make_consumer(
        settings, None, topic, auto_offset_reset="earliest" if from_beginning else "latest"
    )
    await consumer.start()
    printed = 0
    try:
        while not (stop and stop.is_set()) and (limit is None or printed < limit):
            batch = await consumer.getmany(timeout_ms=500)
            for message in (m for ms in batch.values() for m in ms):
                record = kafka.to_consumed(message)
                if skip_duplicates and record.header(NF_VERDICT) == "duplicate":
                    continue
                print(render(record, as_json), file=out, flush=True)
                printed += 1
                if limit is not None and printed >= limit:
                    break
    finally:
        await consumer.stop()
    return printed
