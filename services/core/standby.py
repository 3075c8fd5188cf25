"""Active and standby: a stage process runs its work only while it holds its lease.

:func:`run_leased` waits for the lease as a ``standby`` (touching neither the consumer group nor
the database), runs the work as ``active`` once it holds it, and gives the lease back when the
work ends. If the lease is lost while the work runs, the work is cancelled at once (the process
is fenced: an open Kafka transaction is aborted, nothing more is written) and the process goes
back to waiting. :class:`Standing` is what the health endpoint and the process's announcements
read: the role, and while standing by, what it waits for.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from services.core.lease import Lease
from services.core.logs import get_logger
from services.core.models import ProcessRole

Work = Callable[[asyncio.Event], Coroutine[Any, Any, None]]

log = get_logger(__name__)


@dataclass
class Standing:
    """This process's role, what it is waiting for while a standby, and an event set at every
    change (for whoever announces it; they clear it)."""

    role: ProcessRole = "standby"
    detail: str = "starting"
    fenced: int = 0  # how often the lease was lost under this process
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def become(self, role: ProcessRole, detail: str) -> None:
        self.role, self.detail = role, detail
        self.changed.set()


async def run_leased(
    service: str, lease: Lease | None, work: Work, stop: asyncio.Event, standing: Standing
) -> None:
    """Run ``work(stop)`` while holding ``lease`` (always, when there is none), until ``stop``."""
    if lease is None:
        standing.become("active", "no lease needed")
        await work(stop)
        return
    while not stop.is_set():
        holder = await lease.holder()
        waiting = f"standby: waiting for the lease on {lease.resource}"
        standing.become("standby", f"{waiting}, held by {holder.describe()}" if holder else waiting)
        log.info("lease_waiting", service=service, lease=lease.resource)
        if not await lease.acquire(stop):
            return
        log.info("lease_acquired", service=service, lease=lease.resource)
        standing.become("active", f"holds the lease on {lease.resource}")
        try:
            lost = await _until_lost(lease, work, stop)
        finally:
            await lease.release()
        if lost:
            standing.fenced += 1
            log.error("lease_lost_fenced", service=service, lease=lease.resource)
        else:
            log.info("lease_released", service=service, lease=lease.resource)


async def _until_lost(lease: Lease, work: Work, stop: asyncio.Event) -> bool:
    """Run ``work`` until it ends (``False``) or the lease is lost (``True``: ``work`` was
    cancelled at once, and has finished unwinding when this returns). A failure of the watch
    itself counts as a loss: without it nothing says the lease is still held."""
    working = asyncio.create_task(work(stop))
    watching = asyncio.create_task(lease.wait_lost())
    try:
        await asyncio.wait({working, watching}, return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        working.cancel()
        watching.cancel()
        await asyncio.gather(working, watching, return_exceptions=True)
        raise
    if working.done():
        watching.cancel()
        await asyncio.gather(watching, return_exceptions=True)
        working.result()  # its error, if any, is the caller's
        return False
    working.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await working
    if (error := watching.exception()) is not None:
        log.error("lease_watch_failed", lease=lease.resource, error=repr(error), exc_info=error)
    return True
