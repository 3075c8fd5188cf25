"""Record headers: CloudEvents 1.0 Kafka binding (binary mode) and W3C trace context."""

from __future__ import annotations

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
        return TraceContext(self.trace_id, secrets.token_hex(8), self.flags)

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
    """Binary-mode CloudEvents headers plus ``traceparent``."""
    values = {
        CE_SPECVERSION: "1.0",
        CE_ID: event_id,
        CE_SOURCE: source,
        CE_TYPE: event_type,
        CE_TIME: time.isoformat(),
        CONTENT_TYPE: "application/json",
        TRACEPARENT: trace.header(),
        **(extra or {}),
    }
    return [(name, value.encode()) for name, value in values.items()]


def header_map(headers: Sequence[tuple[str, bytes]] | None) -> dict[str, str]:
    """Headers as text (undecodable bytes replaced; the last value of a name wins)."""
    return {name: value.decode("utf-8", "replace") for name, value in headers or ()}
