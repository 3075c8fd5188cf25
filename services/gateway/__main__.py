"""``python -m services.gateway``: the gateway HTTP service. SIGTERM ends streams and exits 0."""

from __future__ import annotations

import asyncio

from services.core.health import serve_http
from services.core.logs import configure_logging
from services.core.service import install_stop_signals, run_async
from services.core.settings import Settings
from services.gateway.app import create_app


async def serve(settings: Settings) -> None:
    stop = asyncio.Event()
    install_stop_signals(stop)
    await serve_http(create_app(settings, stop=stop), settings.host, settings.gateway_port, stop)


def main() -> None:
    settings = Settings()
    configure_logging(settings.log_level, settings.log_format, service="gateway")
    run_async(serve(settings))


if __name__ == "__main__":
    main()
