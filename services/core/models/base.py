"""The base of every message model: frozen, tolerant of unknown fields, JSON via orjson."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict


class Message(BaseModel):
    """A record value on a topic.

    Consumed messages tolerate unknown fields (additive changes within a version never break a
    consumer); they are frozen once built.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    def to_bytes(self) -> bytes:
        return self.model_dump_json(exclude_none=False).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> Self:
        return cls.model_validate_json(data)
