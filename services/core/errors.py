"""newsflow's own error hierarchy. Library errors are translated into these at the boundary.

What the consumer runner does with an error raised while a record is handled is decided by its
class (see :mod:`services.core.policy`):

* :class:`RecordFault` — the record itself can never be processed (undecodable, invalid, empty,
  too large): it goes to the DLQ with the reason and the partition moves on. Handlers raise
  exactly these for bad input, and nothing else means "this record is bad";
* :class:`TransientError` (and the library errors of a broker, disk or database that is
  unavailable) — retried with backoff, never skipped;
* anything else is a bug: retried a bounded number of times, then the partition stops and the
  stage reports ``failing`` (or, if the operator chose ``errors_tolerance=all``, dead-lettered).
"""

from __future__ import annotations


class NewsflowError(Exception):
    """Base of every error newsflow raises on purpose."""


class RecordFault(NewsflowError):
    """The record can never be processed, whatever the code does: it goes to the DLQ with this
    reason. Raise a subclass (or this) only for a fault of the input, never for a failure of the
    code or of a dependency."""


PermanentError = RecordFault  # the earlier name of the same class


class InvalidMessageError(RecordFault):
    """A record's value is empty, too large, not UTF-8, or not valid JSON of the stage's input
    model."""


class TransientError(NewsflowError):
    """A dependency (broker, disk, database) is unavailable: retry with backoff, never skip."""


class BrokerUnavailableError(TransientError):
    """The Kafka broker did not answer or refused the request for now."""


class ProducerFencedError(BrokerUnavailableError):
    """The broker refused a transactional producer: another one took over its transactional id
    (what this one had not committed is aborted)."""


class DatabaseUnavailableError(TransientError):
    """The database server did not answer, refused the connection for now, or the connection
    broke (a restart, a failover, a network split)."""


class DatabaseNotReadyError(DatabaseUnavailableError):
    """The database (or the schema a reader needs in it) does not exist yet, or is older than
    this code needs: whoever creates or migrates it has not run yet."""


class ConfigurationError(NewsflowError):
    """The environment cannot run newsflow (missing Java, port in use, bad setting)."""
