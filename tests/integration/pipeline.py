"""The whole pipeline for integration tests: ingest served over real HTTP, each stage either in
this process or as its own service process."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Mapping
from pathlib import Path

from services.core.runner import StageRunner
from services.core.service import StageFactory
from services.core.settings import Settings
from services.core.topics import Topics
from services.dedup.handler import dedup_stage
from services.parser.handler import parser_stage
from services.store.handler import store_stage
from services.tools.processes import ServiceProcess

ROOT = Path(__file__).resolve().parents[2]
STAGES: dict[str, StageFactory] = {
    "parser": parser_stage,
    "dedup": dedup_stage,
    "store": store_stage,
}


@contextlib.asynccontextmanager
async def stages_running(settings: Settings, *names: str) -> AsyncIterator[None]:
    """Run the named stages in this process until the block ends."""
    topics = Topics(settings.topic_prefix)
    stop = asyncio.Event()
    async with contextlib.AsyncExitStack() as stack:
        tasks = []
        for name in names:
            stage = await stack.enter_async_context(STAGES[name](settings, topics))
            tasks.append(asyncio.create_task(StageRunner(settings, stage).run(stop)))
        try:
            yield
        finally:
            stop.set()
            await asyncio.wait_for(asyncio.gather(*tasks), 60)


def child_settings(settings: Settings, /, **updates: object) -> Settings:
    """What a service process of this test is told: the environment's settings with this test's
    topics, data directory, database and session timeout, a health port picked at start and
    warnings only; then ``updates``."""
    return Settings().model_copy(
        update={
            "topic_prefix": settings.topic_prefix,
            "topic_partitions": settings.topic_partitions,
            "data_dir": settings.data_dir,
            "database_url": settings.database_url,
            "database_read_url": settings.database_read_url,
            "health_port_base": 0,
            "session_timeout_ms": settings.session_timeout_ms,
            "log_level": "WARNING",
            **updates,
        }
    )


def service_process(
    settings: Settings,
    name: str,
    *,
    module: str | None = None,
    extra_env: Mapping[str, str] | None = None,
    **updates: object,
) -> ServiceProcess:
    """``python -m services.<name>`` (or ``module``) with this test's topics and data directory
    (see :func:`child_settings`); ``extra_env`` for variables that are not settings."""
    child = child_settings(settings, **updates)
    return ServiceProcess.start(name, child, module=module, extra_env=extra_env, cwd=ROOT)
