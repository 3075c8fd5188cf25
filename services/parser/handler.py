"""The parser stage: raw articles in, parsed articles out (through the core runner)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from services.core import topology
from services.core.decoding import decode
from services.core.errors import RecordFault
from services.core.events import stage_output
from services.core.handlers import BatchHandler, Outcome
from services.core.logs import get_logger
from services.core.memory import limit_arenas, release_library_pages, trim
from services.core.models import ParsedArticle, RawArticle
from services.core.records import ConsumedRecord
from services.core.runner import Stage
from services.core.settings import Settings
from services.core.topics import Topics
from services.parser.parse import parse_articles, warm_up

PARSER = topology.stage("parser")
COMPILER_LIBRARY = "libllvmlite"  # numba's LLVM: it loads the kernels, then is not used
# One batch parsed at a time in the process. The runner hands over its partitions' batches side
# by side, each on a worker thread; parsing them at once gained nothing (they take turns on the
# GIL) but held each one's documents and trees at once, and lxml aborted the process in a tree
# copy (trafilatura's, whose parser is shared by the threads) one run in a few.
_PARSING = threading.Lock()


def parse_all(
    records: Sequence[ConsumedRecord],
    max_bytes: int,
    source_zones: Mapping[str, str] | None = None,
) -> list[ParsedArticle | Exception]:
    """Decode and parse every record; a record that can never be parsed gets its fault.

    ``source_zones`` maps sources to the IANA zone of the dates they write without one.

    Anything else propagates: it is a bug, which the runner pins to its record (running the
    batch record by record), retries, and then stops the partition on.
    """
    decoded: list[RawArticle | RecordFault] = []
    for record in records:
        try:
            decoded.append(decode(record, RawArticle, max_bytes))
        except RecordFault as error:
            decoded.append(error)
    # the batch parsed phase by phase (parse_articles), the faults of decoding kept in place
    parsed = iter(
        parse_articles([raw for raw in decoded if isinstance(raw, RawArticle)], source_zones)
    )
    return [raw if isinstance(raw, RecordFault) else next(parsed) for raw in decoded]


def parser_handler(settings: Settings, topics: Topics) -> BatchHandler:
    def parse_batch(records: Sequence[ConsumedRecord]) -> list[ParsedArticle | Exception]:
        with _PARSING:
            parsed = parse_all(records, settings.max_body_bytes, settings.source_zones)
            if settings.parser_trim_after_batch:
                trim()  # the pages the batch's documents and trees took, free again
        return parsed

    async def handle(records: Sequence[ConsumedRecord]) -> list[Outcome]:
        # One worker-thread hop per batch: the event loop keeps heartbeating meanwhile.
        parsed = await asyncio.to_thread(parse_batch, records)
        now = datetime.now(UTC)
        return [
            result
            if isinstance(result, Exception)
            else stage_output(PARSER, topics, record, result, time=now)
            for record, result in zip(records, parsed, strict=True)
        ]

    return handle


@asynccontextmanager
async def parser_stage(settings: Settings, topics: Topics) -> AsyncIterator[Stage]:
    if settings.parser_malloc_arenas and not limit_arenas(settings.parser_malloc_arenas):
        get_logger(__name__).warning("malloc_arenas_not_set", arenas=settings.parser_malloc_arenas)
    await asyncio.to_thread(warm_up)  # the language model and compiled kernels, up front
    # LLVM's code (~100 MB resident once loaded) served only to load the kernels: give it back
    released = release_library_pages(COMPILER_LIBRARY)
    get_logger(__name__).info("compiler_pages_released", mapped_bytes=released)
    yield Stage.in_flow(PARSER.name, topics, parser_handler(settings, topics))
