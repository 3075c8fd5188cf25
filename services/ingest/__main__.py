"""``python -m services.ingest``: the ingest HTTP service. SIGTERM drains and exits 0."""

from __future__ import annotations

import asyncio

from services.core.health import serve_http
from services.core.logs import configure_logging, get_logger
from services.core.memory import fix_mmap_threshold
from services.core.service import install_stop_signals, run_async
from services.core.settings import Settings
from services.ingest.app import create_app


async def serve(settings: Settings) -> None:
    stop = asyncio.Event()
    install_stop_signals(stop)
    await serve_http(create_app(settings), settings.host, settings.ingest_port, stop)


def main() -> None:
    settings = Settings()
    configure_logging(settings.log_level, settings.log_format, service="ingest")
    threshold = settings.ingest_mmap_threshold_bytes
    if threshold and not fix_mmap_threshold(threshold):
        get_logger(__name__).warning("mmap_threshold_not_set", threshold_bytes=threshold)
    run_async(serve(settings))


if __name__ == "__main__":
    main()
