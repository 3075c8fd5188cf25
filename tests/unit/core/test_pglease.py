"""The lease on a database server, against a real PostgreSQL: one holder at a time (across
processes too), the next one in when the holder is killed or its connection is terminated, a
server that stops answering noticed within the check timeout, an outage waited out, and writes
on other connections fenced (a new holder sees everything the old one committed, and the old one
commits nothing after)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest

from services.core.errors import DatabaseUnavailableError
from services.core.lease import Holder, LeaseError
from services.core.pglease import LeaseLostError, PgLease, hold_fence, lock_id
from services.tools import localpostgres
from tests.support.postgres import private_server

POLL_S = 0.05
TIMEOUT_S = 1.0
ROOT = Path(__file__).resolve().parents[3]

# A second process that takes the lease, says so on stdout, then holds it until killed.
HOLD = """
import asyncio, sys
from services.core.lease import Holder
from services.core.pglease import PgLease

async def main() -> None:
    lease = PgLease(sys.argv[1], sys.argv[2], Holder("dedup", "elsewhere", 4242, 0.0), 0.05, 1.0)
    await lease.acquire(asyncio.Event())
    print("held", flush=True)
    await asyncio.sleep(3600)

asyncio.run(main())
"""


def claim(url: str, name: str, pid: int = 1) -> PgLease:
    return PgLease(url, name, Holder("dedup", "here", pid, 0.0), POLL_S, TIMEOUT_S)


async def acquired_within(lease: PgLease, seconds: float) -> bool:
    stop = asyncio.Event()
    asyncio.get_running_loop().call_later(seconds, stop.set)
    return await lease.acquire(stop)


@pytest.fixture
def name(request: pytest.FixtureRequest) -> str:
    """A lease name of this test's own."""
    return f"test.{request.node.name}"


@pytest.fixture
async def admin(postgres_url: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await asyncpg.connect(postgres_url)
    try:
        yield connection
    finally:
        await connection.close()


@pytest.fixture
def other_process(postgres_url: str, name: str) -> Iterator[subprocess.Popen[str]]:
    """A separate Python process holding the lease ``name``."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, postgres_url, name],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "held"
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)


async def test_one_holder_at_a_time_and_the_next_after_release(
    postgres_url: str, name: str
) -> None:
    first, second = claim(postgres_url, name, 1), claim(postgres_url, name, 2)
    assert await acquired_within(first, 2)
    assert first.held and first.fence is not None
    assert not await acquired_within(second, 0.3)
    assert not second.held and second.fence is None
    holder = await second.holder()
    assert holder is not None and holder.describe() == "dedup pid 1 on here"
    assert name in first.resource and "127.0.0.1" in first.resource
    assert "@" not in first.resource, "no user or password in what is shown"
    await first.release()
    assert not first.held
    assert await acquired_within(second, 2)
    now_held_by = await first.holder()
    assert now_held_by is not None and now_held_by.pid == 2
    await second.release()
    await second.release()  # twice: nothing happens
    assert await first.holder() is None


async def test_two_names_are_two_leases(postgres_url: str, name: str) -> None:
    one, other = claim(postgres_url, name + ".a"), claim(postgres_url, name + ".b")
    assert await acquired_within(one, 2)
    assert await acquired_within(other, 2)
    await one.release()
    await other.release()


async def test_a_standby_takes_over_at_once_when_the_holder_is_killed(
    postgres_url: str, name: str, other_process: subprocess.Popen[str]
) -> None:
    lease = claim(postgres_url, name)
    assert not await acquired_within(lease, 0.3)
    holder = await lease.holder()
    assert holder is not None and (holder.host, holder.pid) == ("elsewhere", 4242)
    waiting = asyncio.create_task(acquired_within(lease, 10))
    await asyncio.sleep(0.2)
    assert not waiting.done()
    killed_at = time.monotonic()
    other_process.send_signal(signal.SIGKILL)  # its socket closes: the server ends the session
    assert await waiting
    assert time.monotonic() - killed_at < 2
    await lease.release()


async def test_the_holder_learns_its_connection_was_terminated(
    postgres_url: str, name: str, admin: asyncpg.Connection
) -> None:
    lease, newcomer = claim(postgres_url, name, 1), claim(postgres_url, name, 2)
    assert await acquired_within(lease, 2)
    assert lease.fence is not None
    watching = asyncio.create_task(lease.wait_lost())
    await asyncio.sleep(0.2)
    assert not watching.done()
    assert await admin.fetchval("SELECT pg_terminate_backend($1)", lease.fence.backend_pid)
    await asyncio.wait_for(watching, 2)
    assert await acquired_within(newcomer, 2)
    await lease.release()
    await newcomer.release()


async def test_a_server_that_stops_answering_is_a_loss_within_the_check_timeout(
    postgres_url: str, name: str
) -> None:
    """As a network split looks to the holder: the connection is open but nothing answers (the
    server process of its session is stopped)."""
    lease = claim(postgres_url, name)
    assert await acquired_within(lease, 2)
    assert lease.fence is not None
    backend = lease.fence.backend_pid
    os.kill(backend, signal.SIGSTOP)
    try:
        started = time.monotonic()
        await asyncio.wait_for(lease.wait_lost(), TIMEOUT_S + 3)
        assert time.monotonic() - started < TIMEOUT_S + 2 * POLL_S + 1
    finally:
        os.kill(backend, signal.SIGCONT)
        await lease.release()


async def test_wait_lost_returns_once_released_and_at_once_when_not_held(
    postgres_url: str, name: str
) -> None:
    lease = claim(postgres_url, name)
    await asyncio.wait_for(lease.wait_lost(), 1)
    assert await acquired_within(lease, 2)
    watching = asyncio.create_task(lease.wait_lost())
    await asyncio.sleep(0.2)
    assert not watching.done()
    await lease.release()
    await asyncio.wait_for(watching, 1)


async def test_a_writer_is_fenced_and_the_next_holder_sees_its_last_commit(
    postgres_url: str, name: str, admin: asyncpg.Connection
) -> None:
    old, new = claim(postgres_url, name, 1), claim(postgres_url, name, 2)
    table = f'"fenced_{lock_id(name)}"'
    await admin.execute(f"CREATE TABLE {table} (n integer)")
    writer = await asyncpg.connect(postgres_url)
    try:
        assert await acquired_within(old, 2)
        fence = old.fence
        assert fence is not None
        writing = writer.transaction()
        await writing.start()
        await hold_fence(writer, fence)  # passes: the lease is held
        await writer.execute(f"INSERT INTO {table} VALUES (1)")
        # The old holder's lock is gone (its connection terminated) while that write is open:
        # the new holder gets the lock but waits for the write to end before it returns.
        await admin.fetchval("SELECT pg_terminate_backend($1)", fence.backend_pid)
        taking = asyncio.create_task(acquired_within(new, 10))
        await asyncio.sleep(1)
        assert not taking.done(), "the new holder waits for the old one's last transaction"
        await writing.commit()
        assert await taking
        assert await admin.fetchval(f"SELECT count(*) FROM {table}") == 1
        # Every later write of the old holder fails its check, and commits nothing.
        with pytest.raises(LeaseLostError, match="no longer held"):
            async with writer.transaction():
                await hold_fence(writer, fence)
                await writer.execute(f"INSERT INTO {table} VALUES (2)")
        assert await admin.fetchval(f"SELECT count(*) FROM {table}") == 1
        assert new.fence is not None
        async with writer.transaction():
            await hold_fence(writer, new.fence)
            await writer.execute(f"INSERT INTO {table} VALUES (3)")
    finally:
        await writer.close()
        await old.release()
        await new.release()


async def test_an_outage_is_waited_out_and_ends_the_holding() -> None:
    async with private_server() as settings:
        assert settings.database_url is not None
        holder, standby = (
            claim(settings.database_url, "outage", 1),
            claim(settings.database_url, "outage", 2),
        )
        assert await acquired_within(holder, 5)
        watching = asyncio.create_task(holder.wait_lost())
        await asyncio.to_thread(localpostgres.stop, settings, "immediate")
        await asyncio.wait_for(watching, 5)  # the server is gone: so is the lock
        await holder.release()
        assert await standby.holder() is None, "nobody holds it while the server is down"
        waiting = asyncio.create_task(acquired_within(standby, 60))
        await asyncio.sleep(1)
        assert not waiting.done(), "the standby waits, it does not raise"
        await asyncio.to_thread(localpostgres.start, settings)
        assert await waiting
        await standby.release()


async def test_a_fence_check_on_a_broken_connection_is_a_transient_error(
    postgres_url: str, name: str
) -> None:
    lease = claim(postgres_url, name)
    writer = await asyncpg.connect(postgres_url)
    try:
        assert await acquired_within(lease, 2)
        assert lease.fence is not None
        writer.terminate()
        with pytest.raises(DatabaseUnavailableError, match="cannot check the lease"):
            await hold_fence(writer, lease.fence)
    finally:
        await lease.release()


async def test_a_url_the_driver_cannot_use_is_a_clear_error(postgres_url: str) -> None:
    lease = claim(postgres_url + "?sslmode=sometimes", "bad")
    with pytest.raises(
        LeaseError, match=r"cannot use postgresql://127\.0\.0\.1:\d+/\S+ for the lease"
    ):
        await acquired_within(lease, 2)


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="poll_s and check_timeout_s must be positive"):
        PgLease("postgresql://h/db", "x", Holder("dedup", "h", 1, 0.0), 0, 1)
    with pytest.raises(ValueError, match="must be positive"):
        PgLease("postgresql://h/db", "x", Holder("dedup", "h", 1, 0.0), 1, 0)


def test_the_lock_key_of_a_name_never_changes() -> None:
    assert lock_id("newsflow.dedup") == 1_692_852_502
    assert lock_id("t1.newsflow.dedup") != lock_id("newsflow.dedup")
    assert all(0 <= lock_id(f"n{i}") < 2**31 for i in range(100))
