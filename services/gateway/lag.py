"""Consumer-group lag, as plain arithmetic over offsets and counted records.

What "lag" means here: **the number of records a ``read_committed`` consumer of the stage's
input topic would still receive** after the group's committed offset — not the raw offset
difference. The two differ on the transactional topics (``articles.parsed.v1``,
``articles.deduplicated.v1`` and the DLQ): every committed (or aborted) transaction leaves a
control marker that occupies one offset but is never delivered, and aborted records are never
delivered either. A group that has consumed everything therefore sits one offset before the
end after each transaction (``end - committed == 1``): its lag is 0, not 1.

How it is measured (see :mod:`services.gateway.offsets` for the I/O):

* ``end`` is the last stable offset (``end_offsets`` of a ``read_committed`` consumer), so
  records of transactions still open are not counted yet;
* on a non-transactional topic (``articles.raw.v1``: ingest's idempotent producer writes no
  markers) the lag is exactly ``end - start``;
* on a transactional topic the records in ``[start, end)`` are counted by reading them with a
  group-less ``read_committed`` consumer. The count is kept per partition (:class:`Counted`)
  and extended incrementally while ``start`` stays put (a stopped consumer): each poll reads
  only the offsets that arrived since, at most ``max_scan`` of them. Offsets not counted yet
  are added as an upper bound and the lag is flagged ``exact=False`` until the count catches up.

``start`` is the committed offset, or the partition's first offset when the group has not
committed (or retention removed what it had committed).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Counted:
    """``records`` visible (read_committed) records found in ``[start, counted_to)``."""

    start: int
    counted_to: int
    records: int


@dataclass(frozen=True, slots=True)
class PartitionLag:
    partition: int
    committed: int | None
    end: int
    lag: int
    exact: bool


@dataclass(frozen=True, slots=True)
class GroupLag:
    """The lag of one consumer group over one topic, per partition and in total."""

    group: str
    topic: str
    partitions: tuple[PartitionLag, ...]

    @property
    def total(self) -> int:
        return sum(p.lag for p in self.partitions)

    @property
    def exact(self) -> bool:
        return all(p.exact for p in self.partitions)


def start_offset(committed: int | None, beginning: int) -> int:
    """Where the group would resume: its commit, else (none, or expired) the first offset."""
    if committed is None or committed < 0 or committed < beginning:
        return beginning
    return committed


def resume_count(previous: Counted | None, start: int, end: int) -> Counted:
    """The count to extend: ``previous`` when it still describes ``[start, …)`` within ``end``,
    else an empty count at ``start``. Read ``[result.counted_to, scan_stop(...))`` next."""
    if previous is not None and previous.start == start and previous.counted_to <= end:
        return previous
    return Counted(start, start, 0)


def scan_stop(base: Counted, end: int, max_scan: int) -> int:
    """How far to read this time: at most ``max_scan`` offsets past what is counted."""
    return max(base.counted_to, min(end, base.counted_to + max_scan))


def extend(base: Counted, counted_to: int, records: int) -> Counted:
    """``base`` plus ``records`` visible records found in ``[base.counted_to, counted_to)``."""
    if counted_to < base.counted_to or records < 0:
        raise ValueError("a count only grows")
    return Counted(base.start, counted_to, base.records + records)


def visible_lag(counted: Counted, end: int) -> tuple[int, bool]:
    """Records still to read: those counted, plus every offset not counted yet (an upper bound,
    so the answer is exact only when the count reached ``end``)."""
    rest = max(end - counted.counted_to, 0)
    return counted.records + rest, rest == 0


def committed_records(counted: Counted, end: int) -> tuple[int, bool]:
    """Committed records counted so far, never an offset not read yet (a marker, an aborted
    record): a lower bound, exact once the count reached ``end``. What a total reports, so a
    downstream count never overtakes the upstream one while it catches up."""
    return counted.records, counted.counted_to >= end


def offset_lag(start: int, end: int) -> int:
    """The lag on a topic without control markers: the offset difference."""
    return max(end - start, 0)


def group_lag(
    group: str, topic: str, rows: Iterable[tuple[int, int | None, int, int, bool]]
) -> GroupLag:
    """Assemble rows of ``(partition, committed, end, lag, exact)``, ordered by partition."""
    parts = tuple(PartitionLag(p, c, e, lag, x) for p, c, e, lag, x in sorted(rows))
    return GroupLag(group, topic, parts)
