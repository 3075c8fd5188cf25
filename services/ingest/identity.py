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

from services.core.urls import canonical_url

IdSource = Literal["client", "idempotency_key", "url", "content"]

MAX_CLIENT_ID = 200
_CLIENT_ID = re.compile(r"^[\x21-\x7e]{1,200}$")
_WHITESPACE = re.compile(r"\s+")


class InvalidIdError(ValueError):
    """A client-supplied id is empty, too long or not printable ASCII."""


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
