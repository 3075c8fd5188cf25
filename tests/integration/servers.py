"""Real servers for integration tests: an app on a loopback port, a private broker."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

from fastapi import FastAPI

from services.core.health import serve_http
from services.core.settings import Settings
from services.tools import localkafka
from tests.support.ports import free_port


@contextlib.asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[str]:
    """Serve ``app`` over real HTTP on a free loopback port; yields its base URL."""
    port = free_port()
    stop = asyncio.Event()
    task = asyncio.create_task(serve_http(app, "127.0.0.1", port, stop))
    deadline = asyncio.get_running_loop().time() + 20
    while asyncio.get_running_loop().time() < deadline:
        with contextlib.suppress(OSError):
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            break
        await asyncio.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


@contextlib.contextmanager
def private_broker(tmp_path: Path) -> Iterator[Settings]:
    """A broker of this test's own (started and stopped here), for tests that stop a broker."""
    settings = Settings(
        kafka_bootstrap_servers=None,
        kafka_port=free_port(),
        kafka_controller_port=free_port(),
        data_dir=tmp_path / "private-broker",
    )
    localkafka.start(settings)
    try:
        yield settings
    finally:
        localkafka.stop(settings)
