"""The dedup stage: parsed article in, the same article with its verdict out."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta

from services.core.decoding import decode
from services.core.events import next_record
from services.core.handlers import Handler, per_record
from services.core.models import DeduplicatedArticle, DedupVerdict, ParsedArticle
from services.core.records import ConsumedRecord, OutgoingRecord
from services.core.runner import Stage
from services.core.settings import Settings
from services.core.topics import Topics
from services.dedup.engine import DedupEngine
from services.dedup.settings import DedupSettings
from services.dedup.verdict import DedupInput, Verdict

DEDUPLICATED_EVENT = "dev.newsflow.article.deduplicated.v1"


def dedup_input(article: ParsedArticle) -> DedupInput:
    return DedupInput(
        article_id=article.id,
        canonical_url=article.canonical_url,
        body=article.body,
        title=article.title,
        published_at=article.published_at,
    )


def verdict_model(verdict: Verdict) -> DedupVerdict:
    return DedupVerdict(
        verdict=verdict.kind.value,
        story_id=verdict.story_id,
        duplicate_of=verdict.duplicate_of,
        similarity=min(max(verdict.similarity, 0.0), 1.0),
        method=verdict.method.value,
        evidence=verdict.evidence.to_dict(),
    )


def with_verdict(article: ParsedArticle, verdict: Verdict) -> DeduplicatedArticle:
    return DeduplicatedArticle.model_validate(
        {**article.model_dump(), "dedup": verdict_model(verdict)}
    )


def dedup_handler(settings: Settings, topics: Topics, engine: DedupEngine) -> Handler:
    async def handle(record: ConsumedRecord) -> Sequence[OutgoingRecord]:
        article = decode(record, ParsedArticle, settings.max_body_bytes)
        verdict = await engine.check(dedup_input(article))  # persisted before it returns
        out = with_verdict(article, verdict)
        return [
            next_record(
                record, topics.deduplicated, out, stage="dedup", event_type=DEDUPLICATED_EVENT
            )
        ]

    return handle


def engine_settings(settings: Settings) -> DedupSettings:
    return DedupSettings(window=timedelta(hours=settings.dedup_window_hours))


@asynccontextmanager
async def dedup_stage(settings: Settings, topics: Topics) -> AsyncIterator[Stage]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    async with await DedupEngine.open(
        settings.dedup_state_path, engine_settings(settings)
    ) as engine:
        yield Stage(
            name="dedup",
            input_topic=topics.parsed,
            group_id=topics.group_of("dedup"),
            dlq_topic=topics.dlq,
            handler=per_record(dedup_handler(settings, topics, engine)),
        )
