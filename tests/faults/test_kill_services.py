"""kill -9 each consumer service (parser, dedup, store) in turn while articles flow, restart it,
and check that every accepted article comes out exactly once."""

from __future__ import annotations

import asyncio
import uuid

import httpx

from services.core.settings import Settings
from services.ingest.app import create_app
from tests.faults.harness import (
    Pusher,
    assert_exactly_once,
    fleet,
    payloads,
    push_steadily,
    wait_stored,
)
from tests.integration.flow import create_topics, wait_for
from tests.integration.servers import serving

ARTICLES = 300
REPUSHED = 40


async def test_kill_9_each_consumer_mid_stream_loses_and_doubles_nothing(
    settings: Settings,
) -> None:
    await create_topics(settings)
    run = uuid.uuid4().hex[:8]
    items = payloads(run, ARTICLES)
    # Some articles pushed twice: once early, once again late (the same id both times).
    stream = items[: ARTICLES // 2] + items[:REPUSHED] + items[ARTICLES // 2 :]
    database = settings.database_path
    async with (
        serving(create_app(settings)) as base,
        httpx.AsyncClient(base_url=base) as client,
    ):
        pusher = Pusher(client)
        with fleet(settings) as services:
            running = services.start_all()
            kills = (("parser", 8), ("dedup", 16), ("store", 24))
            killed = {name: asyncio.Event() for name, _ in kills}
            # Each kill lands mid-stream: the pusher holds two batches after its mark until then.
            holds = {after + 2: killed[name] for name, after in kills}
            pushing = asyncio.create_task(
                push_steadily(pusher, stream, batch=10, pause_s=0.2, holds=holds)
            )
            try:
                await wait_stored(database, 1, 60, "the pipeline flowing")
                for name, after_batches in kills:

                    async def pushed(n: int = after_batches) -> bool:
                        return pusher.batches >= n

                    await wait_for(pushed, 60, f"{after_batches} batches pushed")
                    await services.kill9(running[name])  # mid-stream: pushing goes on
                    running[name] = services.start(name)
                    assert not pushing.done(), f"articles stopped flowing before {name} was killed"
                    killed[name].set()
                await asyncio.wait_for(pushing, 60)
            finally:
                pushing.cancel()
            assert pusher.accepted, "nothing was accepted"
            await assert_exactly_once(settings, pusher.accepted, pusher.uncertain)
            assert len(pusher.accepted) == ARTICLES and pusher.statuses[202] == len(stream)
            await services.wait_ready(timeout_s=30)
