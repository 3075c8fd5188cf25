"""Time-zone names as they appear in datelines, resolved to the offset in force.

Abbreviations ("CET", "EDT", "IST") name one fixed offset each: the writer chose the standard or
the summer variant, so the abbreviation is taken at its word. Generic names ("ET", "Pacific Time",
"Central European Time", "UK time") and IANA names ("Europe/Berlin") name a region whose offset
depends on the date; they resolve through :mod:`zoneinfo` against the wall-clock time they label.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from datetime import datetime, timedelta, timezone, tzinfo
from types import MappingProxyType


def _fixed(hours: int, minutes: int = 0) -> timezone:
    sign = -1 if hours < 0 else 1
    return timezone(timedelta(hours=hours, minutes=sign * minutes))


# Abbreviations with one fixed offset. Ambiguous ones take their most common news-desk meaning:
# CST = US Central, IST = India, BST = British Summer Time, AST = Atlantic.
FIXED_ZONES: MappingProxyType[str, timezone] = MappingProxyType(
    {
        "UTC": _fixed(0),
        "GMT": _fixed(0),
        "UT": _fixed(0),
        "Z": _fixed(0),
        "WET": _fixed(0),
        "WEST": _fixed(1),
        "BST": _fixed(1),
        "CET": _fixed(1),
        "CEST": _fixed(2),
        "MET": _fixed(1),
        "MEZ": _fixed(1),  # German: Mitteleuropäische Zeit
        "MESZ": _fixed(2),
        "WEZ": _fixed(0),
        "WESZ": _fixed(1),
        "OEZ": _fixed(2),
        "OESZ": _fixed(3),
        "MEST": _fixed(2),
        "EET": _fixed(2),
        "EEST": _fixed(3),
        "MSK": _fixed(3),
        "TRT": _fixed(3),
        "EAT": _fixed(3),
        "CAT": _fixed(2),
        "SAST": _fixed(2),
        "WAT": _fixed(1),
        "GST": _fixed(4),
        "IRST": _fixed(3, 30),
        "PKT": _fixed(5),
        "IST": _fixed(5, 30),
        "ICT": _fixed(7),
        "WIB": _fixed(7),
        "SGT": _fixed(8),
        "HKT": _fixed(8),
        "PHT": _fixed(8),
        "AWST": _fixed(8),
        "JST": _fixed(9),
        "KST": _fixed(9),
        "ACST": _fixed(9, 30),
        "ACDT": _fixed(10, 30),
        "AEST": _fixed(10),
        "AEDT": _fixed(11),
        "NZST": _fixed(12),
        "NZDT": _fixed(13),
        "NST": _fixed(-3, 30),
        "NDT": _fixed(-2, 30),
        "ADT": _fixed(-3),
        "AST": _fixed(-4),
        "EDT": _fixed(-4),
        "EST": _fixed(-5),
        "CDT": _fixed(-5),
        "CST": _fixed(-6),
        "MDT": _fixed(-6),
        "MST": _fixed(-7),
        "PDT": _fixed(-7),
        "PST": _fixed(-8),
        "AKDT": _fixed(-8),
        "AKST": _fixed(-9),
        "HST": _fixed(-10),
        "BRT": _fixed(-3),
        "ART": _fixed(-3),
    }
)

# Spelled-out names of one fixed offset (lower case, single spaces).
FIXED_NAMES: MappingProxyType[str, str] = MappingProxyType(
    {
        "coordinated universal time": "UTC",
        "greenwich mean time": "GMT",
        "british summer time": "BST",
        "central european standard time": "CET",
        "central european summer time": "CEST",
        "eastern european summer time": "EEST",
        "western european summer time": "WEST",
        "eastern standard time": "EST",
        "eastern daylight time": "EDT",
        "central standard time": "CST",
        "central daylight time": "CDT",
        "mountain standard time": "MST",
        "mountain daylight time": "MDT",
        "pacific standard time": "PST",
        "pacific daylight time": "PDT",
        "india standard time": "IST",
        "indian standard time": "IST",
        "japan standard time": "JST",
        "moscow standard time": "MSK",
        "australian eastern standard time": "AEST",
        "australian eastern daylight time": "AEDT",
    }
)

# Generic (date-dependent) names, lower case, to IANA zones.
REGION_NAMES: MappingProxyType[str, str] = MappingProxyType(
    {
        "et": "America/New_York",
        "eastern": "America/New_York",
        "eastern time": "America/New_York",
        "us eastern": "America/New_York",
        "ct": "America/Chicago",
        "central": "America/Chicago",
        "central time": "America/Chicago",
        "mt": "America/Denver",
        "mountain time": "America/Denver",
        "pt": "America/Los_Angeles",
        "pacific": "America/Los_Angeles",
        "pacific time": "America/Los_Angeles",
        "central european time": "Europe/Berlin",
        "eastern european time": "Europe/Helsinki",
        "western european time": "Europe/Lisbon",
        "uk time": "Europe/London",
        "british time": "Europe/London",
        "irish time": "Europe/Dublin",
        "german time": "Europe/Berlin",
        "french time": "Europe/Paris",
        "moscow time": "Europe/Moscow",
        "india time": "Asia/Kolkata",
        "japan time": "Asia/Tokyo",
        "china time": "Asia/Shanghai",
        "beijing time": "Asia/Shanghai",
        "hong kong time": "Asia/Hong_Kong",
        "australian eastern time": "Australia/Sydney",
        # German, French, Spanish, Italian and Portuguese names of regional times
        "mitteleuropäische zeit": "Europe/Berlin",
        "deutsche zeit": "Europe/Berlin",
        "deutscher zeit": "Europe/Berlin",
        "heure française": "Europe/Paris",
        "heure de france": "Europe/Paris",
        "heure de métropole": "Europe/Paris",
        "heure locale de paris": "Europe/Paris",
        "hora peninsular": "Europe/Madrid",
        "hora española": "Europe/Madrid",
        "hora de españa": "Europe/Madrid",
        "hora canaria": "Atlantic/Canary",
        "hora de canarias": "Atlantic/Canary",
        "ora italiana": "Europe/Rome",
        "ora legale italiana": "Europe/Rome",
        "hora de portugal": "Europe/Lisbon",
        "hora de portugal continental": "Europe/Lisbon",
        "horário de portugal": "Europe/Lisbon",
        "hora de brasília": "America/Sao_Paulo",
        "horário de brasília": "America/Sao_Paulo",
        "horario de brasília": "America/Sao_Paulo",
        "hora de brasilia": "America/Sao_Paulo",
        "horário de brasilia": "America/Sao_Paulo",
        "horario de brasilia": "America/Sao_Paulo",
        "horário oficial de brasília": "America/Sao_Paulo",
    }
)

# Cities as the other languages spell them, where the zone database's name differs.
CITY_NAMES: MappingProxyType[str, str] = MappingProxyType(
    {
        "brasília": "America/Sao_Paulo",
        "brasilia": "America/Sao_Paulo",
        "são paulo": "America/Sao_Paulo",
        "lisboa": "Europe/Lisbon",
        "lisbonne": "Europe/Lisbon",
        "londres": "Europe/London",
        "londra": "Europe/London",
        "roma": "Europe/Rome",
        "rome": "Europe/Rome",
        "bruxelles": "Europe/Brussels",
        "bruselas": "Europe/Brussels",
        "varsovie": "Europe/Warsaw",
        "viena": "Europe/Vienna",
        "vienne": "Europe/Vienna",
        "wien": "Europe/Vienna",
        "genève": "Europe/Zurich",
        "genf": "Europe/Zurich",
        "montréal": "America/Toronto",
        "nueva york": "America/New_York",
        "nova york": "America/New_York",
        "ciudad de méxico": "America/Mexico_City",
        "méxico": "America/Mexico_City",
        "bogotá": "America/Bogota",
        "moscou": "Europe/Moscow",
        "moscú": "Europe/Moscow",
        "mosca": "Europe/Moscow",
        "moskau": "Europe/Moscow",
    }
)

_IANA_NAME = re.compile(r"^[A-Z][A-Za-z_]+(?:/[A-Za-z_\-]+){1,2}$")
_CITY_TIME = re.compile(r"^(?P<city>[a-z][a-z .'-]*?) time$")
# "heure de Paris", "hora de Madrid", "ora di Roma", "horário de Lisboa", "Berliner Zeit".
_CITY_TIME_ROMANCE = re.compile(
    r"^(?:heure|hora|horário|horario|ora)(?: locale| local| oficial)? (?:de |di |du |d'|d’)"
    r"(?P<city>[^\W\d_][\w .'-]*)$"
)


@functools.cache
def _city_zones() -> MappingProxyType[str, str]:
    """Lower-case city name ("new york", "berlin") to its IANA zone, from the zone database."""
    cities: dict[str, str] = {}
    for name in sorted(zoneinfo.available_timezones()):
        area, _, city = name.rpartition("/")
        if area and area.split("/")[0] not in {"Etc", "SystemV", "US", "posix", "right"}:
            cities.setdefault(city.replace("_", " ").lower(), name)
    return MappingProxyType(cities)


@functools.cache
def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def _region(name: str) -> zoneinfo.ZoneInfo | None:
    if _IANA_NAME.match(name):
        return _zone(name)
    key = " ".join(name.lower().replace(".", "").split())
    iana = REGION_NAMES.get(key)
    if iana is None:
        city = _CITY_TIME.match(key) or _CITY_TIME_ROMANCE.match(key)
        if city is not None:
            named = city.group("city")
            iana = CITY_NAMES.get(named) or _city_zones().get(named)
    return _zone(iana) if iana else None


def is_city(name: str) -> bool:
    """Whether ``name`` is a city the zone database (or :data:`CITY_NAMES`) knows: "Berlin"."""
    key = " ".join(name.lower().split())
    return key in CITY_NAMES or key in _city_zones()


def fixed_zone(name: str) -> timezone | None:
    """The fixed offset an abbreviation or spelled-out fixed name stands for, if known."""
    abbreviation = name.strip().upper().replace(".", "")
    if abbreviation in FIXED_ZONES:
        return FIXED_ZONES[abbreviation]
    spelled = FIXED_NAMES.get(" ".join(name.lower().split()))
    return FIXED_ZONES[spelled] if spelled else None


def localize(naive: datetime, zone_name: str) -> datetime | None:
    """Attach the zone ``zone_name`` to the wall-clock time ``naive``; None if it is unknown.

    Generic and IANA names give the offset in force at that wall-clock time (DST-aware).
    """
    fixed = fixed_zone(zone_name)
    zone: tzinfo | None = fixed if fixed is not None else _region(zone_name.strip())
    if zone is None:
        return None
    aware = naive.replace(tzinfo=zone)
    offset = aware.utcoffset()
    if offset is None:  # pragma: no cover - zoneinfo always answers for a wall time
        return None
    return naive.replace(tzinfo=timezone(offset))
