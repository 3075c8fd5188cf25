"""aiokafka's error lines about errors it retries itself are warnings; real errors stay errors."""

from __future__ import annotations

import logging

from aiokafka.errors import (
    GroupCoordinatorNotAvailableError,
    InvalidSessionTimeoutError,
    NotCoordinatorForGroupError,
)

from services.core.logs import RetriedKafkaErrors


def record(name: str, level: int, msg: str, *args: object) -> logging.LogRecord:
    made = logging.LogRecord(name, level, __file__, 1, msg, args, None)
    assert RetriedKafkaErrors().filter(made)  # never drops a line
    return made


def test_a_coordinator_not_available_yet_is_a_warning() -> None:
    found = record(
        "aiokafka.consumer.group_coordinator",
        logging.ERROR,
        "Group Coordinator Request failed: %s",
        GroupCoordinatorNotAvailableError(),
    )
    assert (found.levelno, found.levelname) == (logging.WARNING, "WARNING")
    heartbeat = record(
        "aiokafka.consumer.group_coordinator",
        logging.ERROR,
        "Heartbeat failed: %r",
        NotCoordinatorForGroupError(),
    )
    assert heartbeat.levelname == "WARNING"


def test_a_fatal_kafka_error_stays_an_error() -> None:
    found = record(
        "aiokafka.consumer.group_coordinator",
        logging.ERROR,
        "Attempt to join group failed due to fatal error: %s",
        InvalidSessionTimeoutError(),
    )
    assert (found.levelno, found.levelname) == (logging.ERROR, "ERROR")


def test_other_errors_and_other_loggers_keep_their_level() -> None:
    plain = record("aiokafka.client", logging.ERROR, "Unable to update metadata from %s", [1])
    assert plain.levelname == "ERROR"
    elsewhere = record(
        "uvicorn.error", logging.ERROR, "failed: %s", GroupCoordinatorNotAvailableError()
    )
    assert elsewhere.levelname == "ERROR"
    info = record("aiokafka", logging.INFO, "joined: %s", GroupCoordinatorNotAvailableError())
    assert info.levelname == "INFO"
    mapping = record("aiokafka", logging.ERROR, "failed: %(error)s", {"error": "text"})
    assert mapping.levelname == "ERROR"
