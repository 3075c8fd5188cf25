"""The dedup stage through the real broker: a kill -9 and restart mid-stream gives the same
verdicts as an uninterrupted run, each output exactly once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from services.core.models import DeadLetter, DeduplicatedArticle, ParsedArticle
from services.core.records import OutgoingRecord
from services.core.runner import StageRunner
from services.core.settings import Settings
from services.dedup.handler import dedup_stage
from services.tools.processes import ServiceProcess
from tests.integration.flow import create_topics, produce, read_committed
from tests.integration.pipeline import ROOT
from tests.integration.stages.neardup import parsed_records

COUNT = 150


def verdicts(records: list[DeduplicatedArticle]) -> dict[str, tuple[str, str, str | None]]:
    return {a.id: (a.dedup.verdict, a.dedup.story_id, a.dedup.duplicate_of) for a in records}


async def uninterrupted(settings: Settings) -> dict[str, tuple[str, str, str | None]]:
    topics = await create_topics(settings)
    await produce(settings, parsed_records(topics.parsed, COUNT))
    stop = asyncio.Event()
    async with dedup_stage(settings, topics) as stage:
        task = asyncio.create_task(StageRunner(settings, stage).run(stop))
        out = await read_committed(settings, topics.deduplicated, COUNT, timeout_s=120)
        stop.set()
        await asyncio.wait_for(task, 30)
    return verdicts([DeduplicatedArticle.from_bytes(r.value or b"") for r in out])


def start_dedup(settings: Settings) -> ServiceProcess:
    """``python -m services.dedup`` on one partition, in batches of five."""
    child = Settings().model_copy(
        update={
            "topic_prefix": settings.topic_prefix,
            "topic_partitions": 1,
            "data_dir": settings.data_dir,
            "health_port_base": 0,
            "consumer_batch_size": 5,
            "log_level": "WARNING",
        }
    )
    return ServiceProcess.start("dedup", child, cwd=ROOT)


async def test_restart_mid_stream_gives_the_same_verdicts(
    settings: Settings, tmp_path: Path
) -> None:
    single = settings.model_copy(update={"topic_partitions": 1})
    reference = uninterrupted(
        single.model_copy(
            update={"topic_prefix": settings.topic_prefix + "ref.", "data_dir": tmp_path / "ref"}
        )
    )
    expected = await reference
    assert len(expected) == COUNT
    assert {v[0] for v in expected.values()} >= {"unique", "duplicate"}

    topics = await create_topics(single)
    await produce(single, parsed_records(topics.parsed, COUNT))
    first = start_dedup(single)
    try:
        await read_committed(single, topics.deduplicated, expected=30, timeout_s=90, settle_s=0)
    finally:
        first.kill()
        first.process.wait(10)
    second = start_dedup(single)
    try:
        out = await read_committed(single, topics.deduplicated, COUNT, timeout_s=120, settle_s=2)
    finally:
        assert second.stop(30) == 0
    articles = [DeduplicatedArticle.from_bytes(r.value or b"") for r in out]
    assert len(articles) == COUNT, "every article exactly once"
    assert verdicts(articles) == expected


async def test_article_without_body_goes_to_the_dlq(settings: Settings) -> None:
    topics = await create_topics(settings)
    [good] = parsed_records(topics.parsed, 1)
    article = ParsedArticle.from_bytes(good.value)
    no_words = article.model_copy(update={"id": "no-words", "paragraphs": ["— …"]}).to_bytes()
    await produce(settings, [OutgoingRecord(topics.parsed, b"no-words", no_words), good])
    stop = asyncio.Event()
    async with dedup_stage(settings, topics) as stage:
        task = asyncio.create_task(StageRunner(settings, stage).run(stop))
        out = await read_committed(settings, topics.deduplicated, 1)
        dead = await read_committed(settings, topics.dlq, 1)
        stop.set()
        await asyncio.wait_for(task, 30)
    assert [r.key for r in out] == [good.key]
    letter = DeadLetter.from_bytes(dead[0].value or b"")
    assert (letter.stage, letter.error_class) == ("dedup", "EmptyBodyError")
