"""Canonical URLs: one form for the many addresses of one article. Pure."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "mtm_", "hsa_", "_hs", "oly_", "vero_")
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
        "mkt_tok", "ref", "ref_src", "ref_url", "referrer", "cmpid", "cmp", "share", "smid",
        "ocid", "ito", "taid", "sr_share", "spm", "_ga", "_gl", "s_cid", "rss", "at_medium",
        "at_campaign", "guccounter", "guce_referrer", "guce_referrer_sig", "cid", "ncid",
    }
)  # fmt: skip
DEFAULT_PORTS = {"http": 80, "https": 443}
_SLASHES = re.compile(r"/{2,}")
# The common shape, read without ``urlsplit``: scheme, a plain host (no user info, port or IPv6
# literal), then a path and query free of whitespace and control characters. Anything else takes
# the general path; both give the same answer (a unit test holds them equal).
_PLAIN = re.compile(
    r"(?P<scheme>[Hh][Tt][Tt][Pp][Ss]?)://(?P<host>[A-Za-z0-9][A-Za-z0-9.-]*)"
    r"(?P<path>/[^?#\x00-\x20\x7f]*)?(?:\?(?P<query>[^#\x00-\x20\x7f]*))?(?:#[^\x00-\x20\x7f]*)?"
)


class InvalidUrlError(ValueError):
    """The URL is not an absolute http(s) URL."""


def is_tracking_parameter(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """Lower-cased scheme and host, no ``www.``, no default port, no tracking parameters or
    fragment, sorted query, no trailing slash."""
    plain = _PLAIN.fullmatch(url.strip())
    if plain is None:
        return _canonical_split(url)
    scheme, host, path, query = plain.group("scheme", "host", "path", "query")
    host = host.lower().rstrip(".").removeprefix("www.")
    if not host:
        return _canonical_split(url)
    return _assemble(scheme.lower(), host, path or "", query or "")


def _canonical_split(url: str) -> str:
    """``canonical_url`` for any URL, through ``urlsplit``."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise InvalidUrlError(f"not a valid URL: {url!r}") from error
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if scheme not in DEFAULT_PORTS or not host:
        raise InvalidUrlError(f"not an absolute http(s) URL: {url!r}")
    host = host.removeprefix("www.")
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return _assemble(scheme, netloc, parts.path, parts.query)


def _assemble(scheme: str, netloc: str, path: str, query: str) -> str:
    if "//" in path:
        path = _SLASHES.sub("/", path)
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    if query:
        query = urlencode(
            sorted(
                (key, value)
                for key, value in parse_qsl(query, keep_blank_values=True)
                if not is_tracking_parameter(key)
            )
        )
    # what ``urlunsplit`` makes of these parts (the host is never empty, the path absolute)
    return f"{scheme}://{netloc}{path or '/'}{'?' if query else ''}{query}"
