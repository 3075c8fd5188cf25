"""PostgreSQL for tests: the test run's server, a fresh database on it, a private server.

The test command (`make test`, through ``newsflow postgres exec``) starts a server and names it
in ``NEWSFLOW_TEST_DATABASE_URL`` (a superuser on its ``postgres`` database). Each test module
gets a database of its own there (the ``postgres_url`` fixture); without the variable the tests
that need PostgreSQL fail, never skip. A test that stops or crashes a server starts its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping
from pathlib import Path

import pytest

from services.core.settings import Settings
from services.tools import localpostgres, pgdatabase
from services.tools.pgdatabase import drop_database, with_database
from tests.support.ports import free_port

TEST_DATABASE_VARIABLE = "NEWSFLOW_TEST_DATABASE_URL"


def server_under_test(environ: Mapping[str, str] = os.environ) -> str:
    """The test run's server (``NEWSFLOW_TEST_DATABASE_URL``); fails the test when unset."""
    url = environ.get(TEST_DATABASE_VARIABLE, "")
    if not url:
        pytest.fail(
            f"{TEST_DATABASE_VARIABLE} is not set: run the tests with `make test`, or wrap pytest "
            "in `newsflow postgres exec -- …` (which starts a local PostgreSQL server and sets "
            "it), or set it to a postgresql:// URL of a user who may CREATE DATABASE",
            pytrace=False,
        )
    return url


__all__ = [
    "TEST_DATABASE_VARIABLE",
    "create_database",
    "drop_database",
    "fresh_database",
    "private_server",
    "reachable_folder",
    "server_under_test",
    "with_database",
]


async def create_database(server_url: str) -> str:
    """A new, empty database with a random name on ``server_url``'s server; its name."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    await pgdatabase.create_database(server_url, name)
    return name


@contextlib.asynccontextmanager
async def fresh_database(server_url: str) -> AsyncIterator[str]:
    """The URL of a new, empty database on ``server_url``'s server, dropped afterwards."""
    name = await create_database(server_url)
    try:
        yield with_database(server_url, name)
    finally:
        await drop_database(server_url, name)


@contextlib.contextmanager
def reachable_folder() -> Iterator[Path]:
    """A new folder every account may enter (pytest's own tmp folders are private to the user
    running the tests, so a server run as another account could not use them); removed after."""
    folder = Path(tempfile.mkdtemp(prefix="newsflow-pg-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # root may remove the server account's files


@contextlib.asynccontextmanager
async def private_server() -> AsyncIterator[Settings]:
    """A PostgreSQL server of this test's own, started and stopped here (for tests that stop,
    restart or crash it): the settings naming it (``database_url``, ``postgres_port`` and
    ``data_dir``)."""
    with reachable_folder() as folder:
        settings = Settings(data_dir=folder / "data", postgres_port=free_port())
        current, _ = await asyncio.to_thread(localpostgres.start, settings)
        try:
            yield settings.model_copy(update={"database_url": current.url})
        finally:
            await asyncio.to_thread(localpostgres.stop, settings)
