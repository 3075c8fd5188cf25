"""Dead-letter records: the original record kept whole, with the reason in value and headers."""

from __future__ import annotations

import base64
import traceback
from datetime import UTC, datetime

from services.core.headers import TraceContext, cloudevent_headers, header_map
from services.core.models import DeadLetter
from services.core.records import ConsumedRecord, OutgoingRecord
from services.core.topology import DEADLETTERED_EVENT

MAX_ERROR_MESSAGE = 2000
MAX_TRACEBACK = 16_000  # characters kept in the value (the end: the innermost frames)
MAX_TRACEBACK_HEADER = 4_000  # and in the header

# Reason headers every DLQ record carries, beside the CloudEvents ones.
NF_STAGE = "nf_stage"
NF_ERROR_CLASS = "nf_error_class"
NF_ERROR_MESSAGE = "nf_error_message"
NF_ERROR_TRACEBACK = "nf_error_traceback"
NF_ORIGINAL_TOPIC = "nf_original_topic"
NF_ORIGINAL_PARTITION = "nf_original_partition"
NF_ORIGINAL_OFFSET = "nf_original_offset"


def traceback_of(error: BaseException, limit: int = MAX_TRACEBACK) -> str:
    """The formatted traceback of ``error`` (chained causes included), its last ``limit``
    characters when longer."""
    text = "".join(traceback.format_exception(error)).rstrip("\n")
    return text if len(text) <= limit else "…" + text[-(limit - 1) :]


def dead_letter(stage: str, record: ConsumedRecord, error: BaseException) -> DeadLetter:
    value = record.value or b""
    try:
        text, encoding = value.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = base64.b64encode(value).decode("ascii"), "base64"
    return DeadLetter(
        stage=stage,
        error_class=type(error).__name__,
        error_message=str(error)[:MAX_ERROR_MESSAGE] or type(error).__name__,
        error_traceback=traceback_of(error),
        original_topic=record.topic,
        original_partition=record.partition,
        original_offset=record.offset,
        original_key=record.key_text,
        original_value=text,
        original_value_encoding=encoding,
        original_headers=header_map(record.headers),
        failed_at=datetime.now(UTC),
    )


def dead_letter_record(
    dlq_topic: str, stage: str, record: ConsumedRecord, error: BaseException
) -> OutgoingRecord:
    letter = dead_letter(stage, record, error)
    trace = TraceContext.parse(record.header("traceparent")) or TraceContext.new()
    headers = cloudevent_headers(
        event_id=f"{record.topic}/{record.partition}/{record.offset}",
        source=f"/newsflow/{stage}",
        event_type=DEADLETTERED_EVENT,
        time=letter.failed_at,
        trace=trace.child(),
        extra={
            NF_STAGE: stage,
            NF_ERROR_CLASS: letter.error_class,
            NF_ERROR_MESSAGE: letter.error_message[:500],
            NF_ERROR_TRACEBACK: traceback_of(error, MAX_TRACEBACK_HEADER),
            NF_ORIGINAL_TOPIC: record.topic,
            NF_ORIGINAL_PARTITION: str(record.partition),
            NF_ORIGINAL_OFFSET: str(record.offset),
        },
    )
    return OutgoingRecord(dlq_topic, record.key, letter.to_bytes(), headers)
