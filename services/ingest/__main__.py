"""``python -m services.ingest``: the ingest HTTP service."""

from __future__ import annotations

import uvicorn

from services.core.logs import configure_logging
from services.core.settings import Settings
from services.ingest.app import create_app


def main() -> None:
    settings = Settings()
    configure_logging(settings.log_level, settings.log_format, service="ingest")
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.ingest_port,
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=10,
    )


if __name__ == "__main__":
    main()
