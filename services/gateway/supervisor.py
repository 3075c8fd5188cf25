"""Supervision of the gateway's background tasks (the status poller, the article follower).

A task that raises an unexpected error, or returns before it was told to stop, is logged with
its traceback and restarted after a bounded exponential backoff (reset once a run has lasted
``steady_s``); ``newsflow_gateway_task_restarts_total`` counts the restarts. The task's own
loop handles the failures it expects (a broker down, a database unavailable); this catches the
rest, so a bug never leaves the gateway serving a frozen snapshot in silence.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable

from prometheus_client import Counter

from services.core.logs import get_logger
from services.core.policy import Backoff

log = get_logger(__name__)
RESTARTS = Counter(
    "newsflow_gateway_task_restarts", "Restarts of a gateway background task", ["task"]
)
STEADY_S = 60.0

Task = Callable[[asyncio.Event], Awaitable[None]]


async def supervise(
    name: str,
    task: Task,
    stop: asyncio.Event,
    backoff: Backoff,
    *,
    steady_s: float = STEADY_S,
) -> None:
    """Run ``task(stop)`` until ``stop`` is set, restarting it whenever it fails or ends early."""
    while not stop.is_set():
        started = time.monotonic()
        try:
            await task(stop)
        except Exception as error:  # the supervisor's policy: log, back off, restart
            failure: Exception | None = error
        else:
            failure = None
        if stop.is_set():
            return
        if time.monotonic() - started >= steady_s:
            backoff.reset()
        delay = backoff.next_delay()
        RESTARTS.labels(name).inc()
        if failure is None:
            log.error("gateway_task_ended_restarting", task=name, retry_in_s=round(delay, 3))
        else:
            log.error(
                "gateway_task_crashed_restarting",
                task=name,
                error_class=type(failure).__name__,
                error=str(failure)[:500],
                retry_in_s=round(delay, 3),
                exc_info=failure,
            )
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)
