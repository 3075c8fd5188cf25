"""Raw articles for the parser's tests: the seed article, received at a fixed moment."""

from __future__ import annotations

from datetime import UTC, datetime

from services.core.models import RawArticle
from tests.conftest import DATA

SEED = (DATA / "seed-article.txt").read_text()


NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def raw(**fields: object) -> RawArticle:
    values: dict[str, object] = {
        "id": "a1",
        "id_source": "client",
        "content": SEED,
        "received_at": NOW,
    }
    values.update(fields)
    return RawArticle.model_validate(values)
