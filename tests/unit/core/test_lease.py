"""The file lease: one holder at a time, across processes too; the kernel frees it when the
holder dies (kill -9 included); a holder learns it lost the lease when its file is replaced."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.core.lease import FileLease, Holder, LeaseError

POLL_S = 0.05
ROOT = Path(__file__).resolve().parents[3]

# A second process that takes the lease, says so on stdout, then holds it until killed.
HOLD = """
import asyncio, sys
from pathlib import Path
from services.core.lease import FileLease, Holder

async def main() -> None:
    lease = FileLease(Path(sys.argv[1]), Holder("dedup", "elsewhere", 4242, 0.0), 0.05)
    await lease.acquire(asyncio.Event())
    print("held", flush=True)
    await asyncio.sleep(3600)

asyncio.run(main())
"""


def me(pid: int = 1) -> Holder:
    return Holder("dedup", "here", pid, 0.0)


def lease_on(path: Path, pid: int = 1) -> FileLease:
    return FileLease(path, me(pid), POLL_S)


async def acquired_within(lease: FileLease, seconds: float) -> bool:
    """Whether ``lease`` is acquired within ``seconds`` (its wait is given up after that)."""
    stop = asyncio.Event()
    asyncio.get_running_loop().call_later(seconds, stop.set)
    return await lease.acquire(stop)


@pytest.fixture
def other_process(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """A separate Python process holding the lease on ``tmp_path/db.lock``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path / "db.lock")],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "held"
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)


async def test_one_holder_at_a_time_and_the_next_after_release(tmp_path: Path) -> None:
    first, second = lease_on(tmp_path / "db.lock", 1), lease_on(tmp_path / "db.lock", 2)
    assert await acquired_within(first, 1)
    assert first.held
    assert not await acquired_within(second, 0.3)
    assert not second.held
    holder = await second.holder()
    assert holder is not None and holder.pid == 1 and holder.describe() == "dedup pid 1 on here"
    await first.release()
    assert not first.held
    assert await acquired_within(second, 1)
    now_held_by = await first.holder()  # anyone may read who holds it
    assert now_held_by is not None and now_held_by.pid == 2
    await second.release()
    await second.release()  # twice: nothing happens


async def test_a_second_process_waits_and_takes_over_when_the_holder_is_killed(
    tmp_path: Path, other_process: subprocess.Popen[str]
) -> None:
    lease = lease_on(tmp_path / "db.lock")
    assert not await acquired_within(lease, 0.5)
    holder = await lease.holder()
    assert holder is not None and (holder.host, holder.pid) == ("elsewhere", 4242)
    waiting = asyncio.create_task(acquired_within(lease, 10))
    await asyncio.sleep(0.2)
    assert not waiting.done()
    killed_at = time.monotonic()
    other_process.send_signal(signal.SIGKILL)  # no clean-up: the kernel drops the lock
    assert await waiting
    assert time.monotonic() - killed_at < 2
    await lease.release()


async def test_the_holder_learns_it_lost_the_lease_when_its_file_is_replaced(
    tmp_path: Path,
) -> None:
    path = tmp_path / "db.lock"
    lease = lease_on(path)
    assert await acquired_within(lease, 1)
    watching = asyncio.create_task(lease.wait_lost())
    await asyncio.sleep(0.2)
    assert not watching.done()
    path.unlink()  # someone deleted it: a newcomer would lock a new file
    newcomer = lease_on(path, 2)
    assert await acquired_within(newcomer, 1)
    await asyncio.wait_for(watching, 2)
    await lease.release()
    await newcomer.release()


async def test_wait_lost_returns_once_released_and_at_once_when_not_held(tmp_path: Path) -> None:
    lease = lease_on(tmp_path / "db.lock")
    await asyncio.wait_for(lease.wait_lost(), 1)
    assert await acquired_within(lease, 1)
    watching = asyncio.create_task(lease.wait_lost())
    await asyncio.sleep(0.1)
    assert not watching.done()
    await lease.release()
    await asyncio.wait_for(watching, 1)


async def test_acquire_gives_up_when_stopped(tmp_path: Path) -> None:
    holder, waiter = lease_on(tmp_path / "db.lock", 1), lease_on(tmp_path / "db.lock", 2)
    assert await acquired_within(holder, 1)
    stop = asyncio.Event()
    stop.set()
    assert not await waiter.acquire(stop)
    await holder.release()


async def test_the_lease_beside_a_database_is_its_name_with_lock(tmp_path: Path) -> None:
    lease = FileLease.beside(tmp_path / "sub" / "dedup.db", me(), POLL_S)
    assert lease.resource == str(tmp_path / "sub" / "dedup.db.lock")
    assert await acquired_within(lease, 1)  # the missing directory is made
    assert (tmp_path / "sub" / "dedup.db.lock").is_file()
    await lease.release()


async def test_a_lock_file_that_cannot_be_opened_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a directory")
    lease = lease_on(tmp_path / "a-file" / "db.lock")
    with pytest.raises(LeaseError, match=r"cannot open the lock file .*a-file/db\.lock"):
        await acquired_within(lease, 1)


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="poll_s must be positive"):
        FileLease(tmp_path / "db.lock", me(), 0)


def test_a_holder_reads_back_and_garbage_is_no_holder() -> None:
    holder = Holder("store", "host-a", 7, 12.5)
    assert Holder.from_json(holder.to_json()) == holder
    for garbage in (b"", b"{", b"[]", b'{"service": "store"}', b'{"pid": "x"}'):
        assert Holder.from_json(garbage) is None
