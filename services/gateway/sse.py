"""Server-Sent Events: the wire format and the stream's filters. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from services.core.models import ProcessedArticle

HEARTBEAT = ": keepalive\n\n"
RETRY_MS = 2000


def event(data: str, *, event_id: int | None = None, name: str | None = None) -> str:
    """One SSE event; every line of ``data`` becomes its own ``data:`` field."""
    lines = []
    if event_id is not None:
        lines.append(f"id: {event_id}")
    if name is not None:
        lines.append(f"event: {name}")
    lines.extend(f"data: {line}" for line in data.splitlines() or [""])
    return "\n".join(lines) + "\n\n"


def retry_hint(ms: int = RETRY_MS) -> str:
    """Tells the browser how long to wait before reconnecting."""
    return f"retry: {ms}\n\n"


def last_event_id(value: str | None) -> int | None:
    """The position a reconnecting client resumes after (``None``: absent or not a position)."""
    if value is None:
        return None
    value = value.strip()
    if not value.isdigit() or len(value) > 18:
        return None
    return int(value)


@dataclass(frozen=True, slots=True)
class StreamFilter:
    """Which stored articles a stream shows."""

    source: str | None = None
    language: str | None = None
    include_duplicates: bool = False

    def matches(self, article: ProcessedArticle) -> bool:
        if not self.include_duplicates and article.dedup.verdict == "duplicate":
            return False
        if self.source is not None and article.source != self.source:
            return False
        return self.language is None or (article.language or "").lower() == self.language.lower()
