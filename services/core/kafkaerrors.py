"""aiokafka's errors, translated into newsflow's own at the boundary (the only module that
imports ``aiokafka.errors``).

Code that talks to the broker through an aiokafka client wraps the calls in :func:`translated`
and handles newsflow's classes: :class:`~services.core.errors.ProducerFencedError` when another
producer took over the transactional id, :class:`~services.core.errors.BrokerUnavailableError`
for every other broker error (each is a :class:`~services.core.errors.TransientError`, which the
policy retries). :func:`is_broker_error` and :func:`is_retriable` answer for an error that was
not translated (raised by aiokafka inside a client call the runner makes, or logged by it).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from aiokafka.errors import KafkaError, ProducerFenced

from services.core.errors import BrokerUnavailableError, NewsflowError, ProducerFencedError


def is_broker_error(error: BaseException) -> bool:
    """Whether ``error`` is one of aiokafka's broker errors (not translated yet)."""
    return isinstance(error, KafkaError)


def is_retriable(error: object) -> bool:
    """Whether ``error`` is a broker error aiokafka retries by itself."""
    return isinstance(error, KafkaError) and bool(getattr(error, "retriable", False))


def translate(error: KafkaError, action: str) -> NewsflowError:
    """newsflow's error for aiokafka's ``error``, raised while doing ``action``."""
    if isinstance(error, ProducerFenced):
        return ProducerFencedError(f"{action}: {error!r}")
    return BrokerUnavailableError(f"{action}: {error!r}")


@contextmanager
def translated(action: str) -> Iterator[None]:
    """Raise newsflow's error (chained to the original) for a broker error raised inside."""
    try:
        yield
    except KafkaError as error:
        raise translate(error, action) from error
