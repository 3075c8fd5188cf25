"""The account the local PostgreSQL server runs as.

PostgreSQL refuses to run as root. Run by an ordinary user, the server runs as that user; run by
root (as CI does), it runs as an unprivileged account — the ``postgres`` account Debian's package
creates, else a system user ``newsflow`` made for it — which must own the server's folder and be
able to enter every folder above it.
"""

from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from services.core.errors import ConfigurationError

SERVICE_ACCOUNTS = ("postgres", "newsflow")  # looked for in this order
CREATED_ACCOUNT = "newsflow"


@dataclass(frozen=True, slots=True)
class Account:
    """An unprivileged account the server's commands run as."""

    name: str
    uid: int
    gid: int
    groups: tuple[int, ...]

    @classmethod
    def named(cls, name: str) -> Account:
        entry = pwd.getpwnam(name)
        groups = os.getgrouplist(name, entry.pw_gid)
        return cls(name, entry.pw_uid, entry.pw_gid, tuple(groups))

    def can_enter(self, folder: Path) -> bool:
        """Whether this account may pass through ``folder`` and every folder above it (the
        permission bits; folders not made yet are made later, open to all)."""
        for path in (folder, *folder.parents):
            try:
                info = path.stat()
            except FileNotFoundError:
                continue
            if info.st_uid == self.uid:
                allowed = info.st_mode & stat.S_IXUSR
            elif info.st_gid in self.groups:
                allowed = info.st_mode & stat.S_IXGRP
            else:
                allowed = info.st_mode & stat.S_IXOTH
            if not allowed:
                return False
        return True

    def own(self, folder: Path) -> None:
        """Make this account the owner of ``folder`` and everything in it (links not followed),
        unless it owns ``folder`` already (then it was handed over before)."""
        if folder.stat().st_uid == self.uid:
            return
        for root, folders, files in os.walk(folder):
            self.give(Path(root))
            for name in (*folders, *files):
                self.give(Path(root) / name)

    def give(self, path: Path) -> None:
        """Make this account the owner of ``path`` alone (a link itself, not its target)."""
        os.chown(path, self.uid, self.gid, follow_symlinks=False)


def running_as_root() -> bool:
    return os.geteuid() == 0


def existing_account() -> Account | None:
    """The account the server runs as under root, if one exists yet; None when not root."""
    if not running_as_root():
        return None
    for name in SERVICE_ACCOUNTS:
        try:
            return Account.named(name)
        except KeyError:
            continue
    return None


def server_account() -> Account | None:
    """The account to run the server as: None (this process's own) unless root; under root the
    ``postgres`` account, else ``newsflow``, created as a system user if missing."""
    if not running_as_root():
        return None
    found = existing_account()
    if found is not None:
        return found
    useradd = shutil.which("useradd")
    if useradd is None:
        raise ConfigurationError(
            "PostgreSQL refuses to run as root and there is no postgres account here; create an "
            f"unprivileged account named {CREATED_ACCOUNT!r} (or postgres) and try again"
        )
    command = [
        useradd, "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
        "--shell", "/usr/sbin/nologin", CREATED_ACCOUNT,
    ]  # fmt: skip
    made = subprocess.run(command, capture_output=True, text=True, check=False)
    if made.returncode != 0:
        raise ConfigurationError(
            f"cannot create the system user {CREATED_ACCOUNT!r} to run PostgreSQL as: "
            f"{made.stderr.strip()}"
        )
    return Account.named(CREATED_ACCOUNT)


def owner_of(path: Path) -> Account | None:
    """The account owning ``path`` when it is not this process's (a server made earlier is
    stopped as the account that runs it); None when it is this process's own."""
    info = path.stat()
    if info.st_uid == os.geteuid():
        return None
    try:
        return Account.named(pwd.getpwuid(info.st_uid).pw_name)
    except KeyError:  # an owner with no name (a removed account): its ids alone
        return Account(str(info.st_uid), info.st_uid, info.st_gid, (info.st_gid,))


def run(
    command: Sequence[str | Path], account: Account | None, cwd: Path, timeout_s: float
) -> subprocess.CompletedProcess[str]:
    """Run ``command`` as ``account`` (None: as this process), from ``cwd``, its output kept."""
    try:
        return subprocess.run(
            [str(part) for part in command],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            stdin=subprocess.DEVNULL,
            check=False,
            user=None if account is None else account.uid,
            group=None if account is None else account.gid,
            extra_groups=None if account is None else list(account.groups),
        )
    except subprocess.TimeoutExpired as error:
        raise ConfigurationError(f"{command[0]} did not finish within {timeout_s:.0f}s") from error
    except OSError as error:
        who = f" as {account.name}" if account else ""
        raise ConfigurationError(f"cannot run {command[0]}{who}: {error}") from error
