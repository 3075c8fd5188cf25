"""The store's write API: one row per article id, whichever backend holds it.

Redeliveries are expected (the consumer runner retries whole batches, and a store process that
crashed leaves its last batch to be consumed again), so every write is idempotent: the first
stored version of an article id wins, later ones are reported as already stored. Both backends
(``sqlite/repository.py``, ``postgres/repository.py``) keep that meaning with any number of
writers at once.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from services.core.lifecycle import AsyncClosing
from services.core.models import ProcessedArticle


class Position(NamedTuple):
    """Where a consumed record was: the claim that decides who publishes an article."""

    topic: str
    partition: int
    offset: int


class Stored(NamedTuple):
    """An article to publish, and its JSON as stored (the processed record's value)."""

    article: ProcessedArticle
    doc: str


class ArticleRepository(AsyncClosing, ABC):
    """Writes processed articles. Opened by :func:`services.store.backend.open_repository`
    (which creates and migrates the schema); an ``async with`` block closes it."""

    async def save(self, article: ProcessedArticle) -> bool:
        """Store an article; ``False`` if its id was already stored (the stored row is kept).

        One transaction per call: batch with :meth:`save_many` for throughput.
        """
        return (await self.save_many([article]))[0]

    @abstractmethod
    async def save_many(self, articles: Sequence[ProcessedArticle]) -> list[bool]:
        """Store a batch in one transaction; per article, whether it was newly stored.

        An id repeated within the batch is stored once, from its first occurrence.
        """

    @abstractmethod
    async def store_claimed(
        self, items: Sequence[tuple[ProcessedArticle, Position]]
    ) -> list[Stored | None]:
        """Store a batch and claim each article id for the record it came from (one
        transaction). Per item: the stored article to publish, if this record holds the claim
        (its first storage, or a redelivery of that same record); ``None`` if another record
        claimed the id first (a re-push: its article was or will be published for that one).
        """

    @abstractmethod
    async def get(self, article_id: str) -> ProcessedArticle | None:
        """The stored (first) version of an article, or ``None``."""

    @abstractmethod
    async def stored_at(self, article_id: str) -> datetime | None:
        """When an article id was first stored, or ``None`` if it never was."""

    @abstractmethod
    async def close(self) -> None:
        """Release the connections."""


def first_claims(
    items: Sequence[tuple[ProcessedArticle, Position]],
) -> dict[str, tuple[ProcessedArticle, Position]]:
    """The first occurrence of each article id in a batch: the one that may claim it."""
    first: dict[str, tuple[ProcessedArticle, Position]] = {}
    for article, position in items:
        first.setdefault(article.id, (article, position))
    return first


def claim_results(
    items: Sequence[tuple[ProcessedArticle, Position]],
    held: dict[str, tuple[Position, Stored]],
) -> list[Stored | None]:
    """Per item, the stored article if the claim on its id is this item's position."""
    return [
        claim[1] if (claim := held.get(article.id)) and claim[0] == position else None
        for article, position in items
    ]


def newly_stored(articles: Sequence[ProcessedArticle], stored_before: set[str]) -> list[bool]:
    """Per article of a batch, whether this write stored it: not stored before, and the first
    occurrence of its id in the batch."""
    claimed = set(stored_before)
    results: list[bool] = []
    for article in articles:
        results.append(article.id not in claimed)
        claimed.add(article.id)
    return results
