"""Restart the broker (a private one: stopped and started again with the same settings and
data directory) while ingest and every consumer service run. They recover by themselves: every
article that got a 202 comes out exactly once, every service is ready again."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import httpx

from services.core.settings import Settings
from services.ingest.app import create_app
from services.tools import localkafka
from tests.faults.harness import (
    Pusher,
    assert_exactly_once,
    fleet,
    on_broker,
    push_until,
    wait_stored,
)
from tests.integration.flow import create_topics
from tests.integration.servers import private_broker, serving
from tests.support.stored import stored_ids


def broker_report(broker: Settings) -> str:
    """Whether the restarted broker still runs, and the end of its log (for a failure)."""
    status = localkafka.status(broker)
    output = localkafka.paths_for(broker).output
    tail = output.read_text(errors="replace")[-3000:] if output.exists() else "(no log)"
    return f"broker after the restart: {status.detail}\n--- broker.log (end) ---\n{tail}"


async def test_services_recover_by_themselves_from_a_broker_restart(tmp_path: Path) -> None:
    with private_broker(tmp_path) as broker:
        settings = broker.model_copy(
            update={
                "topic_prefix": f"r{uuid.uuid4().hex[:8]}.",
                "data_dir": tmp_path / "data",
                "session_timeout_ms": 6000,
                "ingest_send_timeout_s": 3.0,
            }
        )
        await create_topics(settings)
        run = uuid.uuid4().hex[:8]
        database = settings.database_path
        async with (
            serving(create_app(settings)) as base,
            httpx.AsyncClient(base_url=base) as client,
        ):
            pusher = Pusher(client)
            stop_pushing = asyncio.Event()
            with fleet(settings, **on_broker(settings)) as services:
                services.start_all()
                pushing = asyncio.create_task(push_until(pusher, run, stop_pushing, pause_s=0.3))
                try:
                    await wait_stored(database, 30, 60, "before the restart")
                    await asyncio.to_thread(localkafka.stop, broker)  # mid-stream
                    await asyncio.to_thread(localkafka.start, broker)
                    before = len(stored_ids(database))
                    try:
                        await wait_stored(database, before + 40, 90, "after the restart")
                    except AssertionError as error:
                        raise AssertionError(f"{error}\n{broker_report(broker)}") from error
                finally:
                    stop_pushing.set()
                    await asyncio.wait_for(pushing, 60)
                assert pusher.uncertain, "pushes during the outage were refused (503)"
                await assert_exactly_once(settings, pusher.accepted, pusher.uncertain)
                await services.wait_ready(timeout_s=60)
