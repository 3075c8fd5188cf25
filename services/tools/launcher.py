"""``newsflow run``: the local launcher. Starts the broker (unless one is configured), every
service as its own process, restarts a service that exits unexpectedly (with backoff, as a
container restart policy would), and on Ctrl-C or SIGTERM stops everything it started."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from services.core.logs import get_logger
from services.core.settings import ServiceName, Settings
from services.tools import localkafka
from services.tools.processes import ServiceProcess

if TYPE_CHECKING:
    from services.ingest.push import PushSummary

log = get_logger(__name__)
STABLE_AFTER_S = 30.0


@dataclass
class Supervised:
    """One service process and its restart bookkeeping."""

    name: ServiceName
    process: ServiceProcess | None = None
    restarts: int = 0
    started_at: float = field(default_factory=time.monotonic)


async def supervise(
    unit: Supervised, settings: Settings, stop: asyncio.Event, max_backoff_s: float
) -> None:
    """Keep one service running until ``stop``; restart it with backoff when it exits."""
    while not stop.is_set():
        unit.started_at = time.monotonic()
        unit.process = ServiceProcess.start(unit.name, settings)
        log.info("service_started", name=unit.name, pid=unit.process.pid)
        waiter = asyncio.create_task(unit.process.wait())
        stopper = asyncio.create_task(stop.wait())
        await asyncio.wait({waiter, stopper}, return_when=asyncio.FIRST_COMPLETED)
        stopper.cancel()
        if stop.is_set():
            waiter.cancel()
            await terminate(unit.process, settings.launcher_stop_grace_s)
            return
        code = waiter.result()
        if time.monotonic() - unit.started_at > STABLE_AFTER_S:
            unit.restarts = 0
        delay = min(2.0**unit.restarts, max_backoff_s)
        unit.restarts += 1
        log.warning("service_exited_restarting", name=unit.name, code=code, retry_in_s=delay)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)


async def terminate(process: ServiceProcess, grace_s: float) -> None:
    """SIGTERM, then SIGKILL after ``grace_s``: exactly this child, nothing else."""
    if process.exit_code is not None:
        return
    await process.stop_async(grace_s)
    log.info("service_stopped", pid=process.pid, code=process.exit_code)


def push_when_ready(
    settings: Settings, paths: list[str]
) -> Callable[[], Coroutine[Any, Any, None]]:
    """Once ingest answers ready, push ``paths`` and report; then say where the gateway is."""

    async def after_start() -> None:
        async with httpx.AsyncClient(base_url=settings.ingest_url, timeout=2) as client:
            for _ in range(int(settings.launcher_ready_wait_s / 0.5)):
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get("/readyz")).status_code == 200:
                        break
                await asyncio.sleep(0.5)
            else:
                log.error(
                    "ingest_not_ready",
                    url=settings.ingest_url,
                    waited_s=settings.launcher_ready_wait_s,
                )
                return
        await asyncio.to_thread(push_seeds, settings, paths)
        log.info("newsflow_running", ingest=settings.ingest_url, gateway=settings.gateway_url)

    return after_start


def push_seeds(settings: Settings, paths: list[str]) -> PushSummary:
    """Push ``paths`` to the local ingest with the configured key (``settings.push_key``); a
    rejected article is a warning, with the reasons and the first examples."""
    from services.ingest.push import push

    summary = push(paths, settings.ingest_url, settings.push_key)
    rejected = sum(summary.rejected.values())
    if rejected:
        log.warning(
            "seeds_rejected",
            accepted=summary.accepted,
            rejected=rejected,
            reasons=dict(summary.rejected),
            examples=summary.examples[:5],
        )
    else:
        log.info("seeds_pushed", accepted=summary.accepted, rejected=0)
    return summary


async def run(
    settings: Settings,
    services: Sequence[ServiceName],
    after_start: Callable[[], Coroutine[Any, Any, None]] | None = None,
) -> int:
    """Run ``services`` until interrupted; returns the exit code."""
    started_broker = False
    if not settings.uses_external_kafka:
        current, took = localkafka.start(settings)
        started_broker = took > 0
        log.info(
            "broker_ready", bootstrap=current.bootstrap, pid=current.pid, took_s=round(took, 1)
        )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    units = [Supervised(name) for name in services]
    tasks = [asyncio.create_task(supervise(unit, settings, stop, 30.0)) for unit in units]
    follow_up = asyncio.create_task(after_start()) if after_start is not None else None
    try:
        await stop.wait()
    finally:
        stop.set()
        if follow_up is not None:
            follow_up.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await follow_up
        await asyncio.gather(*tasks, return_exceptions=True)
        if started_broker:
            localkafka.stop(settings)
            log.info("broker_stopped")
    return 0
