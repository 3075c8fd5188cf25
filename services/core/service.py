"""The entry point of a consumer stage process: topics, health endpoint, runner, signals.

SIGTERM or SIGINT: stop fetching, finish the in-flight batch, commit, leave the group, exit 0.
"""

from __future__ import annotations

import asyncio
import gc
import signal
import time
from collections.abc import Callable, Coroutine
from contextlib import AbstractAsyncContextManager
from typing import Any

import uvloop

from services.core import kafka
from services.core.errors import BrokerUnavailableError
from services.core.health import health_app, serve_http
from services.core.logs import configure_logging, get_logger
from services.core.priority import lower_priority, stage_niceness
from services.core.runner import Stage, StageRunner
from services.core.settings import ServiceName, Settings
from services.core.topics import Topics, TopicSpec

StageFactory = Callable[[Settings, Topics], AbstractAsyncContextManager[Stage]]

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


async def run_stage(name: ServiceName, factory: StageFactory, settings: Settings) -> None:
    stop = asyncio.Event()
    install_stop_signals(stop)
    await bootstrap_topics(settings)
    topics = Topics(settings.topic_prefix)
    async with factory(settings, topics) as stage:
        runner = StageRunner(settings, stage)

        def live() -> tuple[bool, str]:
            stalled = time.monotonic() - runner.last_loop_at
            return stalled < settings.stage_stall_limit_s, f"last poll {stalled:.1f}s ago"

        def ready() -> tuple[bool, str]:
            if not runner.started:
                return False, "consumer starting"
            if failures := runner.failures:
                return False, "failing: " + "; ".join(f.describe() for f in failures)
            return runner.healthy, "consuming" if runner.healthy else "retrying a transient failure"

        def failing() -> list[dict[str, str | int | float]]:
            return [failure.to_dict() for failure in runner.failures]

        app = health_app(name, live, ready, failing)
        health = asyncio.create_task(
            serve_http(app, settings.host, settings.health_port(name), stop)
        )
        try:
            await runner.run(stop)
        finally:
            stop.set()
            await health


def main(name: ServiceName, factory: StageFactory) -> None:
    settings = Settings()
    configure_logging(settings.log_level, settings.log_format, service=name)
    nice = lower_priority(stage_niceness(name, settings.priority_step))
    log.info("cpu_priority", stage=name, nice=nice)
    run_async(run_stage(name, factory, settings))


def run_async(main_coroutine: Coroutine[Any, Any, None]) -> None:
    """Run a service's main coroutine on uvloop (the event loop uvicorn also prefers).

    Everything imported so far lives as long as the process: it is moved out of the collector's
    generations (``gc.freeze``), so the full collections a busy service triggers stop walking
    it again and again (about a fifth of the ingest's CPU per article otherwise).
    """
    gc.collect()
    gc.freeze()
    uvloop.run(main_coroutine)
