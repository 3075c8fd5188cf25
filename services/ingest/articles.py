"""A validated request article into the raw-article message, encoded once. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import orjson

from services.core.urls import InvalidUrlError
from services.ingest.bodies import BodyError
from services.ingest.identity import InvalidIdError, identify
from services.ingest.requests import ArticleIn


@dataclass(frozen=True, slots=True)
class AcceptedArticle:
    """An article ready to publish: its id, when it arrived, and its ``articles.raw.v1`` value."""

    id: str
    received_at: datetime
    value: bytes


def to_raw_article(
    article: ArticleIn, received_at: datetime, idempotency_key: str | None = None
) -> AcceptedArticle:
    """The raw-article message for ``article``; an invalid id or URL is a 422.

    Every field was validated as ``ArticleIn`` already, so the value is encoded straight from it:
    the same JSON ``RawArticle.to_bytes`` gives (the unit tests hold the two equal, byte for
    byte), without building and validating a second model per article.
    """
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
    fields = {  # RawArticle's fields, in its order
        "schema_version": 1,
        "id": identity.id,
        "id_source": identity.source,
        "content": article.content,
        "content_type": article.content_type,
        "url": article.url,
        "canonical_url": identity.canonical_url,
        "source": article.source,
        "title": article.title,
        "authors": article.authors,
        "published_at": article.published_at,
        "language": article.language,
        "metadata": article.metadata or {},
        "received_at": received_at,
    }
    return AcceptedArticle(identity.id, received_at, orjson.dumps(fields, option=orjson.OPT_UTC_Z))
