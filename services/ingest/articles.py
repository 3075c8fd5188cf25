"""A validated request article into the raw-article message. Pure."""

from __future__ import annotations

from datetime import datetime

from services.core.models import RawArticle
from services.core.urls import InvalidUrlError
from services.ingest.bodies import BodyError
from services.ingest.identity import InvalidIdError, identify
from services.ingest.requests import ArticleIn


def to_raw_article(
    article: ArticleIn, received_at: datetime, idempotency_key: str | None = None
) -> RawArticle:
    """The raw-article message for ``article``; an invalid id or URL is a 422."""
    try:
        identity = identify(
            content=article.content,
            client_id=article.id,
            idempotency_key=idempotency_key,
            url=article.url,
        )
    except (InvalidIdError, InvalidUrlError) as error:
        field = "url" if isinstance(error, InvalidUrlError) else "id"
        raise BodyError(
            422, "invalid_article", str(error), [{"field": field, "message": str(error)}]
        ) from error
    # Every field was validated as ArticleIn already: build without validating twice.
    return RawArticle.model_construct(
        id=identity.id,
        id_source=identity.source,
        content=article.content,
        content_type=article.content_type,
        url=article.url,
        canonical_url=identity.canonical_url,
        source=article.source,
        title=article.title,
        authors=article.authors,
        published_at=article.published_at,
        language=article.language,
        metadata=article.metadata or {},
        received_at=received_at,
    )
