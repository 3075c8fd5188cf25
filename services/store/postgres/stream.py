"""The live stream's positions with several writers: which ones can no longer change.

Pure: SQL text and arithmetic. Every article gets its position (``seq``) from the sequence
``article_seq`` when it is inserted, but two store processes commit in any order: process A may
take position 7, process B position 8 and commit first. A reader that handed out 8 and resumed
after it would never see 7. So a reader hands out only positions up to a *horizon* below which
no article can still appear:

* a writer, before its first insert, reads the last position handed out so far, ``k``, and
  holds a shared advisory lock on ``STREAM_LOCK_BASE + k`` until its transaction ends
  (:data:`GUARD`); every position it then takes is ``> k``;
* a reader reads, in this order, (1) the last position handed out, ``L`` (:data:`HANDED_OUT`),
  (2) the smallest ``k`` of the writers in flight, ``K`` (:data:`IN_FLIGHT`, from ``pg_locks``),
  then (3) runs its query, whose snapshot is taken after both; it hands out positions up to
  ``min(L, K)`` (:func:`horizon`).

Why nothing at or below the horizon can appear later: a position ``s <= L`` was taken before
(1), so its writer took its lock before (1), hence before (2). At (2) that writer either still
held the lock — then ``K <= k < s``, and ``s`` is above the horizon — or had ended, committed
(so its rows are in the snapshot of (3)) or rolled back (so they never exist). The lock is
released after the commit becomes visible, never before.

The lock is read from the primary's ``pg_locks``; a read replica knows nothing of the
primary's writers, so the stream's reads always go to the primary (``NEWSFLOW_DATABASE_URL``).
"""

from __future__ import annotations

from services.store.postgres.schema import STREAM_LOCK_BASE, STREAM_LOCK_SPAN

_LAST = "CASE WHEN is_called THEN last_value ELSE last_value - 1 END"  # 0 before the first
HANDED_OUT = f"SELECT {_LAST} FROM article_seq"
GUARD = f"SELECT pg_advisory_xact_lock_shared({STREAM_LOCK_BASE} + {_LAST}) FROM article_seq"
_FIRST_CLASS = STREAM_LOCK_BASE >> 32
_LAST_CLASS = (STREAM_LOCK_BASE + STREAM_LOCK_SPAN - 1) >> 32
IN_FLIGHT = (
    f"SELECT min(((classid::bigint << 32) | objid::bigint) - {STREAM_LOCK_BASE}) FROM pg_locks "
    "WHERE locktype = 'advisory' AND objsubid = 1 "
    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
    f"AND classid::bigint BETWEEN {_FIRST_CLASS} AND {_LAST_CLASS}"
)
STORED_SINCE = "SELECT seq, doc FROM articles WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3"


def horizon(handed_out: int, in_flight: int | None) -> int:
    """The highest position that can no longer change: every position handed out, up to the
    last one handed out before the oldest writer in flight began."""
    return handed_out if in_flight is None else min(handed_out, in_flight)
