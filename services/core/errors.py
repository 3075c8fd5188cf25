"""newsflow's own error hierarchy. Library errors are translated into these at the boundary."""

from __future__ import annotations


class NewsflowError(Exception):
    """Base of every error newsflow raises on purpose."""


class PermanentError(NewsflowError):
    """The input can never be processed: it goes to the DLQ with this reason."""


class InvalidMessageError(PermanentError):
    """A record's value is not valid JSON of the stage's input model."""


class TransientError(NewsflowError):
    """A dependency (broker, disk, database) is unavailable: retry with backoff, never skip."""


class BrokerUnavailableError(TransientError):
    """The Kafka broker did not answer or refused the request for now."""


class ConfigurationError(NewsflowError):
    """The environment cannot run newsflow (missing Java, port in use, bad setting)."""
