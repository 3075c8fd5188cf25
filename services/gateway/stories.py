"""A story's copies as the ``/v1/stories/{id}`` body. Pure."""

from __future__ import annotations

from collections.abc import Sequence

from services.core.models import ProcessedArticle
from services.gateway.models import StoryOut
from services.store.search import UNKNOWN_SOURCE


def story_of(story_id: str, copies: Sequence[ProcessedArticle]) -> StoryOut:
    """Every copy (storage order), the distinct sources, and each copy's dedup evidence."""
    sources = sorted({a.source or UNKNOWN_SOURCE for a in copies})
    evidence: list[dict[str, object]] = [
        {
            "id": a.id,
            "source": a.source,
            "verdict": a.dedup.verdict,
            "duplicate_of": a.dedup.duplicate_of,
            "similarity": a.dedup.similarity,
            "method": a.dedup.method,
            "evidence": dict(a.dedup.evidence),
        }
        for a in copies
    ]
    return StoryOut(story_id=story_id, sources=sources, articles=list(copies), evidence=evidence)
