"""Errors of the gateway's read side."""

from __future__ import annotations


class InvalidQueryError(ValueError):
    """A search parameter, cursor or full-text query the gateway cannot run (an HTTP 400)."""
