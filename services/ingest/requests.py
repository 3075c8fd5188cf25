"""What clients send to the ingest API. Unknown fields are refused (HTTP input is strict)."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, JsonValue, field_validator

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

    id: str | None = Field(default=None, description="Your own stable id for the article.")
    url: str | None = Field(default=None, max_length=4096)
    source: str | None = Field(default=None, max_length=200, description="Feed or outlet name.")
    title: str | None = Field(default=None, max_length=2000)
    authors: list[str] | None = Field(default=None, max_length=100)
    published_at: AwareDatetime | None = Field(
        default=None, description="ISO 8601 with a UTC offset."
    )
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}$", description="ISO 639-1.")
    content: str = Field(description="The article: plain text or HTML.")
    content_type: Literal["text/plain", "text/html", "auto"] = "auto"
    metadata: dict[str, str] | None = Field(default=None, max_length=100)

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
