"""An article's header lines: title, subtitle, byline, dateline, and boilerplate among them.

The header is the title (the first meaningful line), then any run of byline, dateline and
boilerplate lines, with at most one subtitle: a line right after the title that a byline or
dateline follows, and the outlet's name on a line of its own after the byline ("By Jane Doe",
"Associated Press"). A line that is none of these ends the header; the body starts there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from services.parser.boilerplate import is_boilerplate
from services.parser.byline import Byline, parse_bare_names, parse_byline, starts_like_byline
from services.parser.dateline import Dateline, ParsedDate, parse_dateline
from services.parser.outlet_names import looks_like_outlet

HEADER_WINDOW = 8
_CUE_LENGTH = 100  # body paragraphs among the first lines ("... at 10 a.m.") are no cue
_MAX_TITLE = 300
_MAX_SUBTITLE = 400
_LEAD_LENGTH = 100
_MAX_OUTLET_WORDS = 5
_OUTLET_CHARS = re.compile(r"[^\W\d_](?:[^\W\d_]|[ &'’.-])*")  # no digit, mark or sign ("© AP")
_HEADING_MARK = re.compile(r"^#{1,6}\s+|\s+#+$")
_TITLE_LABEL = re.compile(r"^(?:title|headline)\s*:\s*", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]?\s+[A-Z\"“‘]")
_DECORATION = re.compile(r"^[\W_]+$")
# An English header: "By ..." or an English date label, or a slash date with a 12-hour clock
# ("05/06/2024 10:00 AM"). Then numeric dates
# read as US English writes them ("04/05/2025" is April 5); everywhere else day first.
# Kept as two patterns: the first is tried at the start only, the second where a "/" is.
_ENGLISH_OPENING = re.compile(
    r"(?:(?:written\s+|reported\s+)?by\s|(?:published|updated|posted)\b)", re.IGNORECASE
)
_SLASH_DATE_12H = re.compile(r"\d/\d{1,2}/\d{4}.{0,20}?\d\s?[ap]\.?m\b", re.IGNORECASE)
# The words that lead into a date after a byline: "Par A, le 19 mars", "By A - Published".
_LEAD_IN = re.compile(
    r"(?:[\s,|·•\-–—]+(?:on|am|um|le|el|il|em|the|published|posted|publié|publie|publicado|"
    r"publicada|veröffentlicht|erschienen|pubblicato|pubblicata)\b)+\s*:?\s*$",
    re.IGNORECASE,
)
# Where a date may start inside a byline: "By A, March 19, 2025", "By A | 2025-03-19".
_DATE_START = re.compile(
    r"(?:\b(?:on|published|updated|posted)\b\s*:?\s*)?"
    r"(?:\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"(?:\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*\d|\b\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Meta:
    """What one header line states: a byline, dates, or nothing but boilerplate."""

    byline: Byline | None = None
    dateline: Dateline | None = None
    boilerplate: bool = False


@dataclass(slots=True)
class Header:
    """The header read so far; ``end`` is the index of the first body line."""

    title: str | None = None
    subtitle: str | None = None
    authors: list[str] = field(default_factory=list)
    site_name: str | None = None
    published: ParsedDate | None = None
    updated: ParsedDate | None = None
    boilerplate: list[int] = field(default_factory=list)
    end: int = 0
    day_first: bool = True

    def add(self, meta: Meta, index: int) -> None:
        if meta.boilerplate:
            self.boilerplate.append(index)
        if meta.byline is not None:
            if not self.authors:
                self.authors.extend(meta.byline.authors)
            self.site_name = self.site_name or meta.byline.site_name
        if meta.dateline is not None:
            self.add_dates(meta.dateline)

    def add_dates(self, dateline: Dateline) -> None:
        self.published = self.published or dateline.published
        self.updated = self.updated or dateline.updated


def strip_markup(line: str) -> str:
    """The line without markdown heading marks, emphasis wrappers and quote marks."""
    text = line.strip()
    if "#" in text:  # both heading-mark forms hold one
        text = _HEADING_MARK.sub("", text)
    while len(text) > 2 and text[0] in "*_" and text[-1] == text[0]:
        text = text[1:-1].strip()
    return text.lstrip("> ").strip()


def is_decoration(line: str) -> bool:
    return _DECORATION.match(line) is not None


def read_meta(line: str, day_first: bool | None = None) -> Meta | None:
    """Classify a header line as boilerplate, dateline or byline; None if it is none of them."""
    if is_boilerplate(line):
        return Meta(boilerplate=True)
    text = strip_markup(line)
    if starts_like_byline(text):  # else no head of it is a byline either
        meta = _byline_meta(text, day_first)
        if meta is not None:
            return meta
    dateline = parse_dateline(text, day_first)
    return Meta(dateline=dateline) if dateline is not None else None


def _byline_meta(text: str, day_first: bool | None) -> Meta | None:
    """The byline ``text`` states, with the dates after it ("Von A, 19.03.2025, 09:19 Uhr")."""
    head, dates = _split_trailing_date(text, day_first)
    byline = parse_byline(head)
    if byline is None:
        return None
    for segment in byline.extra:
        found = parse_dateline(segment, day_first)
        if found is not None and dates is None:
            dates = found
    return Meta(byline=byline, dateline=dates)


def _split_trailing_date(text: str, day_first: bool | None) -> tuple[str, Dateline | None]:
    """Cut a date off the end of a byline ("By A on March 19, 2025")."""
    if not any(map(str.isdigit, text)):
        return text, None
    for match in _DATE_START.finditer(text, 3):
        dateline = parse_dateline(text[match.start() :], day_first)
        if dateline is not None:
            head = _LEAD_IN.sub("", text[: match.start()])
            return head.rstrip(" ,|·•-–—"), dateline
    return text, None


def title_text(line: str) -> str | None:
    """The title a line states, or None if the line is too long or reads like body text."""
    text = _TITLE_LABEL.sub("", strip_markup(line))
    if not text or len(text) > _MAX_TITLE or is_decoration(text):
        return None
    if len(text) > 150 and len(_SENTENCE_END.findall(text)) >= 2:
        return None
    return text


def _reads_like_lead(text: str) -> bool:
    """A long first line ending like a sentence is the lead paragraph, not an untitled title.

    Headlines rarely end with a full stop; a line that does, and is long or holds two sentences,
    is taken as a title only when a byline or dateline follows it.
    """
    if not text.rstrip("\"'”’)").endswith((".", "!", "?")) or text.endswith("..."):
        return False
    return len(text) >= _LEAD_LENGTH or _SENTENCE_END.search(text) is not None


def _is_english_cue(line: str) -> bool:
    """A short header-like line that is English: "By ...", "Published ...", "5/6/2024 9 AM"."""
    if len(line) > _CUE_LENGTH:
        return False
    return _ENGLISH_OPENING.match(line) is not None or (
        "/" in line and _SLASH_DATE_12H.search(line) is not None
    )


def read_header(lines: list[str]) -> Header:
    """Read the header at the top of ``lines`` (non-empty, stripped lines)."""
    window = lines[: HEADER_WINDOW + 2]
    header = Header(day_first=not any(_is_english_cue(line) for line in window))
    metas = _Metas(lines, header.day_first)
    index = _read_meta_run(metas, 0, header)
    if index < len(lines):
        title = title_text(lines[index])
        if title is not None and not (
            _reads_like_lead(title) and _next_meta(metas, index + 1) is None
        ):
            header.title = title
            index += 1
    while index < len(lines) and index < HEADER_WINDOW + 2:
        after = _read_meta_run(metas, index, header)
        if after > index:
            index = after
            continue
        if _is_subtitle(metas, index, header):
            header.subtitle = strip_markup(lines[index])
            index += 1
            continue
        if header.authors and header.site_name is None and _is_outlet_line(lines[index]):
            header.site_name = strip_markup(lines[index])  # "By Jane Doe" / "Associated Press"
            index += 1
            continue
        bare = _bare_byline(metas, index, header)
        if bare is None:
            break
        header.add(Meta(byline=bare), index)
        index += 1
    header.end = index
    return header


class _Metas:
    """:func:`read_meta` of the lines, each line read once however often it is looked at."""

    __slots__ = ("_read", "day_first", "lines")

    def __init__(self, lines: list[str], day_first: bool) -> None:
        self.lines = lines
        self.day_first = day_first
        self._read: dict[int, Meta | None] = {}

    def __call__(self, index: int) -> Meta | None:
        if index in self._read:
            return self._read[index]
        meta = self._read[index] = read_meta(self.lines[index], self.day_first)
        return meta


def _read_meta_run(metas: _Metas, start: int, header: Header) -> int:
    lines = metas.lines
    index = start
    while index < len(lines) and index < HEADER_WINDOW + 2:
        if is_decoration(lines[index]):
            index += 1
            continue
        meta = metas(index)
        if meta is None:
            break
        header.add(meta, index)
        index += 1
    return index


def _next_meta(metas: _Metas, start: int) -> Meta | None:
    """The next non-boilerplate header line's meaning, if it is a byline or dateline."""
    for index in range(start, min(start + 3, len(metas.lines))):
        meta = metas(index)
        if meta is None or not meta.boilerplate:
            return meta
    return None


def _is_subtitle(metas: _Metas, index: int, header: Header) -> bool:
    if header.title is None or header.subtitle is not None or index == 0:
        return False
    if header.authors or header.published or header.updated or header.boilerplate:
        return False
    line = metas.lines[index]
    if len(line) > _MAX_SUBTITLE or parse_bare_names(line) is not None:
        return False
    return _next_meta(metas, index + 1) is not None


def _is_outlet_line(line: str) -> bool:
    """A line that is only an outlet's name ("Associated Press", "The Washington Post")."""
    text = strip_markup(line)
    words = text.split()
    return (
        1 <= len(words) <= _MAX_OUTLET_WORDS
        and _OUTLET_CHARS.fullmatch(text) is not None
        and looks_like_outlet(text)
    )


def _bare_byline(metas: _Metas, index: int, header: Header) -> Byline | None:
    """A line of bare names ("A & B") counts as the byline when a dateline is next to it."""
    if header.authors or header.title is None:
        return None
    names = parse_bare_names(strip_markup(metas.lines[index]))
    if names is None:
        return None
    following = _next_meta(metas, index + 1)
    if (following is not None and following.dateline is not None) or header.published:
        return names
    return None
