"""Errors the parser raises on input it cannot turn into an article."""

from __future__ import annotations

from services.core.errors import RecordFault


class EmptyArticleError(RecordFault, ValueError):
    """The document is empty, or nothing of an article body is left once it is cleaned.

    A fault of the record: the same input always fails, so the record goes to the DLQ with this
    reason.
    """
