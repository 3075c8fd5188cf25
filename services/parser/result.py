"""What an extractor (plain text or HTML) reads from one document."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Extracted:
    """Structure an extractor (plain text or HTML) read from one document.

    Every field is optional: an extractor fills what the document states and leaves the rest
    empty. ``published_at`` and ``updated_at`` are timezone-aware, carrying the source's offset;
    ``published_local`` is the publication date or date-time as written, without an offset (set
    by an extractor that reads it apart from ``published_at``, which may then stay empty).
    """

    paragraphs: tuple[str, ...]
    title: str | None = None
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    published_local: str | None = None
    updated_at: datetime | None = None
    boilerplate_removed: tuple[str, ...] = ()
    canonical_url: str | None = None
    site_name: str | None = None
    language: str | None = None
    warnings: tuple[str, ...] = field(default=())
