"""Errors raised by the dedup engine."""


class DedupError(Exception):
    """Base class for dedup-engine errors."""


class EmptyBodyError(DedupError, ValueError):
    """The article body holds no word tokens, so it cannot be fingerprinted."""


class StateError(DedupError):
    """The durable state is missing, corrupt, or written by an incompatible version."""
