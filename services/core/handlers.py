"""Stage handlers: the per-batch form the runner calls, and the per-record form most stages write.

A batch handler gets every record of one partition's batch and returns one outcome per record,
in order: the records to emit, or the :class:`~services.core.errors.RecordFault` that sends that
record to the DLQ. Any other error is raised (or returned): a transient one fails the whole
batch, which is retried from the committed offset; anything else is a bug, pinned to the record
that causes it by :func:`run_isolating` and handed to the runner's policy as a
:class:`HandlerFailure`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from services.core.errors import RecordFault
from services.core.policy import classify
from services.core.records import ConsumedRecord, OutgoingRecord

Outcome = Sequence[OutgoingRecord] | Exception
Handler = Callable[[ConsumedRecord], Awaitable[Sequence[OutgoingRecord]]]
BatchHandler = Callable[[Sequence[ConsumedRecord]], Awaitable[Sequence[Outcome]]]


class HandlerFailure(Exception):
    """The handler failed on ``record`` for a reason that is not the record's fault (a bug)."""

    def __init__(self, record: ConsumedRecord, error: Exception) -> None:
        super().__init__(f"{type(error).__name__}: {error}")
        self.record = record
        self.error = error


def per_record(handler: Handler) -> BatchHandler:
    """A batch handler calling ``handler`` record by record; record faults become outcomes,
    every other error propagates."""

    async def handle(records: Sequence[ConsumedRecord]) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for record in records:
            try:
                outcomes.append(await handler(record))
            except RecordFault as fault:
                outcomes.append(fault)
        return outcomes

    return handle


async def run_isolating(
    handler: BatchHandler, records: Sequence[ConsumedRecord], *, tolerate_bugs: bool = False
) -> list[Outcome]:
    """Run a batch; the outcomes hold record faults, and bugs only if ``tolerate_bugs``.

    A transient error is raised. If the batch fails as a whole on anything else, each record
    runs alone, so the record that causes it is found and the rest go on. A bug (raised alone,
    or returned as an outcome) is raised as :class:`HandlerFailure` unless tolerated.
    """
    try:
        outcomes = list(await handler(records))
    except Exception as error:
        if classify(error) == "transient":
            raise
        if len(records) > 1:
            outcomes = []
            for record in records:
                outcomes.extend(await run_isolating(handler, [record], tolerate_bugs=tolerate_bugs))
            return outcomes
        outcomes = [error]
    if len(outcomes) != len(records):
        raise RuntimeError(f"handler returned {len(outcomes)} outcomes for {len(records)} records")
    for record, outcome in zip(records, outcomes, strict=True):
        if isinstance(outcome, Exception):
            policy = classify(outcome)
            if policy == "transient":
                raise outcome
            if policy == "bug" and not tolerate_bugs:
                raise HandlerFailure(record, outcome) from outcome
    return outcomes
