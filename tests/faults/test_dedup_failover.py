"""Dedup fails over on PostgreSQL: two dedup processes share its state in the database, one
active (holding the advisory lock), one standing by. ``kill -9`` of the active one mid-stream:
the standby is active within 15 s, every accepted article comes out once, nothing is
dead-lettered, and a copy of a story pushed after the failover joins the story the dead process
saw (the new active one loaded everything the old one committed). A PostgreSQL restart
mid-stream: dedup waits it out (the lease and the state come back), every article once, nothing
dead-lettered. An active process whose lease session is ended while it lives stops consuming
and stands by, and the other takes over.

Real processes on the test run's broker; the dedup processes on a real PostgreSQL server (the
test run's for the kill, a private one for the restart). The store stays on its SQLite file
here (its own PostgreSQL backend is tested with the store), so the checks read that file.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import asyncpg

from services.core.models import ProcessedArticle
from services.core.settings import Settings
from services.core.topics import Topics
from services.tools import localpostgres
from services.tools.processes import ServiceProcess
from tests.faults.harness import Pusher, article_id, payloads, push_steadily
from tests.faults.test_one_writer import (
    ARTICLES,
    TAKEOVER_S,
    Line,
    assert_each_once,
    pipeline,
)
from tests.integration.flow import read_committed, wait_for
from tests.support.postgres import private_server
from tests.support.stored import stored_ids
from tests.unit.dedup.texts import story

HOLD_AT = 12  # the fault comes once this many batches of 50 were pushed


def story_pair(run: str) -> tuple[dict[str, str], dict[str, str]]:
    """An article and a near copy of it (another outlet's URL, a line added): one story."""
    body = f"Harbour council approves flood wall\n\n{story(20_000 + len(run), paragraphs=5)}"
    first = {"url": f"https://first.example.com/{run}", "source": "faults", "content": body}
    copy = {
        "url": f"https://copy.example.org/{run}",
        "source": "faults",
        "content": body + "\n\nThis article was first published elsewhere.",
    }
    return first, copy


async def push_processed(line: Line, pusher: Pusher, item: dict[str, str]) -> str:
    """Push one article and wait until the store has it (dedup's verdict committed); its id."""
    await pusher.push([item])
    pushed = article_id(item)
    assert pushed in pusher.accepted

    async def stored() -> bool:
        return pushed in stored_ids(line.settings.database_path)

    await wait_for(stored, 120, f"article {pushed} stored")
    return pushed


async def verdicts(settings: Settings, ids: set[str]) -> dict[str, Any]:
    """The dedup verdicts of ``ids`` as they came out on the processed topic."""
    out = await read_committed(settings, Topics(settings.topic_prefix).processed, 1, settle_s=2)
    found = {}
    for record in out:
        if record.key_text in ids:
            found[record.key_text] = ProcessedArticle.from_bytes(record.value or b"").dedup
    return found


async def start_pair(line: Line) -> tuple[ServiceProcess, ServiceProcess]:
    """Parser, store (on SQLite) and two dedup processes on PostgreSQL: the first active,
    consuming every partition; the second its standby, naming the holder."""
    line.start("parser")
    line.start("store", database_url=None)
    first = line.start("dedup")
    await line.wait_role(first, "active", 90, consuming=True)
    second = line.start("dedup")
    standby = await line.wait_role(second, "standby", 60)
    assert standby["partitions"] == [] and "waiting for the lease" in standby["detail"]
    assert f"pid {first.pid}" in standby["detail"], "the standby names the holder"
    group = Topics(line.settings.topic_prefix).group_of("dedup")
    assert standby["lease"].startswith(f"advisory lock '{group}' on postgresql://")
    return first, second


async def assert_one_story(settings: Settings, first: str, copy: str) -> None:
    found = await verdicts(settings, {first, copy})
    assert set(found) == {first, copy}
    assert found[copy].story_id == found[first].story_id, (found[first], found[copy])
    assert found[copy].duplicate_of == first
    assert found[copy].verdict in {"duplicate", "update"}


async def test_kill_9_of_the_active_dedup_and_the_standby_takes_over_with_its_memory(
    settings: Settings, postgres_url: str
) -> None:
    run = uuid.uuid4().hex[:8]
    items = payloads(run, ARTICLES)
    original, copy = story_pair(run)
    async with pipeline(settings, session_timeout_ms=10_000, database_url=postgres_url) as (
        line,
        pusher,
    ):
        first, second = await start_pair(line)
        before = await push_processed(line, pusher, original)  # the first active one's verdict
        killed, took_over = asyncio.Event(), asyncio.Event()
        pushing = asyncio.create_task(
            push_steadily(
                pusher,
                items,
                batch=50,
                pause_s=0.1,
                holds={HOLD_AT + 2: killed, HOLD_AT + 4: took_over},
            )
        )
        try:
            await wait_for(lambda: _pushed(pusher, HOLD_AT), 120, "a third of the articles pushed")
            first.kill()  # kill -9, mid-stream
            await asyncio.to_thread(first.process.wait, 30)
            died = time.monotonic()
            killed.set()
            row = await line.wait_role(second, "active", TAKEOVER_S, consuming=True)
            took_over_s = time.monotonic() - died
            assert row["lease"].startswith("advisory lock")
            after = await push_processed(line, pusher, copy)  # the new active one's verdict
            took_over.set()
            await asyncio.wait_for(pushing, 300)
        finally:
            pushing.cancel()
        assert len(pusher.accepted) == ARTICLES + 2
        await assert_each_once(settings, pusher)
        await assert_one_story(settings, before, after)
        print(
            f"dedup on PostgreSQL: the standby consumed every partition {took_over_s:.1f}s after kill -9"
        )


async def test_a_postgresql_restart_mid_stream_is_waited_out(settings: Settings) -> None:
    run = uuid.uuid4().hex[:8]
    items = payloads(run, ARTICLES)
    original, copy = story_pair(run)
    async with (
        private_server() as server,
        pipeline(settings, database_url=server.database_url) as (line, pusher),
    ):
        first, second = await start_pair(line)
        before = await push_processed(line, pusher, original)
        restarted = asyncio.Event()
        pushing = asyncio.create_task(
            push_steadily(pusher, items, batch=50, pause_s=0.1, holds={HOLD_AT + 2: restarted})
        )
        try:
            await wait_for(lambda: _pushed(pusher, HOLD_AT), 120, "a third of the articles pushed")
            await asyncio.to_thread(localpostgres.stop, server, "fast")
            await asyncio.sleep(2)  # dedup finds the server gone (its lease and its writes)
            await asyncio.to_thread(localpostgres.start, server)
            restarted.set()
            await asyncio.wait_for(pushing, 300)
        finally:
            pushing.cancel()
        after = await push_processed(line, pusher, copy)
        assert len(pusher.accepted) == ARTICLES + 2
        await assert_each_once(settings, pusher)
        await assert_one_story(settings, before, after)
        roles = {p["pid"]: p["role"] for p in (await line.processes_of("dedup")).values()}
        assert sorted(roles.values()) == ["active", "standby"], roles
        assert set(roles) == {first.pid, second.pid}, "both dedup processes lived through it"


async def test_an_active_dedup_that_loses_its_lease_stops_and_the_other_takes_over(
    settings: Settings, postgres_url: str
) -> None:
    """A zombie: the active process lives on but its lease session is ended (as an operator's
    pg_terminate_backend or a broken connection does). It stops consuming at once and stands
    by; one of the two (either may win the lock) consumes again within the takeover bound;
    nothing is lost, doubled or dead-lettered."""
    run = uuid.uuid4().hex[:8]
    items = payloads(run, ARTICLES // 2)
    async with pipeline(settings, database_url=postgres_url) as (line, pusher):
        first, _ = await start_pair(line)
        cut = asyncio.Event()
        pushing = asyncio.create_task(
            push_steadily(pusher, items, batch=50, pause_s=0.1, holds={HOLD_AT // 2 + 2: cut})
        )
        try:
            await wait_for(lambda: _pushed(pusher, HOLD_AT // 2), 120, "articles pushed")
            assert await end_lease_session(postgres_url, first.pid) == 1
            cut.set()
            await wait_for(lambda: fenced(first), TAKEOVER_S, "the zombie fenced")
            await wait_for(lambda: one_active(line), TAKEOVER_S, "one dedup active, one standby")
            await asyncio.wait_for(pushing, 300)
        finally:
            pushing.cancel()
        assert len(pusher.accepted) == ARTICLES // 2
        await assert_each_once(settings, pusher)
        assert await one_active(line)


async def fenced(process: ServiceProcess) -> bool:
    """Whether ``process`` logged that it lost its lease and stopped consuming."""
    assert process.log_path is not None
    return '"event":"lease_lost_fenced"' in process.log_path.read_text(errors="replace")


async def one_active(line: Line) -> bool:
    """One dedup process active on every partition, the other standing by."""
    rows = sorted((await line.processes_of("dedup")).values(), key=lambda row: str(row["role"]))
    partitions = list(range(line.settings.topic_partitions))
    return [(r["role"], r["status"]) for r in rows] == [("active", "up"), ("standby", "up")] and (
        rows[0]["partitions"] == partitions
    )


async def end_lease_session(url: str, pid: int) -> int:
    """End the lease session of dedup process ``pid`` (named by its application_name); how
    many sessions were ended."""
    db = await asyncpg.connect(url)
    try:
        ended = await db.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE $1",
            f"newsflow-lease dedup {pid} %",
        )
        return len(ended)
    finally:
        await db.close()


async def _pushed(pusher: Pusher, batches: int) -> bool:
    return pusher.batches >= batches
