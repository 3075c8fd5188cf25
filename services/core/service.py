"""The entry point of a consumer stage process: topics, health endpoint, announcements, the
lease (for a stage that must be the one writer of its database), runner, signals.

SIGTERM or SIGINT: stop fetching, finish the in-flight batch, commit, leave the group, give the
lease back, exit 0 (a standby just exits).
"""

from __future__ import annotations

import asyncio
import gc
import signal
from collections.abc import Callable, Coroutine
from contextlib import AbstractAsyncContextManager
from typing import Any

import uvloop

from services.core import kafka
from services.core.errors import BrokerUnavailableError
from services.core.health import advertised_url, health_app, listen_socket, serve_http
from services.core.lease import Holder, Lease, LeaseError
from services.core.logs import configure_logging, get_logger
from services.core.presence import Identity, announce
from services.core.priority import lower_priority, stage_niceness
from services.core.runner import Stage
from services.core.settings import ServiceName, Settings
from services.core.stageprocess import StageProcess
from services.core.standby import run_leased
from services.core.topics import Topics, TopicSpec

StageFactory = Callable[[Settings, Topics], AbstractAsyncContextManager[Stage]]
# A stage that fences its own writes with the lease it runs under (dedup's state on a database
# server) is given that lease as well: opened once the lease is held, so its state is read after
# the previous holder's last write.
FencedStageFactory = Callable[[Settings, Topics, Lease], AbstractAsyncContextManager[Stage]]
# The lease a stage process must hold to consume (None: it needs none), given who it is.
LeaseFactory = Callable[[Settings, Holder], Lease | None]

log = get_logger(__name__)


def topic_specs(settings: Settings, topics: Topics) -> list[TopicSpec]:
    return topics.specs(
        settings.topic_partitions, settings.raw_retention_ms, settings.dlq_retention_ms
    )


async def bootstrap_topics(settings: Settings) -> None:
    """Create every topic of the flow if missing, waiting (bounded backoff) for the broker."""
    topics = Topics(settings.topic_prefix)
    delay = settings.retry_backoff_initial_s
    while True:
        try:
            created = await kafka.ensure_topics(settings, topic_specs(settings, topics))
        except BrokerUnavailableError as error:
            log.warning("broker_unavailable_retrying", error=str(error), retry_in_s=delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, settings.retry_backoff_max_s)
            continue
        if created:
            log.info("topics_created", topics=created)
        return


def install_stop_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)


async def run_stage(
    name: ServiceName,
    factory: Callable[[Settings, Topics, Lease | None], AbstractAsyncContextManager[Stage]],
    settings: Settings,
    lease_for: LeaseFactory | None = None,
) -> None:
    """Run stage ``name`` until SIGTERM: its health endpoint, its announcements, and its work,
    under the lease ``lease_for`` gives (if any): a standby until it holds it. ``factory`` opens
    the stage (given the lease, when there is one) each time this process becomes active."""
    stop = asyncio.Event()
    install_stop_signals(stop)
    await bootstrap_topics(settings)
    topics = Topics(settings.topic_prefix)
    identity = Identity.of_this_process(name)
    lease = lease_for(settings, identity.holder()) if lease_for else None
    listener = listen_socket(settings.host, settings.health_port(name))
    process = StageProcess(settings, identity, lease, advertised_url(settings.host, listener))
    app = health_app(name, process.live, process.ready, process.failing, process.about)
    port = listener.getsockname()[1]
    health = asyncio.create_task(serve_http(app, settings.host, port, stop, listener))
    presence = asyncio.create_task(
        announce(
            settings,
            topic=topics.processes,
            identity=identity,
            announcement=process.announcement,
            changed=process.standing.changed,
            stop=stop,
        )
    )

    async def consume(until: asyncio.Event) -> None:
        async with factory(settings, topics, lease) as stage:
            await process.consume(stage, until)

    try:
        await run_leased(name, lease, consume, stop, process.standing)
    finally:
        stop.set()
        await health
        await presence


def main(name: ServiceName, factory: StageFactory, lease_for: LeaseFactory | None = None) -> None:
    """The process of stage ``name``: active at once, or under ``lease_for``'s lease."""

    def opened(
        settings: Settings, topics: Topics, _: Lease | None
    ) -> AbstractAsyncContextManager[Stage]:
        return factory(settings, topics)

    _run_process(name, opened, lease_for)


def main_fenced(
    name: ServiceName,
    factory: FencedStageFactory,
    lease_for: Callable[[Settings, Holder], Lease],
) -> None:
    """The process of stage ``name`` under ``lease_for``'s lease, which ``factory`` is given
    too (to fence the stage's own writes with it)."""

    def opened(
        settings: Settings, topics: Topics, lease: Lease | None
    ) -> AbstractAsyncContextManager[Stage]:
        if lease is None:
            raise LeaseError(f"{name} runs only under a lease")
        return factory(settings, topics, lease)

    _run_process(name, opened, lease_for)


def _run_process(
    name: ServiceName,
    factory: Callable[[Settings, Topics, Lease | None], AbstractAsyncContextManager[Stage]],
    lease_for: LeaseFactory | None,
) -> None:
    settings = Settings()
    configure_logging(settings.log_level, settings.log_format, service=name)
    nice = lower_priority(stage_niceness(name, settings.priority_step))
    log.info("cpu_priority", stage=name, nice=nice)
    run_async(run_stage(name, factory, settings, lease_for))


def run_async(main_coroutine: Coroutine[Any, Any, None]) -> None:
    """Run a service's main coroutine on uvloop (the event loop uvicorn also prefers).

    Everything imported so far lives as long as the process: it is moved out of the collector's
    generations (``gc.freeze``), so the full collections a busy service triggers stop walking
    it again and again (about a fifth of the ingest's CPU per article otherwise).
    """
    gc.collect()
    gc.freeze()
    uvloop.run(main_coroutine)
