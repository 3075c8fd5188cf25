"""The parser stage: raw article in, parsed article out (through the core runner)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from services.core.decoding import decode
from services.core.events import next_record
from services.core.handlers import Handler, per_record
from services.core.models import RawArticle
from services.core.records import ConsumedRecord, OutgoingRecord
from services.core.runner import Stage
from services.core.settings import Settings
from services.core.topics import Topics
from services.parser.parse import parse_article

PARSED_EVENT = "dev.newsflow.article.parsed.v1"


def parser_handler(settings: Settings, topics: Topics) -> Handler:
    async def handle(record: ConsumedRecord) -> Sequence[OutgoingRecord]:
        raw = decode(record, RawArticle, settings.max_body_bytes)
        parsed = await asyncio.to_thread(parse_article, raw)  # keeps heartbeats flowing
        return [next_record(record, topics.parsed, parsed, stage="parser", event_type=PARSED_EVENT)]

    return handle


@asynccontextmanager
async def parser_stage(settings: Settings, topics: Topics) -> AsyncIterator[Stage]:
    yield Stage(
        name="parser",
        input_topic=topics.raw,
        group_id=topics.group_of("parser"),
        dlq_topic=topics.dlq,
        handler=per_record(parser_handler(settings, topics)),
    )
