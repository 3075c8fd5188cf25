"""``python -m tests.integration.crashing_store``: the store service, killed with SIGKILL right
after its first database write, before the Kafka transaction that commits its offsets, exactly
as an operator's ``kill -9`` would land in that window (a test-only entry point: production code
carries no crash switch)."""

from __future__ import annotations

import os
import signal
from collections.abc import Sequence

from services.core.logs import get_logger
from services.core.models import ProcessedArticle
from services.core.service import main
from services.store.handler import store_stage
from services.store.postgres.repository import PostgresRepository
from services.store.repository import ArticleRepository, Position, Stored
from services.store.sqlite.repository import SqliteRepository

log = get_logger(__name__)
WRITERS: tuple[type[ArticleRepository], ...] = (SqliteRepository, PostgresRepository)
_STORE_CLAIMED = {writer: writer.store_claimed for writer in WRITERS}


async def store_then_crash(
    self: ArticleRepository, items: Sequence[tuple[ProcessedArticle, Position]]
) -> list[Stored | None]:
    """The repository's write, then SIGKILL before the caller sees the result."""
    await _STORE_CLAIMED[type(self)](self, items)
    log.warning("crash_after_store_write", articles=len(items))
    os.kill(os.getpid(), signal.SIGKILL)
    raise RuntimeError("SIGKILL did not end the process")


if __name__ == "__main__":
    for writer in WRITERS:  # whichever backend the settings choose
        writer.store_claimed = store_then_crash  # type: ignore[method-assign]
    main("store", store_stage)
