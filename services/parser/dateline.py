"""Dates and times as articles write them: ISO 8601 and the human forms of datelines.

``parse_datetime`` is the lenient entry point (any string holding one date); ``parse_dateline``
is the strict one for a line of a document, which must be a dateline and nothing else
("Published Monday, April 13, 2026, 17:06 EDT | Updated 18:10 EDT" gives both dates).

The words are English, German, French, Spanish, Italian and Portuguese
(:mod:`services.parser.date_words`): "Donnerstag, 1. Januar 2026, 11:31 Uhr MEZ", "Publié le
12/09/2023 à 15:52 (heure de Paris)", "9 de noviembre de 2020 - 02:54 CET", "14 dicembre 2022
ore 18:17", "14.dez.2019 às 6h22". A date is aware only when the text names its zone or offset;
else it is the wall-clock time as written (:attr:`ParsedDate.local`), never a made-up offset.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

from services.parser import date_words, zones
from services.parser.folding import fold

_MONTHS = date_words.MONTHS


def _by_first_letter(words: Iterable[str]) -> str:
    """An alternation of ``words`` grouped by first letter ("a(?:pr|ug)|d(?:ec|ez)"): the same
    matches as the plain alternation, each position tried against one branch, not all."""
    groups: dict[str, list[str]] = {}
    for word in sorted(set(words), key=len, reverse=True):
        groups.setdefault(word[0], []).append(re.escape(word[1:]))
    return "|".join(
        f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in sorted(groups.items())
    )


# A month name, not the head of a longer word ("mar" is not read in "martes").
_MONTH = rf"(?P<mon>{_by_first_letter(_MONTHS)})(?![^\W\d_])"

_ORD = r"(?:st|nd|rd|th|er|º|ª|°)?"

_ISO = re.compile(
    r"(?<![\d-])(?P<iso>\d{4}-\d{2}-\d{2}"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,6})?)?(?:\s?(?:Z|[+-]\d{2}(?::?\d{2})?))?)?)(?![\d:])"
)
_DATE_FORMS = (
    # "March 19, 2025", "Mar.19 - 2025", "Mar 19 2025"
    re.compile(
        rf"\b{_MONTH}\.?\s*(?P<day>\d{{1,2}}){_ORD}(?:\s*[,\-–—/]\s*|\s+)(?P<year>\d{{4}})\b",
        re.IGNORECASE,
    ),
    # "19 March 2025", "19th of March, 2025", "19. März 2025", "9 de noviembre de 2020",
    # "14.dez.2019", "1er janvier 2026"
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:{_ORD}\.?\s*|\.?\s+)(?:(?:of|de)\s+)?{_MONTH}\.?,?"
        rf"(?:\s*|\s+(?:de|del)\s+)(?P<year>\d{{4}})\b",
        re.IGNORECASE,
    ),
    # "2025年3月19日" (Chinese, Japanese), "2025년 3월 19일" (Korean)
    re.compile(
        r"(?<!\d)(?P<year>\d{4})\s*[年년]\s*(?P<mnum>\d{1,2})\s*[月월]\s*(?P<day>\d{1,2})\s*[日일]"
    ),
    # "2025/03/19", "2025.03.19"
    re.compile(r"\b(?P<year>\d{4})[/.](?P<mnum>\d{1,2})[/.](?P<day>\d{1,2})\b"),
    # "19.03.2025" (day first), "19/03/2025" (day first but in US English: "03/19/2025")
    re.compile(r"\b(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4})\b"),
)
_TIME = re.compile(
    r"(?<![\d:.])(?P<hour>\d{1,2})"
    r"(?:(?::(?P<minute>\d{2})(?::(?P<second>\d{2}))?)"
    r"|[.h](?P<minute2>\d{2})(?=\s*(?:[ap]\.?\s?m\b|uhr\b|h\b|(?-i:[A-Z]{3,5})\b))"
    r"|h(?P<minute3>\d{2})(?![\d:]))?"
    r"(?:\s*(?P<ampm>[ap])\.?\s?m\b\.?)?(?![\d:])",
    re.IGNORECASE,
)
_ZONE_OFFSET = re.compile(
    r"\(?(?:(?P<base>UTC|GMT)\s*)?(?P<sign>[+\-−])(?P<hh>\d{1,2})(?::?(?P<mm>\d{2}))?\)?"
)
_ZONE_IANA = re.compile(r"\(?(?P<name>[A-Z][A-Za-z_]+/[A-Za-z_]+(?:/[A-Za-z_]+)?)\)?")
_ZONE_WORDS = re.compile(
    r"\(?(?P<name>(?:[A-Za-z.]+\s+){0,4}(?:time|standard time|daylight time))\b\)?",
    re.IGNORECASE,
)
# A regional time named in words: "(heure de Paris)", "hora peninsular", "horário de Brasília".
_ZONE_NAMED = re.compile(
    r"\(?(?P<name>(?:heure|hora|horário|horario|ora|uhrzeit)\s+(?:(?:de|di|du|da|do|del)\s+|d['’])?"
    r"[^\W\d_]+(?:[ -][^\W\d_]+){0,2})\)?",
    re.IGNORECASE,
)
# What may stand between a time and its zone: "8:02 Uhr CEST", "09:11 h".
_CLOCK_WORD = re.compile(r"(?:uhr|h|hs|hrs)\b\.?\s*", re.IGNORECASE)
_ZONE_ABBR = re.compile(r"\(?(?P<name>[A-Z]{1,5})\)?(?![\w/])")
_LABEL = re.compile(
    r"\b(?P<label>"
    + "|".join(date_words.PUBLISHED_LABELS + date_words.UPDATED_LABELS)
    + r")\b\s*:?",
    re.IGNORECASE,
)
_FILLER_WORDS = set(date_words.FILLER_WORDS + date_words.WEEKDAYS)
_FILLER = re.compile(
    rf"\b(?:{date_words.READING_TIME}|{date_words.RELATIVE_AGE})(?!\w)"
    rf"|\b(?:{_by_first_letter(_FILLER_WORDS)})\b\.?"
    r"|[\s,.;:|/()\[\]*_~\-–—·•]+",
    re.IGNORECASE,
)
# What ``_FILLER.sub("", text)`` leaves empty, read from the start: the possessive repeat takes
# each match where ``sub`` takes it and stops at the first character ``sub`` would keep.
_ONLY_FILLER = re.compile(rf"(?:{_FILLER.pattern})*+", re.IGNORECASE)
# Stems every match of _LABEL holds, and the letters every month name of _DATE_FORMS opens with
# (checked in the folded text, see services.parser.folding).
_LABEL_WORD = re.compile(_by_first_letter(date_words.LABEL_STEMS))
_UPDATE_WORD = re.compile("|".join(date_words.UPDATE_STEMS))
_MONTH_OPENING = re.compile(_by_first_letter({fold(name)[:3] for name in _MONTHS}))
# A place before the date: "Sevilla - 14 sept 2020 - 15:20 UTC", "Milano, 19 marzo 2025".
_PLACE = re.compile(
    r"^[^\W\d_](?:[^\W\d_]|[.'’])*(?:[ -][^\W\d_](?:[^\W\d_]|[.'’])*){0,3}(?:\s+[-–—]|,)\s+(?=\d)"
)
_MIN_YEAR, _MAX_YEAR = 1900, 2100


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A date read from text. ``value`` is aware when a known zone or offset was written;
    ``timed`` says whether a time of day was written (else ``value`` is the day's midnight)."""

    value: datetime
    zone: str | None = None
    zone_known: bool = True
    timed: bool = True

    @property
    def local(self) -> str:
        """The wall-clock date-time as written ("2025-03-19T09:19:00"), or the date alone."""
        if not self.timed:
            return self.value.date().isoformat()
        return self.value.replace(tzinfo=None).isoformat()


@dataclass(frozen=True, slots=True)
class Dateline:
    """The dates a dateline line states."""

    published: ParsedDate | None
    updated: ParsedDate | None


def parse_datetime(text: str) -> datetime | None:
    """Read the first date (and time and zone) in ``text``: ISO 8601 or a human form.

    Timezone-aware when the text names a known zone or offset; naive when it names none (or an
    unknown one); None when it holds no date.
    """
    found = _find(text)
    return found[0].value if found else None


def parse_date(text: str) -> ParsedDate | None:
    """Like :func:`parse_datetime`, but also says which zone was written and if it is known."""
    found = _find(text)
    return found[0] if found else None


def find_dates(text: str, day_first: bool | None = None, limit: int = 3) -> Iterator[ParsedDate]:
    """The dates ``text`` holds, in order, up to ``limit`` (``day_first`` as in
    :func:`parse_dateline`)."""
    for _ in range(limit):
        found = _find(text, day_first)
        if found is None:
            return
        parsed, text = found
        yield parsed


def parse_dateline(line: str, day_first: bool | None = None) -> Dateline | None:
    """Read ``line`` as a dateline; None unless it is only dates, labels and filler words.

    A place may open it ("Sevilla - 14 sept 2020 - 15:20 UTC"). ``day_first`` says how to read
    "04/05/2025": True everywhere but in US English; None reads it month first unless the first
    number is over 12 (dates with dots are always day first).
    """
    if len(line) > 200 or not any(map(str.isdigit, line)):
        return None
    place = _PLACE.match(line) if line[:1].isupper() else None
    if place is not None:
        line = line[place.end() :]
    published: ParsedDate | None = None
    updated: ParsedDate | None = None
    for label, segment in _labelled_segments(line):
        found = _find(segment, day_first)
        if found is None and _is_filler(segment):  # "Updated 1 hour ago" dates nothing
            continue
        if found is None and published is not None:
            found = _time_only(published.value, segment)
        if found is None:
            if not _is_filler(segment):
                return None
            continue
        parsed, residue = found
        if not _is_filler(residue):
            return None
        if label is not None and _is_update_label(label):
            updated = updated or parsed
        elif published is None:
            published = parsed
        else:
            updated = updated or parsed
    if published is None and updated is None:
        return None
    return Dateline(published, updated)


def _is_filler(text: str) -> bool:
    """Whether ``text`` is filler only: what ``_FILLER.sub("", text)`` leaves empty."""
    match = _ONLY_FILLER.match(text)
    return match is not None and match.end() == len(text)


def _is_update_label(label: str) -> bool:
    return _UPDATE_WORD.search(fold(label)) is not None


def _labelled_segments(line: str) -> list[tuple[str | None, str]]:
    """Split a line at its labels ("Published", "Updated") into (label, text) segments."""
    folded = fold(line)
    if _LABEL_WORD.search(folded) is None:  # then no label either
        return [(None, line)]
    segments: list[tuple[str | None, str]] = []
    label: str | None = None
    start = 0
    for match in _LABEL.finditer(line):
        if line[start : match.start()].strip(" |·•;,-–—"):
            segments.append((label, line[start : match.start()]))
        label, start = match.group("label"), match.end()
    segments.append((label, line[start:]))
    return segments


def _find(text: str, day_first: bool | None = None) -> tuple[ParsedDate, str] | None:
    """The first date in ``text`` and the text left once its parts are removed."""
    iso = _ISO.search(text) if "-" in text else None
    if iso is not None:
        found = _from_iso(iso.group("iso"))
        if found is not None:
            rest = text[: iso.start()] + " " + text[iso.end() :]
            if found.tzinfo is not None:
                return _with_time_and_zone(found.date(), rest, found)
            if ":" not in iso.group():
                return _with_time_and_zone(found.date(), rest)
            return _with_zone(found, text[iso.end() :], text[: iso.start()] + " ")
    folded = fold(text)
    named_month = _MONTH_OPENING.search(folded) is not None
    for form in _DATE_FORMS if named_month else _DATE_FORMS[2:]:
        match = form.search(text)
        if match is not None:
            day = _date_of(match, day_first)
            if day is not None:
                return _with_time_and_zone(day, text[: match.start()] + " " + text[match.end() :])
    return None


def _from_iso(token: str) -> datetime | None:
    cleaned = token.replace(",", ".").replace(" Z", "Z").replace(" +", "+").replace(" -", "-")
    try:
        value = datetime.fromisoformat(cleaned)
    except ValueError:
        return None
    return value if _MIN_YEAR <= value.year <= _MAX_YEAR else None


def _date_of(match: re.Match[str], day_first: bool | None) -> date | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("mon"):
        month = _MONTHS[groups["mon"].casefold()]
        day = int(groups["day"])
    elif groups.get("mnum"):
        month, day = int(groups["mnum"]), int(groups["day"])
    else:
        first, second = int(groups["a"]), int(groups["b"])
        first_is_day = groups["sep"] == "." or first > 12 or (day_first is True and second <= 12)
        day, month = (first, second) if first_is_day else (second, first)
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _with_time_and_zone(
    day: date, rest: str, aware: datetime | None = None
) -> tuple[ParsedDate, str]:
    """Combine ``day`` with the time (and zone after it) found in the rest of the text."""
    if aware is not None and aware.tzinfo is not None:
        return ParsedDate(aware), rest
    for match in _TIME.finditer(rest):
        clock = _time_of(match)
        if clock is not None:
            naive = datetime.combine(day, clock)
            before = rest[: match.start()] + " "
            return _with_zone(naive, rest[match.end() :], before)
    return ParsedDate(datetime.combine(day, time(0)), timed=False), rest


def _time_only(reference: datetime, text: str) -> tuple[ParsedDate, str] | None:
    """A time alone ("Updated 18:10 EDT") on the day of ``reference``."""
    if not _TIME.search(text):
        return None
    found = _with_time_and_zone(reference.date(), text)
    if found[0].value.tzinfo is None and reference.tzinfo is not None and found[0].zone is None:
        return ParsedDate(found[0].value.replace(tzinfo=reference.tzinfo)), found[1]
    return found


def _time_of(match: re.Match[str]) -> time | None:
    minute_text = match.group("minute") or match.group("minute2") or match.group("minute3")
    ampm = match.group("ampm")
    if minute_text is None and ampm is None:
        return None
    hour, minute = int(match.group("hour")), int(minute_text or 0)
    second = int(match.group("second") or 0)
    if ampm is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm.lower() == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _with_zone(naive: datetime, after: str, before: str) -> tuple[ParsedDate, str]:
    """Attach the zone written right after the time; the residue is the remaining text."""
    text = after.lstrip(" ,")
    clock_word = _CLOCK_WORD.match(text)
    if clock_word is not None:
        text = text[clock_word.end() :].lstrip(" ,")
    skipped = len(after) - len(text)
    offset = _ZONE_OFFSET.match(text)
    if offset is not None and (offset.group("base") or offset.group("mm")):
        value = _apply_offset(naive, offset)
        if value is not None:
            return ParsedDate(value, offset.group().strip("()")), before + after[
                skipped + offset.end() :
            ]
    named = _named_zone(naive, text)
    if named is not None:
        return named[0], before + after[skipped + named[1] :]
    for pattern in (_ZONE_IANA, _ZONE_WORDS, _ZONE_ABBR):
        match = pattern.match(text)
        if match is None:
            continue
        name = match.group("name")
        residue = before + after[skipped + match.end() :]
        localized = zones.localize(naive, name)
        if localized is not None:
            return ParsedDate(localized, name), residue
        if pattern is _ZONE_ABBR and len(name) >= 2:
            return ParsedDate(naive, name, zone_known=False), residue
    return ParsedDate(naive), before + after


def _apply_offset(naive: datetime, match: re.Match[str]) -> datetime | None:
    sign = "-" if match.group("sign") in "-−" else "+"
    hours, minutes = int(match.group("hh")), int(match.group("mm") or 0)
    if hours > 14 or minutes > 59:
        return None
    try:
        return datetime.fromisoformat(f"{naive.isoformat()}{sign}{hours:02d}:{minutes:02d}")
    except ValueError:
        return None


def _named_zone(naive: datetime, text: str) -> tuple[ParsedDate, int] | None:
    """A regional time in words at the start of ``text``, and where it ends.

    The name is tried from its longest reading down ("hora peninsular y" then
    "hora peninsular"), so words after it stay in the text.
    """
    match = _ZONE_NAMED.match(text)
    if match is None:
        return None
    name = match.group("name")
    while name:
        localized = zones.localize(naive, name)
        if localized is not None:
            end = match.start("name") + len(name)
            if text[end : end + 1] == ")" and text[:1] == "(":
                end += 1
            return ParsedDate(localized, name), end
        name = name[: max(name.rfind(" "), name.rfind("-"), 0)]
    return None
