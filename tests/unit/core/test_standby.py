"""Active and standby: the work runs only while the lease is held; a second claimant waits as a
standby and takes over; a holder that loses its lease has its work cancelled at once (fenced)
and waits again."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from services.core.lease import FileLease, Holder
from services.core.standby import Standing, run_leased

POLL_S = 0.05


@dataclass
class Work:
    """Work that runs until its stop event, counting its starts and its cancellations."""

    started: int = 0
    finished: int = 0
    cancelled: int = 0
    running: asyncio.Event = field(default_factory=asyncio.Event)

    async def __call__(self, stop: asyncio.Event) -> None:
        self.started += 1
        self.running.set()
        try:
            await stop.wait()
            self.finished += 1
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        finally:
            self.running.clear()


def lease(path: Path, pid: int) -> FileLease:
    return FileLease(path, Holder("dedup", "here", pid, 0.0), POLL_S)


async def until(condition: Callable[[], bool], what: str, timeout_s: float = 5) -> None:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")
        await asyncio.sleep(0.02)


async def test_without_a_lease_the_work_runs_at_once_as_active() -> None:
    stop, standing, work = asyncio.Event(), Standing(), Work()
    task = asyncio.create_task(run_leased("parser", None, work, stop, standing))
    await until(lambda: work.started == 1, "the work started")
    assert standing.role == "active" and standing.changed.is_set()
    stop.set()
    await asyncio.wait_for(task, 2)
    assert work.finished == 1


async def test_a_second_process_stands_by_and_takes_over_when_the_first_stops(
    tmp_path: Path,
) -> None:
    path = tmp_path / "dedup.db.lock"
    stop_a, stop_b = asyncio.Event(), asyncio.Event()
    a, b = Standing(), Standing()
    work_a, work_b = Work(), Work()
    task_a = asyncio.create_task(run_leased("dedup", lease(path, 1), work_a, stop_a, a))
    await until(lambda: work_a.started == 1, "the first active")
    task_b = asyncio.create_task(run_leased("dedup", lease(path, 2), work_b, stop_b, b))
    await until(lambda: "standby" in b.detail, "the second standing by")
    await asyncio.sleep(0.3)  # several tries for the lease: still standing by
    assert (a.role, b.role) == ("active", "standby")
    assert work_b.started == 0
    assert b.detail == f"standby: waiting for the lease on {path}, held by dedup pid 1 on here"
    stop_a.set()
    await asyncio.wait_for(task_a, 2)
    await until(lambda: work_b.started == 1, "the second active")
    assert b.role == "active" and a.fenced == b.fenced == 0
    stop_b.set()
    await asyncio.wait_for(task_b, 2)
    assert (work_a.finished, work_b.finished) == (1, 1)


async def test_a_lost_lease_cancels_the_work_at_once_and_the_process_stands_by_again(
    tmp_path: Path,
) -> None:
    path = tmp_path / "dedup.db.lock"
    stop, standing, work = asyncio.Event(), Standing(), Work()
    task = asyncio.create_task(run_leased("dedup", lease(path, 1), work, stop, standing))
    await until(lambda: work.started == 1, "active")
    path.unlink()
    newcomer = lease(path, 2)
    assert await newcomer.acquire(asyncio.Event())  # another process holds the new file
    await until(lambda: work.cancelled == 1, "the work cancelled (fenced)")
    await until(lambda: standing.role == "standby", "standing by again")
    assert standing.fenced == 1 and work.finished == 0
    assert "held by dedup pid 2" in standing.detail
    await newcomer.release()
    await until(lambda: work.started == 2, "active again once the lease is free")
    assert standing.role == "active"
    stop.set()
    await asyncio.wait_for(task, 2)
    assert work.finished == 1


async def test_a_stop_while_standing_by_ends_without_running_the_work(tmp_path: Path) -> None:
    path = tmp_path / "dedup.db.lock"
    holder = lease(path, 1)
    assert await holder.acquire(asyncio.Event())
    stop, standing, work = asyncio.Event(), Standing(), Work()
    task = asyncio.create_task(run_leased("dedup", lease(path, 2), work, stop, standing))
    await until(lambda: standing.role == "standby" and "standby" in standing.detail, "standby")
    stop.set()
    await asyncio.wait_for(task, 2)
    assert work.started == 0
    await holder.release()


async def test_an_error_of_the_work_is_raised_and_the_lease_given_back(tmp_path: Path) -> None:
    path = tmp_path / "dedup.db.lock"

    async def broken(_stop: asyncio.Event) -> None:
        raise RuntimeError("the stage crashed")

    with pytest.raises(RuntimeError, match="the stage crashed"):
        await run_leased("dedup", lease(path, 1), broken, asyncio.Event(), Standing())
    other = lease(path, 2)
    assert await asyncio.wait_for(other.acquire(asyncio.Event()), 1)
    await other.release()


async def test_cancelling_the_process_cancels_the_work(tmp_path: Path) -> None:
    stop, standing, work = asyncio.Event(), Standing(), Work()
    path = tmp_path / "dedup.db.lock"
    task = asyncio.create_task(run_leased("dedup", lease(path, 1), work, stop, standing))
    await until(lambda: work.started == 1, "active")
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert work.cancelled == 1
    other = lease(path, 2)
    assert await asyncio.wait_for(other.acquire(asyncio.Event()), 1)  # given back
    await other.release()
