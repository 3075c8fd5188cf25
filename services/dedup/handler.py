"""The dedup stage: parsed article in, the same article with its verdict out."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from services.core import topology
from services.core.decoding import decode
from services.core.errors import DatabaseUnavailableError, InvalidMessageError
from services.core.events import next_record
from services.core.handlers import BatchHandler, Outcome
from services.core.lease import FileLease, Holder, Lease, LeaseError
from services.core.logs import get_logger
from services.core.models import DeduplicatedArticle, DedupVerdict, ParsedArticle
from services.core.pglease import LeaseFence, PgLease
from services.core.policy import Backoff
from services.core.records import ConsumedRecord
from services.core.runner import Stage
from services.core.settings import Settings
from services.core.topics import Topics
from services.dedup.decision import Decision, DedupInput
from services.dedup.engine import DedupEngine
from services.dedup.statestore import ServerState, StateLocation

DEDUP = topology.stage("dedup")
log = get_logger(__name__)


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
    """Check a whole batch in one engine call (one state transaction), in record order."""

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


def dedup_scope(settings: Settings) -> str:
    """The name of this pipeline's dedup state and lease on a database server: its consumer
    group (so pipelines with different topic prefixes never share either)."""
    return Topics(settings.topic_prefix).group_of(DEDUP.name)


def state_location(settings: Settings) -> StateLocation:
    """Dedup's state: the configured PostgreSQL database, else ``dedup.db`` in the data
    directory."""
    if settings.database_url is not None:
        return ServerState(settings.database_url, dedup_scope(settings))
    return settings.dedup_state_path


@asynccontextmanager
async def dedup_stage(
    settings: Settings, topics: Topics, lease: Lease | None = None
) -> AsyncIterator[Stage]:
    """The dedup stage over its state, opened now (by a process that holds ``lease``, once it
    holds it: the state read is then all the previous holder committed). On PostgreSQL each of
    its commits checks that ``lease`` is still held; without a lease (tests) the caller makes
    sure nothing else writes the state."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    fence = lease.fence if isinstance(lease, PgLease) else None
    if isinstance(lease, PgLease) and fence is None:
        raise LeaseError(f"dedup's state is opened without holding {lease.resource}")
    async with await _opened_engine(settings, fence) as engine:
        yield Stage.in_flow(DEDUP.name, topics, dedup_handler(settings, topics, engine))


async def _opened_engine(settings: Settings, fence: LeaseFence | None) -> DedupEngine:
    """The engine over dedup's state; a database that is away is waited for (with backoff; a
    lease lost meanwhile cancels the wait)."""
    backoff = Backoff(settings.retry_backoff_initial_s, settings.retry_backoff_max_s)
    while True:
        try:
            return await DedupEngine.open(state_location(settings), settings.dedup, fence=fence)
        except DatabaseUnavailableError as error:
            delay = backoff.next_delay()
            log.warning("dedup_state_unavailable", error=str(error)[:300], retry_in_s=delay)
            await asyncio.sleep(delay)


def dedup_lease(settings: Settings, me: Holder) -> Lease:
    """Dedup's state has one writer: the process holding its lease (the others wait as
    standbys). On PostgreSQL, an advisory lock named after the dedup consumer group; on
    SQLite, the lock on the file beside the state."""
    if settings.database_url is not None:
        return PgLease(
            settings.database_url,
            dedup_scope(settings),
            me,
            settings.lease_poll_s,
            settings.lease_check_timeout_s,
        )
    return FileLease.beside(settings.dedup_state_path, me, settings.lease_poll_s)
