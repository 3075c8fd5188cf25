"""The lease on a database server: a PostgreSQL advisory lock held on a connection of its own.

:class:`PgLease` takes ``pg_try_advisory_lock`` on a key derived from the lease's name (for
dedup, its consumer group) on a dedicated connection, retried every ``poll_s`` while another
process holds it; a server that is down or unreachable is waited out with backoff, never raised.
The lock is session-level: the server drops it the moment the holding session ends (the holder
exits, is killed with ``-9``, or its connection is terminated or breaks). The holder checks
every ``poll_s`` that it still holds it, with a query given ``check_timeout_s`` to answer, so a
network split is noticed within seconds: the lease then counts as lost and the caller stops
writing. The server, for its part, ends a session whose client went silent after a few missed
TCP keepalives, so a split-off holder's lock is freed for the next holder.

Fencing writes made on other connections (dedup's state): a writer checks, inside each of its
transactions, :func:`hold_fence` — that the lock is still held by the lease's session — after
taking a shared transaction lock on the lease's *gate* key. A new holder, right after taking the
lock, waits for the gate to be free (:meth:`PgLease.acquire`) before it returns: every
transaction of the previous holder that passed its check has then ended (committed or not), and
every later one fails its check. So what the new holder reads afterwards holds everything the
old one ever committed, and the old one commits nothing more.

Keys use the two-integer form of the advisory-lock functions (a key space of its own: the
single-bigint keys other parts may use never meet these): class ``"nflk"`` for the lock,
``"nflg"`` for its gate, and the same 31-bit hash of the lease's name as the second half.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import zlib
from dataclasses import dataclass
from datetime import datetime

from services.core.errors import DatabaseUnavailableError, TransientError
from services.core.lease import Holder, Lease, LeaseError
from services.core.logs import get_logger
from services.core.pgclient import (
    SERVER_KEEPALIVES,
    Connection,
    close_quietly,
    connect,
    redacted,
    translated,
)

LOCK_CLASS = 0x6E66_6C6B  # "nflk"
GATE_CLASS = 0x6E66_6C67  # "nflg"
APPLICATION = "newsflow-lease"
MAX_BACKOFF_S = 2.0

_HELD_HERE = """
SELECT EXISTS (
    SELECT 1 FROM pg_locks
    WHERE locktype = 'advisory' AND classid = $1 AND objid = $2 AND objsubid = 2
      AND pid = pg_backend_pid() AND granted
)"""
# The session is named by its server process and that process's start (a process id alone may
# be reused by a later session, the next holder's even).
_HELD_BY = """
SELECT EXISTS (
    SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 2
      AND l.pid = $3 AND a.backend_start = $4 AND l.granted
)"""
_ME = "SELECT pid, backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()"
_HOLDER = """
SELECT a.application_name, extract(epoch FROM a.backend_start)::float8
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 2
  AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
"""

log = get_logger(__name__)


class LeaseLostError(TransientError):
    """A write was refused: this process no longer holds the lease that fences it (another
    process may hold it now). Nothing of the transaction was committed."""


def lock_id(name: str) -> int:
    """The second half of the lease's keys: a 31-bit hash of its name (the same in every
    process and version)."""
    return zlib.crc32(name.encode()) & 0x7FFF_FFFF


@dataclass(frozen=True, slots=True)
class LeaseFence:
    """What a writer checks in each transaction: the lock ``lock_id`` is still held by the
    lease's server session (its process ``backend_pid``, started at ``backend_start``)."""

    lock_id: int
    backend_pid: int
    backend_start: datetime


async def hold_fence(connection: Connection, fence: LeaseFence) -> None:
    """Inside the caller's transaction on ``connection``: take the gate's shared transaction
    lock, then check the lease is still held by its session; raises :class:`LeaseLostError`
    if not (the caller rolls back)."""
    with translated("cannot check the lease"):
        await connection.execute(
            "SELECT pg_advisory_xact_lock_shared($1, $2)", GATE_CLASS, fence.lock_id
        )
        held = await connection.fetchval(
            _HELD_BY, LOCK_CLASS, fence.lock_id, fence.backend_pid, fence.backend_start
        )
    if not held:
        raise LeaseLostError(f"the lease (lock {fence.lock_id}) is no longer held by this process")


class PgLease(Lease):
    """The advisory lock named ``name`` on the server of ``url``, claimed for ``me``."""

    def __init__(
        self, url: str, name: str, me: Holder, poll_s: float, check_timeout_s: float
    ) -> None:
        if poll_s <= 0 or check_timeout_s <= 0:
            raise ValueError(
                f"poll_s and check_timeout_s must be positive: {poll_s}, {check_timeout_s}"
            )
        self._url = url
        self._name = name
        self._id = lock_id(name)
        self._me = me
        self._poll_s = poll_s
        self._timeout_s = check_timeout_s
        self._connection: Connection | None = None
        self._fence: LeaseFence | None = None  # while held
        self._gone = asyncio.Event()  # set when the holding connection closes or is released
        self._lock = asyncio.Lock()  # one query at a time on the connection

    @property
    def resource(self) -> str:
        return f"advisory lock {self._name!r} on {redacted(self._url)}"

    @property
    def held(self) -> bool:
        return self._fence is not None

    @property
    def fence(self) -> LeaseFence | None:
        """What writes on other connections check while this lease is held (None when not)."""
        return self._fence

    async def acquire(self, stop: asyncio.Event) -> bool:
        if self.held:
            return True
        delay = self._poll_s
        while not stop.is_set():
            wait = self._poll_s
            try:
                if await self._try_lock(stop):
                    return True
                delay = self._poll_s
            except DatabaseUnavailableError as error:
                log.warning(
                    "lease_database_unavailable",
                    lease=self.resource,
                    error=str(error)[:300],
                    retry_in_s=delay,
                )
                await self._drop()
                wait, delay = delay, min(delay * 2, max(MAX_BACKOFF_S, self._poll_s))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), wait)
        return False

    async def wait_lost(self) -> None:
        while self.held and not self._gone.is_set():
            try:
                if not await self._still_held():
                    log.error("lease_lock_gone", lease=self.resource)
                    return
            except (TransientError, TimeoutError) as error:
                log.error("lease_check_failed", lease=self.resource, error=repr(error)[:300])
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._gone.wait(), self._poll_s)

    async def release(self) -> None:
        self._fence = None
        self._gone.set()
        await self._drop()  # the session ends, and with it the lock

    async def holder(self) -> Holder | None:
        """The holder's process as its lease connection names it (``since``: when that
        connection was opened); None when nobody holds it or the server cannot be asked."""
        try:
            async with self._lock:
                connection = await self._connected()
                with translated("cannot read the lease's holder"):
                    row = await connection.fetchrow(
                        _HOLDER, LOCK_CLASS, self._id, timeout=self._timeout_s
                    )
        except TransientError:
            await self._drop()
            return None
        return None if row is None else _parse_holder(str(row[0] or ""), float(row[1] or 0.0))

    async def _try_lock(self, stop: asyncio.Event) -> bool:
        """One try for the lock; once it is taken, wait for its gate to be free (the previous
        holder's last transactions ended). ``False``: held elsewhere, or ``stop`` came first."""
        async with self._lock:
            connection = await self._connected()
            with translated("cannot take the lease's lock"):
                got = await connection.fetchval(
                    "SELECT pg_try_advisory_lock($1, $2)",
                    LOCK_CLASS,
                    self._id,
                    timeout=self._timeout_s,
                )
                if not got:
                    return False
                draining = False
                while not await connection.fetchval(
                    "SELECT pg_try_advisory_lock($1, $2)",
                    GATE_CLASS,
                    self._id,
                    timeout=self._timeout_s,
                ):
                    if stop.is_set():
                        await self._drop()
                        return False
                    if not draining:
                        log.info("lease_waiting_for_previous_writer", lease=self.resource)
                        draining = True
                    await asyncio.sleep(self._poll_s)
                await connection.execute(
                    "SELECT pg_advisory_unlock($1, $2)",
                    GATE_CLASS,
                    self._id,
                    timeout=self._timeout_s,
                )
                pid, started = await connection.fetchrow(_ME, timeout=self._timeout_s)
        self._gone.clear()
        connection.add_termination_listener(lambda _: self._gone.set())
        self._fence = LeaseFence(self._id, int(pid), started)
        return True

    async def _still_held(self) -> bool:
        connection = self._connection
        if connection is None or connection.is_closed() or self._fence is None:
            return False
        async with self._lock:
            with translated("cannot check the lease"):
                return bool(
                    await connection.fetchval(
                        _HELD_HERE, LOCK_CLASS, self._id, timeout=self._timeout_s
                    )
                )

    async def _connected(self) -> Connection:
        connection = self._connection
        if connection is None or connection.is_closed():
            me = self._me
            try:
                connection = await connect(
                    self._url,
                    f"{APPLICATION} {me.service} {me.pid} {me.host}",
                    timeout_s=max(self._timeout_s, 5.0),
                    server_settings=SERVER_KEEPALIVES,
                )
            except (ValueError, TypeError) as error:  # a URL or option asyncpg cannot use
                raise LeaseError(
                    f"cannot use {redacted(self._url)} for the lease: {error}"
                ) from error
            self._connection = connection
        return connection

    async def _drop(self) -> None:
        connection, self._connection = self._connection, None
        self._fence = None
        await close_quietly(connection)


def _parse_holder(application_name: str, since: float) -> Holder | None:
    """The holder named by a lease connection's ``application_name`` (see ``_connected``)."""
    parts = application_name.split(" ", 3)
    if len(parts) != 4 or parts[0] != APPLICATION or not parts[2].isdigit():
        return None
    return Holder(parts[1], parts[3], int(parts[2]), since or time.time())
