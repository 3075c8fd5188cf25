"""Batch outcomes: per-record adapter and isolation of a record that breaks a whole batch."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from services.core.errors import BrokerUnavailableError, PermanentError
from services.core.handlers import Outcome, per_record, run_isolating
from services.core.records import ConsumedRecord, OutgoingRecord


def records(*values: bytes) -> list[ConsumedRecord]:
    return [ConsumedRecord("in", 0, i, None, v) for i, v in enumerate(values)]


async def echo(record: ConsumedRecord) -> Sequence[OutgoingRecord]:
    if record.value == b"bad":
        raise PermanentError("bad record")
    if record.value == b"down":
        raise BrokerUnavailableError("down")
    return [OutgoingRecord("out", None, record.value or b"")]


async def test_per_record_turns_permanent_errors_into_outcomes() -> None:
    outcomes = await per_record(echo)(records(b"a", b"bad", b"c"))
    assert isinstance(outcomes[1], PermanentError)
    assert [o[0].value for o in outcomes if not isinstance(o, Exception)] == [b"a", b"c"]


async def test_transient_errors_fail_the_batch() -> None:
    with pytest.raises(BrokerUnavailableError):
        await per_record(echo)(records(b"a", b"down"))
    with pytest.raises(BrokerUnavailableError):
        await run_isolating(per_record(echo), records(b"down"))


async def test_a_batch_that_breaks_as_a_whole_is_split_to_isolate_the_record() -> None:
    calls: list[int] = []

    async def fragile(batch: Sequence[ConsumedRecord]) -> list[Outcome]:
        calls.append(len(batch))
        if any(r.value == b"bad" for r in batch):
            raise ValueError("one bad record breaks the batch")
        return [[OutgoingRecord("out", None, r.value or b"")] for r in batch]

    outcomes = await run_isolating(fragile, records(b"a", b"bad", b"c"))
    assert isinstance(outcomes[1], ValueError)
    assert [o[0].value for o in outcomes if not isinstance(o, Exception)] == [b"a", b"c"]
    assert calls == [3, 1, 1, 1]


async def test_a_handler_returning_the_wrong_count_is_a_bug() -> None:
    async def short(batch: Sequence[ConsumedRecord]) -> list[Outcome]:
        return []

    with pytest.raises(RuntimeError, match="0 outcomes for 2 records"):
        await run_isolating(short, records(b"a", b"b"))
