"""``articles.deduplicated.v1``: a parsed article with its dedup verdict."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.core.models.parsed import ParsedArticle

Verdict = Literal["unique", "duplicate", "update"]
DedupMethod = Literal["exact_url", "exact_content", "near_content", "none"]


class DedupVerdict(BaseModel):
    """Whether an article is a new story, a copy, or an update, and why."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    verdict: Verdict
    story_id: str = Field(description="Id of the story's first article.")
    duplicate_of: str | None = None
    similarity: float = Field(ge=0.0, le=1.0)
    method: DedupMethod
    evidence: dict[str, bool | int | float | str] = Field(default_factory=dict)


class DeduplicatedArticle(ParsedArticle):
    dedup: DedupVerdict
