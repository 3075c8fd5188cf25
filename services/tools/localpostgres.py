"""The local PostgreSQL server: for trying the cluster mode on one machine, and for the tests.

It runs the machine's own PostgreSQL binaries (``initdb`` and ``pg_ctl`` on PATH, else the newest
of Debian's ``/usr/lib/postgresql/<version>/bin``). ``start`` makes the cluster once under
``NEWSFLOW_DATA_DIR/postgres`` (trust authentication on loopback, UTF8, C locale), starts it on
``127.0.0.1:NEWSFLOW_POSTGRES_PORT`` only, waits until it answers and makes the ``newsflow``
database; ``stop`` stops exactly the server of that folder (``pg_ctl -D … stop``). Under root the
server runs as an unprivileged account (:mod:`services.tools.pgaccount`); when that account
cannot enter the data directory (a checkout under ``/root``), the server's folder is kept under
``/var/lib/newsflow`` instead, and ``start`` and ``status`` say where.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import math
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import asyncpg

from services.core.errors import ConfigurationError
from services.core.settings import Settings
from services.tools import pgaccount
from services.tools.localkafka import port_in_use
from services.tools.pgaccount import Account

DEBIAN_VERSIONS = Path("/usr/lib/postgresql")
FALLBACK_ROOT = Path("/var/lib/newsflow")
SUPERUSER = "newsflow"
DATABASE = "newsflow"
ADMIN_DATABASE = "postgres"
INSTALL = (
    "install PostgreSQL's server (Debian/Ubuntu: apt-get install postgresql postgresql-contrib; "
    "as root, `make test-prerequisites` does it)"
)
INCLUDE = "include_if_exists = 'newsflow.conf'"
StopMode = Literal["smart", "fast", "immediate"]


@dataclass(frozen=True, slots=True)
class Binaries:
    folder: Path

    @property
    def initdb(self) -> Path:
        return self.folder / "initdb"

    @property
    def pg_ctl(self) -> Path:
        return self.folder / "pg_ctl"


@dataclass(frozen=True, slots=True)
class ServerPaths:
    root: Path
    moved_from: Path | None = None  # the data directory's own folder, when out of reach

    @property
    def cluster(self) -> Path:
        return self.root / "cluster"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    @property
    def config(self) -> Path:
        return self.cluster / "newsflow.conf"

    @property
    def pid_file(self) -> Path:
        return self.cluster / "postmaster.pid"


@dataclass(frozen=True, slots=True)
class ServerStatus:
    running: bool
    pid: int | None
    port: int
    paths: ServerPaths

    @property
    def url(self) -> str:
        """What to set as ``NEWSFLOW_DATABASE_URL``: the ``newsflow`` database."""
        return server_url(self.port, DATABASE)

    @property
    def admin_url(self) -> str:
        """The superuser on the ``postgres`` database (``NEWSFLOW_TEST_DATABASE_URL``)."""
        return server_url(self.port, ADMIN_DATABASE)

    @property
    def detail(self) -> str:
        return f"running, pid {self.pid}" if self.running else "not running"


def server_url(port: int, database: str) -> str:
    return f"postgresql://{SUPERUSER}@127.0.0.1:{port}/{database}"


def find_binaries() -> Binaries:
    """The folder holding ``initdb`` and ``pg_ctl``: where PATH finds ``initdb`` (or the file
    it links to), else the newest version under Debian's ``/usr/lib/postgresql``."""
    candidates: list[Path] = []
    if (found := shutil.which("initdb")) is not None:
        candidates += [Path(found).parent, Path(found).resolve().parent]
    if DEBIAN_VERSIONS.is_dir():
        versions = sorted(DEBIAN_VERSIONS.iterdir(), key=_version_key, reverse=True)
        candidates += [version / "bin" for version in versions]
    for folder in candidates:
        if all(_executable(folder / name) for name in ("initdb", "pg_ctl", "postgres")):
            return Binaries(folder)
    raise ConfigurationError(
        f"PostgreSQL's server programs (initdb, pg_ctl) are not on PATH nor in "
        f"{DEBIAN_VERSIONS}/*/bin: {INSTALL}"
    )


def _executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _version_key(folder: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", folder.name))


def paths_for(settings: Settings, account: Account | None) -> ServerPaths:
    """Where the server's files are: ``NEWSFLOW_DATA_DIR/postgres``, unless ``account`` cannot
    enter it; then a folder of its own under ``/var/lib/newsflow``, named after the data
    directory."""
    preferred = settings.data_dir.resolve() / "postgres"
    if account is None or account.can_enter(preferred.parent):
        return ServerPaths(preferred)
    digest = hashlib.sha256(str(preferred).encode()).hexdigest()[:12]
    return ServerPaths(FALLBACK_ROOT / f"postgres-{digest}", moved_from=preferred)


def status(settings: Settings) -> ServerStatus:
    paths = paths_for(settings, pgaccount.existing_account())
    pid, port = _running_server(paths)
    if pid is None:
        return ServerStatus(False, None, settings.postgres_port, paths)
    return ServerStatus(True, pid, port or settings.postgres_port, paths)


def _running_server(paths: ServerPaths) -> tuple[int | None, int | None]:
    """The PID and port of the postmaster serving ``paths`` (from its ``postmaster.pid``, the
    process checked to be alive and to serve that cluster)."""
    try:
        lines = paths.pid_file.read_text().splitlines()
        pid = int(lines[0])
        port = int(lines[3]) if len(lines) > 3 else None
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError, IndexError):
        return None, None
    if str(paths.cluster).encode() not in cmdline:
        return None, None
    return pid, port


def start(settings: Settings) -> tuple[ServerStatus, float]:
    """Start the local server (or find it running); its status and the seconds taken. Blocks
    (it runs its own event loop for a moment): from async code, call it in a thread."""
    begun = time.monotonic()
    current = status(settings)
    if current.running:
        return current, 0.0
    binaries = find_binaries()
    port = settings.postgres_port
    if port_in_use(port):
        raise ConfigurationError(
            f"port {port} is in use by another process; set NEWSFLOW_POSTGRES_PORT or stop "
            "that process"
        )
    account = pgaccount.server_account()
    paths = paths_for(settings, account)
    _prepare(paths, account)
    if not (paths.cluster / "PG_VERSION").exists():
        _initdb(binaries, paths, account)
    paths.config.write_text(_config(port))
    if account is not None:
        account.give(paths.config)
    timeout_s = settings.postgres_start_timeout_s
    wait = str(math.ceil(timeout_s))
    started = pgaccount.run(
        [binaries.pg_ctl, "-D", paths.cluster, "-l", paths.log, "-w", "-t", wait, "start"],
        account, paths.root, timeout_s + 10,
    )  # fmt: skip
    try:
        if started.returncode != 0:
            raise ConfigurationError(
                f"PostgreSQL did not start (pg_ctl: {started.stdout.strip()} "
                f"{started.stderr.strip()}); see {paths.log}:\n{_tail(paths.log)}"
            )
        asyncio.run(_create_database(server_url(port, ADMIN_DATABASE), DATABASE))
    except ConfigurationError:
        with contextlib.suppress(ConfigurationError):  # the first error is the one to tell
            _stop(binaries, paths, "immediate", 30)  # a server slow to come up is not left
        raise
    return status(settings), time.monotonic() - begun


def _prepare(paths: ServerPaths, account: Account | None) -> None:
    if paths.moved_from is not None:
        FALLBACK_ROOT.mkdir(mode=0o755, parents=True, exist_ok=True)
    paths.root.mkdir(mode=0o700, parents=True, exist_ok=True)
    if account is not None:
        account.own(paths.root)


def _initdb(binaries: Binaries, paths: ServerPaths, account: Account | None) -> None:
    made = pgaccount.run(
        [
            binaries.initdb, "-D", paths.cluster, f"--username={SUPERUSER}", "--auth=trust",
            "--encoding=UTF8", "--locale=C", "--no-instructions",
        ],
        account, paths.root, 300,
    )  # fmt: skip
    if made.returncode != 0:
        raise ConfigurationError(
            f"initdb could not make the cluster in {paths.cluster}:\n"
            f"{(made.stdout + made.stderr).strip()[-2000:]}"
        )
    with (paths.cluster / "postgresql.conf").open("a") as config:
        config.write(
            f"\n# newsflow postgres writes the port and addresses on each start\n{INCLUDE}\n"
        )


def _config(port: int) -> str:
    return (
        "# Written by `newsflow postgres start` on each start; edits here are lost.\n"
        "listen_addresses = '127.0.0.1'\n"
        f"port = {port}\n"
        "unix_socket_directories = ''\n"  # loopback TCP only: no socket folder to own
        "max_connections = 300\n"  # several stores, dedups, gateways and tests at once
    )


async def _create_database(admin_url: str, name: str) -> None:
    """Make database ``name`` unless it exists (also proves the server answers)."""
    try:
        connection = await asyncpg.connect(admin_url, timeout=10)
    except (OSError, asyncpg.PostgresError, TimeoutError) as error:
        raise ConfigurationError(f"PostgreSQL started but does not answer: {error}") from error
    try:
        if not await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


def stop(settings: Settings, mode: StopMode = "fast", timeout_s: float = 60.0) -> bool:
    """Stop the server of this data directory (``pg_ctl -D … stop``); False if none ran.
    ``fast`` ends its sessions and shuts down cleanly; ``immediate`` is a crash (tests)."""
    current = status(settings)
    if not current.running:
        return False
    _stop(find_binaries(), current.paths, mode, timeout_s)
    return True


def _stop(binaries: Binaries, paths: ServerPaths, mode: StopMode, timeout_s: float) -> None:
    """``pg_ctl stop`` of the cluster in ``paths``, if its server runs, as the account owning it."""
    if _running_server(paths)[0] is None:
        return
    wait = str(math.ceil(timeout_s))
    stopped = pgaccount.run(
        [binaries.pg_ctl, "-D", paths.cluster, "-m", mode, "-w", "-t", wait, "stop"],
        pgaccount.owner_of(paths.cluster), paths.root, timeout_s + 10,
    )  # fmt: skip
    if stopped.returncode != 0:
        raise ConfigurationError(f"pg_ctl could not stop PostgreSQL: {stopped.stderr.strip()}")


def _tail(log: Path) -> str:
    try:
        return log.read_text(errors="replace")[-2000:]
    except OSError:
        return "(no log)"
