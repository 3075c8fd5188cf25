"""Batch outcomes: per-record adapter, isolation of a record that breaks a whole batch, and
the line between a fault of the record (an outcome) and a bug (a HandlerFailure)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from services.core.errors import BrokerUnavailableError, InvalidMessageError, RecordFault
from services.core.handlers import HandlerFailure, Outcome, per_record, run_isolating
from services.core.records import ConsumedRecord, OutgoingRecord


def records(*values: bytes) -> list[ConsumedRecord]:
    return [ConsumedRecord("in", 0, i, None, v) for i, v in enumerate(values)]


async def echo(record: ConsumedRecord) -> Sequence[OutgoingRecord]:
    if record.value == b"bad":
        raise RecordFault("bad record")
    if record.value == b"bug":
        raise KeyError("a bug of the code")
    if record.value == b"down":
        raise BrokerUnavailableError("down")
    return [OutgoingRecord("out", None, record.value or b"")]


async def test_per_record_turns_record_faults_into_outcomes() -> None:
    outcomes = await per_record(echo)(records(b"a", b"bad", b"c"))
    assert isinstance(outcomes[1], RecordFault)
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

    outcomes = await run_isolating(fragile, records(b"a", b"bad", b"c"), tolerate_bugs=True)
    assert isinstance(outcomes[1], ValueError)
    assert [o[0].value for o in outcomes if not isinstance(o, Exception)] == [b"a", b"c"]
    assert calls == [3, 1, 1, 1]


async def test_a_bug_is_a_handler_failure_naming_its_record_not_an_outcome() -> None:
    with pytest.raises(HandlerFailure) as raised:
        await run_isolating(per_record(echo), records(b"a", b"bad", b"bug", b"d"))
    assert raised.value.record.offset == 2
    assert isinstance(raised.value.error, KeyError)
    assert raised.value.__cause__ is raised.value.error


async def test_a_bug_breaking_a_whole_batch_is_pinned_to_its_first_record() -> None:
    calls: list[int] = []

    async def fragile(batch: Sequence[ConsumedRecord]) -> list[Outcome]:
        calls.append(len(batch))
        if any(r.value in (b"bug", b"bug2") for r in batch):
            raise ZeroDivisionError("the batch breaks")
        return [[OutgoingRecord("out", None, r.value or b"")] for r in batch]

    with pytest.raises(HandlerFailure) as raised:
        await run_isolating(fragile, records(b"a", b"bug", b"c", b"bug2"))
    assert raised.value.record.offset == 1
    assert calls == [4, 1, 1]  # nothing after the failing record is run


async def test_a_returned_bug_is_a_failure_and_a_returned_transient_error_is_raised() -> None:
    async def returning(batch: Sequence[ConsumedRecord]) -> list[Outcome]:
        outcomes: list[Outcome] = [InvalidMessageError("bad"), ValueError("engine bug")]
        return outcomes[: len(batch)]

    with pytest.raises(HandlerFailure):
        await run_isolating(returning, records(b"a", b"b"))
    tolerated = await run_isolating(returning, records(b"a", b"b"), tolerate_bugs=True)
    assert [type(o) for o in tolerated] == [InvalidMessageError, ValueError]

    async def down(batch: Sequence[ConsumedRecord]) -> list[Outcome]:
        return [BrokerUnavailableError("down") for _ in batch]

    with pytest.raises(BrokerUnavailableError):
        await run_isolating(down, records(b"a"))


async def test_a_record_fault_never_fails_the_batch() -> None:
    outcomes = await run_isolating(per_record(echo), records(b"bad", b"b"))
    assert isinstance(outcomes[0], RecordFault) and not isinstance(outcomes[1], Exception)


async def test_a_handler_returning_the_wrong_count_is_a_bug() -> None:
    async def short(batch: Sequence[ConsumedRecord]) -> list[Outcome]:
        return []

    with pytest.raises(RuntimeError, match="0 outcomes for 2 records"):
        await run_isolating(short, records(b"a", b"b"))
