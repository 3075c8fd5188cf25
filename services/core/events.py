"""The record a stage emits for the article it consumed: same key, next CloudEvent, same trace."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from services.core.headers import CE_ID, TRACEPARENT, TraceContext, cloudevent_headers
from services.core.models import Message
from services.core.records import ConsumedRecord, OutgoingRecord
from services.core.topics import Topics
from services.core.topology import StageSpec


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
    share their encoded common headers (see :func:`cloudevent_headers`).
    """
    upstream = incoming.header(CE_ID) or f"{incoming.topic}/{incoming.partition}/{incoming.offset}"
    trace = TraceContext.parse(incoming.header(TRACEPARENT)) or TraceContext.new()
    headers = cloudevent_headers(
        event_id=f"{upstream}:{stage}",
        source=f"/newsflow/{stage}",
        event_type=event_type,
        time=time or datetime.now(UTC),
        trace=trace.child(),
        extra=extra_headers,
    )
    value = message if isinstance(message, bytes) else message.to_bytes()
    return OutgoingRecord(topic, incoming.key, value, headers)


def stage_output(
    spec: StageSpec,
    topics: Topics,
    incoming: ConsumedRecord,
    message: Message | bytes,
    *,
    time: datetime,
    extra_headers: Mapping[str, str] | None = None,
) -> list[OutgoingRecord]:
    """What a consumer stage emits for one article it handled: its one record on the stage's
    output topic, with the stage's name and event type from the topology row ``spec``."""
    return [
        next_record(
            incoming,
            topics.name_of(spec.sends),
            message,
            stage=spec.name,
            event_type=spec.event_type,
            extra_headers=extra_headers,
            time=time,
        )
    ]
