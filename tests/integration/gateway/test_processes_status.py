"""The processes in /v1/status and on the dashboard, from the processes topic of the real broker:
a real stage process announces itself and says goodbye when stopped; announcements of a dedup
pair (active and standby, on two hosts) show on the dashboard with their roles."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from services.core import kafka
from services.core.models import ProcessAnnounced, ProcessRole
from services.core.records import OutgoingRecord
from services.core.settings import Settings
from tests.integration.flow import create_topics, produce, wait_for
from tests.integration.gateway.browser import browser_page
from tests.integration.gateway.conftest import gateway
from tests.integration.pipeline import service_process

PAIR = """
(() => {
  const rows = [...document.querySelectorAll('#processes tbody tr[data-service="dedup"]')];
  return rows.map((r) => `${r.dataset.pid}:${r.dataset.role}:${r.dataset.status}`).join(' ');
})()
"""


def announced(pid: int, role: ProcessRole, host: str, partitions: list[int]) -> ProcessAnnounced:
    now = datetime.now(UTC)
    return ProcessAnnounced(
        instance=f"dedup-{host}-{pid}-test",
        service="dedup",
        host=host,
        pid=pid,
        role=role,
        status="ok",
        detail="consuming" if role == "active" else "standby: waiting for the lease",
        partitions=partitions,
        health_url=f"http://{host}:9102",
        lease="/data/dedup.db.lock",
        started_at=now,
        announced_at=now,
        interval_s=60.0,  # not silent for the length of the test
    )


async def listed(client: Any, service: str) -> dict[int, dict[str, Any]]:
    body = (await client.get("/v1/status")).json()
    return {p["pid"]: p for p in body["processes"] if p["service"] == service}


async def test_a_stage_process_is_listed_while_it_runs_and_gone_after_a_clean_stop(
    settings: Settings,
) -> None:
    await create_topics(settings)
    parser = service_process(settings, "parser", process_heartbeat_s=0.5)
    try:
        async with gateway(settings) as client:

            async def consuming() -> bool:
                row = (await listed(client, "parser")).get(parser.pid)
                return row is not None and row["partitions"] == [0, 1, 2]

            await wait_for(consuming, 60, "the parser listed with its partitions")
            row = (await listed(client, "parser"))[parser.pid]
            assert row["role"] == "active" and row["status"] == "up" and row["lease"] is None
            assert row["health_url"].startswith("http://127.0.0.1:")
            assert await asyncio.to_thread(parser.stop, 30) == 0

            async def gone() -> bool:
                return parser.pid not in await listed(client, "parser")

            await wait_for(gone, 30, "the stopped parser no longer listed")
    finally:
        parser.stop(30)


async def test_the_dashboard_shows_each_process_with_its_role(
    settings: Settings, tmp_path: Path
) -> None:
    topics = await create_topics(settings)
    pair = [announced(41, "active", "host-a", [0, 1, 2]), announced(42, "standby", "host-b", [])]
    gone = announced(43, "standby", "host-c", [])
    await produce(
        settings,
        [
            OutgoingRecord(topics.processes, a.instance.encode(), a.to_bytes())
            for a in [*pair, gone]
        ],
    )
    async with gateway(settings) as client:

        async def both_listed() -> bool:
            return set(await listed(client, "dedup")) == {41, 42}

        # 43 is listed until its goodbye (a tombstone) arrives, then never again.
        await wait_for(lambda: _has(client, 43), 30, "the third process listed")
        await _goodbye(settings, topics.processes, gone.instance)
        await wait_for(both_listed, 30, "the dedup pair listed without the third")
        rows = await listed(client, "dedup")
        assert rows[41]["role"] == "active" and rows[41]["partitions"] == [0, 1, 2]
        assert rows[42]["role"] == "standby" and rows[42]["host"] == "host-b"
        async with browser_page(str(client.base_url) + "/", tmp_path / "profile") as page:
            await page.wait_until(f"{PAIR} === '41:active:up 42:standby:up'", 30, "the pair")
            dom = await page.dom()
    assert "host-b" in dom and "standby: waiting for the lease" in dom


async def _has(client: Any, pid: int) -> bool:
    return pid in await listed(client, "dedup")


async def _goodbye(settings: Settings, topic: str, instance: str) -> None:
    """A tombstone for ``instance``, as a process sends when it stops cleanly."""
    producer = kafka.make_producer(settings)
    await producer.start()
    try:
        await kafka.send_tombstone(producer, topic, instance.encode())
    finally:
        await producer.stop()
