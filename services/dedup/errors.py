"""Errors raised by the dedup engine."""

from services.core.errors import RecordFault


class DedupError(Exception):
    """Base class for dedup-engine errors."""


class EmptyBodyError(DedupError, RecordFault, ValueError):
    """The article body holds no word tokens, so it cannot be fingerprinted (a fault of the
    record: it goes to the DLQ)."""


class StateError(DedupError):
    """The durable state is missing, corrupt, or written by an incompatible version."""
