"""The store's read API: every read-only query over its database, whichever backend holds it.

The gateway reads through :class:`ArticleReader` only (opened by
:func:`services.store.backend.open_reader`); it writes no SQL and opens no connection itself.
Both backends (``sqlite/reader.py``, ``postgres/reader.py``) give the same answers to the same
calls: every read sees the latest committed writes, searches order and page alike (see
:mod:`services.store.search`), and the live stream's positions never skip an article.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from statistics import median

from services.core.lifecycle import AsyncClosing
from services.core.models import ProcessedArticle
from services.store.rows import from_epoch_us
from services.store.search import UNKNOWN_SOURCE, InvalidQueryError, SearchQuery

FRESHNESS_WINDOW = 1_000


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of results, and the cursor of the next page (``None`` on the last)."""

    items: tuple[ProcessedArticle, ...]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class Counts:
    """Stored articles: in all, per dedup verdict and per source."""

    total: int
    by_verdict: Mapping[str, int]
    by_source: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class SourceFreshness:
    """Median delay from publication to storage of a source's recent dated articles."""

    source: str
    articles: int
    median_seconds: float


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article with its position in storage order (``seq``, the SSE event id)."""

    seq: int
    article: ProcessedArticle


class ArticleReader(AsyncClosing, ABC):
    """The read API of the store. Opened by :func:`services.store.backend.open_reader`; an
    ``async with`` block closes it."""

    @abstractmethod
    async def search(self, query: SearchQuery) -> SearchPage:
        """One page of matching articles, newest publication first."""

    @abstractmethod
    async def get(self, article_id: str) -> ProcessedArticle | None:
        """The stored version of an article, or ``None``."""

    @abstractmethod
    async def story(self, story_id: str) -> list[ProcessedArticle]:
        """Every stored article of a story (duplicates and updates too), in storage order."""

    @abstractmethod
    async def counts(self) -> Counts:
        """How many articles are stored, per verdict and per source."""

    @abstractmethod
    async def latest(self, n: int = 20) -> list[ProcessedArticle]:
        """The ``n`` most recently stored articles, newest first."""

    @abstractmethod
    async def freshness_by_source(self, window: int = FRESHNESS_WINDOW) -> list[SourceFreshness]:
        """Per source, the median seconds from ``published_at`` to ``stored_at`` over the last
        ``window`` stored articles (undated ones are left out); slowest source first."""

    @abstractmethod
    async def stored_since(self, seq: int, limit: int = 100) -> list[StoredArticle]:
        """Articles stored after position ``seq`` (0: from the start), in position order.

        Positions only grow, and an article is never handed out after one with a higher
        position was: whatever writers are still in flight, a reader that resumes from the last
        position it saw misses nothing."""

    @abstractmethod
    async def head(self) -> int:
        """The position of the last stored article (0 when empty): where a live stream starts.
        Every article stored later comes after it."""

    @abstractmethod
    async def close(self) -> None:
        """Release the connections."""


def check_positive(name: str, value: int) -> None:
    """Refuse a count below 1 (of articles, of positions) as an invalid query."""
    if value < 1:
        raise InvalidQueryError(f"{name} must be at least 1")


def freshness(rows: Iterable[tuple[str | None, int, str]]) -> list[SourceFreshness]:
    """Per source, the median delay of ``(source, published_at_utc, stored_at)`` rows (epoch
    microseconds, stored UTC text); slowest source first."""
    lags: dict[str, list[float]] = {}
    for source, published_us, stored_at in rows:
        stored = datetime.fromisoformat(stored_at)
        lag = (stored - from_epoch_us(published_us)).total_seconds()
        lags.setdefault(str(source or UNKNOWN_SOURCE), []).append(lag)
    found = [SourceFreshness(s, len(v), float(median(v))) for s, v in lags.items()]
    return sorted(found, key=lambda f: (-f.median_seconds, f.source))
