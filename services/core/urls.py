"""Canonical URLs: one form for the many addresses of one article. Pure."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

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


class InvalidUrlError(ValueError):
    """The URL is not an absolute http(s) URL."""


def is_tracking_parameter(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """Lower-cased scheme and host, no ``www.``, no default port, no tracking parameters or
    fragment, sorted query, no trailing slash."""
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
    path = _SLASHES.sub("/", parts.path) or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    query = ""
    if parts.query:
        query = urlencode(
            sorted(
                (key, value)
                for key, value in parse_qsl(parts.query, keep_blank_values=True)
                if not is_tracking_parameter(key)
            )
        )
    return urlunsplit((scheme, netloc, path, query, ""))
