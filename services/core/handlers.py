"""Stage handlers: the per-batch form the runner calls, and the per-record form most stages write.

A batch handler gets every record of one partition's batch and returns one outcome per record,
in order: the records to emit, or the permanent error that sends that record to the DLQ. A
transient error is raised and fails the whole batch (it is retried from the committed offset).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from services.core.policy import classify
from services.core.records import ConsumedRecord, OutgoingRecord

Outcome = Sequence[OutgoingRecord] | Exception
Handler = Callable[[ConsumedRecord], Awaitable[Sequence[OutgoingRecord]]]
BatchHandler = Callable[[Sequence[ConsumedRecord]], Awaitable[Sequence[Outcome]]]


def per_record(handler: Handler) -> BatchHandler:
    """A batch handler calling ``handler`` record by record; permanent errors become outcomes."""

    async def handle(records: Sequence[ConsumedRecord]) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for record in records:
            try:
                outcomes.append(await handler(record))
            except Exception as error:
                if classify(error) == "transient":
                    raise
                outcomes.append(error)
        return outcomes

    return handle


async def run_isolating(handler: BatchHandler, records: Sequence[ConsumedRecord]) -> list[Outcome]:
    """Run a batch; if it fails permanently as a whole, run each record alone so only the
    record that causes the failure is dead-lettered and the rest go on."""
    try:
        outcomes = list(await handler(records))
    except Exception as error:
        if classify(error) == "transient":
            raise
        if len(records) == 1:
            return [error]
        return [(await run_isolating(handler, [record]))[0] for record in records]
    if len(outcomes) != len(records):
        raise RuntimeError(f"handler returned {len(outcomes)} outcomes for {len(records)} records")
    return outcomes
