"""The status poller: every ~2 s it probes the services, measures lag and depth on the broker
and counts the database, then publishes one immutable :class:`StatusSnapshot`.

Requests answer from the latest snapshot; every step has a bounded timeout, and a step that
fails marks its dependency down without stopping the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from services import __version__
from services.core import topology
from services.core.errors import BrokerUnavailableError
from services.core.kafkaerrors import translated
from services.core.logs import get_logger
from services.core.models import ProcessAnnounced
from services.core.settings import ServiceName, Settings
from services.core.topics import Topics
from services.gateway import gauges
from services.gateway.database import LazyReader
from services.gateway.lag import GroupLag
from services.gateway.models import (
    Dependency,
    DlqStatus,
    FreshnessOut,
    ServiceStatus,
    StatusSnapshot,
    Totals,
)
from services.gateway.offsets import OffsetReader
from services.gateway.probes import probe_all, service_urls
from services.gateway.roster import ProcessRoster
from services.gateway.samples import Sample, SampleRing
from services.gateway.status import (
    Probe,
    health_urls,
    process_rows,
    service_status,
    stage_status,
    throughput,
    utc,
)
from services.store.errors import DatabaseUnavailableError, SchemaVersionError

log = get_logger(__name__)
POLLED: tuple[ServiceName, ...] = topology.STAGES  # the gateway reports itself


@dataclass(frozen=True, slots=True)
class StageInput:
    """A consumer stage: the topic it reads and whether that topic is written transactionally."""

    name: ServiceName
    topic: str
    transactional: bool


def stage_inputs(topics: Topics) -> tuple[StageInput, ...]:
    """Every consumer stage of the topology, in flow order."""
    return tuple(
        StageInput(
            stage.name,
            topics.name_of(stage.input),
            transactional=topology.written_in_transactions(stage.input),
        )
        for stage in topology.CONSUMERS
    )


@dataclass(frozen=True, slots=True)
class KafkaView:
    lags: dict[str, GroupLag]
    accepted: int
    parsed: int
    parsed_exact: bool
    dlq_depth: int
    dlq_exact: bool


class StatusPoller:
    """Owns the samples and the latest snapshot; :meth:`run` polls until ``stop`` is set."""

    def __init__(
        self,
        settings: Settings,
        db: LazyReader,
        *,
        interval_s: float | None = None,
        roster: ProcessRoster | None = None,
    ) -> None:
        self._settings = settings
        self._db = db
        self._roster = roster
        self._interval_s = interval_s or settings.gateway_poll_interval_s
        self._topics = Topics(settings.topic_prefix)
        self._stages = stage_inputs(self._topics)
        self._offsets = OffsetReader(
            settings, [stage.topic for stage in self._stages] + [self._topics.dlq]
        )
        self._started = time.time()
        self._rings: dict[ServiceName, SampleRing] = {}
        self._probes: dict[ServiceName, Probe] = {}
        self._last_ok: dict[ServiceName, Probe] = {}
        self._kafka: KafkaView | None = None
        self._kafka_at: float | None = None
        self._broker = Dependency(ok=False, detail="not checked yet")
        self._database = Dependency(ok=False, detail="not checked yet")
        self._totals = Totals()
        self._freshness: list[FreshnessOut] = []
        self.snapshot = self._build(time.time())

    @property
    def ready(self) -> tuple[bool, str]:
        """Database readable and broker reachable, as of the latest poll."""
        ok = self._database.ok and self._broker.ok
        return ok, f"database: {self._database.detail}; broker: {self._broker.detail}"

    async def run(self, stop: asyncio.Event) -> None:
        async with httpx.AsyncClient(timeout=self._settings.gateway_probe_timeout_s) as client:
            try:
                while not stop.is_set():
                    await self.poll_once(client)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), self._interval_s)
            finally:
                await self.close()

    async def close(self) -> None:
        """Release the broker connections (the next poll reconnects)."""
        await self._offsets.close()

    async def poll_once(self, client: httpx.AsyncClient) -> StatusSnapshot:
        await asyncio.gather(self._poll_services(client), self._poll_kafka(), self._poll_database())
        self.snapshot = self._build(time.time())
        gauges.export(self.snapshot)
        return self.snapshot

    async def _poll_services(self, client: httpx.AsyncClient) -> None:
        processes = process_rows(self._announced(), time.time(), self._forget_s)
        urls = health_urls(processes, service_urls(self._settings))
        for found in await probe_all(client, urls):
            self._probes[found.name] = found
            if found.reachable:
                self._last_ok[found.name] = found
            if found.counters is not None:
                ring = self._rings.setdefault(found.name, SampleRing())
                ring.add(Sample(found.at, found.counters))

    async def _poll_kafka(self) -> None:
        now = time.time()
        try:
            with translated("cannot measure the topics"):
                view = await asyncio.wait_for(
                    self._measure(), self._settings.gateway_kafka_budget_s
                )
        except (BrokerUnavailableError, TimeoutError, OSError) as error:
            await self._offsets.close()
            detail = str(error) or type(error).__name__
            self._broker = Dependency(ok=False, detail=detail, checked_at=utc(now))
            log.warning("gateway_broker_poll_failed", error=detail)
            return
        self._kafka, self._kafka_at = view, now
        self._broker = Dependency(
            ok=True, detail=self._settings.bootstrap_servers, checked_at=utc(now)
        )

    async def _measure(self) -> KafkaView:
        deadline = time.monotonic() + self._settings.gateway_kafka_budget_s * 0.6
        await self._offsets.refresh()
        lags: dict[str, GroupLag] = {}
        for stage in self._stages:
            lags[stage.name] = await self._offsets.group_lag(
                self._topics.group_of(stage.name),
                stage.topic,
                transactional=stage.transactional,
                deadline=deadline,
            )
        # downstream before upstream: a parsed record counted here comes from a raw record
        # already there when the raw topic is measured, so parsed never overtakes accepted
        parsed, parsed_exact = await self._offsets.depth(self._topics.parsed, deadline=deadline)
        depth, exact = await self._offsets.depth(self._topics.dlq, deadline=deadline)
        accepted = await self._offsets.records(self._topics.raw)
        return KafkaView(lags, accepted, parsed, parsed_exact, depth, exact)

    async def _poll_database(self) -> None:
        now = time.time()
        ok, detail = await self._db.check()
        if ok:
            try:
                reader = await self._db.get()
                counts = await reader.counts()
                fresh = await reader.freshness_by_source()
            except (DatabaseUnavailableError, SchemaVersionError) as error:
                ok, detail = False, str(error)
            else:
                verdicts = counts.by_verdict
                self._totals = Totals(
                    stored=counts.total,
                    unique=verdicts.get("unique", 0),
                    duplicates=verdicts.get("duplicate", 0),
                    updates=verdicts.get("update", 0),
                    by_source=dict(counts.by_source),
                )
                self._freshness = [
                    FreshnessOut(
                        source=f.source, articles=f.articles, median_seconds=f.median_seconds
                    )
                    for f in fresh
                ]
        self._database = Dependency(ok=ok, detail=detail, checked_at=utc(now))

    @property
    def _forget_s(self) -> float:
        return self._settings.gateway_process_forget_s

    def _announced(self) -> list[ProcessAnnounced]:
        return [] if self._roster is None else self._roster.announced()

    def _build(self, now: float) -> StatusSnapshot:
        kafka = self._kafka
        samples = {name: ring.samples() for name, ring in self._rings.items()}
        services = [
            service_status(
                name, self._probes.get(name), self._last_ok.get(name), samples.get(name, []), now
            )
            for name in POLLED
        ]
        totals = self._totals.model_copy(
            update={
                "accepted": kafka.accepted if kafka else None,
                "parsed": kafka.parsed if kafka else None,
                "dead_lettered": kafka.dlq_depth if kafka else None,
                "exact": kafka.parsed_exact and kafka.dlq_exact if kafka else False,
            }
        )
        return StatusSnapshot(
            generated_at=datetime.fromtimestamp(now, UTC),
            broker=self._broker,
            database=self._database,
            services=[*services, self._self_status(now)],
            stages=[
                stage_status(s.name, kafka.lags.get(s.name) if kafka else None, self._kafka_at)
                for s in self._stages
            ],
            dlq=DlqStatus(
                topic=self._topics.dlq,
                depth=kafka.dlq_depth if kafka else None,
                exact=kafka.dlq_exact if kafka else False,
            ),
            totals=totals,
            freshness=self._freshness,
            throughput=throughput(samples, now),
            processes=process_rows(self._announced(), now, self._forget_s),
        )

    def _self_status(self, now: float) -> ServiceStatus:
        ok, detail = self.ready
        return ServiceStatus(
            name="gateway",
            status="up" if ok else "unready",
            url=self._settings.gateway_url,
            version=__version__,
            uptime_s=round(now - self._started, 1),
            last_seen=utc(now),
            detail=detail,
        )
