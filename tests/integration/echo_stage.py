"""A minimal transactional stage for testing the runner through a real process.

raw → parsed: the value upper-cased. ``poison`` values are faults of the record; ``flaky-N``
values fail transiently N times; ``bug-N`` values fail N times on a bug of the code (a
``KeyError``). ``NEWSFLOW_TEST_DELAY_S`` slows each record down so a test can kill the process
mid-stream; ``NEWSFLOW_TEST_BROKEN=1`` makes the handler fail on every record (a bad deploy).
Run: ``python -m tests.integration.echo_stage``.
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from services.core.errors import RecordFault, TransientError
from services.core.handlers import Handler, per_record
from services.core.records import ConsumedRecord, OutgoingRecord
from services.core.runner import Stage
from services.core.service import main
from services.core.settings import Settings
from services.core.topics import Topics


def echo_handler(output_topic: str, delay_s: float = 0.0, *, broken: bool = False) -> Handler:
    failures: Counter[bytes] = Counter()

    async def handle(record: ConsumedRecord) -> Sequence[OutgoingRecord]:
        value = record.value or b""
        if delay_s:
            await asyncio.sleep(delay_s)
        if broken:
            raise RuntimeError("echo is broken in this build")
        if value.startswith(b"poison"):
            raise RecordFault(f"cannot echo {value[:20]!r}")
        if value.startswith((b"flaky-", b"bug-")):
            failures[value] += 1
            if failures[value] <= int(value.split(b"-")[1]):
                if value.startswith(b"bug-"):
                    raise KeyError(f"a bug of the code (attempt {failures[value]})")
                raise TransientError(f"dependency unavailable (attempt {failures[value]})")
        return [OutgoingRecord(output_topic, record.key, value.upper(), record.headers)]

    return handle


def echo_stage(topics: Topics, delay_s: float = 0.0, *, broken: bool = False) -> Stage:
    handler = echo_handler(topics.parsed, delay_s, broken=broken)
    return Stage.of("echo", topics.raw, topics, per_record(handler))


@asynccontextmanager
async def echo_factory(_settings: Settings, topics: Topics) -> AsyncIterator[Stage]:
    delay_s = float(os.environ.get("NEWSFLOW_TEST_DELAY_S", "0"))
    yield echo_stage(topics, delay_s, broken=os.environ.get("NEWSFLOW_TEST_BROKEN") == "1")


if __name__ == "__main__":
    main("parser", echo_factory)
