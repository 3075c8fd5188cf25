"""``articles.processed.v1``: what downstream systems consume, once per article id."""

from __future__ import annotations

from pydantic import AwareDatetime

from services.core.models.deduplicated import DeduplicatedArticle


class ProcessedArticle(DeduplicatedArticle):
    stored_at: AwareDatetime
