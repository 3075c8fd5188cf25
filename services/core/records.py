"""Typed records crossing the Kafka boundary, independent of aiokafka's own types."""

from __future__ import annotations

from dataclasses import dataclass, field

from services.core.headers import Headers


@dataclass(frozen=True, slots=True)
class ConsumedRecord:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Headers = field(default_factory=list)
    timestamp_ms: int = 0

    @property
    def key_text(self) -> str | None:
        return None if self.key is None else self.key.decode("utf-8", "replace")

    def header(self, name: str) -> str | None:
        """The header's value as text (undecodable bytes replaced; the last of a name wins, as
        in :func:`services.core.headers.header_map`), or None."""
        for key, value in reversed(self.headers):
            if key == name:
                return value.decode("utf-8", "replace")
        return None


@dataclass(frozen=True, slots=True)
class OutgoingRecord:
    topic: str
    key: bytes | None
    value: bytes
    headers: Headers = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Delivered:
    """Where the broker put an acknowledged record."""

    topic: str
    partition: int
    offset: int
