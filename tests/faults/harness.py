"""Shared helpers of the fault tests: service processes with health ports, an ingest pusher,
progress probes, and the exactly-once / dead-letter checks every scenario ends with.

Everything is bounded: every wait has a deadline, every process started here is ended by its PID.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from services.core import ndjson
from services.core.models import DeadLetter
from services.core.records import ConsumedRecord
from services.core.settings import Settings
from services.core.topics import Topics
from services.ingest.articles import to_raw_article
from services.ingest.publisher import received_now
from services.ingest.requests import ArticleIn
from services.tools.localkafka import port_in_use
from services.tools.processes import ServiceProcess
from tests.conftest import DATA
from tests.integration.flow import read_committed, wait_for
from tests.integration.pipeline import ROOT, child_settings
from tests.support.ports import free_port
from tests.support.stored import assert_written_once, stored_ids, stored_ids_of

PLAINTEXT = DATA / "plaintext" / "plaintext-dev.jsonl"
STAGE_NAMES = ("parser", "dedup", "store")

# What every fault test's service processes are told: small batches (many transactions, so a
# kill lands between them or inside one), quick polls and short, bounded retry backoff.
FAST: dict[str, object] = {
    "consumer_batch_size": 20,
    "consumer_fetch_timeout_ms": 100,
    "retry_backoff_initial_s": 0.1,
    "retry_backoff_max_s": 1.0,
}


# --- articles ---------------------------------------------------------------------------------


def texts() -> list[str]:
    return [json.loads(line.text)["text"] for line in ndjson.records(PLAINTEXT.read_text("utf-8"))]


def payloads(run: str, count: int, first: int = 0) -> list[dict[str, str]]:
    """``count`` articles from the dev set (cycled), each with its own URL and so its own id."""
    corpus = texts()
    return [
        {
            "url": f"https://faults.example.com/{run}/{n}",
            "source": "faults",
            "content": f"{corpus[n % len(corpus)]}\n\nFault run {run}, article {n}.",
        }
        for n in range(first, first + count)
    ]


def article_id(payload: dict[str, str]) -> str:
    """The id ingest gives this payload (ids are deterministic: here, from the URL)."""
    return to_raw_article(ArticleIn.model_validate(payload), received_now()).id


@dataclass
class Pusher:
    """Pushes batches through the real ingest HTTP API and keeps what was answered."""

    client: httpx.AsyncClient
    accepted: set[str] = field(default_factory=set)  # answered 202 at least once
    attempted: set[str] = field(default_factory=set)  # ids pushed, whatever the answer
    statuses: Counter[int] = field(default_factory=Counter)
    batches: int = 0

    async def push(self, items: list[dict[str, str]]) -> int:
        """Push one batch; return how many got a 202. A refused or failed request is counted,
        never raised: the broker may be down on purpose."""
        ids = [article_id(item) for item in items]
        self.attempted.update(ids)
        self.batches += 1
        try:
            response = await self.client.post("/v1/articles:batch", json=items, timeout=30)
        except httpx.HTTPError as error:
            self.statuses[-1] += len(items)
            _ = error
            return 0
        if response.status_code != 207:
            self.statuses[response.status_code] += len(items)
            return 0
        results = response.json()["results"]
        for item_id, result in zip(ids, results, strict=True):
            self.statuses[result["status"]] += 1
            if result["status"] == 202:
                assert result["id"] == item_id
                self.accepted.add(item_id)
        return sum(1 for r in results if r["status"] == 202)

    @property
    def uncertain(self) -> set[str]:
        """Pushed but never answered 202: may or may not have reached the broker."""
        return self.attempted - self.accepted


async def push_steadily(
    pusher: Pusher,
    items: list[dict[str, str]],
    batch: int,
    pause_s: float,
    holds: Mapping[int, asyncio.Event] | None = None,
) -> None:
    """Push ``items`` in batches with a pause between them (articles keep flowing meanwhile).

    ``holds`` maps a batch number to an event: that batch waits for it, so a fault the test
    injects meanwhile lands mid-stream however slowly the machine runs (the batches before it
    are in flight, those after it still to come)."""
    for number, start in enumerate(range(0, len(items), batch)):
        if holds and number in holds:
            await holds[number].wait()
        await pusher.push(items[start : start + batch])
        await asyncio.sleep(pause_s)


async def push_until(
    pusher: Pusher,
    run: str,
    stop: asyncio.Event,
    batch: int = 10,
    pause_s: float = 0.2,
    most: int = 2000,
    repush_every: int = 4,
) -> None:
    """Push fresh articles until ``stop`` is set (at most ``most``); every ``repush_every``-th
    batch pushes an earlier batch again (same ids)."""
    pushed = 0
    while not stop.is_set() and pushed < most:
        items = payloads(run, batch, first=pushed)
        await pusher.push(items)
        pushed += batch
        if repush_every and pusher.batches % repush_every == 0:
            await pusher.push(payloads(run, batch, first=max(0, pushed - 3 * batch)))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), pause_s)


# --- service processes ------------------------------------------------------------------------


def health_base() -> int:
    """A base port whose three health ports (parser, dedup, store: base+0..2) are all free."""
    for _ in range(100):
        base = free_port()
        if base + 2 < 65536 and not any(port_in_use(base + i) for i in range(3)):
            return base
    raise RuntimeError("no three consecutive free ports on loopback")


class Fleet:
    """The consumer-stage processes of one test: started, killed, stalled and ended by PID."""

    def __init__(self, settings: Settings, **updates: object) -> None:
        self.settings = settings
        self.updates = {**FAST, **updates}
        self.services: list[ServiceProcess] = []

    def start(self, name: str) -> ServiceProcess:
        child = child_settings(self.settings, health_port_base=health_base(), **self.updates)
        service = ServiceProcess.start(name, child, cwd=ROOT)
        self.services.append(service)
        return service

    def start_all(self) -> dict[str, ServiceProcess]:
        return {name: self.start(name) for name in STAGE_NAMES}

    async def kill9(self, service: ServiceProcess) -> None:
        """``kill -9`` exactly this process and reap it."""
        assert service.exit_code is None, f"{service.name} exited before the kill"
        os.kill(service.pid, signal.SIGKILL)
        code = await asyncio.to_thread(service.process.wait, 30)
        assert code == -signal.SIGKILL
        self.services.remove(service)

    def alive(self) -> list[ServiceProcess]:
        return [s for s in self.services if s.exit_code is None]

    def stop_all(self, timeout_s: float = 30.0) -> dict[int, int | None]:
        """SIGCONT (a stalled one would ignore SIGTERM) and SIGTERM each, SIGKILL late ones."""
        for service in self.services:
            service.terminate()
        codes: dict[int, int | None] = {}  # None: had to be killed
        deadline = time.monotonic() + timeout_s
        for service in self.services:
            codes[service.pid] = service.reap(max(0.1, deadline - time.monotonic()))
        self.services.clear()
        return codes

    async def wait_ready(
        self, services: list[ServiceProcess] | None = None, timeout_s: float = 60
    ) -> None:
        """Each service answers ``/readyz`` 200 (and is still running) within the deadline."""
        pending = list(self.services if services is None else services)
        async with httpx.AsyncClient(timeout=2) as client:

            async def ready() -> bool:
                for service in list(pending):
                    code = service.exit_code
                    assert code is None, f"{service.name} (pid {service.pid}) exited with {code}"
                    if await service.is_ready(client):
                        pending.remove(service)
                return not pending

            try:
                await wait_for(ready, timeout_s, "/readyz 200", poll_s=0.2)
            except AssertionError as error:
                names = ", ".join(f"{s.name} (pid {s.pid}, {s.ready_url})" for s in pending)
                raise AssertionError(f"{error} from {names}") from None


@contextlib.contextmanager
def fleet(settings: Settings, **updates: object) -> Iterator[Fleet]:
    """A :class:`Fleet` whose processes are told ``settings`` (see ``child_settings``), the
    :data:`FAST` updates and ``updates``; every one still running is stopped at the end."""
    running = Fleet(settings, **updates)
    try:
        yield running
    finally:
        running.stop_all()


def on_broker(settings: Settings) -> dict[str, object]:
    """Settings updates that point service processes at this settings' broker (a private one,
    in restart tests)."""
    return {
        "kafka_bootstrap_servers": settings.bootstrap_servers,
        "kafka_port": settings.kafka_port,
    }


# --- progress and checks ----------------------------------------------------------------------


async def wait_stored(database: Path, at_least: int, timeout_s: float, what: str) -> int:
    """Wait until the database holds ``at_least`` distinct articles; return the count."""
    seen = 0

    async def enough() -> bool:
        nonlocal seen
        seen = len(stored_ids(database))
        return seen >= at_least

    await wait_for(enough, timeout_s, f"{at_least} stored articles ({what})", poll_s=0.1)
    return seen


async def assert_exactly_once(
    settings: Settings,
    pusher_accepted: set[str],
    uncertain: set[str] = frozenset(),  # type: ignore[assignment]
    timeout_s: float = 60,
) -> list[ConsumedRecord]:
    """Every accepted article is in the database once and on the processed topic once; nothing
    else appears but articles whose push had no 202 answer (they may have reached the broker).
    The database is the store's of ``settings`` (its SQLite file, or its PostgreSQL database)."""
    topics = Topics(settings.topic_prefix)

    async def all_stored() -> bool:
        return pusher_accepted <= set(await stored_ids_of(settings))

    with contextlib.suppress(AssertionError):  # the checks below say what is missing
        await wait_for(all_stored, timeout_s, "every accepted article stored", poll_s=0.2)
    out = await read_committed(
        settings, topics.processed, len(pusher_accepted), timeout_s=timeout_s, settle_s=3
    )
    published = Counter(r.key_text or "" for r in out)
    missing = sorted(pusher_accepted - set(published))
    doubled = sorted(k for k, n in published.items() if n > 1)
    strangers = sorted(set(published) - pusher_accepted - uncertain)
    assert not missing, f"{len(missing)} accepted articles never published: {missing[:10]}"
    assert not doubled, f"{len(doubled)} articles published more than once: {doubled[:10]}"
    assert not strangers, f"published but never pushed: {strangers[:10]}"
    in_db = await stored_ids_of(settings)
    db_missing = sorted(pusher_accepted - set(in_db))
    assert not db_missing, f"{len(db_missing)} accepted articles not stored: {db_missing[:10]}"
    await assert_written_once(settings, in_db)
    assert set(in_db) == set(published), "database and processed topic disagree"
    return out


async def assert_stage_once(
    settings: Settings, stage: str, source: str, target: str, timeout_s: float = 60
) -> int:
    """Every committed record of ``source`` has exactly one output on ``target`` from ``stage``
    (its CloudEvent id is the input's plus ``:<stage>``): the stage itself lost and doubled
    nothing, whatever later stages absorb. Returns how many records that was."""
    inputs = await read_committed(settings, source, 1, timeout_s=timeout_s, settle_s=2)
    wanted = Counter(f"{r.header('ce_id')}:{stage}" for r in inputs)
    assert max(wanted.values()) == 1, "input CloudEvent ids are unique"
    outputs = await read_committed(settings, target, len(wanted), timeout_s=timeout_s, settle_s=3)
    seen = Counter(r.header("ce_id") or "" for r in outputs)
    missing = sorted(set(wanted) - set(seen))
    doubled = sorted(k for k, n in seen.items() if n > 1)
    assert not missing, f"{stage}: {len(missing)} inputs with no output: {missing[:5]}"
    assert not doubled, f"{stage}: {len(doubled)} inputs with two outputs: {doubled[:5]}"
    assert set(seen) == set(wanted), f"{stage}: outputs with no input"
    return len(wanted)


def dead_letters(records: list[ConsumedRecord]) -> dict[str | None, tuple[DeadLetter, Any]]:
    """DLQ records by original key: the parsed dead letter and the record (for its headers)."""
    return {r.key_text: (DeadLetter.from_bytes(r.value or b""), r) for r in records}
