"""The base of every message model: frozen, tolerant of unknown fields, JSON by pydantic."""

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
        """The record value: the model's JSON, as bytes straight from pydantic's serializer
        (``model_dump_json`` gives the same JSON as a str, which then costs an encode: for a
        whole article the two steps took about twice as long)."""
        return self.__pydantic_serializer__.to_json(self)

    @classmethod
    def from_bytes(cls, data: bytes) -> Self:
        return cls.model_validate_json(data)
