"""The fault suite on PostgreSQL: two store processes splitting the partitions and two dedup
processes sharing dedup's state, one active (holding the advisory lock) and one standing by,
all on one database.

* ``kill -9`` of the active dedup mid-stream: the standby is active within 15 s, and a copy of
  a story pushed after the failover joins the story the dead process saw (the new active one
  loaded everything the old one committed);
* ``kill -9`` of a store mid-stream: the other store takes its partitions and writes what the
  dead one left unpublished, each article once;
* a PostgreSQL restart mid-stream: every process waits it out and lives through it;
* an active dedup whose lease session is ended while it lives stops consuming and stands by.

Each ends with every accepted article once in the database and once on the processed topic, the
totals counting each once, and nothing dead-lettered. Real processes on the test run's broker
and a real PostgreSQL server (the test run's; a private one for the restart).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest

from services.core.models import ProcessedArticle
from services.core.settings import Settings
from services.core.topics import Topics
from services.tools import localpostgres
from services.tools.processes import ServiceProcess
from tests.faults.harness import Pusher, article_id, payloads, push_steadily
from tests.faults.test_one_writer import (
    ARTICLES,
    HOLD_AT,
    TAKEOVER_S,
    Line,
    assert_each_once,
    kill_mid_stream,
    pipeline,
)
from tests.integration.flow import read_committed, wait_for
from tests.support.postgres import fresh_database, private_server, server_under_test
from tests.support.stored import stored_ids_of
from tests.unit.dedup.texts import story

# A store process killed leaves its partitions to the other once the group gives up on it: the
# session timeout the kill tests run with (the production one), and a rebalance.
SESSION_TIMEOUT_MS = 10_000
STORE_TAKEOVER_S = SESSION_TIMEOUT_MS / 1000 + 20


@pytest.fixture
async def database_url() -> AsyncIterator[str]:
    """A database of this test's own (the store's articles of one test never meet another's)."""
    async with fresh_database(server_under_test()) as url:
        yield url


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
        return pushed in await stored_ids_of(line.child)

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
    """Parser, two store processes and two dedup processes on PostgreSQL: the stores both
    active, splitting the partitions; the first dedup active, consuming every partition; the
    second its standby, naming the holder."""
    line.start("parser")
    stores = [line.start("store"), line.start("store")]
    first = line.start("dedup")
    await line.wait_role(first, "active", 90, consuming=True)
    second = line.start("dedup")
    standby = await line.wait_role(second, "standby", 60)
    assert standby["partitions"] == [] and "waiting for the lease" in standby["detail"]
    assert f"pid {first.pid}" in standby["detail"], "the standby names the holder"
    group = Topics(line.settings.topic_prefix).group_of("dedup")
    assert standby["lease"].startswith(f"advisory lock '{group}' on postgresql://")
    await wait_for(lambda: stores_split(line, stores), 90, "two stores splitting the partitions")
    return first, second


async def stores_split(line: Line, stores: list[ServiceProcess]) -> bool:
    """Whether the gateway lists exactly ``stores`` as the live store processes, each active
    (no lease on a database server) on some partitions, together on every one, none twice."""
    for store in stores:
        store.ensure_running()
    rows = {
        pid: row for pid, row in (await line.processes_of("store")).items() if row["status"] == "up"
    }
    if set(rows) != {store.pid for store in stores}:
        return False
    held = [p for row in rows.values() for p in row["partitions"]]
    return all(row["role"] == "active" and row["partitions"] for row in rows.values()) and (
        sorted(held) == list(range(line.settings.topic_partitions))
    )


def on_database(settings: Settings, line: Line) -> Settings:
    """The test's settings reading the store's database the line's processes write."""
    return settings.model_copy(update={"database_url": line.child.database_url})


async def assert_one_story(settings: Settings, first: str, copy: str) -> None:
    found = await verdicts(settings, {first, copy})
    assert set(found) == {first, copy}
    assert found[copy].story_id == found[first].story_id, (found[first], found[copy])
    assert found[copy].duplicate_of == first
    assert found[copy].verdict in {"duplicate", "update"}


async def test_kill_9_of_the_active_dedup_and_the_standby_takes_over_with_its_memory(
    settings: Settings, database_url: str
) -> None:
    run = uuid.uuid4().hex[:8]
    items = payloads(run, ARTICLES)
    original, copy = story_pair(run)
    async with pipeline(
        settings, session_timeout_ms=SESSION_TIMEOUT_MS, database_url=database_url
    ) as (
        line,
        pusher,
    ):
        first, second = await start_pair(line)
        before = await push_processed(line, pusher, original)  # the first active one's verdict
        pushed_after: list[str] = []

        async def push_copy() -> None:  # the new active one's verdict
            pushed_after.append(await push_processed(line, pusher, copy))

        took_over_s = await kill_mid_stream(
            line, pusher, items, first, second, TAKEOVER_S, then=push_copy
        )
        (after,) = pushed_after
        assert (await line.processes_of("dedup"))[second.pid]["lease"].startswith("advisory lock")
        assert len(pusher.accepted) == ARTICLES + 2
        await assert_each_once(on_database(settings, line), pusher)
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
        await assert_each_once(on_database(settings, line), pusher)
        await assert_one_story(settings, before, after)
        roles = {p["pid"]: p["role"] for p in (await line.processes_of("dedup")).values()}
        assert sorted(roles.values()) == ["active", "standby"], roles
        assert set(roles) == {first.pid, second.pid}, "both dedup processes lived through it"
        stores = [p for p in line.processes if p.name == "store"]
        await wait_for(lambda: stores_split(line, stores), 60, "both stores lived through it")


async def test_kill_9_of_a_store_mid_stream_and_the_other_writes_its_partitions(
    settings: Settings, database_url: str
) -> None:
    """Two store processes write side by side; one is killed mid-stream (some of its articles
    written and not yet published, some in flight): the other takes every partition once the
    group gives up on the dead one, and each article is stored and published once."""
    run = uuid.uuid4().hex[:8]
    items = payloads(run, ARTICLES)
    async with pipeline(
        settings, session_timeout_ms=SESSION_TIMEOUT_MS, database_url=database_url
    ) as (line, pusher):
        await start_pair(line)
        victim, survivor = [p for p in line.processes if p.name == "store"]
        took_over_s = await kill_mid_stream(line, pusher, items, victim, survivor, STORE_TAKEOVER_S)
        assert len(pusher.accepted) == ARTICLES
        await assert_each_once(on_database(settings, line), pusher)
        print(
            f"store on PostgreSQL: the other store held every partition {took_over_s:.1f}s after kill -9"
        )


async def test_an_active_dedup_that_loses_its_lease_stops_and_the_other_takes_over(
    settings: Settings, database_url: str
) -> None:
    """A zombie: the active process lives on but its lease session is ended (as an operator's
    pg_terminate_backend or a broken connection does). It stops consuming at once and stands
    by; one of the two (either may win the lock) consumes again within the takeover bound;
    nothing is lost, doubled or dead-lettered."""
    run = uuid.uuid4().hex[:8]
    items = payloads(run, ARTICLES // 2)
    async with pipeline(settings, database_url=database_url) as (line, pusher):
        first, _ = await start_pair(line)
        cut = asyncio.Event()
        pushing = asyncio.create_task(
            push_steadily(pusher, items, batch=50, pause_s=0.1, holds={HOLD_AT // 2 + 2: cut})
        )
        try:
            await wait_for(lambda: _pushed(pusher, HOLD_AT // 2), 120, "articles pushed")
            assert await end_lease_session(database_url, first.pid) == 1
            cut.set()
            await wait_for(lambda: fenced(first), TAKEOVER_S, "the zombie fenced")
            await wait_for(lambda: one_active(line), TAKEOVER_S, "one dedup active, one standby")
            await asyncio.wait_for(pushing, 300)
        finally:
            pushing.cancel()
        assert len(pusher.accepted) == ARTICLES // 2
        await assert_each_once(on_database(settings, line), pusher)
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
