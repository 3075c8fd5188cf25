"""Bylines: the line naming an article's authors, and the site it may name after them.

"Written by A", "By A and B", "By A, B and C", "By A & B | Site", "By A, Site", "Author: A".
A part after a comma or pipe is an author only if it looks like a person's name and not like an
outlet ("By Camille Brennan | Global Dispatch" names one author and the site).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from services.parser.outlet_names import looks_like_outlet
from services.parser.zones import is_city

_BY = re.compile(
    r"^(?:(?:(?:written|reported|words|text|story|reporting|analysis|interview|compiled)"
    r"(?:\s+and\s+\w+)?\s+)?by|(?:authors?|writers?|reporters?|byline)\s*:"
    # "Von A und B", "Eine Analyse von A", "Par A et B", "Por A y B", "di A e B"
    r"|(?:(?:ein(?:e|en)?\s+)?(?:analyse|kommentar|bericht|reportage|interview|kolumne|"
    r"gastbeitrag|text|recherche)\s+)?von"
    r"|(?:(?:texte|propos\s+recueillis|une\s+analyse|un\s+article)\s+)?par"
    r"|(?:(?:texto|textos|reportaje|reportagem|análisis|análise)\s+)?por"
    r"|(?:(?:testo|articolo|un'analisi)\s+)?di"
    r"|(?:autor|autora|autores|auteur|auteure|autore|autrice|verfasser|texto|texte|testo|text)"
    r"\s*:)"
    r"\s*:?\s+(?P<rest>\S.*)$",
    re.IGNORECASE,
)
_SEGMENT_SPLIT = re.compile(r"\s*(?:\||·|•|\s[-–—]\s)\s*")
# "A, B and C" and its German, French, Spanish, Italian and Portuguese forms ("A und B",
# "A et B", "A y B", "A e B").
_NAME_SPLIT = re.compile(
    r"\s*(?:,\s*(?:(?:and|und|et|y|e)\s+|&\s+)?|\s+(?:and|und|et|y|e)\s+|\s*&\s*|;\s*)",
    re.IGNORECASE,
)
# "à Bruxelles", "em Lisboa" after the names.
_AT_PLACE = re.compile(r"^(?:à|a|en|em|in|aus|desde|da|de|di)\s+[A-Z]")
_NAME_SPLIT_KEEP = re.compile(f"({_NAME_SPLIT.pattern})", re.IGNORECASE)
# "(Bruxelles, correspondante)", "(Londres)" after a name.
_ASIDE = re.compile(r"\s*\([^()]*\)")
_FOR_OUTLET = re.compile(r"\s+(?:for|of|at)\s+(?P<site>(?:the\s+)?[A-Z].*)$")
_IN_PLACE = re.compile(r"\s+(?:in|aus|à|en|em|desde)\s+[A-Z][\w.' -]*$")
_PARTICLES = frozenset(
    {
        "de", "da", "das", "do", "dos", "del", "della", "der", "den", "di", "du", "la", "le",
        "van", "von", "ten", "ter", "bin", "ibn", "al", "el", "y", "e", "st.", "mc", "mac",
    }
)  # fmt: skip
# The lookahead names the letters (any case) the role words open with.
_ROLES = re.compile(
    r"\b(?=[abcdefiknprstw])(?:staff|writer|correspondent|editor|reporter|contributor|columnist|bureau|chief|"
    r"senior|special|freelance|photographer|producer|analyst|team|desk|"
    r"korrespondent(?:in)?|redakteur(?:in)?|redaktion|correspondante?|envoyée?|spéciale?|"
    r"rédaction|corresponsal|enviad[oa]|especial|redacción|corrispondente|inviat[oa]|"
    r"redazione|repórter|correspondente|redação|inviati|inviate|enviados|envoyés|"
    r"agência|agencia|agence|agenzia|agentur|nachrichtenagentur)\b",
    re.IGNORECASE,
)
_NAME_TOKEN = re.compile(r"^(?:[^\W\d_][\w'’.-]*|[^\W\d_]\.)$")
_MAX_NAME_WORDS = 5


@dataclass(frozen=True, slots=True)
class Byline:
    """Authors named by a byline; ``extra`` holds its other pipe segments (site, dates)."""

    authors: tuple[str, ...]
    site_name: str | None = None
    extra: tuple[str, ...] = ()


def parse_byline(line: str) -> Byline | None:
    """Read ``line`` as a byline introduced by "By", "Written by", "Author:" and the like."""
    match = _BY.match(line.strip())
    if match is None:
        return None
    return _read(match.group("rest"))


def starts_like_byline(line: str) -> bool:
    """Whether ``line`` opens as a byline does; every line ``parse_byline`` reads does, and so
    does the whole line whenever a prefix of it does."""
    return _BY.match(line.strip()) is not None


def parse_bare_names(line: str) -> Byline | None:
    """Read ``line`` as a list of one to three person names ("A & B"), and nothing else but
    their role or outlet after a pipe or dash ("Jane Doe | Staff Writer", "A & B – Reuters")."""
    if len(line) > 80:
        return None
    first, *others = _SEGMENT_SPLIT.split(line.strip())
    if any(not (_is_role(other) or looks_like_outlet(other)) for other in others):
        return None
    parts = [p for p in _NAME_SPLIT.split(first) if p]
    if not 1 <= len(parts) <= 3:
        return None
    names = [_clean_name(p) for p in parts]
    if any(not is_person_name(n) or len(n.split()) < 2 for n in names):
        return None
    site = next((other for other in others if looks_like_outlet(other)), None)
    return Byline(tuple(names), site)


def _is_role(segment: str) -> bool:
    """Whether ``segment`` is a job title alone: "Reporter", "Senior Staff Writer"."""
    words = segment.split()
    return 1 <= len(words) <= 4 and all(_ROLES.fullmatch(word) for word in words)


def is_person_name(name: str) -> bool:
    """Whether ``name`` is shaped like a person's name: capitalised words, no digits."""
    words = name.split()
    if not 1 <= len(words) <= _MAX_NAME_WORDS or looks_like_outlet(name):
        return False
    if _ROLES.search(name):
        return False
    capitalised = 0
    for word in words:
        if word.lower() in _PARTICLES:
            continue
        if not _NAME_TOKEN.match(word) or not word[0].isupper():
            return False
        capitalised += 1
    return capitalised >= 1


def _read(rest: str) -> Byline | None:
    segments = [s for s in _SEGMENT_SPLIT.split(rest.strip(" *_")) if s.strip(" *_")]
    if not segments:
        return None
    first, extra = segments[0].strip(" *_"), [s.strip(" *_") for s in segments[1:]]
    if "(" in first:
        first = _ASIDE.sub("", first)
    site: str | None = None
    outlet = _FOR_OUTLET.search(first)
    if outlet is not None and looks_like_outlet(outlet.group("site")):
        site, first = outlet.group("site"), first[: outlet.start()]
    named = _names(first, site)
    if named is None:
        return None
    authors, site = named
    remaining: list[str] = []
    for segment in extra:
        if site is None and not any(ch.isdigit() for ch in segment) and _is_site(segment):
            site = segment
        else:
            remaining.append(segment)
    return Byline(tuple(dict.fromkeys(authors)), site, tuple(remaining))


def _names(first: str, site: str | None) -> tuple[list[str], str | None] | None:
    """The authors the byline's first segment names, and a site after them; None if none."""
    authors: list[str] = []
    parts = _NAME_SPLIT_KEEP.split(first)  # names at even indices, separators between
    for index in range(0, len(parts), 2):
        name = _clean_name(parts[index])
        joint = parts[index - 1].strip().lower() if index else ""
        if authors and joint in {"e", "y"} and _is_surname(name):
            authors[-1] = f"{authors[-1]} {joint} {name}"  # "João Souza e Silva"
            continue
        if not name or (_ROLES.search(name) and not authors) or (authors and _is_place(name)):
            continue
        if is_person_name(name):
            authors.append(name)
        elif authors and site is None and not _ROLES.search(name):
            site = name
        elif not authors:
            return None
    return (authors, site) if authors else None


def _is_surname(name: str) -> bool:
    """A single capitalised word: after "A e"/"A y" the rest of a surname, not a second person."""
    return " " not in name and is_person_name(name) and not is_city(name)


def _is_place(name: str) -> bool:
    """Where the byline was written: "Berlin" (a city), "à Bruxelles", "em Lisboa"."""
    return _AT_PLACE.match(name) is not None or (" " not in name and is_city(name))


def _is_site(segment: str) -> bool:
    """An outlet, or a short capitalised segment that is no role and no city ("| Madrid" says
    where the story was written)."""
    return looks_like_outlet(segment) or (
        len(segment) <= 60
        and segment[:1].isupper()
        and not _ROLES.search(segment)
        and not is_city(segment)
    )


def _clean_name(raw: str) -> str:
    name = _IN_PLACE.sub("", raw.strip(" *_,;:.\t"))
    if name.isupper() and len(name) > 3:
        name = name.title()
    return " ".join(name.split())
