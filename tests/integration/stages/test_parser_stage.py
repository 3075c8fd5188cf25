"""The parser stage through the real broker: raw in, parsed out; poison to the DLQ."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

from services.core.models import DeadLetter, ParsedArticle, RawArticle
from services.core.records import OutgoingRecord
from services.core.runner import StageRunner
from services.core.settings import Settings
from services.parser.handler import parser_stage
from tests.conftest import DATA
from tests.integration.flow import create_topics, produce, read_committed


async def test_raw_to_parsed_and_poison_to_dlq(settings: Settings) -> None:
    topics = await create_topics(settings)
    seed = RawArticle(
        id="seed-1",
        id_source="client",
        content=(DATA / "seed-article.txt").read_text(),
        content_type="text/plain",
        received_at=datetime.now(UTC),
    )
    poison = [b"{not json", json.dumps({"id": "x", "content": ""}).encode(), b"\xff\xfe"]
    empty = seed.model_copy(update={"id": "empty-1", "content": "Advertisement\n\nRead more"})
    await produce(
        settings,
        [OutgoingRecord(topics.raw, b"seed-1", seed.to_bytes())]
        + [OutgoingRecord(topics.raw, f"p{i}".encode(), v) for i, v in enumerate(poison)]
        + [OutgoingRecord(topics.raw, b"empty-1", empty.to_bytes())],
    )
    stop = asyncio.Event()
    async with parser_stage(settings, topics) as stage:
        task = asyncio.create_task(StageRunner(settings, stage).run(stop))
        parsed = await read_committed(settings, topics.parsed, expected=1)
        dead = await read_committed(settings, topics.dlq, expected=4)
        stop.set()
        await asyncio.wait_for(task, 30)
    [article] = [ParsedArticle.from_bytes(r.value or b"") for r in parsed]
    assert article.id == "seed-1"
    assert article.title == "Ukraine and Russia Trade Blows After Agreeing to De-Escalation Talks"
    assert article.published_at is not None
    assert article.published_at.isoformat() == "2025-03-19T09:19:00+01:00"
    assert article.cited_outlets == ["Euronews", "Fox News"]
    assert dict(parsed[0].headers)["traceparent"]
    letters = {r.key: DeadLetter.from_bytes(r.value or b"") for r in dead}
    assert set(letters) == {b"p0", b"p1", b"p2", b"empty-1"}
    assert all(letter.stage == "parser" for letter in letters.values())
    assert letters[b"p0"].error_class == "InvalidMessageError"
    assert letters[b"p2"].original_value_encoding == "base64"
    assert letters[b"empty-1"].error_class == "EmptyArticleError"
