"""A consumer stalled past its session timeout (SIGSTOP), then woken (SIGCONT) as a zombie that
still thinks it owns its partitions. For the parser, which scales by partitions, a second
instance takes the partitions over meanwhile: the per-partition transactional ids must fence
the zombie. Dedup and store are single-writer by design (deploy/k8s/README.md: one SQLite file
each, "exactly 1" replica), so for them the group rebalances around the one instance. Either
way: nothing lost, nothing doubled, every service ready again."""

from __future__ import annotations

import asyncio
import os
import signal
import time
import uuid

import httpx
import pytest

from services.core.settings import Settings
from services.ingest.app import create_app
from tests.faults.harness import (
    Pusher,
    assert_exactly_once,
    assert_stage_once,
    fleet,
    push_until,
    wait_stored,
)
from tests.integration.flow import create_topics
from tests.integration.servers import serving
from tests.support.stored import stored_ids

OUTPUTS = {"parser": ("raw", "parsed"), "dedup": ("parsed", "deduplicated")}


@pytest.mark.parametrize(
    ("stage", "second_instance"),
    [("parser", True), ("dedup", False), ("store", False)],
    ids=["parser-taken-over", "dedup-rebalanced", "store-rebalanced"],
)
async def test_consumer_stalled_past_its_session_timeout_loses_and_doubles_nothing(
    settings: Settings, stage: str, second_instance: bool
) -> None:
    topics = await create_topics(settings)
    run = uuid.uuid4().hex[:8]
    database = settings.database_path
    session_s = settings.session_timeout_ms / 1000
    async with (
        serving(create_app(settings)) as base,
        httpx.AsyncClient(base_url=base) as client,
    ):
        pusher = Pusher(client)
        stop_pushing = asyncio.Event()
        with fleet(settings) as services:
            first = services.start_all()[stage]
            pushing = asyncio.create_task(push_until(pusher, run, stop_pushing))
            try:
                await wait_stored(database, 20, 60, "before the stall")
                os.kill(first.pid, signal.SIGSTOP)
                stalled_at = time.monotonic()
                in_flight = len(pusher.accepted)  # at most this many the stalled one could do
                if second_instance:
                    services.start(stage)
                    # The second instance gets the partitions once the stalled member's session
                    # has expired: only then can articles pushed after the stall come through.
                    await wait_stored(database, in_flight + 20, 60, "the takeover")
                # A deliberate pause: stalled for longer than the session timeout.
                await asyncio.sleep(max(0.0, session_s + 1 - (time.monotonic() - stalled_at)))
                os.kill(first.pid, signal.SIGCONT)  # the zombie wakes up
                after = len(stored_ids(database))
                await wait_stored(database, after + 40, 60, "articles after the wake-up")
            finally:
                stop_pushing.set()
                await asyncio.wait_for(pushing, 60)
            assert pusher.statuses[202] == sum(pusher.statuses.values())
            await assert_exactly_once(settings, pusher.accepted, pusher.uncertain)
            if stage in OUTPUTS:
                source, target = (getattr(topics, name) for name in OUTPUTS[stage])
                assert await assert_stage_once(settings, stage, source, target) > 0
            await services.wait_ready(timeout_s=30)
            assert first.process.poll() is None, "the woken instance is still running"
