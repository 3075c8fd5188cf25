"""The plain-text extractor: title, subtitle, byline, dates and clean body paragraphs.

Paragraphs are blank-line separated; within a block, lines are separate paragraphs unless they
are hard-wrapped (a line that breaks mid-sentence runs on into the next). A paragraph separator
U+2029 is a blank line, a line separator U+2028 or NEL U+0085 a line break; the text is cleaned
(:func:`services.core.text.clean_text`: NFC, no invisible characters) before it is read.

Agency-wire furniture (:mod:`services.parser.wire`) is taken out of the body: the dateline that
opens the first paragraph ("PARIS (Reuters) - ") and the credits trailer ("(Reporting by A;
Editing by B)"), whose reporters are the authors when no byline names any. ``published_at``
carries an offset only when the text names the zone; ``published_local`` is the date as written.
"""

from __future__ import annotations

import re
from datetime import datetime

from services.core.text import clean_text
from services.parser.boilerplate import is_boilerplate
from services.parser.dateline import ParsedDate, parse_dateline
from services.parser.errors import EmptyArticleError
from services.parser.folding import fold
from services.parser.header import Header, read_header
from services.parser.result import Extracted
from services.parser.wire import is_trailer, reporters, split_trailer, strip_dateline

_HEADING_MARK = re.compile(r"^#{1,6}\s+")
_TERMINAL = tuple('.!?…:;"”’»)]')
_WRAP_MIN = 40
_WRAP_MAX = 110
# A time or a date label: r"\d:\d|\b[ap]\.?m\b|published|updated|posted|modified" matched
# case-insensitively, checked on the folded line (see :func:`_has_time_or_label`).
_CLOCK = re.compile(r"\d:\d")
_BREAKS = str.maketrans({"\u2029": "\n\n", "\u2028": "\n", "\x85": "\n"})
_AM_PM = re.compile(r"\b[ap]\.?m\b")
# The other languages' date labels that need more than a plain ``in`` check, in folded text.
_FOREIGN_LABEL = re.compile(r"pubblicat[oa]|mise? à jour|actualizad[oa]|atualizad[oa]")


def extract_plaintext(text: str) -> Extracted:
    """Read the article in ``text``; raise EmptyArticleError if no body is left."""
    lines, blocks = _split_lines(text)
    if not lines:
        raise EmptyArticleError("the document is empty")
    header = read_header(lines)
    removed = list(header.boilerplate)
    body: list[int] = []  # indices of body lines
    credits: list[str] = []  # wire trailers: "(Reporting by A; Editing by B)"
    for index in range(header.end, len(lines)):
        line = lines[index]
        if is_boilerplate(line):
            removed.append(index)
        elif is_trailer(line):
            removed.append(index)
            credits.append(line)
        elif not _take_dateline(line, header):
            body.append(index)
    if body:
        lines[body[0]] = strip_dateline(lines[body[0]])
        _cut_trailer(lines, body[-1], credits)
    paragraphs = _paragraphs(lines, blocks, body)
    if not paragraphs:
        raise EmptyArticleError("no article body is left once header and boilerplate are removed")
    warnings: list[str] = []
    return Extracted(
        paragraphs=paragraphs,
        title=header.title,
        subtitle=header.subtitle,
        authors=tuple(header.authors) or _reporters(credits),
        published_at=_aware(header.published, warnings),
        published_local=header.published.local if header.published else None,
        updated_at=_aware(header.updated, []),
        boilerplate_removed=tuple(lines[i] for i in sorted(removed)),
        site_name=header.site_name,
        warnings=tuple(_header_warnings(header) + warnings),
    )


def _split_lines(text: str) -> tuple[list[str], list[int]]:
    """Non-empty stripped lines, and for each the number of the blank-line block it is in."""
    lines: list[str] = []
    blocks: list[int] = []
    block = 0
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii() and ("\u2029" in text or "\u2028" in text or "\x85" in text):
        text = text.translate(_BREAKS)
    for raw in clean_text(text).split("\n"):
        stripped = raw.strip()
        if stripped:
            lines.append(stripped)
            blocks.append(block)
        elif blocks and blocks[-1] == block:
            block += 1
    return lines, blocks


def _take_dateline(line: str, header: Header) -> bool:
    """A dateline in the body is read and removed if it adds a date the header lacks.

    ("Updated 19 March 2025 11:00 CET" after the body starts); a date line that repeats an
    older one ("(Published Monday, Nov. 18, 2019)" inside a republished story) is body text.
    """
    if header.published is not None and header.updated is not None:
        return False
    if len(line) > 120 or not _has_time_or_label(line):
        return False
    dateline = parse_dateline(line, header.day_first)
    if dateline is None:
        return False
    if (dateline.published is None or header.published is not None) and (
        dateline.updated is None or header.updated is not None
    ):
        return False
    header.add_dates(dateline)
    return True


def _has_time_or_label(line: str) -> bool:
    r"""Whether ``line`` holds a clock time ("9:19"), "am"/"pm", or a date label word.

    The same answer as searching it for r"\d:\d|\b[ap]\.?m\b|publi|updated|posted|modified"
    or "aggiorn", "erschien", "ffentlicht", "aktualis" or a label of _FOREIGN_LABEL
    case-insensitively; the folded line lets plain ``in`` checks find the words.
    """
    folded = fold(line)
    return (
        "publi" in folded  # published, publié, publicado
        or "updated" in folded
        or ("pubbl" in folded and _FOREIGN_LABEL.search(folded) is not None)
        or ("jour" in folded and _FOREIGN_LABEL.search(folded) is not None)
        or ("liz" in folded and _FOREIGN_LABEL.search(folded) is not None)  # actualiz, atualiz
        or ("aggiorn" in folded)
        or ("erschien" in folded)
        or ("ffentlicht" in folded)  # veröffentlicht
        or ("aktualis" in folded)
        or "posted" in folded
        or "modified" in folded
        or (":" in folded and _CLOCK.search(folded) is not None)
        or ("m" in folded and _AM_PM.search(folded) is not None)
    )


def _paragraphs(lines: list[str], blocks: list[int], body: list[int]) -> tuple[str, ...]:
    """The paragraphs of the body lines (indices into ``lines``), block by block."""
    paragraphs: list[str] = []
    count = len(body)
    start = 0
    while start < count:
        block = blocks[body[start]]
        end = start + 1
        while end < count and blocks[body[end]] == block:
            end += 1
        if end - start == 1:  # a one-line block is one paragraph
            paragraphs.append(_unmark(lines[body[start]]))
        else:
            paragraphs.extend(_block_paragraphs([lines[i] for i in body[start:end]]))
        start = end
    return tuple(paragraphs)


def _unmark(line: str) -> str:
    """The line without a leading markdown heading mark."""
    return _HEADING_MARK.sub("", line) if line.startswith("#") else line


def _block_paragraphs(lines: list[str]) -> list[str]:
    """One block's paragraphs: its lines, with hard-wrapped runs joined."""
    lines = [_unmark(line) for line in lines]
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
        not line.endswith(_TERMINAL) for line in heads
    )


def _runs_on(previous: str, line: str, wrapped: bool) -> bool:
    if previous.endswith(_TERMINAL) and not wrapped:
        return False
    first = line[:1]
    if first.islower() or (first.isdigit() and not previous.endswith(_TERMINAL)):
        return True
    return wrapped


def _cut_trailer(lines: list[str], last: int, credits: list[str]) -> None:
    """Cut the credits trailer off the end of the last body line, keeping it in ``credits``."""
    split = split_trailer(lines[last])
    if split is not None:
        lines[last], trailer = split
        credits.append(trailer)


def _reporters(credits: list[str]) -> tuple[str, ...]:
    """The "Reporting by" names of the wire trailers, for a story no byline names."""
    names = [name for line in credits for name in reporters(line)]
    return tuple(dict.fromkeys(names))


def _aware(parsed: ParsedDate | None, warnings: list[str]) -> datetime | None:
    """The date with its offset; None, with a warning, when the text gives no (known) zone.

    An offset the text does not state would be a made-up fact: the wall-clock time is kept as
    ``published_local`` instead, and a client or a source setting may give the zone.
    """
    if parsed is None:
        return None
    if parsed.value.tzinfo is not None:
        return parsed.value
    if not parsed.zone_known and parsed.zone is not None:
        warnings.append(f"unknown_time_zone:{parsed.zone}")
    else:
        warnings.append("no_time_zone")
    return None


def _header_warnings(header: Header) -> list[str]:
    warnings: list[str] = []
    if header.title is None:
        warnings.append("no_title")
    if not header.authors:
        warnings.append("no_byline")
    if header.published is None and header.updated is None:
        warnings.append("no_dateline")
    return warnings
