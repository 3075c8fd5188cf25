"""Author names as pages state them, cleaned: no "By", URLs, e-mails, handles or roles.

"A and B", "A; B" and "A, B" are split (unless "Surname, Given"); duplicates dropped.
"""

from __future__ import annotations

import re

_BYLINE = re.compile(r"^(?:written\s+|posted\s+|reported\s+)?by\b[:\s]*", re.IGNORECASE)
_NAME_SEPARATORS = re.compile(r"\s+(?:and|&|und|et|y)\s+|\s*[;|•]\s*|\s+/\s+", re.IGNORECASE)
_URL_OR_EMAIL = re.compile(r"https?://|www\.|\S@\S|\.(?:com|org|net)\b", re.IGNORECASE)
_ROLE = re.compile(
    r"^(?:(?:senior|staff|chief|special|contributing|associate|deputy|political|news)\s+)*"
    r"(?:writer|reporter|editor|correspondent|contributor|columnist|staff)s?$",
    re.IGNORECASE,
)
MAX_NAME_WORDS = 6
_HANDLE = re.compile(r"(?<!\S)@\w+")  # "Jane Doe @janedoe": the social handle is no name


def clean_authors(raw: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Author names without "By ", URLs, e-mails or roles; "A and B" split; deduplicated."""
    names: dict[str, str] = {}
    for value in raw:
        if _URL_OR_EMAIL.search(value) and " " not in value.strip():
            continue
        bare = _HANDLE.sub(" ", value).strip()
        for part in _NAME_SEPARATORS.split(_BYLINE.sub("", bare)):
            for name in _comma_names(_BYLINE.sub("", part.strip())):
                names.setdefault(name.casefold(), name)
    return tuple(names.values())


def _comma_names(part: str) -> list[str]:
    """Split "A, B" into names unless it reads as "Surname, Given"; drop roles and junk."""
    pieces = [p.strip(" \t.,:-–—()[]") for p in part.split(",")]
    pieces = [p for p in pieces if p and not _ROLE.match(p)]
    if len(pieces) > 1 and any(len(p.split()) < 2 for p in pieces):
        pieces = [" ".join(pieces)]
    return [p for p in pieces if _is_name(p)]


def _is_name(text: str) -> bool:
    if _URL_OR_EMAIL.search(text) or text.startswith("@"):
        return False
    return any(c.isalpha() for c in text) and len(text.split()) <= MAX_NAME_WORDS
