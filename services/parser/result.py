"""The parser's result types: what an extractor reads from one document, and the final parse."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from services.parser.words import word_count


@dataclass(frozen=True, slots=True)
class Extracted:
    """Structure an extractor (plain text or HTML) read from one document.

    Every field is optional: an extractor fills what the document states and leaves the rest
    empty. ``published_at`` and ``updated_at`` are timezone-aware, carrying the source's offset.
    """

    paragraphs: tuple[str, ...]
    title: str | None = None
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    updated_at: datetime | None = None
    boilerplate_removed: tuple[str, ...] = ()
    canonical_url: str | None = None
    site_name: str | None = None
    language: str | None = None
    warnings: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class ParseResult:
    """The final parse of one article: extracted structure plus derived fields."""

    extracted: Extracted
    language: str | None
    cited_outlets: tuple[str, ...]

    @property
    def lead(self) -> str | None:
        return self.extracted.paragraphs[0] if self.extracted.paragraphs else None

    @property
    def word_count(self) -> int:
        return sum(word_count(p) for p in self.extracted.paragraphs)
