"""A web page's publication date: what it declares, htmldate's extensive search, what it shows.

The declared date (JSON-LD, OpenGraph, meta tags, microdata) carries a time and the page's own
offset; htmldate's extensive search (markup, URL and text patterns, original date preferred)
gives a day; the page's visible text shows its reader a date (:mod:`services.parser.shown_dates`).
In order:

1. A declared UTC timestamp takes the page's own offset where the page writes the same instant
   with one (a ``<time datetime>``): the page's day is local.
2. A page that declares a revision on another day than its publication, and shows its reader
   the revision's day but never the publication's, presents itself as of the revision.
3. A page that declares no publication date is dated by the dateline by its headline, unless
   htmldate's day is the one its URL gives.
4. Otherwise htmldate's day wins a disagreement with the declared date (a declared date is
   often the last edit's) unless it is the declared instant's UTC day (the same instant) or a
   number opening the URL's slug read as a day ("/2023/10/3-questions"). The declared
   date-time is kept whenever htmldate agrees, and is the answer when htmldate finds nothing.

Slash dates are day first unless the page is in English. ``published_at`` carries an offset only
when the page states one; ``published_local`` is the wall-clock date or date-time as written,
whenever a date is found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from htmldate import find_date
from lxml.html import HtmlElement  # type: ignore[import-untyped]

from services.parser.dateline import parse_datetime
from services.parser.shown_dates import headline_dateline, local_form, shown_days

_ISO_LOOSE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?=$|[T ])")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2}):?(\d{2}):?(\d{2})")
_OFFSET_NO_COLON = re.compile(r"([+-]\d{2})(\d{2})$")
# A date in a URL's path, as htmldate reads it ("/2023/10/03/", "_2023-10-03"), and the same
# where the day is the number a slug opens with ("/2023/10/3-questions").
_URL_DATE = re.compile(r"\D((?:19|20)\d{2})[/_-]([01]?\d)[/_-]([0-3]?\d)(?:\D|$)")
_SLUG_DATE = re.compile(r"/((?:19|20)\d{2})/([01]?\d)/([0-3]?\d)-[^\W\d_]")


@dataclass(frozen=True, slots=True)
class Declared:
    """What a page declares about itself that bears on its date: the raw published and modified
    strings, its headline and its language (which reads "04/05/2025" day first)."""

    published: str | None = None
    modified: str | None = None
    headline: str | None = None
    language: str | None = None


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


def read_page_date(tree: HtmlElement, url: str | None, declared: Declared) -> PageDate:
    """The publication date: htmldate's extensive day, checked against what the page declares
    and shows (see the module docstring)."""
    day_first = None if declared.language in (None, "en") else True
    stated = parse_declared(declared.published) if declared.published else None
    if isinstance(stated, datetime) and stated.utcoffset() == timedelta(0):
        stated = local_form(tree, stated) or stated
    revised = parse_declared(declared.modified) if declared.modified else None
    if (
        stated is not None
        and revised is not None
        and _shows_only_revision(tree, stated, revised, day_first)
    ):
        return PageDate.of(revised)
    found = find_date(tree, extensive_search=True, original_date=True, url=url)
    if stated is None:
        shown = headline_dateline(tree, declared.headline, day_first)
        if shown is not None and (not found or found != _url_day(url)):
            return PageDate(shown.value if shown.value.tzinfo else None, shown.local)
    if not found:
        return PageDate.of(stated) if stated is not None else PageDate()
    if stated is not None and (
        found in (_day(stated), _utc_day(stated)) or found == _slug_day(url)
    ):
        return PageDate.of(stated)
    return PageDate(None, found)


def _shows_only_revision(
    tree: HtmlElement, stated: datetime | date, revised: datetime | date, day_first: bool | None
) -> bool:
    """Whether the page's declared revision is on another day than its publication and the page
    shows its reader the revision's day but not the publication's: it presents itself as of
    then."""
    first, last = _calendar_day(stated), _calendar_day(revised)
    if first == last:
        return False
    shown = shown_days(tree, (first.year, last.year), day_first)
    return last in shown and first not in shown


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


def _calendar_day(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _utc_day(value: datetime | date) -> str | None:
    """The UTC day of an aware date-time (the day a UTC copy of it names)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return _day(value.astimezone(UTC))
    return None


def _url_day(url: str | None) -> str | None:
    match = _URL_DATE.search(url) if url else None
    return _valid_day(match) if match else None


def _slug_day(url: str | None) -> str | None:
    """The day a URL seems to give where its last number opens a slug ("/2023/10/3-questions"):
    a post's name, not a date."""
    match = _SLUG_DATE.search(url) if url else None
    return _valid_day(match) if match else None


def _valid_day(match: re.Match[str]) -> str | None:
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None
