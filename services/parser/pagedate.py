"""A web page's publication date: its declared date checked against htmldate's extensive search.

The declared date (JSON-LD, OpenGraph, meta tags, microdata) carries a time and the page's own
offset; htmldate's extensive search (markup, URL and text patterns, original date preferred)
gives a day. On html-metadata-dev htmldate's day is right more often where the two differ (a
declared UTC timestamp names the UTC day while the page's own day is local; a declared date is
often the last edit's), so its day wins a disagreement. The declared date-time is kept whenever
its own wall-clock day is htmldate's, and is the answer when htmldate finds nothing.

``published_at`` carries an offset only when the page states one; ``published_local`` is the
wall-clock date or date-time as written, whenever a date is found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from htmldate import find_date
from lxml.html import HtmlElement  # type: ignore[import-untyped]

from services.parser.dateline import parse_datetime

_ISO_LOOSE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?=$|[T ])")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2}):?(\d{2}):?(\d{2})")
_OFFSET_NO_COLON = re.compile(r"([+-]\d{2})(\d{2})$")


@dataclass(frozen=True, slots=True)
class PageDate:
    """The publication date of one page: aware (``published_at``) only with a known offset."""

    published_at: datetime | None = None
    published_local: str | None = None

    @classmethod
    def of(cls, value: datetime | date) -> PageDate:
        if not isinstance(value, datetime):
            return cls(None, value.isoformat())
        local = value.replace(tzinfo=None, microsecond=0).isoformat()
        return cls(value if value.tzinfo is not None else None, local)


def read_page_date(tree: HtmlElement, url: str | None, declared: str | None) -> PageDate:
    """The publication date: htmldate's extensive day, with the declared time if it agrees."""
    stated = parse_declared(declared) if declared else None
    found = find_date(tree, extensive_search=True, original_date=True, url=url)
    if not found:
        return PageDate.of(stated) if stated is not None else PageDate()
    if stated is not None and _day(stated) == found:
        return PageDate.of(stated)
    return PageDate(None, found)


def parse_declared(text: str) -> datetime | date | None:
    """A declared date: ISO 8601 (loose: unpadded fields, compact form, ``+hhmm``) or human."""
    text = text.strip()
    iso = _loose_iso(text)
    if _DATE_ONLY.match(iso):
        try:
            return date.fromisoformat(iso)
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        return parse_datetime(text)


def _loose_iso(text: str) -> str:
    if compact := _COMPACT.match(text):
        y, mo, d, h, mi, s = compact.groups()
        text = f"{y}-{mo}-{d}T{h}:{mi}:{s}{text[compact.end() :]}"
    text = _ISO_LOOSE.sub(lambda m: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}", text)
    if "T" in text:
        text = _OFFSET_NO_COLON.sub(r"\1:\2", text)
    return text


def _day(value: datetime | date) -> str:
    return value.isoformat()[:10]
