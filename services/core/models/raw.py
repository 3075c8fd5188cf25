"""``articles.raw.v1``: an article as a client pushed it."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from services.core.models.base import Message

ContentType = Literal["text/plain", "text/html", "auto"]


class RawArticle(Message):
    """An accepted article, before parsing. Client-supplied fields win over inferred ones."""

    schema_version: Literal[1] = 1
    id: str = Field(description="Stable article id (client id, Idempotency-Key, URL or content).")
    id_source: Literal["client", "idempotency_key", "url", "content"]
    content: str = Field(description="The article as pushed: plain text or HTML.")
    content_type: ContentType = "auto"
    url: str | None = None
    canonical_url: str | None = Field(
        default=None, description="Lower-cased host, no www., no tracking parameters or fragment."
    )
    source: str | None = None
    title: str | None = None
    authors: list[str] | None = None
    published_at: AwareDatetime | None = None
    language: str | None = None
    metadata: dict[str, str] = Field(default_factory=dict)
    received_at: AwareDatetime
