"""``articles.dlq.v1``: a record a stage could not process, with the reason."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from services.core.models.base import Message


class DeadLetter(Message):
    """The original record, kept whole, and why a stage rejected it."""

    schema_version: Literal[1] = 1
    stage: str
    error_class: str
    error_message: str
    error_traceback: str | None = Field(
        default=None,
        description="The Python traceback of the error (its last lines when long); absent in "
        "dead letters written before it was added.",
    )
    original_topic: str
    original_partition: int
    original_offset: int
    original_key: str | None = None
    original_value: str = Field(description="The original value, as text or base64.")
    original_value_encoding: Literal["utf-8", "base64"]
    original_headers: dict[str, str] = Field(default_factory=dict)
    failed_at: AwareDatetime
