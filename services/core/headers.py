"""Record headers: CloudEvents 1.0 Kafka binding (binary mode) and W3C trace context."""

from __future__ import annotations

import functools
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

Headers = list[tuple[str, bytes]]

CE_SPECVERSION = "ce_specversion"
CE_ID = "ce_id"
CE_SOURCE = "ce_source"
CE_TYPE = "ce_type"
CE_TIME = "ce_time"
CONTENT_TYPE = "content-type"
TRACEPARENT = "traceparent"
NF_VERDICT = "nf_verdict"

_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")


def _nonzero(span_id: str) -> str:
    """W3C: an all-zero span id is invalid (one draw in 2**64)."""
    return span_id if span_id.strip("0") else "0000000000000001"


@dataclass(frozen=True, slots=True)
class TraceContext:
    """A W3C trace context: one trace id for the article's whole journey, a span per stage."""

    trace_id: str
    span_id: str
    flags: str = "01"

    @classmethod
    def new(cls) -> TraceContext:
        return cls(secrets.token_hex(16), secrets.token_hex(8))

    @classmethod
    def parse(cls, value: str | None) -> TraceContext | None:
        """A valid ``traceparent`` value, or None (an invalid one is ignored, as W3C says)."""
        if not value:
            return None
        match = _TRACEPARENT.match(value.strip().lower())
        if not match or set(match[1]) == {"0"} or set(match[2]) == {"0"}:
            return None
        return cls(match[1], match[2], match[3])

    def child(self) -> TraceContext:
        """The next span of the same trace."""
        return self.children(1)[0]

    def children(self, count: int) -> list[TraceContext]:
        """``count`` new spans of the same trace (the randomness drawn at once)."""
        spans = secrets.token_hex(8 * count)
        return [
            TraceContext(self.trace_id, _nonzero(spans[at : at + 16]), self.flags)
            for at in range(0, 16 * count, 16)
        ]

    def header(self) -> str:
        return f"00-{self.trace_id}-{self.span_id}-{self.flags}"


def cloudevent_headers(
    *,
    event_id: str,
    source: str,
    event_type: str,
    time: datetime,
    trace: TraceContext,
    extra: Mapping[str, str] | None = None,
) -> Headers:
    """Binary-mode CloudEvents headers plus ``traceparent``. The headers that events of one
    source, type, time and extras have in common are encoded once, for all of them (the records
    of a batch share their time)."""
    shared = _encoded_once(source, event_type, time, tuple(extra.items()) if extra else ())
    return [*shared, *event_headers(event_id, trace)]


@functools.lru_cache(maxsize=64)
def _encoded_once(
    source: str, event_type: str, time: datetime, extra: tuple[tuple[str, str], ...]
) -> Headers:
    """:func:`shared_headers`, kept for the next event of the same kind (only ever copied into
    an event's own list, never changed)."""
    return shared_headers(source, event_type, time, dict(extra))


def shared_headers(
    source: str, event_type: str, time: datetime, extra: Mapping[str, str] | None = None
) -> Headers:
    """The CloudEvents headers events of one source, type and time have in common."""
    values = {
        CE_SPECVERSION: "1.0",
        CE_SOURCE: source,
        CE_TYPE: event_type,
        CE_TIME: time.isoformat(),
        CONTENT_TYPE: "application/json",
        **(extra or {}),
    }
    return [(name, value.encode()) for name, value in values.items()]


def event_headers(event_id: str, trace: TraceContext) -> Headers:
    """The headers of one event of its own: its id and its span of the trace."""
    return [(CE_ID, event_id.encode()), (TRACEPARENT, trace.header().encode())]


def header_map(headers: Sequence[tuple[str, bytes]] | None) -> dict[str, str]:
    """Headers as text (undecodable bytes replaced; the last value of a name wins)."""
    return {name: value.decode("utf-8", "replace") for name, value in headers or ()}
