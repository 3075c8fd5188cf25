"""A minimal transactional stage for testing the runner through a real process.

raw → parsed: the value upper-cased. ``poison`` values are permanent errors; ``flaky-N`` values
fail transiently N times. ``NEWSFLOW_TEST_DELAY_S`` slows each record down so a test can kill the
process mid-stream. Run: ``python -m tests.integration.echo_stage``.
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from services.core.errors import PermanentError, TransientError
from services.core.handlers import Handler, per_record
from services.core.records import ConsumedRecord, OutgoingRecord
from services.core.runner import Stage
from services.core.service import main
from services.core.settings import Settings
from services.core.topics import Topics


def echo_handler(output_topic: str, delay_s: float = 0.0) -> Handler:
    failures: Counter[bytes] = Counter()

    async def handle(record: ConsumedRecord) -> Sequence[OutgoingRecord]:
        value = record.value or b""
        if delay_s:
            await asyncio.sleep(delay_s)
        if value.startswith(b"poison"):
            raise PermanentError(f"cannot echo {value[:20]!r}")
        if value.startswith(b"flaky-"):
            failures[value] += 1
            if failures[value] <= int(value.split(b"-")[1]):
                raise TransientError(f"dependency unavailable (attempt {failures[value]})")
        return [OutgoingRecord(output_topic, record.key, value.upper(), record.headers)]

    return handle


def echo_stage(topics: Topics, delay_s: float = 0.0) -> Stage:
    return Stage.of("echo", topics.raw, topics, per_record(echo_handler(topics.parsed, delay_s)))


@asynccontextmanager
async def echo_factory(_settings: Settings, topics: Topics) -> AsyncIterator[Stage]:
    yield echo_stage(topics, float(os.environ.get("NEWSFLOW_TEST_DELAY_S", "0")))


if __name__ == "__main__":
    main("parser", echo_factory)
