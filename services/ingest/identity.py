"""Canonical URLs and stable article ids. Pure: no I/O.

An article's id is the client's id or ``Idempotency-Key`` when given; else derived from its
canonical URL (lower-cased host, no ``www.``, no tracking parameters or fragment); else from its
normalised content. Pushing the same article twice yields the same id.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

IdSource = Literal["client", "idempotency_key", "url", "content"]

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
MAX_CLIENT_ID = 200
_CLIENT_ID = re.compile(r"^[\x21-\x7e]{1,200}$")
_WHITESPACE = re.compile(r"\s+")


class InvalidUrlError(ValueError):
    """The URL is not an absolute http(s) URL."""


class InvalidIdError(ValueError):
    """A client-supplied id is empty, too long or not printable ASCII."""


def is_tracking_parameter(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The URL's canonical form, used to recognise the same article under several addresses."""
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
    path = re.sub(r"/{2,}", "/", parts.path) or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_parameter(key)
    )
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def normalise_content(content: str) -> str:
    """Content reduced to what makes two pushes the same article: NFKC, case, whitespace."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", content)).strip().casefold()


def _digest(prefix: str, text: str) -> str:
    return f"{prefix}-{hashlib.sha256(text.encode()).hexdigest()[:32]}"


def check_client_id(value: str) -> str:
    if not _CLIENT_ID.match(value):
        raise InvalidIdError(
            f"an id must be 1-{MAX_CLIENT_ID} printable ASCII characters without spaces"
        )
    return value


@dataclass(frozen=True, slots=True)
class ArticleIdentity:
    id: str
    source: IdSource
    canonical_url: str | None


def identify(
    *,
    content: str,
    client_id: str | None = None,
    idempotency_key: str | None = None,
    url: str | None = None,
) -> ArticleIdentity:
    """The article's stable id and where it came from. Raises on an invalid id or URL."""
    canonical = canonical_url(url) if url else None
    if client_id is not None:
        return ArticleIdentity(check_client_id(client_id), "client", canonical)
    if idempotency_key is not None:
        return ArticleIdentity(check_client_id(idempotency_key), "idempotency_key", canonical)
    if canonical is not None:
        return ArticleIdentity(_digest("u", canonical), "url", canonical)
    return ArticleIdentity(_digest("c", normalise_content(content)), "content", None)
