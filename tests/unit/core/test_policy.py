"""The runner's error policy: how each error is classified, and the bounded backoff."""

from __future__ import annotations

import sqlite3

from aiokafka.errors import KafkaConnectionError

from services.core.errors import BrokerUnavailableError, InvalidMessageError, RecordFault
from services.core.policy import Backoff, classify
from services.dedup.errors import EmptyBodyError
from services.parser.errors import EmptyArticleError


def test_classify() -> None:
    assert classify(BrokerUnavailableError("down")) == "transient"
    assert classify(KafkaConnectionError()) == "transient"
    assert classify(sqlite3.OperationalError("database is locked")) == "transient"
    assert classify(OSError("disk")) == "transient"
    assert classify(InvalidMessageError("bad")) == "record"
    assert classify(RecordFault("bad")) == "record"
    assert classify(EmptyArticleError("no body")) == "record"
    assert classify(EmptyBodyError("no words")) == "record"
    # not a fault of the record: a bug, which must stop the line rather than drain it
    assert classify(ValueError("bug on one record")) == "bug"
    assert classify(KeyError("x")) == "bug"
    assert classify(sqlite3.IntegrityError("UNIQUE constraint failed: fingerprints.seq")) == "bug"


def test_backoff_is_bounded_and_resets() -> None:
    backoff = Backoff(0.1, 1.0)
    delays = [backoff.next_delay() for _ in range(6)]
    assert delays == [0.1, 0.2, 0.4, 0.8, 1.0, 1.0]
    backoff.reset()
    assert backoff.next_delay() == 0.1
