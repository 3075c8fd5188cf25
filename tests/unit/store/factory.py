"""Valid ``ProcessedArticle`` values for store and gateway tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from services.core.models import DedupVerdict, ProcessedArticle, Verdict

BASE_TIME = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
PARIS = timezone(timedelta(hours=1))


def make_article(
    n: int = 0,
    *,
    article_id: str | None = None,
    source: str | None = "example.com",
    title: str | None = None,
    paragraphs: list[str] | None = None,
    authors: list[str] | None = None,
    language: str | None = "en",
    published_at: datetime | None = None,
    undated: bool = False,
    verdict: Verdict = "unique",
    story_id: str | None = None,
    duplicate_of: str | None = None,
    stored_at: datetime | None = None,
) -> ProcessedArticle:
    """Article number ``n``: published ``n`` hours after :data:`BASE_TIME` unless told."""
    article_id = article_id or f"article-{n:04d}"
    published = None if undated else (published_at or (BASE_TIME + timedelta(hours=n)))
    return ProcessedArticle(
        id=article_id,
        url=f"https://{source or 'unknown.test'}/news/{article_id}",
        canonical_url=f"https://{source or 'unknown.test'}/news/{article_id}",
        source=source,
        site_name=(source or "unknown").split(".")[0].title(),
        title=title if title is not None else f"Headline number {n}",
        authors=authors if authors is not None else ["Jane Doe"],
        published_at=published.astimezone(PARIS) if published else None,
        published_at_utc=published,
        language=language,
        paragraphs=paragraphs or [f"Paragraph one of article {n}.", "A second paragraph."],
        lead=f"Paragraph one of article {n}.",
        word_count=9,
        cited_outlets=["Reuters"],
        parser_version="test-1",
        received_at=(published or BASE_TIME) + timedelta(minutes=5),
        dedup=DedupVerdict(
            verdict=verdict,
            story_id=story_id or article_id,
            duplicate_of=duplicate_of,
            similarity=0.97 if verdict != "unique" else 0.0,
            method="near_content" if verdict != "unique" else "none",
            evidence={"jaccard": 0.97} if verdict != "unique" else {},
        ),
        stored_at=stored_at or ((published or BASE_TIME) + timedelta(minutes=10)),
    )
