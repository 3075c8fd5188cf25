"""The store stage: deduplicated article in; stored once; processed article out exactly once per
article id.

The database write is idempotent and claims each article id for the record that first stored
it; the processed record is emitted only for that record (again on its redelivery, since its
previous transaction did not commit), never for a later re-push of the same id. The emit and the
offset commit are one Kafka transaction (the runner's).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from services.core import topology
from services.core.decoding import decode
from services.core.errors import InvalidMessageError
from services.core.events import next_record
from services.core.handlers import BatchHandler, Outcome
from services.core.headers import NF_VERDICT
from services.core.lease import FileLease, Holder, Lease
from services.core.models import DeduplicatedArticle, ProcessedArticle
from services.core.records import ConsumedRecord
from services.core.runner import Stage
from services.core.settings import Settings
from services.core.topics import Topics
from services.store.backend import open_repository
from services.store.repository import ArticleRepository, Position

STORE = topology.stage("store")


def processed(article: DeduplicatedArticle, stored_at: datetime) -> ProcessedArticle:
    """The processed article: every field of the validated input, plus when it was stored."""
    return ProcessedArticle.model_construct(**article.__dict__, stored_at=stored_at)


def store_handler(
    settings: Settings, topics: Topics, repository: ArticleRepository
) -> BatchHandler:
    async def handle(records: Sequence[ConsumedRecord]) -> list[Outcome]:
        outcomes: list[Outcome] = [[] for _ in records]
        pending: list[tuple[int, ProcessedArticle, Position]] = []
        now = datetime.now(UTC)
        for index, record in enumerate(records):
            try:
                article = decode(record, DeduplicatedArticle, settings.max_body_bytes)
            except InvalidMessageError as error:
                outcomes[index] = error
                continue
            position = Position(record.topic, record.partition, record.offset)
            pending.append((index, processed(article, now), position))
        stored = await repository.store_claimed([(a, p) for _, a, p in pending])
        for (index, _, _), publish in zip(pending, stored, strict=True):
            if publish is not None:
                outcomes[index] = [
                    next_record(
                        records[index],
                        topics.name_of(STORE.sends),
                        publish.doc.encode(),  # the bytes stored: a retry publishes the same
                        stage=STORE.name,
                        event_type=STORE.event_type,
                        extra_headers={NF_VERDICT: publish.article.dedup.verdict},
                        time=now,
                    )
                ]
        return outcomes

    return handle


@asynccontextmanager
async def store_stage(settings: Settings, topics: Topics) -> AsyncIterator[Stage]:
    async with await open_repository(settings) as repository:
        yield Stage.in_flow(STORE.name, topics, store_handler(settings, topics, repository))


def store_lease(settings: Settings, me: Holder) -> Lease | None:
    """A SQLite database has one writer: the store process holding the lock on the file beside
    it (the others wait as standbys). A database server (``database_url``) takes several store
    processes, each writing its partitions' articles: they need no lease."""
    if settings.database_url is not None:
        return None
    return FileLease.beside(settings.database_path, me, settings.lease_poll_s)
