"""``articles.parsed.v1``: clean article fields."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from services.core.models.base import Message
from services.core.models.quote import Quote


class ParsedArticle(Message):
    """An article reduced to clean, typed fields."""

    schema_version: Literal[1] = 1
    id: str
    url: str | None = None
    canonical_url: str | None = None
    source: str | None = None
    site_name: str | None = None
    title: str | None = None
    subtitle: str | None = None
    authors: list[str] = Field(default_factory=list)
    published_at: AwareDatetime | None = Field(
        default=None, description="Publication time with the source's UTC offset."
    )
    published_at_utc: AwareDatetime | None = Field(
        default=None, description="The same instant in UTC."
    )
    published_local: str | None = Field(
        default=None,
        pattern=r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?$",
        description="The publication date or date-time as written, in the source's wall-clock "
        "time and without a UTC offset (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]), whenever a date is "
        "found; published_at is set only when the zone is known (from the text, the page or the "
        "client).",
        examples=["2025-03-19T09:19:00", "2025-03-19"],
    )
    updated_at: AwareDatetime | None = None
    language: str | None = Field(default=None, description="ISO 639-1 code.")
    paragraphs: list[str] = Field(
        description="Body paragraphs, boilerplate removed. Every text field is NFC and free of "
        "invisible characters (soft hyphens, zero-width spaces, word joiners, BOMs); ZWJ/ZWNJ "
        "stay only where a script or an emoji sequence needs them."
    )
    lead: str | None = None
    word_count: int = Field(
        default=0,
        description="Words of the body: space-separated runs holding a letter or digit; each "
        "Han or Kana character; one per 3.5 letters of Thai, Lao, Khmer or Myanmar.",
    )
    cited_outlets: list[str] = Field(default_factory=list)
    quotes: list[Quote] = Field(
        default_factory=list,
        description="Direct quotations of five words or more in the body, in order of "
        "appearance, with their speakers; text == paragraphs[paragraph][start:end].",
    )
    boilerplate_removed: list[str] = Field(default_factory=list)
    parser_version: str
    warnings: list[str] = Field(default_factory=list)
    metadata: dict[str, str] = Field(default_factory=dict)
    received_at: AwareDatetime

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)
