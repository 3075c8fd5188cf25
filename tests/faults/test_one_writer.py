"""One writer per SQLite file: a second dedup (or store) process started beside the first, with
the same settings and data directory (an operator's second `newsflow run dedup`, an overlapping
deploy), waits as a standby instead of writing beside it; kill -9 of the active one and the
standby takes over. Every accepted article comes out once, nothing is dead-lettered, and
``/v1/status`` shows each process with its role.

Real processes on the test run's broker; ingest and the gateway are served in this process.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.core.settings import Settings
from services.core.topics import Topics
from services.gateway.app import create_app as gateway_app
from services.ingest.app import create_app as ingest_app
from services.tools.processes import ServiceProcess
from tests.faults.harness import (
    FAST,
    Pusher,
    assert_exactly_once,
    assert_stage_once,
    health_base,
    payloads,
    push_steadily,
)
from tests.integration.flow import create_topics, read_committed, wait_for
from tests.integration.pipeline import ROOT, child_settings
from tests.integration.servers import serving

ARTICLES = 2000
TAKEOVER_S = 15.0  # the bound: a standby is active this soon after the active one died
STAGES = ("parser", "dedup", "store")


@dataclass
class Line:
    """The pipeline of one test: its processes (each pair stage twice) and the gateway."""

    settings: Settings
    child: Settings
    status: httpx.AsyncClient
    processes: list[ServiceProcess]

    def start(self, name: str, **updates: object) -> ServiceProcess:
        """Start service ``name`` with the line's settings (and ``updates``)."""
        log = self.settings.data_dir.parent / f"{name}-{len(self.processes)}.log"
        child = self.child.model_copy(update=updates) if updates else self.child
        process = ServiceProcess.start(name, child, cwd=ROOT, log_path=log)
        self.processes.append(process)
        return process

    async def processes_of(self, service: str) -> dict[int, dict[str, Any]]:
        """The processes of ``service`` the gateway lists, by pid."""
        body = (await self.status.get("/v1/status")).json()
        return {p["pid"]: p for p in body["processes"] if p["service"] == service}

    async def wait_role(
        self, process: ServiceProcess, role: str, timeout_s: float, *, consuming: bool = False
    ) -> dict[str, Any]:
        """Wait until the gateway lists ``process`` live in ``role`` (and, with ``consuming``,
        holding every input partition); its row."""
        row: dict[str, Any] = {}

        async def listed() -> bool:
            nonlocal row
            process.ensure_running()
            row = (await self.processes_of(process.name)).get(process.pid, {})
            if row.get("role") != role or row.get("status") != "up":
                return False
            partitions = self.settings.topic_partitions
            return not consuming or row["partitions"] == list(range(partitions))

        await wait_for(listed, timeout_s, f"{process.name} pid {process.pid} {role}", poll_s=0.2)
        return row


@contextlib.asynccontextmanager
async def pipeline(settings: Settings, **updates: object) -> AsyncIterator[tuple[Line, Pusher]]:
    """Ingest and the gateway served here, a pusher, and no stage process yet; every process
    started through the line is stopped at the end."""
    await create_topics(settings)
    child = child_settings(
        settings, health_port_base=health_base(), **{**FAST, "consumer_batch_size": 50, **updates}
    )
    watch = settings.model_copy(update={"health_port_base": child.health_port_base})
    async with (
        serving(ingest_app(settings)) as ingest,
        httpx.AsyncClient(base_url=ingest) as push,
        serving(gateway_app(watch, poll_interval_s=0.3)) as gateway,
        httpx.AsyncClient(base_url=gateway, timeout=10) as status,
    ):
        line = Line(settings, child, status, [])
        try:
            yield line, Pusher(push)
        finally:
            for process in line.processes:
                process.terminate()
            for process in line.processes:
                await asyncio.to_thread(process.reap, 30)


async def start_with_standby(line: Line, pair: str) -> tuple[ServiceProcess, ServiceProcess]:
    """The three stages, ``pair`` twice with the same settings: the first started is active
    (consuming every partition), the second waits as its standby."""
    first = {name: line.start(name) for name in STAGES}[pair]
    await line.wait_role(first, "active", 90, consuming=True)
    second = line.start(pair)
    standby = await line.wait_role(second, "standby", 60)
    assert standby["partitions"] == [] and "waiting for the lease" in standby["detail"]
    assert f"pid {first.pid}" in standby["detail"], "the standby names the holder"
    assert standby["lease"].endswith(".db.lock")
    assert open_databases(first), "the active one has its database open"
    assert not open_databases(second), "the standby must not open the database"
    return first, second


def open_databases(process: ServiceProcess) -> list[str]:
    """The SQLite files (and their journals) ``process`` has open, from ``/proc``."""
    found = []
    for fd in Path(f"/proc/{process.pid}/fd").iterdir():
        with contextlib.suppress(OSError):  # closed meanwhile
            target = os.readlink(fd)
            if ".db" in target and not target.endswith(".lock"):
                found.append(target)
    return found


async def assert_nothing_dead_lettered(settings: Settings) -> None:
    letters = await read_committed(settings, Topics(settings.topic_prefix).dlq, 0, settle_s=2)
    reasons = {(r.header("nf_error_class"), r.header("nf_error_message")) for r in letters}
    assert not letters, f"{len(letters)} dead letters: {sorted(map(str, reasons))[:5]}"


async def assert_each_once(settings: Settings, pusher: Pusher) -> None:
    await assert_exactly_once(settings, pusher.accepted, pusher.uncertain, timeout_s=240)
    topics = Topics(settings.topic_prefix)
    await assert_stage_once(settings, "dedup", topics.parsed, topics.deduplicated)
    await assert_nothing_dead_lettered(settings)


@pytest.mark.parametrize("pair", ["dedup", "store"])
async def test_a_second_process_stands_by_and_never_writes_beside_the_first(
    settings: Settings, pair: str
) -> None:
    items = payloads(uuid.uuid4().hex[:8], ARTICLES)
    async with pipeline(settings) as (line, pusher):
        first, second = await start_with_standby(line, pair)
        await push_steadily(pusher, items, batch=100, pause_s=0.05)
        assert len(pusher.accepted) == ARTICLES
        await assert_each_once(settings, pusher)
        roles = await line.processes_of(pair)
        assert roles[first.pid]["role"] == "active"
        assert roles[first.pid]["partitions"] == list(range(settings.topic_partitions))
        assert roles[second.pid]["role"] == "standby" and roles[second.pid]["partitions"] == []
        # The active one exits cleanly (a deploy's SIGTERM): the standby takes over, says goodbye
        # to nobody, and the articles pushed after that come out once too.
        assert await asyncio.to_thread(first.stop, 30) == 0
        await line.wait_role(second, "active", TAKEOVER_S, consuming=True)
        assert first.pid not in await line.processes_of(pair), "a clean stop says goodbye"
        await push_steadily(pusher, payloads(uuid.uuid4().hex[:8], 100), batch=50, pause_s=0.05)
        await assert_each_once(settings, pusher)


@pytest.mark.parametrize("pair", ["dedup", "store"])
async def test_kill_9_of_the_active_one_mid_stream_and_the_standby_takes_over(
    settings: Settings, pair: str
) -> None:
    items = payloads(uuid.uuid4().hex[:8], ARTICLES)
    # The production session timeout: the group waits this long for the dead member.
    async with pipeline(settings, session_timeout_ms=10_000) as (line, pusher):
        first, second = await start_with_standby(line, pair)
        # Articles flow throughout: some in flight at the kill, some pushed while no dedup
        # consumes (batches 14-15 wait for the kill), the rest after the takeover (16 on).
        killed, took_over = asyncio.Event(), asyncio.Event()
        pushing = asyncio.create_task(
            push_steadily(pusher, items, batch=50, pause_s=0.1, holds={14: killed, 16: took_over})
        )
        try:
            await wait_for(lambda: _pushed(pusher, 12), 120, "a third of the articles pushed")
            first.kill()  # kill -9, mid-stream
            await asyncio.to_thread(first.process.wait, 30)
            died = time.monotonic()
            killed.set()
            await line.wait_role(second, "active", TAKEOVER_S, consuming=True)
            took_over_s = time.monotonic() - died
            took_over.set()
            await asyncio.wait_for(pushing, 300)
        finally:
            pushing.cancel()
        assert len(pusher.accepted) == ARTICLES
        await assert_each_once(settings, pusher)
        dead = (await line.processes_of(pair)).get(first.pid)
        assert dead is None or dead["status"] == "down", "the killed process is not shown live"
        print(f"{pair}: the standby consumed every partition {took_over_s:.1f}s after kill -9")


async def _pushed(pusher: Pusher, batches: int) -> bool:
    return pusher.batches >= batches
