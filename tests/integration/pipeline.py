"""The whole pipeline for integration tests: ingest served over real HTTP, each stage either in
this process or as its own service process."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

from services.core.runner import StageRunner
from services.core.service import StageFactory
from services.core.settings import Settings
from services.core.topics import Topics
from services.dedup.handler import dedup_stage
from services.parser.handler import parser_stage
from services.store.handler import store_stage

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


def service_process(
    settings: Settings, name: str, *, module: str | None = None, **env: str
) -> subprocess.Popen[bytes]:
    """``python -m services.<name>`` (or ``module``) with this test's topics and data
    directory."""
    variables = {
        **os.environ,
        "NEWSFLOW_TOPIC_PREFIX": settings.topic_prefix,
        "NEWSFLOW_TOPIC_PARTITIONS": str(settings.topic_partitions),
        "NEWSFLOW_DATA_DIR": str(settings.data_dir),
        "NEWSFLOW_HEALTH_PORT_BASE": "0",
        "NEWSFLOW_SESSION_TIMEOUT_MS": str(settings.session_timeout_ms),
        "NEWSFLOW_LOG_LEVEL": "WARNING",
        **env,
    }
    command = [sys.executable, "-m", module or f"services.{name}"]
    return subprocess.Popen(command, cwd=ROOT, env=variables)
