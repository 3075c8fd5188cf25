"""Agency-wire furniture: the dateline that opens a story and the credits that close it.

"PARIS (Reuters) - ", "MADRID, October 15 (Reuters) - ", "Madrid, 9 nov (EFE).- " open the first
paragraph; "(Reporting by A in Paris; Additional reporting by B; Editing by C and D)" closes the
story. The first is cut off the paragraph, the second removed from the body; the "Reporting by"
names are the story's authors when no byline names any (the editors never are).
"""

from __future__ import annotations

import re

from services.parser import date_words
from services.parser.byline import parse_byline

_AGENCIES = (
    r"Reuters|AP|AFP|dpa|DPA|Bloomberg|ANSA|EFE|Lusa|APA|AAP|KNA|epd|Xinhua|Kyodo|UPI|PA|"
    r"Europa Press|Agence France-Presse|Associated Press"
)
_MONTH = "|".join(re.escape(name) for name in sorted(date_words.MONTHS, key=len, reverse=True))
# A capitalised word of a place's name ("Madrid", "São"), and a particle inside one ("Rio de").
_PLACE_WORD = r"[^\W\d_a-z][^\W\dA-Z_]*(?:[.’'][^\W\dA-Z_]*)?"
_PLACE_PARTICLE = r"(?:de|del|la|do|da|di|am|an|sur)"
# A place in upper case ("LONDON/FRANKFURT", "HAYWARD, Calif.", "SÃO PAULO") or with its words
# capitalised ("Madrid", "Rio de Janeiro", "Frankfurt am Main"), an optional date ("October
# 15", "15 octobre", "9 nov"), the agency in brackets, and a dash (after a full stop in the
# Spanish agencies' "Madrid, 9 nov (EFE).- ").
_DATELINE = re.compile(
    r"^(?P<place>(?:[^\W\d_a-z](?:[^\W\d_a-z]|[ .'’/-]){1,40}"
    rf"|{_PLACE_WORD}(?:[ /-](?:{_PLACE_PARTICLE}[ ])?{_PLACE_WORD}){{0,3}})"
    r"(?:,\s+[^\W\d_][\w.' ]{1,20})?)"
    rf"(?:,\s+(?i:(?:{_MONTH})\.?\s+\d{{1,2}}|\d{{1,2}}\.?\s+(?:de\s+)?(?:{_MONTH})\.?))?"
    rf"\s+\((?:{_AGENCIES})\)\.?\s*[-–—]+\s+(?=\S)"
)
_SENTENCE_END = tuple('.!?…"”’»')
_CREDIT = re.compile(
    r"(?P<role>(?:additional\s+)?reporting|writing|editing|compiled|graphics?|"
    r"research|production)\s+by\s+(?P<names>[^;]+)",
    re.IGNORECASE,
)
# The characters every match of _TRAILER opens with: "(" or a role's initial.
_TRAILER_OPENINGS = frozenset("(RrWwEeCcGgAa")
_TRAILER = re.compile(
    r"\(?\s*(?:(?:additional\s+)?reporting|writing|editing|compiled|graphics?)\s+by\s+"
    r"[^()]{2,400}?\)?\.?",
    re.IGNORECASE,
)


def strip_dateline(paragraph: str) -> str:
    """The paragraph without the agency dateline it opens with, if it has one."""
    if "(" not in paragraph[:80]:
        return paragraph
    match = _DATELINE.match(paragraph)
    if match is None:
        return paragraph
    return paragraph[match.end() :]


def split_trailer(line: str) -> tuple[str, str] | None:
    """A paragraph ending in a credits trailer ("... said. (Reporting by A; Editing by B)"):
    the paragraph without it, and the trailer; None if it has none."""
    if not line.endswith(")") or "(" not in line[-400:]:
        return None
    start = line.rfind("(")
    trailer = line[start:]
    if start == 0 or not line[:start].rstrip().endswith(_SENTENCE_END) or not is_trailer(trailer):
        return None
    return line[:start].rstrip(), trailer


def is_trailer(line: str) -> bool:
    """Whether the whole line is a credits trailer ("(Reporting by A; Editing by B)")."""
    if line[:1] not in _TRAILER_OPENINGS or len(line) > 400:
        return False
    if " by " not in line and " By " not in line and " BY " not in line:
        return False
    return _TRAILER.fullmatch(line.strip()) is not None


def reporters(line: str) -> tuple[str, ...]:
    """The "Reporting by" names of a credits trailer, without places; () if none."""
    names: list[str] = []
    for part in line.strip(" ()").split(";"):
        credit = _CREDIT.match(part.strip(" ()."))
        if credit is None or credit.group("role").lower() != "reporting":
            continue
        byline = parse_byline(f"By {credit.group('names').strip()}")
        if byline is not None:
            names.extend(byline.authors)
    return tuple(dict.fromkeys(names))
