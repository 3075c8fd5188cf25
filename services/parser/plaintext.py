"""The plain-text extractor: title, subtitle, byline, dates and clean body paragraphs.

Paragraphs are blank-line separated; within a block, lines are separate paragraphs unless they
are hard-wrapped (a line that breaks mid-sentence runs on into the next).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from services.parser.boilerplate import is_boilerplate
from services.parser.dateline import ParsedDate, parse_dateline
from services.parser.errors import EmptyArticleError
from services.parser.header import Header, read_header
from services.parser.result import Extracted

_HEADING_MARK = re.compile(r"^#{1,6}\s+")
_TERMINAL = '.!?…:;"”’»)]'
_WRAP_MIN = 40
_WRAP_MAX = 110
_TIME_OR_LABEL = re.compile(r"\d:\d|\b[ap]\.?m\b|published|updated|posted|modified", re.I)


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    block: int


def extract_plaintext(text: str) -> Extracted:
    """Read the article in ``text``; raise EmptyArticleError if no body is left."""
    lines = _split_lines(text)
    if not lines:
        raise EmptyArticleError("the document is empty")
    header = read_header([line.text for line in lines])
    removed = list(header.boilerplate)
    body: list[_Line] = []
    for index in range(header.end, len(lines)):
        line = lines[index]
        if is_boilerplate(line.text):
            removed.append(index)
        elif not _take_dateline(line.text, header):
            body.append(line)
    paragraphs = _paragraphs(body)
    if not paragraphs:
        raise EmptyArticleError("no article body is left once header and boilerplate are removed")
    warnings: list[str] = []
    return Extracted(
        paragraphs=paragraphs,
        title=header.title,
        subtitle=header.subtitle,
        authors=tuple(header.authors),
        published_at=_aware(header.published, warnings),
        updated_at=_aware(header.updated, warnings),
        boilerplate_removed=tuple(lines[i].text for i in sorted(removed)),
        site_name=header.site_name,
        warnings=tuple(_header_warnings(header) + warnings),
    )


def _split_lines(text: str) -> list[_Line]:
    """Non-empty stripped lines, each with the number of the blank-line block it is in."""
    lines: list[_Line] = []
    block = 0
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n"):
        stripped = raw.strip()
        if stripped:
            lines.append(_Line(stripped, block))
        elif lines and lines[-1].block == block:
            block += 1
    return lines


def _take_dateline(line: str, header: Header) -> bool:
    """A dateline in the body is read and removed if it adds a date the header lacks.

    ("Updated 19 March 2025 11:00 CET" after the body starts); a date line that repeats an
    older one ("(Published Monday, Nov. 18, 2019)" inside a republished story) is body text.
    """
    if len(line) > 120 or not _TIME_OR_LABEL.search(line):
        return False
    dateline = parse_dateline(line)
    if dateline is None:
        return False
    if (dateline.published is None or header.published is not None) and (
        dateline.updated is None or header.updated is not None
    ):
        return False
    header.add_dates(dateline)
    return True


def _paragraphs(body: list[_Line]) -> tuple[str, ...]:
    paragraphs: list[str] = []
    start = 0
    for end in range(1, len(body) + 1):
        if end == len(body) or body[end].block != body[start].block:
            paragraphs.extend(_block_paragraphs([line.text for line in body[start:end]]))
            start = end
    return tuple(paragraphs)


def _block_paragraphs(lines: list[str]) -> list[str]:
    """One block's paragraphs: its lines, with hard-wrapped runs joined."""
    lines = [_HEADING_MARK.sub("", line) for line in lines]
    wrapped = _is_wrapped(lines)
    paragraphs: list[str] = []
    for line in lines:
        if paragraphs and _runs_on(paragraphs[-1], line, wrapped):
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
    return paragraphs


def _is_wrapped(lines: list[str]) -> bool:
    """A block is hard-wrapped when its lines but the last have a column-like length."""
    if len(lines) < 2:
        return False
    heads = lines[:-1]
    return all(_WRAP_MIN <= len(line) <= _WRAP_MAX for line in heads) and any(
        not line.endswith(tuple(_TERMINAL)) for line in heads
    )


def _runs_on(previous: str, line: str, wrapped: bool) -> bool:
    if previous.endswith(tuple(_TERMINAL)) and not wrapped:
        return False
    first = line[:1]
    if first.islower() or (first.isdigit() and not previous.endswith(tuple(_TERMINAL))):
        return True
    return wrapped


def _aware(parsed: ParsedDate | None, warnings: list[str]) -> datetime | None:
    """The date with its offset; a date with no (known) zone is taken as UTC, with a warning."""
    if parsed is None:
        return None
    if parsed.value.tzinfo is not None:
        return parsed.value
    if not parsed.zone_known and parsed.zone is not None:
        warnings.append(f"unknown_time_zone:{parsed.zone}")
    else:
        warnings.append("no_time_zone")
    warnings.append("time_zone_assumed_utc")
    return parsed.value.replace(tzinfo=UTC)


def _header_warnings(header: Header) -> list[str]:
    warnings: list[str] = []
    if header.title is None:
        warnings.append("no_title")
    if not header.authors:
        warnings.append("no_byline")
    if header.published is None and header.updated is None:
        warnings.append("no_dateline")
    return warnings
