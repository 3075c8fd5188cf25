"""Errors the parser raises on input it cannot turn into an article."""

from __future__ import annotations

from services.core.errors import PermanentError


class EmptyArticleError(PermanentError, ValueError):
    """The document is empty, or nothing of an article body is left once it is cleaned.

    Permanent: the same input always fails, so the record goes to the DLQ with this reason.
    """
