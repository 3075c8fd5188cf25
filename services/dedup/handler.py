"""The dedup stage: parsed article in, the same article with its verdict out."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from services.core import topology
from services.core.decoding import decode
from services.core.errors import InvalidMessageError
from services.core.events import next_record
from services.core.handlers import BatchHandler, Outcome
from services.core.lease import FileLease, Holder, Lease
from services.core.models import DeduplicatedArticle, DedupVerdict, ParsedArticle
from services.core.records import ConsumedRecord
from services.core.runner import Stage
from services.core.settings import Settings
from services.core.topics import Topics
from services.dedup.decision import Decision, DedupInput
from services.dedup.engine import DedupEngine

DEDUP = topology.stage("dedup")


def dedup_input(article: ParsedArticle) -> DedupInput:
    return DedupInput(
        article_id=article.id,
        canonical_url=article.canonical_url,
        body=article.body,
        title=article.title,
        published_at=article.published_at,
    )


def verdict_model(verdict: Decision) -> DedupVerdict:
    return DedupVerdict(
        verdict=verdict.kind.value,
        story_id=verdict.story_id,
        duplicate_of=verdict.duplicate_of,
        similarity=min(max(verdict.similarity, 0.0), 1.0),
        method=verdict.method.value,
        evidence=verdict.evidence.to_dict(),
    )


def with_verdict(article: ParsedArticle, verdict: Decision) -> DeduplicatedArticle:
    """The validated parsed article's fields plus its (validated) verdict."""
    return DeduplicatedArticle.model_construct(**article.__dict__, dedup=verdict_model(verdict))


def dedup_handler(settings: Settings, topics: Topics, engine: DedupEngine) -> BatchHandler:
    """Check a whole batch in one engine call (one SQLite transaction), in record order."""

    async def handle(records: Sequence[ConsumedRecord]) -> list[Outcome]:
        outcomes: list[Outcome] = [[] for _ in records]
        readable: list[tuple[int, ParsedArticle]] = []
        for index, record in enumerate(records):
            try:
                readable.append((index, decode(record, ParsedArticle, settings.max_body_bytes)))
            except InvalidMessageError as error:
                outcomes[index] = error
        verdicts = await engine.check_many([dedup_input(article) for _, article in readable])
        now = datetime.now(UTC)
        for (index, article), verdict in zip(readable, verdicts, strict=True):
            if isinstance(verdict, Exception):
                outcomes[index] = verdict
                continue
            out = with_verdict(article, verdict)
            outcomes[index] = [
                next_record(
                    records[index],
                    topics.name_of(DEDUP.sends),
                    out,
                    stage=DEDUP.name,
                    event_type=DEDUP.event_type,
                    time=now,
                )
            ]
        return outcomes

    return handle


@asynccontextmanager
async def dedup_stage(settings: Settings, topics: Topics) -> AsyncIterator[Stage]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    async with await DedupEngine.open(settings.dedup_state_path, settings.dedup) as engine:
        yield Stage.in_flow(DEDUP.name, topics, dedup_handler(settings, topics, engine))


def dedup_lease(settings: Settings, me: Holder) -> Lease:
    """Dedup's state has one writer: the process holding the lock on the file beside it (the
    others wait as standbys)."""
    return FileLease.beside(settings.dedup_state_path, me, settings.lease_poll_s)
