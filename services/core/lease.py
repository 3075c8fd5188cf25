"""Leases: the right to be the one process that writes a resource, held by one at a time.

A stage that must never write beside another copy of itself (dedup on its state, the store on
its SQLite database) holds a lease while it consumes. A second process waits for it as a
standby and takes over when the holder exits or dies; a holder that loses its lease stops
writing at once (it is fenced). The stage's entry point does that (:mod:`services.core.standby`);
this module holds the interface and the lease of a local file.

:class:`Lease` is what every implementation offers: :meth:`~Lease.acquire` (wait until held),
:meth:`~Lease.wait_lost` (returns once a held lease is gone), :meth:`~Lease.release`.
:class:`FileLease` holds it as an exclusive ``flock`` on a lock file beside the database: the
kernel drops the lock when the holding process dies, by ``kill -9`` too, so no expiry is needed,
and it is lost only if the file is deleted or replaced under it. A database server's lease (a
PostgreSQL advisory lock held on a connection of its own, lost when that connection dies) fits
the same interface: :class:`services.core.pglease.PgLease`.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import os
import time
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Self

from services.core.errors import ConfigurationError


class LeaseError(ConfigurationError):
    """The lease cannot be taken at all (its lock file cannot be opened, for instance): not a
    matter of waiting for another holder."""


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds (or wants) a lease: shown to the standbys and in the status."""

    service: str
    host: str
    pid: int
    since: float  # Unix time the lease was taken (or the process started, before that)

    def describe(self) -> str:
        return f"{self.service} pid {self.pid} on {self.host}"

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Self | None:
        """The holder written in ``data``; None when it is not a holder's record."""
        try:
            fields = json.loads(data)
            service, host = str(fields["service"]), str(fields["host"])
            return cls(service, host, int(fields["pid"]), float(fields["since"]))
        except (ValueError, TypeError, KeyError):
            return None


class Lease(ABC):
    """The exclusive right to write one resource. One object is one process's claim on it."""

    @property
    @abstractmethod
    def resource(self) -> str:
        """What the lease guards, as shown in logs and health (a lock file, a lock key)."""

    @property
    @abstractmethod
    def held(self) -> bool:
        """Whether this object holds the lease now (as far as it knows)."""

    @abstractmethod
    async def acquire(self, stop: asyncio.Event) -> bool:
        """Wait until this process holds the lease (``True``) or ``stop`` is set first
        (``False``, not held). A dependency that is down (a database server) is waited out
        here, with backoff; :class:`LeaseError` is raised only if it can never be taken."""

    @abstractmethod
    async def wait_lost(self) -> None:
        """Return once the held lease is lost (its lock file replaced, the connection holding
        the lock gone): from then on another process may hold it, so the caller must stop
        writing at once. Returns at once when it is not held. An error raised here counts as a
        loss."""

    @abstractmethod
    async def release(self) -> None:
        """Give the lease up (nothing happens when it is not held)."""

    async def holder(self) -> Holder | None:
        """Who holds the lease, when that can be told (best effort; None otherwise)."""
        return None


class FileLease(Lease):
    """An exclusive ``flock`` on ``path``: tried every ``poll_s`` while waiting, and checked as
    often while held (the lease is lost when ``path`` no longer names the locked file)."""

    @classmethod
    def beside(cls, database: Path, me: Holder, poll_s: float) -> FileLease:
        """The lease of the SQLite file ``database``: a lock on ``<database>.lock``."""
        return cls(database.with_name(f"{database.name}.lock"), me, poll_s)

    def __init__(self, path: Path, me: Holder, poll_s: float) -> None:
        if poll_s <= 0:
            raise ValueError(f"poll_s must be positive, not {poll_s}")
        self._path = path
        self._me = me
        self._poll_s = poll_s
        self._fd: int | None = None
        self._released = asyncio.Event()

    @property
    def resource(self) -> str:
        return str(self._path)

    @property
    def held(self) -> bool:
        return self._fd is not None

    async def acquire(self, stop: asyncio.Event) -> bool:
        if self._fd is not None:
            return True
        while not stop.is_set():
            if self._try_lock():
                return True
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._poll_s)
        return False

    async def wait_lost(self) -> None:
        while self._fd is not None and self._names_locked_file(self._fd):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._released.wait(), self._poll_s)

    async def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing the only descriptor of the open file drops its lock
            self._released.set()

    async def holder(self) -> Holder | None:
        try:
            return Holder.from_json(self._path.read_bytes())
        except OSError:
            return None

    def _try_lock(self) -> bool:
        fd = self._open()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        except OSError as error:
            os.close(fd)
            raise LeaseError(f"cannot lock {self._path}: {error}") from error
        if not self._names_locked_file(fd):  # replaced between open and lock: guards nothing
            os.close(fd)
            return False
        me = Holder(self._me.service, self._me.host, self._me.pid, time.time())
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, me.to_json() + b"\n", 0)
        except OSError as error:
            os.close(fd)
            raise LeaseError(f"cannot write the holder into {self._path}: {error}") from error
        self._fd = fd
        self._released.clear()
        return True

    def _open(self) -> int:
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(self._path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as error:
            raise LeaseError(f"cannot open the lock file {self._path}: {error}") from error

    def _names_locked_file(self, fd: int) -> bool:
        """Whether ``path`` still names the file open on ``fd`` (not deleted, not replaced)."""
        try:
            current = os.stat(self._path)
        except FileNotFoundError:
            return False
        locked = os.fstat(fd)
        return (current.st_dev, current.st_ino) == (locked.st_dev, locked.st_ino)
