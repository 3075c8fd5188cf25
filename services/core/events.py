"""The record a stage emits for the article it consumed: same key, next CloudEvent, same trace."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import UTC, datetime

from services.core.headers import (
    CE_ID,
    TRACEPARENT,
    Headers,
    TraceContext,
    event_headers,
    shared_headers,
)
from services.core.models import Message
from services.core.records import ConsumedRecord, OutgoingRecord


def next_record(
    incoming: ConsumedRecord,
    topic: str,
    message: Message | bytes,
    *,
    stage: str,
    event_type: str,
    extra_headers: Mapping[str, str] | None = None,
    time: datetime | None = None,
) -> OutgoingRecord:
    """The output record for ``incoming``.

    The CloudEvent id is derived from the incoming one and the stage, so a retried stage emits
    the same id (consumers can recognise a redelivery) while every stage's event stays distinct.
    The trace continues with a new span. ``message`` may come encoded already. ``time`` is the
    event's time (now if not given): a handler passes one for its whole batch, whose records then
    share their encoded common headers.
    """
    event_id, traceparent = _event_id_and_traceparent(incoming)
    upstream = event_id or f"{incoming.topic}/{incoming.partition}/{incoming.offset}"
    trace = TraceContext.parse(traceparent) or TraceContext.new()
    extra = tuple(extra_headers.items()) if extra_headers else ()
    headers = [
        *_shared(f"/newsflow/{stage}", event_type, time or datetime.now(UTC), extra),
        *event_headers(f"{upstream}:{stage}", trace.child()),
    ]
    value = message if isinstance(message, bytes) else message.to_bytes()
    return OutgoingRecord(topic, incoming.key, value, headers)


def _event_id_and_traceparent(incoming: ConsumedRecord) -> tuple[str | None, str | None]:
    """The record's ``ce_id`` and ``traceparent`` headers in one pass (the last of a name wins,
    as :func:`services.core.headers.header_map` has it)."""
    event_id = traceparent = None
    for name, value in incoming.headers:
        if name == CE_ID:
            event_id = value
        elif name == TRACEPARENT:
            traceparent = value
    return (
        None if event_id is None else event_id.decode("utf-8", "replace"),
        None if traceparent is None else traceparent.decode("utf-8", "replace"),
    )


@functools.lru_cache(maxsize=64)
def _shared(
    source: str, event_type: str, time: datetime, extra: tuple[tuple[str, str], ...]
) -> Headers:
    """:func:`shared_headers`, encoded once for all the records of a batch (only ever copied
    into a record's own list, never changed)."""
    return shared_headers(source, event_type, time, dict(extra))
