"""``newsflow postgres``: a real PostgreSQL server from the machine's binaries, run as an
unprivileged account when the tests run as root (as CI does), on loopback, started, found,
stopped and wrapped around a command; its errors are clear."""

from __future__ import annotations

import asyncio
import os
import pwd
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

from services.core.settings import Settings
from services.tools import localpostgres
from tests.support.ports import free_port
from tests.support.postgres import TEST_DATABASE_VARIABLE, private_server, reachable_folder

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def data_dir() -> Iterator[Path]:
    with reachable_folder() as folder:
        yield folder.resolve() / "data"


def newsflow(data_dir: Path, port: int, *args: str) -> subprocess.CompletedProcess[str]:
    """``newsflow ARGS…`` from this checkout, with its own data directory and server port."""
    environment = {
        **os.environ,
        "NEWSFLOW_DATA_DIR": str(data_dir),
        "NEWSFLOW_POSTGRES_PORT": str(port),
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "services.tools.cli", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def settings_for(data_dir: Path, port: int) -> Settings:
    return Settings(data_dir=data_dir, postgres_port=port)


def server_uid(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Uid:"):
            return int(line.split()[1])
    raise AssertionError(f"no Uid in /proc/{pid}/status")


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for init to reap it has ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


async def facts(url: str) -> dict[str, str]:
    connection = await asyncpg.connect(url, timeout=10)
    try:
        row = await connection.fetchrow(
            "SELECT current_database() AS database, current_user AS user_name, "
            "current_setting('listen_addresses') AS listen, "
            "current_setting('server_encoding') AS encoding, "
            "current_setting('lc_collate') AS collate, "
            "(SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm')::text AS trgm"
        )
    finally:
        await connection.close()
    assert row is not None
    return dict(row)


async def test_start_status_stop(data_dir: Path) -> None:
    port = free_port()
    settings = settings_for(data_dir, port)
    url = f"postgresql://newsflow@127.0.0.1:{port}/newsflow"
    try:
        started = newsflow(data_dir, port, "postgres", "start")
        assert started.returncode == 0, started.stderr
        assert f"NEWSFLOW_DATABASE_URL={url}" in started.stdout
        current = localpostgres.status(settings)
        assert current.running and current.url == url
        assert current.paths.root == data_dir / "postgres"
        assert current.pid is not None
        expected = pwd.getpwnam("postgres").pw_uid if os.geteuid() == 0 else os.geteuid()
        assert server_uid(current.pid) == expected != 0
        assert await facts(url) == {
            "database": "newsflow",
            "user_name": "newsflow",
            "listen": "127.0.0.1",
            "encoding": "UTF8",
            "collate": "C",
            "trgm": "1",
        }
        status = newsflow(data_dir, port, "postgres", "status")
        assert (status.returncode, status.stdout.split(" (")[0]) == (
            0,
            f"postgres: running, pid {current.pid}",
        )
        again = newsflow(data_dir, port, "postgres", "start")
        assert again.returncode == 0 and "already running" in again.stdout
    finally:
        stopped = newsflow(data_dir, port, "postgres", "stop")
    assert (stopped.returncode, stopped.stdout.strip()) == (0, "postgres: stopped")
    assert not alive(current.pid)
    status = newsflow(data_dir, port, "postgres", "status")
    assert status.returncode == 3 and status.stdout.startswith(f"postgres: not running ({url})")
    assert (
        newsflow(data_dir, port, "postgres", "stop").stdout.strip() == "postgres: was not running"
    )


PROBE = """
import asyncio, os, sys
import asyncpg

async def main() -> None:
    connection = await asyncpg.connect(os.environ["NEWSFLOW_TEST_DATABASE_URL"])
    await connection.execute('CREATE DATABASE "exec_probe"')
    print("probe:", await connection.fetchval("SELECT current_database()"))
    await connection.close()

asyncio.run(main())
sys.exit(7)
"""


def test_exec_runs_the_command_with_the_server_and_stops_it(data_dir: Path) -> None:
    port = free_port()
    done = newsflow(data_dir, port, "postgres", "exec", "--", sys.executable, "-c", PROBE)
    assert done.returncode == 7, done.stderr  # the command's own exit code
    assert "probe: postgres" in done.stdout  # it could create a database as the admin URL
    assert done.stdout.rstrip().endswith("postgres: stopped")
    assert not localpostgres.status(settings_for(data_dir, port)).running


def test_exec_leaves_a_running_server_running(data_dir: Path) -> None:
    port = free_port()
    settings = settings_for(data_dir, port)
    assert newsflow(data_dir, port, "postgres", "start").returncode == 0
    try:
        command = ["sh", "-c", f'echo "url=${TEST_DATABASE_VARIABLE}"']
        done = newsflow(data_dir, port, "postgres", "exec", "--", *command)
        assert done.returncode == 0, done.stderr
        assert f"url=postgresql://newsflow@127.0.0.1:{port}/postgres" in done.stdout
        assert "postgres: stopped" not in done.stdout
        assert localpostgres.status(settings).running
    finally:
        localpostgres.stop(settings)
    assert not localpostgres.status(settings).running


def test_a_port_taken_is_a_clear_error(data_dir: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = newsflow(data_dir, port, "postgres", "exec", "--", "true")
    assert done.returncode == 2
    assert f"port {port} is in use by another process; set NEWSFLOW_POSTGRES_PORT" in done.stderr


def test_initdb_failing_is_a_clear_error(data_dir: Path) -> None:
    """A cluster folder that holds something else is refused by initdb, and left as it was."""
    stray = data_dir / "postgres" / "cluster" / "notes.txt"
    stray.parent.mkdir(parents=True)
    stray.write_text("not a database\n")
    port = free_port()
    done = newsflow(data_dir, port, "postgres", "start")
    assert done.returncode == 2
    assert "initdb could not make the cluster" in done.stderr
    assert "exists but is not empty" in done.stderr
    assert stray.read_text() == "not a database\n"
    assert not localpostgres.status(settings_for(data_dir, port)).running


def test_a_server_that_cannot_start_shows_its_log(data_dir: Path) -> None:
    port = free_port()
    settings = settings_for(data_dir, port)
    assert newsflow(data_dir, port, "postgres", "start").returncode == 0
    assert newsflow(data_dir, port, "postgres", "stop").returncode == 0
    config = localpostgres.status(settings).paths.cluster / "postgresql.conf"
    with config.open("a") as broken:  # root may write the server account's files
        broken.write("shared_buffers = 'plenty'\n")
    done = newsflow(data_dir, port, "postgres", "start")
    assert done.returncode == 2
    assert "PostgreSQL did not start" in done.stderr
    assert 'invalid value for parameter "shared_buffers"' in done.stderr
    assert not localpostgres.status(settings).running


def test_a_data_directory_the_account_cannot_enter_is_kept_elsewhere(tmp_path: Path) -> None:
    """pytest's tmp folders are private to the user running the tests: under root, the server's
    account cannot enter them, so the server's folder goes under /var/lib/newsflow."""
    data_dir = tmp_path / "data"
    port = free_port()
    settings = settings_for(data_dir, port)
    root = localpostgres.status(settings).paths.root
    try:
        started = newsflow(data_dir, port, "postgres", "start")
        assert started.returncode == 0, started.stderr
        if os.geteuid() == 0:
            assert root.parent == localpostgres.FALLBACK_ROOT
            assert f"data in {root}" in started.stdout
            assert f"cannot enter {tmp_path.resolve() / 'data'}" in started.stdout
        else:
            assert root == tmp_path.resolve() / "data" / "postgres"
        assert localpostgres.status(settings).running
    finally:
        newsflow(data_dir, port, "postgres", "stop")
        if root.parent == localpostgres.FALLBACK_ROOT:
            shutil.rmtree(root, ignore_errors=True)
    assert not localpostgres.status(settings).running


async def test_a_private_server_survives_a_crash_and_a_restart() -> None:
    """What the fault suites do: a server of the test's own, crashed (``immediate``) and
    started again; what was committed is still there."""
    async with private_server() as settings:
        assert settings.database_url is not None
        connection = await asyncpg.connect(settings.database_url)
        await connection.execute("CREATE TABLE kept (id int); INSERT INTO kept VALUES (1)")
        await asyncio.to_thread(localpostgres.stop, settings, "immediate")
        with pytest.raises((ConnectionError, asyncpg.InterfaceError, asyncpg.PostgresError)):
            await connection.fetchval("SELECT 1")
        current, took = await asyncio.to_thread(localpostgres.start, settings)
        assert current.running and took > 0
        connection = await asyncpg.connect(settings.database_url)
        try:
            assert await connection.fetchval("SELECT id FROM kept") == 1
        finally:
            await connection.close()
    assert not localpostgres.status(settings).running
