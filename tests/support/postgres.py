"""Fresh PostgreSQL databases for tests, on the server the test command names.

``NEWSFLOW_TEST_DATABASE_URL`` names a server (``postgresql://USER@127.0.0.1:PORT/postgres``)
where that user may create databases; without it a test that needs one fails loudly, it never
skips. The store's tests need a fresh database per test or per module (:func:`database`), not
only per module as the shared ``postgres_url`` fixture of ``tests/conftest.py`` gives.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

VARIABLE = "NEWSFLOW_TEST_DATABASE_URL"


def server_url() -> str:
    """The test server's URL; fails the test when the variable is missing."""
    url = os.environ.get(VARIABLE)
    if not url:
        pytest.fail(
            f"{VARIABLE} is not set: the PostgreSQL tests need a server where its user may "
            "CREATE DATABASE (postgresql://USER@127.0.0.1:PORT/postgres)",
            pytrace=False,
        )
    return url


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def create_database() -> str:
    """A new, empty database on the test server; its URL."""
    server = server_url()
    name = f"t_{uuid.uuid4().hex[:16]}"
    conn = await asyncpg.connect(server)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return _with_database(server, name)


async def drop_database(url: str) -> None:
    """Drop a database made by :func:`create_database`, closing its sessions first."""
    name = urlsplit(url).path.lstrip("/")
    conn = await asyncpg.connect(server_url())
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@asynccontextmanager
async def database() -> AsyncIterator[str]:
    """A fresh database for the ``async with`` block, dropped after it."""
    url = await create_database()
    try:
        yield url
    finally:
        await drop_database(url)
