"""Supervised gateway tasks: a crash is logged with its traceback and the task runs again."""

from __future__ import annotations

import asyncio

import pytest
from prometheus_client import REGISTRY
from structlog.testing import capture_logs

from services.core.policy import Backoff
from services.gateway.supervisor import supervise


def restarts(task: str) -> float:
    return REGISTRY.get_sample_value("newsflow_gateway_task_restarts_total", {"task": task}) or 0.0


async def test_a_crashed_task_is_logged_and_runs_again() -> None:
    runs: list[int] = []
    stop, again = asyncio.Event(), asyncio.Event()

    async def poller(halt: asyncio.Event) -> None:
        runs.append(len(runs))
        if len(runs) == 1:
            raise ZeroDivisionError("injected once")
        again.set()
        await halt.wait()

    before = restarts("crashy")
    with capture_logs() as logs:
        task = asyncio.create_task(supervise("crashy", poller, stop, Backoff(0.01, 0.05)))
        await asyncio.wait_for(again.wait(), 5)
        stop.set()
        await asyncio.wait_for(task, 5)
    assert runs == [0, 1]
    assert restarts("crashy") == before + 1
    [crash] = [e for e in logs if e["event"] == "gateway_task_crashed_restarting"]
    assert crash["log_level"] == "error" and crash["task"] == "crashy"
    assert crash["error_class"] == "ZeroDivisionError"
    assert isinstance(crash["exc_info"], ZeroDivisionError)
    assert crash["exc_info"].__traceback__ is not None  # the traceback is rendered from it


async def test_a_task_that_returns_early_is_restarted_too() -> None:
    runs: list[int] = []
    stop = asyncio.Event()

    async def quitter(halt: asyncio.Event) -> None:
        runs.append(1)
        if len(runs) == 3:
            stop.set()

    await asyncio.wait_for(supervise("quitter", quitter, stop, Backoff(0.01, 0.01)), 5)
    assert len(runs) == 3


async def test_a_stop_ends_supervision_without_a_restart() -> None:
    stop = asyncio.Event()

    async def steady(halt: asyncio.Event) -> None:
        await halt.wait()

    before = restarts("steady")
    task = asyncio.create_task(supervise("steady", steady, stop, Backoff(0.01, 0.01)))
    await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(task, 5)
    assert restarts("steady") == before


async def test_cancelling_is_not_a_crash() -> None:
    async def forever(halt: asyncio.Event) -> None:
        await asyncio.sleep(3600)

    task = asyncio.create_task(supervise("forever", forever, asyncio.Event(), Backoff(1, 1)))
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
