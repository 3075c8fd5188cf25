"""What clients send to the ingest API. Unknown fields are refused (HTTP input is strict)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, JsonValue, field_validator

# A character ``str.strip`` keeps, in a regex that reads the same in Python and ECMA-262 (whose
# ``\s`` lacks the separators \x1c-\x1f and \x85 that Python strips).
NOT_BLANK = r"[^\s\x1c-\x1f\x85]"

# An absolute http(s) URL that ``canonical_url`` reads: an ASCII host, a port in range, no
# user info or spaces. The same text is the runtime check and the documented pattern.
_PORT = r"(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4})"
HTTP_URL = rf"^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9][A-Za-z0-9.-]*(?::{_PORT})?(?:[/?#][^\s]*)?$"

SEED_EXAMPLE: dict[str, JsonValue] = {
    "url": "https://www.example.com/world/ukraine-talks?utm_source=feed",
    "source": "example-wire",
    "content": "Ukraine and Russia Trade Blows After Agreeing to De-Escalation Talks\n\n"
    "Written by Camilla Jessen\n\nMar.19 - 2025 9:19 AM CET\n\n"
    "Hopes for a breakthrough in the Ukraine war were dashed within hours on Wednesday.",
    "content_type": "text/plain",
}


class ArticleIn(BaseModel):
    """One article pushed by a client. Supplied fields win over what the parser infers."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_extra={"examples": [SEED_EXAMPLE]}
    )

    id: str | None = Field(
        default=None,
        description="Your own stable id for the article: 1-200 printable ASCII, no spaces.",
        json_schema_extra={"pattern": "^[!-~]{1,200}$"},  # what ingest.identity checks
    )
    url: str | None = Field(
        default=None,
        max_length=4096,
        pattern=HTTP_URL,
        description="The article's absolute http(s) URL (an IDN host in its xn-- form).",
    )
    source: str | None = Field(default=None, max_length=200, description="Feed or outlet name.")
    title: str | None = Field(default=None, max_length=2000)
    authors: list[str] | None = Field(default=None, max_length=100)
    published_at: AwareDatetime | None = Field(
        default=None, description="ISO 8601 with a UTC offset."
    )
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}$", description="ISO 639-1.")
    content: str = Field(
        description="The article: plain text or HTML; not blank.",
        json_schema_extra={"pattern": NOT_BLANK},  # what ``content_not_empty`` checks
    )
    content_type: Literal["text/plain", "text/html", "auto"] = "auto"
    metadata: dict[str, str] | None = Field(default=None, max_length=100)

    @field_validator("published_at", mode="before")
    @classmethod
    def published_at_is_text(cls, value: object) -> object:
        """ISO 8601 text only: a bare number is not taken as a Unix time."""
        if value is not None and not isinstance(value, str | datetime):
            raise ValueError("published_at must be an ISO 8601 date-time string with an offset")
        return value

    @field_validator("content")
    @classmethod
    def content_not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("content is empty")
        return value


class AcceptedOut(BaseModel):
    """The broker acknowledged the article (``acks=all``): it will be processed."""

    id: str
    status: Literal["accepted"] = "accepted"
    topic: str
    partition: int
    offset: int


class ItemResult(BaseModel):
    """One item of a batch: accepted with its place on the topic, or rejected with the reason."""

    index: int
    status: int = Field(description="The HTTP status this item would have had on its own.")
    id: str | None = None
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    error: str | None = None
    detail: list[dict[str, str]] | None = None


class BatchOut(BaseModel):
    accepted: int
    rejected: int
    results: list[ItemResult]


class ErrorOut(BaseModel):
    error: str = Field(description="A stable error code.")
    message: str
    detail: list[dict[str, str]] | None = None
